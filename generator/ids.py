"""Ids: lowercase ASCII with hyphens, derived from Danish names (æ→ae, ø→oe, å→aa)."""

from __future__ import annotations

import difflib
import re
import unicodedata

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def is_id(text: str) -> bool:
    return bool(_ID.match(text))


def make_id(name: str) -> str:
    """'Økonomi og gæld' -> 'oekonomi-og-gaeld'."""
    text = unicodedata.normalize("NFKD", name.translate(_DANISH).lower())
    text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "uden-navn"


def nearest(value: str, candidates) -> str | None:
    """The candidate closest to a misspelt value, if any is close enough."""
    matches = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
