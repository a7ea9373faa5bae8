"""Render: the five outputs of one build, each a plan of pages and files.

Every renderer module offers `plan(build) -> list[Page | Asset]` and owns the one way its format
is serialised, which is also where its escaping lives:

    print       PDFs of the guides and the term catalogue   Jinja2 (autoescape) → WeasyPrint
    pages       HTML pages, photos and the brand's icons      Jinja2 (autoescape) → MkDocs + Material
    calendars   .ics files and feeds                          icalendar (RFC 5545 escaping)
    structured  schema.org JSON-LD in the course pages        json, with <, >, & and U+2028/9 escaped
    opendata    the Frictionless Data Package                 csv, formula cells neutralised

`RENDERERS` lists them in build order: print first, because the pages that offer the PDFs show
their sizes. Siblings import only this package's root, never each other, so the import graph
stays one-way: model → select → render/* → plugin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from markupsafe import Markup

from ..model import WAS_TOOL
from ..templating import render_markdown
from ..texts import shift_for
from ..select import Selection


@dataclass(frozen=True)
class Site:
    """The build as a whole: name, address, logo and colours. Every output reads these from
    here and nowhere else (a brand sets them)."""

    name: str
    url: str = ""  # absolute, with a trailing slash; empty when unknown
    description: str = ""
    logo: Path | None = None  # SVG or PNG
    primary: str = "#0b5560"
    accent: str = "#8a3b12"
    favicon: Path | None = None
    municipality: str = ""
    contact: Any = None  # model.Contact of whoever runs this build
    footer: str = ""
    language: str = "da"
    privacy_url: str | None = None  # the brand's own pages, if it has them
    accessibility_url: str | None = None
    brand_id: str | None = None
    calendar_reminder: bool = True  # VALARM one day before each session
    teacher_guides: bool = True  # guides for teachers are listed, apart from the citizens'
    texts: tuple[tuple[str, str], ...] = ()  # the brand's own words (texts.py)

    def text(self, name: str, top: int = 2) -> Markup:
        """The brand's own text of that name as sanitised HTML, its highest heading an h<top>;
        empty when the brand has none (the template then shows the default)."""
        written = dict(self.texts).get(name, "")
        return render_markdown(written, shift_for(written, top)) if written else Markup("")

    def absolute(self, path: str) -> str | None:
        return self.url + path if self.url else None

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or "recoveryskole.invalid"

    def subscription(self, path: str) -> str | None:
        """A feed as webcal://: a phone then subscribes (and gets cancellations) instead of
        importing a copy once. Only for an https site, which the calendar app will fetch."""
        if self.url.startswith("https://"):
            return "webcal://" + self.url.removeprefix("https://") + path
        return None

    @property
    def accessibility_statement(self) -> str | None:
        """The statement the law asks for: a Danish public body publishes it in
        Digitaliseringsstyrelsen's WAS-Tool, at was.digst.dk/<domain>, unless the brand names
        another address. None for a build without a public https address."""
        if self.accessibility_url:
            return self.accessibility_url
        if self.url.startswith("https://"):
            return WAS_TOOL + self.host
        return None


@dataclass(frozen=True)
class Build:
    """What every renderer is given: the selection, the site, and where the sources are."""

    selection: Selection
    site: Site
    root: Path
    draft: bool = False  # `serve`: a PDF not in the cache may be a placeholder; never in `build`


@dataclass(frozen=True)
class Page:
    path: str  # source path for MkDocs, e.g. "kurser/fem-veje.md" -> /kurser/fem-veje/
    template: str  # in site_templates/pages/
    title: str
    description: str = ""
    context: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Asset:
    """A file that is not a page: bytes made now or when asked for, or a file copied as is."""

    path: str
    content: bytes | Callable[[], bytes] | None = None
    source: Path | None = None

    def read(self) -> bytes:
        if callable(self.content):
            return self.content()
        return self.content if self.content is not None else self.source.read_bytes()


# --- paths more than one renderer needs ------------------------------------------------------

def pdf_path(guide, paper: str) -> str:
    """A4 (or the only format) at /materialer/<guide>.pdf; the A5 booklet beside it."""
    first = "a4" if "a4" in guide.formats else guide.formats[0]
    return f"materialer/{guide.id}.pdf" if paper == first else f"materialer/{guide.id}-a5.pdf"


CATALOGUE_PDF = "kursuskatalog.pdf"


def offering_ics_path(course, offering) -> str:
    """kurser/<course>/<course>-<first date>.ics: the file lands in Downloads under a name that
    says which course and when, and two courses' files never collide. Two offerings of one
    course starting the same day (at two venues) add the offering's key."""
    day = offering.first_date.isoformat()
    twin = any(o is not offering and o.first_date == offering.first_date
               for o in course.offerings)
    return f"kurser/{course.id}/{course.id}-{day}{'-' + offering.key if twin else ''}.ics"


def feed_path(school_id: str | None = None) -> str:
    return f"kalender/{school_id}.ics" if school_id else "kalender.ics"


def theme_feed_path(theme_id: str) -> str:
    return f"kalender/tema/{theme_id}.ics"


def human_size(size: int) -> str:
    """'312 kB' in Danish style."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


# The renderers import the names above, so they are imported after them.
from . import calendars, opendata, pages, print, search, structured  # noqa: E402

RENDERERS = (print, pages, search, calendars, structured, opendata)
