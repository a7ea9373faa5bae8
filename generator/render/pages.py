"""Pages: the plan of the site's HTML. Which pages exist, at which URL, from which template in
site_templates/pages/, with which values, and the files they show (photos, guide images, the
brand's icons). The plugin hands this plan to MkDocs; nothing here writes HTML.

Templates are rendered with autoescape on (templating.make_environment), and MkDocs' own
environment too (plugin.on_env), so a value from the catalogue is text wherever it lands.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..photos import publish_photo
from ..select import Selection
from ..templating import TEMPLATES, month_name, postal_address, strings
from . import Asset, Build, Page, feed_path, offering_ics_path, pdf_path, theme_feed_path

BRAND_ASSETS = "assets/brand/"
# The site's own stylesheet and scripts (the theme's custom_dir). They are published under a
# name that carries their content's hash, so a server may let browsers keep them for a year.
OWN_ASSETS = TEMPLATES / "overrides" / "assets"
OWN_ASSET_NAMES = ("catalogue.css", "filter.js", "menu.js", "search.js")

# In the order a citizen asks: where, about what, when, for whom; then the finer choices.
FACETS = ("by", "tema", "maaned", "deltag", "for", "alder", "sprog", "form", "skole", "sted")


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
        return self.to(feed_path(school_id))

    def offering_ics(self, course, offering):
        return self.to(offering_ics_path(course, offering))

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

    def theme_feed(self, theme_id):
        return self.to(theme_feed_path(theme_id))

    @staticmethod
    def feed_subscription(site, school_id=None):
        return site.subscription(feed_path(school_id))

    @staticmethod
    def theme_subscription(site, theme_id):
        return site.subscription(theme_feed_path(theme_id))

    def page(self, path):
        return self.to(path)


def photo_path(teacher) -> str:
    return f"undervisere/{teacher.id}{PurePosixPath(teacher.photo).suffix.lower()}"


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
    if facet == "by":
        return selection.towns[value]
    if facet == "deltag":
        return t["shape"]["online"]
    if facet == "alder":
        low, _, high = value.partition("-")
        shape = t["shape"]
        if low == "fra":
            return shape["age_from"].format(low=high)
        if low == "til":
            return shape["age_to"].format(high=high)
        return shape["age_range"].format(low=low, high=high)
    if facet == "sprog":
        return strings()["languages"].get(value, value).capitalize()
    return month_name(value).capitalize()


@dataclass(frozen=True)
class Download:
    path: str  # e.g. "materialer/fem-veje-til-et-godt-liv.pdf"; its size is the asset's
    paper: str  # "a4" or "a5-booklet"


def plan(build: Build) -> list[Page | Asset]:
    t = strings()
    sel, site, root = build.selection, build.site, build.root
    facets = {f: [(v, facet_label(sel, f, v)) for v in sel.facet_values(f)] for f in FACETS}
    if len(facets["sprog"]) < 2:  # a language filter only when there is a choice
        facets["sprog"] = []
    planned: list[Page | Asset] = [
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
            planned.append(Page(f"kurser/{facet}/{value}.md", "courses.html", title,
                                t["courses"]["lead"],
                                {"courses": sel.with_facet(facet, value), "facets": facets,
                                 "active": (facet, value, label)}))
    for course in sel.courses:
        planned.append(Page(f"kurser/{course.id}.md", "course.html", course.title,
                            course.summary, {"course": course}))
    for school in sel.schools:
        title = t["calendar"]["filtered_title"].format(school=school.name)
        planned.append(Page(f"kalender/skole/{school.id}.md", "calendar.html", title,
                            t["calendar"]["lead"],
                            {"dated": tuple(d for d in sel.upcoming_sessions
                                            if school.id in d.course.school_ids),
                             "school": school}))
    for teacher in sel.teachers:
        planned.append(Page(f"undervisere/{teacher.id}.md", "teacher.html",
                            teacher.public_name(sel.today), teacher.title, {"teacher": teacher}))
    for theme in sel.themes:
        planned.append(Page(f"temaer/{theme.id}.md", "theme.html", theme.name, theme.description,
                            {"theme": theme, "courses": sel.with_facet("tema", theme.id)}))
    downloads = {g.id: [Download(pdf_path(g, paper), paper) for paper in g.formats]
                 for g in sel.guides}
    planned.append(Page("materialer/index.md", "guides.html", t["guides"]["title"],
                        t["guides"]["lead"], {"guides": sel.guides, "downloads": downloads}))
    for guide in sel.guides:
        planned.append(Page(f"materialer/{guide.id}.md", "guide.html", guide.title,
                            guide.summary, {"guide": guide, "downloads": downloads[guide.id]}))
    for venue in sel.venues:
        planned.append(Page(f"steder/{venue.id}.md", "venue.html", venue.name,
                            postal_address(venue),
                            {"venue": venue}))
    for guide in sel.guides:
        for written, _ in guide.images:
            if (root / "guides" / written).is_file():
                planned.append(Asset(f"materialer/{written}", source=root / "guides" / written))
    for teacher in sel.teachers:
        if teacher.photo_visible(sel.today):
            # Re-encoded, never copied: the source may carry EXIF with GPS (photos.py).
            planned.append(Asset(photo_path(teacher),
                                 lambda p=str(root / teacher.photo): publish_photo(p)))
    if site.brand_id is not None:
        for name, path in (("logo", site.logo), ("favicon", site.favicon)):
            planned.append(Asset(brand_asset(name, path), source=path))
    for name in OWN_ASSET_NAMES:
        planned.append(Asset(own_asset(name), source=OWN_ASSETS / name))
    return planned


def content_hash(path) -> str:
    """Eight hex digits of the file's SHA-256: in a published name, a new content is a new URL."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:8]


def hashed_name(stem: str, path) -> str:
    return f"{stem}.{content_hash(path)}{Path(path).suffix}"


def brand_asset(name: str, path) -> str:
    """Where a brand's logo or favicon is published; MkDocs' theme config points here."""
    return BRAND_ASSETS + hashed_name(name, path)


def own_asset(name: str) -> str:
    """Where catalogue.css, filter.js or search.js is published (the templates ask, on every
    page: remembered until the file changes, as it may under `serve`)."""
    return _own_asset(name, (OWN_ASSETS / name).stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _own_asset(name: str, modified: int) -> str:
    return "assets/" + hashed_name(Path(name).stem, OWN_ASSETS / name)
