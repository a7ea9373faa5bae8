"""What a course page costs a phone on its first visit: the HTML and every stylesheet and
script it links, each gzipped (-6, as a server would). Shared by `make bench` and
tests/test_weight.py, so the figure and the test's limit are one measurement."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from pathlib import Path


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.files: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet" and attrs.get("href"):
            self.files.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.files.append(attrs["src"])


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def linked(page: Path) -> list[str]:
    """The stylesheets and scripts the page loads, in order, each once."""
    links = _Links()
    links.feed(page.read_text(encoding="utf-8"))
    return list(dict.fromkeys(links.files))


def weights(page: Path) -> dict[str, int]:
    """Gzipped bytes of the page ("") and of each file it links from this site."""
    found = {"": gz(page.read_bytes())}
    for href in linked(page):
        if "://" in href:
            continue
        found[href] = gz((page.parent / href.split("?")[0]).resolve().read_bytes())
    return found


def page_weight(site: Path) -> tuple[int, str]:
    """Gzipped bytes of the first course page and what it links, and the page's path."""
    page = sorted((site / "kurser").glob("*/index.html"))[0]
    return sum(weights(page).values()), page.relative_to(site).as_posix()
