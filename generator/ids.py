"""Ids: lowercase ASCII with hyphens, derived from Danish names (æ→ae, ø→oe, å→aa)."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
MAX_ID = 60  # ids become file names and URLs (kurser/<id>/<id>-<date>.ics), which have limits
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def is_id(text: str) -> bool:
    """Lowercase ASCII with hyphens, and short: an id becomes part of file names and URLs."""
    return len(text) <= MAX_ID and bool(_ID.match(text))


def make_id(name: str) -> str:
    """'Økonomi og gæld' -> 'oekonomi-og-gaeld'."""
    text = unicodedata.normalize("NFKD", name.translate(_DANISH).lower())
    text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "uden-navn"


def short_id(name: str) -> str:
    """make_id, kept short enough for a file name; a long one ends in a hash of the whole."""
    made = make_id(name)
    if len(made) <= MAX_ID:
        return made
    digest = hashlib.blake2b(made.encode(), digest_size=4).hexdigest()
    return made[:MAX_ID - 9].rstrip("-") + "-" + digest


def nearest(value: str, candidates) -> str | None:
    """The candidate closest to a misspelt value, if any is close enough."""
    matches = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
