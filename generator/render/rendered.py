"""Rendered: one build's pages and files, made from (catalogue, brand, today) before any engine
runs. An engine (MkDocs through plugin.py, or `catalogue render` for any engine that reads a
docs folder, or the plain shell in assemble.py) only puts a shell around each body and copies
the files.

A page is its spec (render.Page: path, template, title, description) and its body, our HTML,
rendered from its template in site_templates/pages/ on demand: MkDocs asks page by page, and
`serve` asks again only for the pages an edit touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from markupsafe import Markup

from ..guides import render_body
from ..templating import make_environment
from . import RENDERERS, Asset, Build, Page, human_size, structured
from .pages import Links

# Hand-written pages that end with something made from the catalogue.
APPENDICES = {"om.md": "partials/schools.html",  # the schools and their contact
              "tilgaengelighed.md": "partials/accessibility_contact.html",  # whom to tell
              "privatliv.md": "partials/privacy_contact.html"}  # whom to ask, and the DPO
OWN_PAGES = {"om.md": "om"}  # a brand's own text (texts.py) in place of the page's Markdown


def page_url(path: str) -> str:
    """The URL (relative to the site's root) MkDocs gives a docs path, with directory URLs:
    "index.md" -> "", "kurser/index.md" -> "kurser/", "kurser/x.md" -> "kurser/x/"."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[:-len("index")]
    return stem + "/"


class Rendered:
    def __init__(self, build: Build, renderers: Iterable = RENDERERS, env=None):
        self.build = build
        self.env = env or make_environment()
        self.pages: dict[str, Page] = {}
        self.assets: dict[str, Asset] = {}
        self.cards: dict[tuple, Markup] = {}
        self.agenda: dict[tuple, Markup] = {}
        self.origin: dict[str, str] = {}  # path -> the renderer that made it ("search", …)
        self.stale: set[str] = set()  # files refresh left for refresh_later to write
        for renderer in renderers:
            self.add(renderer, renderer.plan(build))

    def add(self, renderer, planned: Iterable[Page | Asset]) -> None:
        name = renderer.__name__.rpartition(".")[2]
        for item in planned:
            self.origin[item.path] = name
            if isinstance(item, Page):
                self.pages[item.path] = item
            else:
                self.assets[item.path] = item

    @property
    def selection(self):
        return self.build.selection

    def card(self, links: Links, course, heading: str) -> Markup:
        """A course card, rendered once for each depth of page it appears on."""
        key = (course.id, links.prefix, heading)
        if key not in self.cards:
            self.cards[key] = Markup(self.env.get_template("partials/card.html").render(
                sel=self.selection, links=links, course=course, heading=heading))
        return self.cards[key]

    def agenda_item(self, links: Links, item) -> Markup:
        """One session's line in a calendar page, rendered once for each depth of page: the
        calendar lists every session, and `serve` renders it again after each edit."""
        session = item.session
        key = (item.course.id, item.offering.key, session.date, session.start, links.prefix)
        if key not in self.agenda:
            self.agenda[key] = Markup(self.env.get_template("partials/agenda_item.html").render(
                sel=self.selection, links=links, item=item))
        return self.agenda[key]

    def size(self, path: str) -> str:
        """The size of a planned file, as a download link shows it."""
        asset = self.assets[path]
        return human_size(len(asset.read()) if asset.content is not None
                          else asset.source.stat().st_size)

    def jsonld(self, path: str | None) -> Markup:
        """Structured data for the page's <head>; empty for most pages."""
        return structured.head(self.build, self.pages.get(path) if path else None)

    def _common(self, url: str, page) -> dict:
        links = Links(url)
        return {"sel": self.selection, "site": self.build.site, "links": links, "page": page,
                "card": lambda course, heading="h3": self.card(links, course, heading),
                "agenda_item": lambda item: self.agenda_item(links, item),
                "size": self.size}

    def body(self, path: str, page=None) -> str:
        """A generated page's body. `page` is what templates see as `page` (they read its
        title); MkDocs passes its own page object, others the spec."""
        spec = self.pages[path]
        common = self._common(page_url(path), page or spec)
        if spec.template == "guide.html":
            sel, links = self.selection, common["links"]
            guide = spec.context["guide"]
            body = render_body(guide.body, lambda name, argument: self.env.get_template(
                f"partials/guide_{name}.html").render(
                    **common, argument=argument,
                    courses=sel.with_facet("tema", argument) if name == "kurser" else ()),
                lambda written: links.page(f"materialer/{written}"))
            return self.env.get_template(spec.template).render(**common, **spec.context,
                                                               body=body)
        return self.env.get_template(spec.template).render(**common, **spec.context)

    def own_page(self, path: str, page=None) -> str:
        """A hand-written page's text as the brand wrote it in its own folder, or ""."""
        own = self.build.site.text(OWN_PAGES.get(path, ""), 2)
        if not own:
            return ""
        return self.env.get_template("partials/own_page.html").render(
            **self._common(page_url(path), page), own=own)

    def appendix(self, path: str, page=None) -> str:
        """What a hand-written page gets after its own text (om.md: the schools), or ""."""
        template = APPENDICES.get(path)
        if not template:
            return ""
        return self.env.get_template(template).render(**self._common(page_url(path), page))


@dataclass(frozen=True)
class Change:
    """What an edit touched, as Rendered.refresh found it: the pages to render again, the files
    to write again and the files that are gone."""

    pages: frozenset[str]
    assets: frozenset[str]
    removed: frozenset[str]


# Renderers whose output no page shows at once: `serve` makes them after the browser has
# reloaded (search, open data, and the calendar feeds, which hold every session), or not at
# all until the next full build (print: PDFs stay deferred while serving, and the pages keep
# the sizes they showed).
LATER = ("search", "opendata")
KEPT = ("print",)


def _ids(courses) -> set[str]:
    return {course.id for course in courses}


class _Limits(Exception):
    """The edit cannot be limited to some pages: build everything."""


def refresh(rendered: Rendered, build: Build) -> Change | None:
    """Bring `rendered` up to date with a new build of the same site after an edit, and say
    which pages and files changed; None when the edit cannot be limited (a school, venue,
    theme, guide or brand changed, a course or teacher came or went): then build everything.

    A course page shows its own course (with its school, venues, teachers, themes, guides); a
    listing shows the courses in its context. So an edit to courses and teachers touches the
    changed courses' pages, the listings that show one of them before or after, and every
    page that is not one course's, teacher's, theme's, venue's or school's (the indexes, the
    home page, the guides): few, whatever the size of the catalogue."""
    try:
        return _refresh(rendered, build)
    except _Limits:
        return None


def _refresh(rendered: Rendered, build: Build) -> Change:
    from . import calendars, pages

    old_sel, new_sel = rendered.selection, build.selection
    old, new = old_sel.catalogue, new_sel.catalogue
    if old_sel.today != new_sel.today or build.site != rendered.build.site:
        raise _Limits
    for name in ("schools", "venues", "themes", "guides", "brands"):
        if getattr(old, name) != getattr(new, name):
            raise _Limits
    if old.courses.keys() != new.courses.keys() or old.teachers.keys() != new.teachers.keys():
        raise _Limits
    teachers = {i for i in new.teachers if old.teachers[i] != new.teachers[i]}
    changed = {i for i in new.courses if old.courses[i] != new.courses[i]}
    for i in teachers:
        changed |= _ids(old_sel.courses_of(old.teachers[i])) | _ids(new_sel.courses_of(new.teachers[i]))

    from_pages, from_calendars = pages.plan(build), calendars.plan(build)
    planned = from_pages + from_calendars
    new_pages = {p.path: p for p in planned if isinstance(p, Page)}
    kept = {path: page for path, page in rendered.pages.items()
            if rendered.origin[path] in LATER}  # made by refresh_later
    if new_pages.keys() | kept.keys() != rendered.pages.keys():
        raise _Limits

    def shows(courses_before, courses_after) -> bool:
        return bool(changed & (_ids(courses_before) | _ids(courses_after)))

    touched = set()
    for path, after in new_pages.items():
        before = rendered.pages[path]
        if (before.title, before.description) != (after.title, after.description):
            touched.add(path)
        elif after.template == "course.html":
            if after.context["course"].id in changed:
                touched.add(path)
        elif after.template == "theme.html" or (after.template == "courses.html"
                                                 and after.context["active"]):
            if before.context.get("facets") != after.context.get("facets") or shows(
                    before.context["courses"], after.context["courses"]):
                touched.add(path)
        elif after.template == "calendar.html" and after.context["school"] is not None:
            if shows((d.course for d in before.context["dated"]),
                     (d.course for d in after.context["dated"])):
                touched.add(path)
        elif after.template == "teacher.html":
            teacher = after.context["teacher"]
            if teacher.id in teachers or shows(old_sel.courses_of(old.teachers[teacher.id]),
                                               new_sel.courses_of(teacher)):
                touched.add(path)
        elif after.template == "venue.html":
            venue = after.context["venue"].id
            if shows(old_sel.with_facet("sted", venue), new_sel.with_facet("sted", venue)):
                touched.add(path)
        else:  # the indexes, the home page, the guides: always, and few
            touched.add(path)

    before_assets = rendered.assets
    new_assets = {a.path: a for a in planned if isinstance(a, Asset)}
    ours = {path for path in before_assets if rendered.origin[path] not in LATER + KEPT}
    removed = ours - new_assets.keys()
    written = set()
    for path, asset in new_assets.items():
        if path.startswith("kalender"):  # the feeds: every session, so refresh_later
            rendered.stale.add(path)
        elif path not in before_assets \
                or any(path.startswith(f"kurser/{i}/") for i in changed) \
                or any(path.startswith(f"undervisere/{i}.") for i in teachers):
            written.add(path)
    rendered.build = build
    # A card shows its course, with its school and venues (which did not change here).
    rendered.cards = {key: card for key, card in rendered.cards.items() if key[0] not in changed}
    rendered.agenda = {key: line for key, line in rendered.agenda.items()
                       if key[0] not in changed}
    for path in removed:
        del rendered.origin[path], rendered.assets[path]
    rendered.add(pages, from_pages)
    rendered.add(calendars, from_calendars)
    return Change(frozenset(touched), frozenset(written), frozenset(removed))


def refresh_later(rendered: Rendered) -> Change:
    """The search index, the open data and the calendar feeds for the build `refresh` last
    took: the files whose bytes changed, the files that are gone (Pagefind names files by their content), and the
    open-data page, whose sizes change with them."""
    from . import opendata, search

    before = {path: rendered.assets[path] for path, name in rendered.origin.items()
              if name in LATER and path in rendered.assets}
    touched, written, made = set(), set(), set()
    for renderer in (search, opendata):
        planned = renderer.plan(rendered.build)
        rendered.add(renderer, planned)
        for item in planned:
            made.add(item.path)
            if isinstance(item, Page):
                touched.add(item.path)
            elif item.path not in before or before[item.path].read() != item.read():
                written.add(item.path)
    removed = before.keys() - made
    written |= {path for path in rendered.stale if path in rendered.assets}
    rendered.stale.clear()
    for path in removed:
        del rendered.origin[path], rendered.assets[path]
    return Change(frozenset(touched), frozenset(written), frozenset(removed))
