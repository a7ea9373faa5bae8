"""Render, part 1: the plan of the site. Which pages and files exist, at which URL, from which
template, with which values. The plugin hands this plan to MkDocs; nothing here writes HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .select import Selection
from .templating import month_name, strings

FACETS = ("tema", "for", "skole", "sted", "maaned", "form")


@dataclass(frozen=True)
class Site:
    """The build as a whole: name, address, logo and colours. Pages, calendars and the print
    templates read these from here and nowhere else (a brand will set them)."""

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

    def absolute(self, path: str) -> str | None:
        return self.url + path if self.url else None

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.url).hostname or "recoveryskole.invalid"


@dataclass(frozen=True)
class Page:
    path: str  # source path for MkDocs, e.g. "kurser/fem-veje.md" -> /kurser/fem-veje/
    template: str  # in site_templates/pages/
    title: str
    description: str = ""
    context: dict[str, Any] = field(default_factory=dict, compare=False)
    searchable: bool = True  # filtered views repeat other pages; search finds the originals


@dataclass(frozen=True)
class Asset:
    """A file that is not a page: a calendar or a photo."""

    path: str
    content: Callable[[], bytes] | None = None  # made when MkDocs asks for it
    source: Path | None = None  # or copied from here


class Links:
    """URLs of everything, relative to the page being rendered, so a site works in any folder.

    Every link is the way up to the site's root and down again ("../../kurser/x/"): a little
    longer than the shortest path, but the same for every page at the same depth, which lets
    a course card be rendered once per depth instead of once per page.
    """

    def __init__(self, page_url: str):
        self.prefix = "../" * page_url.count("/")

    def to(self, target: str) -> str:
        return self.prefix + target if self.prefix or target else "./"

    def courses(self):
        return self.to("kurser/")

    def course(self, course):
        return self.to(f"kurser/{course.id}/")

    def facet(self, facet, value):
        return self.to(f"kurser/{facet}/{value}/")

    def calendar(self, school_id=None):
        return self.to(f"kalender/skole/{school_id}/" if school_id else "kalender/")

    def calendar_feed(self, school_id=None):
        return self.to(f"kalender/{school_id}.ics" if school_id else "kalender.ics")

    def offering_ics(self, course, offering):
        return self.to(f"kurser/{course.id}/{offering.key}.ics")

    def teachers(self):
        return self.to("undervisere/")

    def teacher(self, teacher):
        return self.to(f"undervisere/{teacher.id}/")

    def photo(self, teacher):
        return self.to(photo_path(teacher))

    def themes(self):
        return self.to("temaer/")

    def theme(self, theme_id):
        return self.to(f"temaer/{theme_id}/")

    def venue(self, venue_id):
        return self.to(f"steder/{venue_id}/")

    def page(self, path):
        return self.to(path)


def photo_path(teacher) -> str:
    return f"undervisere/{teacher.id}{Path(teacher.photo).suffix.lower()}"


def facet_label(selection: Selection, facet: str, value: str) -> str:
    t = strings()
    catalogue = selection.catalogue
    if facet == "tema":
        return catalogue.themes[value].name
    if facet == "for":
        return t["audience"][value]
    if facet == "form":
        return t["formats"][value]
    if facet == "skole":
        return catalogue.schools[value].name
    if facet == "sted":
        return catalogue.venues[value].name
    return month_name(value).capitalize()


@dataclass(frozen=True)
class Download:
    path: str  # e.g. "materialer/fem-veje-til-et-godt-liv.pdf"
    paper: str  # "a4" or "a5-booklet"
    size: str  # "312 kB"


def pdf_path(guide, paper: str) -> str:
    """A4 (or the only format) at /materialer/<guide>.pdf; the A5 booklet beside it."""
    first = "a4" if "a4" in guide.formats else guide.formats[0]
    return f"materialer/{guide.id}.pdf" if paper == first else f"materialer/{guide.id}-a5.pdf"


def plan_pages(selection: Selection, site_name: str,
               downloads: dict[str, list[Download]] | None = None,
               catalogue_size: str = "") -> list[Page]:
    t = strings()
    sel = selection
    facets = {f: [(v, facet_label(sel, f, v)) for v in sel.facet_values(f)] for f in FACETS}
    pages = [
        Page("index.md", "home.html", t["home"]["title"], t["home"]["lead"]),
        Page("kurser/index.md", "courses.html", t["courses"]["title"], t["courses"]["lead"],
             {"courses": sel.courses, "facets": facets, "active": None}),
        Page("kalender/index.md", "calendar.html", t["calendar"]["title"], t["calendar"]["lead"],
             {"dated": sel.upcoming_sessions, "school": None}),
        Page("undervisere/index.md", "teachers.html", t["teachers"]["title"],
             t["teachers"]["lead"]),
        Page("temaer/index.md", "themes.html", t["themes"]["title"], t["themes"]["lead"]),
        Page("steder/index.md", "venues.html", t["venues"]["title"], t["venues"]["lead"]),
    ]
    for facet, values in facets.items():
        for value, label in values:
            title = t["courses"]["filtered_title"].format(value=label)
            pages.append(Page(f"kurser/{facet}/{value}.md", "courses.html", title,
                              t["courses"]["lead"],
                              {"courses": sel.with_facet(facet, value), "facets": facets,
                               "active": (facet, value, label)}, searchable=False))
    for course in sel.courses:
        pages.append(Page(f"kurser/{course.id}.md", "course.html", course.title, course.summary,
                          {"course": course}))
    for school in sel.schools:
        title = t["calendar"]["filtered_title"].format(school=school.name)
        pages.append(Page(f"kalender/skole/{school.id}.md", "calendar.html", title,
                          t["calendar"]["lead"],
                          {"dated": tuple(d for d in sel.upcoming_sessions
                                          if d.course.school_id == school.id),
                           "school": school}, searchable=False))
    for teacher in sel.teachers:
        pages.append(Page(f"undervisere/{teacher.id}.md", "teacher.html",
                          teacher.public_name(sel.today), teacher.title, {"teacher": teacher}))
    for theme in sel.themes:
        pages.append(Page(f"temaer/{theme.id}.md", "theme.html", theme.name, theme.description,
                          {"theme": theme, "courses": sel.with_facet("tema", theme.id)}))
    from .opendata import SCHEMAS, TITLES

    pages.append(Page("data/index.md", "opendata.html", t["opendata"]["title"],
                      t["opendata"]["lead"], {"schemas": SCHEMAS, "titles": TITLES}))
    downloads = downloads or {}
    pages.append(Page("materialer/index.md", "guides.html", t["guides"]["title"],
                      t["guides"]["lead"], {"guides": sel.guides, "downloads": downloads,
                                           "catalogue_size": catalogue_size}))
    for guide in sel.guides:
        pages.append(Page(f"materialer/{guide.id}.md", "guide.html", guide.title, guide.summary,
                          {"guide": guide, "downloads": downloads.get(guide.id, [])}))
    for venue in sel.venues:
        pages.append(Page(f"steder/{venue.id}.md", "venue.html", venue.name,
                          f"{venue.address}, {venue.postal_code} {venue.city}",
                          {"venue": venue}))
    return pages


def plan_assets(selection: Selection, site: "Site", root: Path) -> list[Asset]:
    from .calendars import Calendars
    from .photos import publish_photo

    sel = selection
    calendars = Calendars(sel, site)
    assets = [Asset("kalender.ics", lambda: calendars.feed(sel.upcoming_sessions, site.name))]
    for school in sel.schools:
        dated = tuple(d for d in sel.upcoming_sessions if d.course.school_id == school.id)
        assets.append(Asset(f"kalender/{school.id}.ics",
                            lambda d=dated, s=school: calendars.feed(d, s.name)))
    for course in sel.courses:
        for offering in sel.upcoming(course):
            assets.append(Asset(f"kurser/{course.id}/{offering.key}.ics",
                                lambda c=course, o=offering: calendars.offering(c, o)))
    for guide in sel.guides:
        for written, _ in guide.images:
            if (root / "guides" / written).is_file():
                assets.append(Asset(f"materialer/{written}", source=root / "guides" / written))
    for teacher in sel.teachers:
        if teacher.photo_visible(sel.today):
            # Re-encoded, never copied: the source may carry EXIF with GPS (photos.py).
            assets.append(Asset(photo_path(teacher),
                                lambda p=str(root / teacher.photo): publish_photo(p)))
    return assets
