"""Danish for the texts argparse writes itself: the usage line, section titles, usage errors.

argparse looks its texts up through gettext (`_` and `ngettext`, module globals of argparse) at
the moment it writes them. `danish()` swaps those two for a lookup in the table below while our
parser builds, parses or formats help, and puts them back afterwards, so nothing outside the
`catalogue` command changes. A text the table does not know stays as argparse writes it; those
are messages about mistakes in our own parser definition, which no coordinator sees.

The help texts of our own commands and options are Danish already and stay next to the option
they describe, in cli.py.
"""

from __future__ import annotations

import argparse
import contextlib

ARGPARSE = {
    "usage: ": "brug: ",
    "positional arguments": "argumenter",
    "options": "tilvalg",
    "show this help message and exit": "vis denne hjælp, og stop",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "%(value)r kan ikke bruges her; vælg en af: %(choices)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "ukendt kommando %(parser_name)r; vælg en af: %(choices)s",
    "the following arguments are required: %s": "mangler: %s",
    "one of the arguments %s is required": "skriv en af: %s",
    "unrecognized arguments: %s": "ukendt: %s",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "ignored explicit argument %r": "%r kan ikke bruges her",
    "expected one argument": "skal efterfølges af en værdi",
    "expected at most one argument": "må højst efterfølges af én værdi",
    "expected at least one argument": "skal efterfølges af mindst én værdi",
    "ambiguous option: %(option)s could match %(matches)s":
        "%(option)s kan betyde flere ting: %(matches)s",
    "invalid %(type)s value: %(value)r": "%(value)r er ikke en gyldig værdi",
    "can't open '%(filename)s': %(error)s": "kan ikke åbne '%(filename)s': %(error)s",
    "unexpected option string: %s": "uventet tilvalg: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: %(message)s\n",
}

# ngettext: (singular, plural) -> (Danish singular, Danish plural)
ARGPARSE_PLURAL = {
    ("expected %s argument", "expected %s arguments"):
        ("skal efterfølges af %s værdi", "skal efterfølges af %s værdier"),
}

# What a usage error ends with: where to read more. {prog} is e.g. "catalogue check".
SEE_HELP = "Skriv '{prog} --help' for at se, hvad du kan skrive."


def _translate(message: str) -> str:
    return ARGPARSE.get(message, message)


def _translate_plural(singular: str, plural: str, n: int) -> str:
    one, many = ARGPARSE_PLURAL.get((singular, plural), (singular, plural))
    return one if n == 1 else many


@contextlib.contextmanager
def danish():
    """argparse speaks Danish inside this block (re-entrant: nested blocks are fine)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _translate, _translate_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
