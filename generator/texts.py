"""A brand's own words: Markdown files in sites/<brand>/tekster/ that take the place of the
shared default text in one place each. A file that is not there leaves the default as it is.

    forside.md                     the home page's introduction, under the brand's name
    sadan-er-det.md                the home page's "Sådan er det at gå her"
    om.md                          the page "Om skolerne" (below its title; the schools'
                                   contact list still follows)
    katalog-sadan-foregaar-det.md  the term catalogue PDF's "Sådan foregår det"
    privatliv.md                   the privacy page's contact, and the data-protection officer

They are rendered like every Markdown field (templating.render_markdown: nh3 with the same
tags) and checked like one (rules/content.py, H801-H806).
"""

from __future__ import annotations

import re
from pathlib import Path

FOLDER = "tekster"
NAMES = ("forside", "sadan-er-det", "om", "katalog-sadan-foregaar-det", "privatliv")
MAX_BYTES = 100_000
_HEADING = re.compile(r"^(#{1,6})[ \t]", re.M)


def folder(root: Path, brand_id: str) -> Path:
    return root / "sites" / brand_id / FOLDER


def read(root: Path, brand_id: str) -> tuple[tuple[str, str], ...]:
    """(name, text) for each known text the brand has; unreadable ones are left to the rules
    (M010-M012), which stop the build."""
    found = []
    for name in NAMES:
        path = folder(root, brand_id) / f"{name}.md"
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if len(data) > MAX_BYTES:
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        if text.strip():
            found.append((name, text))
    return tuple(found)


def shift_for(text: str, top: int) -> int:
    """How far to move the text's headings so its highest one is an h<top>, whatever level
    the writer started at (the page keeps one h1 and no skipped level)."""
    levels = [len(m[1]) for m in _HEADING.finditer(text)]
    return top - min(levels) if levels else 0
