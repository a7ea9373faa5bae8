"""Rendered: one build's pages and files, made from (catalogue, brand, today) before any engine
runs. An engine (MkDocs through plugin.py, or `catalogue render` for any engine that reads a
docs folder, or the plain shell in assemble.py) only puts a shell around each body and copies
the files.

A page is its spec (render.Page: path, template, title, description) and its body, our HTML,
rendered from its template in site_templates/pages/ on demand: MkDocs asks page by page, and
`serve` asks again only for the pages an edit touches.
"""

from __future__ import annotations

from typing import Iterable

from markupsafe import Markup

from ..guides import render_body
from ..templating import make_environment
from . import RENDERERS, Asset, Build, Page, human_size, structured
from .pages import Links

# Hand-written pages that end with something made from the catalogue.
APPENDICES = {"om.md": "partials/schools.html",  # the schools and their contact
              "tilgaengelighed.md": "partials/accessibility_contact.html"}  # whom to tell


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
        for renderer in renderers:
            self.add(renderer.plan(build))

    def add(self, planned: Iterable[Page | Asset]) -> None:
        for item in planned:
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

    def appendix(self, path: str, page=None) -> str:
        """What a hand-written page gets after its own text (om.md: the schools), or ""."""
        template = APPENDICES.get(path)
        if not template:
            return ""
        return self.env.get_template(template).render(**self._common(page_url(path), page))
