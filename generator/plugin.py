"""The MkDocs plugin: MkDocs (or ProperDocs) assembles what render.rendered.Rendered made from
the catalogue. Everything MkDocs- or Material-specific lives here and in the theme overrides
(site_templates/overrides/); the pages' bodies, titles, structured data and every file are
the renderers'. One MkDocs event per step:

    on_startup       note whether MkDocs serves (PDFs are then deferred) or builds
    on_config        where the catalogue is; the site's name and address
    on_pre_build     read and check the catalogue; stop on any error, with the same messages
    on_files         run the renderers (render.RENDERERS: print, pages, search, calendars,
                     structured, open data) and add their pages and files (in memory; the
                     sources are untouched)
    on_nav           keep the menu: `serve` re-renders a few pages after an edit (refresh)
    on_page_markdown give MkDocs the page's title and description as escaped text
    on_env           turn on autoescape in the theme's templates; give them the Danish strings
                     (and Pagefind's, for the search dialog); keep it for refresh
    on_page_content  a generated page's body (Rendered.body), or a hand-written page's appendix
    on_page_context  mark the page's rendered HTML as safe for the autoescaping theme
    on_post_page     mend Material's markup: `autocomplete` on checkboxes (invalid HTML)
    on_post_template the same for 404.html, which is not a page
    on_post_build    leave the marker that lets the next build replace this site (publish.MARKER)
    on_serve         watch every source folder (courses/ … guides/, sites/), whatever mkdocs.yml says

Every value from the catalogue reaches MkDocs and Material as text: the theme's environment
escapes whatever it prints, and only HTML our own autoescaped templates made is marked safe.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import yaml
from markupsafe import Markup, escape
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from . import diagnostics as diag
from .brands import BrandError, read_brand, site_for
from .catalogue import SOURCE_DIRS, Result, find_root, read_catalogue
from .dates import resolve_today
from .render import Asset, Build, Page, Site
from .render.opendata import PackageInvalid
from .render.pages import brand_asset, own_asset
from .render.rendered import Change, Rendered, refresh, refresh_later
from .select import Selection
from .templating import make_environment, strings
# MkDocs ends a build that a plugin stopped with this line, after our Danish message.
_ENGLISH = {"Aborted with a BuildError!"}
_TOC_LABEL = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.S)
_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*type="checkbox"[^>]*?)\s+autocomplete="[^"]*"')

# `catalogue build` and `serve` have already read and reported the catalogue; they leave the
# result here so the plugin does not read it a second time in the same process. The next build
# takes it (and clears it).
_preloaded: Result | None = None


class _OnlyDanish(logging.Filter):
    def filter(self, record):
        return record.getMessage() not in _ENGLISH


logging.getLogger("mkdocs.commands.build").addFilter(_OnlyDanish())


class _Stop(Abort):
    """Stops a build with our Danish words. MkDocs turns a PluginError into "Aborted with a
    BuildError!" and logs our words where `catalogue build` does not show them; an Abort
    reaches the caller (and `mkdocs build`'s own output) as it is."""


def front_matter(page: Page) -> str:
    """A generated page as MkDocs reads it: front matter only; the body is ours (on_page_content)."""
    meta = {"title": page.title}
    if page.description:
        meta["description"] = page.description
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


def preload(result: Result | None) -> None:
    global _preloaded
    _preloaded = result


class CatalogueConfig(Config):
    root = config_options.Optional(config_options.Type(str))
    today = config_options.Optional(config_options.Type(str))
    site = config_options.Optional(config_options.Type(str))  # a brand: sites/<site>/brand.yaml
    logo = config_options.Optional(config_options.Type(str))  # for print; relative to mkdocs.yml
    primary_color = config_options.Type(str, default="#0b5560")
    accent_color = config_options.Type(str, default="#8a3b12")


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    serving = False
    command_today = None  # the --today of `catalogue build`/`serve`, kept for serve's rebuilds

    def on_startup(self, command, dirty):
        # Defining on_startup also keeps this one plugin object across the rebuilds of `serve`.
        self.serving = command == "serve"

    def on_serve(self, server, config, builder):
        for folder in SOURCE_DIRS:
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server

    def on_post_build(self, config):
        if not self.serving:  # the mark that lets the next build replace this folder
            from .publish import MARKER, MARKER_TEXT

            Path(config.site_dir, MARKER).write_text(MARKER_TEXT, encoding="utf-8")

    def on_config(self, config):
        base = Path(config.config_file_path or ".").parent
        self.root = find_root(base / self.config.root if self.config.root else base)
        self.brand = None
        if self.config.site:
            try:
                self.brand = read_brand(self.root, self.config.site)
            except BrandError as error:
                raise _Stop(f"Brandet '{self.config.site}' kan ikke bruges:\n{error}")
            self.site = site_for(self.brand, self.root, config.site_description or "")
            # The brand decides what MkDocs and Material show: name, address, language, icons.
            config.site_name = self.site.name
            config.site_url = self.site.url
            config.theme["language"] = self.site.language
            config.theme["logo"] = brand_asset("logo", self.site.logo)
            config.theme["favicon"] = brand_asset("favicon", self.site.favicon)
        else:
            url = config.site_url or ""
            self.site = Site(config.site_name, url if not url or url.endswith("/") else url + "/",
                             config.site_description or "",
                             logo=(base / self.config.logo).resolve() if self.config.logo else None,
                             primary=self.config.primary_color, accent=self.config.accent_color)
        self.env = make_environment()
        if not self.serving:  # `mkdocs build` empties site_dir first: never a source folder
            from .publish import UnsafeOutput, check_location, check_replaceable

            try:
                check_replaceable(check_location(self.root, Path(config.site_dir),
                                                 allowed=(base / "site",)), config.site_dir)
            except UnsafeOutput as error:
                raise PluginError(f"site_dir: {error}")
        return config

    def on_pre_build(self, config):
        global _preloaded
        today = resolve_today(self.config.today)
        if _preloaded is not None and _preloaded.context.root == self.root \
                and (self.config.today is None or _preloaded.context.today == today):
            # The command's --today wins over SOURCE_DATE_EPOCH, as in its check. Used once:
            # under `serve` the next rebuild follows an edit, so it reads again.
            result, _preloaded = _preloaded, None
            today = self.command_today = result.context.today
        else:
            if self.config.today is None and self.command_today is not None:
                today = self.command_today  # a rebuild under `serve --today`
            result = read_catalogue(self.root, today)
            errors, _ = diag.count(result.diagnostics)
            if errors:
                raise _Stop("Kataloget har fejl:\n"
                                  + diag.format_text(result.diagnostics, result.files))
        brand = result.catalogue.brands.get(self.config.site) if self.config.site else None
        self.selection = Selection.for_brand(result.catalogue, today, brand)

    def on_files(self, files, config):
        self.build = Build(self.selection, self.site, self.root, draft=self.serving)
        try:
            self.rendered = Rendered(self.build, env=self.env)
        except PackageInvalid as error:
            raise _Stop(f"De åbne data er ikke gyldige (frictionless):\n{error}")
        for page in self.rendered.pages.values():
            self._add(files, self._page_file(config, page))
        for asset in self.rendered.assets.values():
            self._add(files, self._asset_file(config, asset))
        self.files = files
        return files

    @staticmethod
    def _page_file(config, page: Page) -> File:
        # MkDocs renders the whole nav into every page: with every course in it, the build
        # grows with the square of the catalogue. Only index pages may join the nav.
        inclusion = InclusionLevel.UNDEFINED if page.path.endswith("index.md") \
            else InclusionLevel.NOT_IN_NAV
        return File.generated(config, page.path, content=front_matter(page), inclusion=inclusion)

    @staticmethod
    def _asset_file(config, asset: Asset) -> File:
        if asset.content is None:
            return File.generated(config, asset.path, abs_src_path=str(asset.source))
        return File.generated(config, asset.path, content=asset.read())

    @staticmethod
    def _add(files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:  # a hand-written page of the same name wins; say so
            raise _Stop(f"docs/{file.src_uri} findes både som håndskrevet side og som "
                              f"side, kataloget laver. Omdøb eller slet den håndskrevne.")
        files.append(file)

    def on_nav(self, nav, config, files):
        self.nav = nav
        return nav

    def refresh(self, config, result: Result) -> Change | None:
        """Under `serve`, after an edit: write into the site folder only the pages and files
        the edit touches (render.rendered.refresh), as the full build would write them. None
        when the edit cannot be limited; then the caller builds everything."""
        brand = result.catalogue.brands.get(self.config.site) if self.config.site else None
        selection = Selection.for_brand(result.catalogue, result.context.today, brand)
        build = Build(selection, self.site, self.root, draft=self.serving)
        change = refresh(self.rendered, build)
        if change is not None:
            self.selection, self.build = selection, build
            self._write(config, change)
        return change

    def refresh_later(self, config) -> Change:
        """The search index and open data for the last refresh, once the browser has reloaded."""
        change = refresh_later(self.rendered)
        self._write(config, change)
        return change

    def _write(self, config, change: Change) -> None:
        from mkdocs.commands.build import _build_page, _populate_page

        site = Path(config.site_dir)
        for path in change.removed:
            (site / path).unlink(missing_ok=True)
        for path in sorted(change.assets):
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.rendered.assets[path].read())
        doc_files = self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for path in sorted(change.pages):
            file = self.files.get_file_from_path(path)
            file.content_string = front_matter(self.rendered.pages[path])
            _populate_page(file.page, config, self.files)
            _build_page(file.page, config, doc_files, self.nav, self.theme_env)

    def on_post_page(self, output, page, config):
        return self._mend_material(output)

    def on_post_template(self, output_content, template_name, config):
        return self._mend_material(output_content)  # 404.html

    @staticmethod
    def _mend_material(html: str) -> str:
        # Material writes autocomplete="off" on the checkboxes behind its drawer and search
        # (HTML allows it on text-like inputs only).
        html = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
        # A page outside the menu (the footer's Tilgængelighed, Privatliv) has no __toc toggle
        # in the menu, so the contents' title must not be a label for it.
        if 'id="__toc"' not in html:
            html = _TOC_LABEL.sub(r'<div class="md-nav__title">\1</div>', html)
        return html

    def on_page_markdown(self, markdown, page, config, files):
        # Material prints the title and description as they are, and so does the search index;
        # as escaped Markup they are text everywhere, and `| e` in a template keeps them so.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape(page.meta[key])
        return markdown

    def on_env(self, env, config, files):
        # MkDocs makes the theme's environment without autoescape. With it, nothing a template
        # prints from the catalogue can become markup; what is HTML on purpose is Markup.
        env.autoescape = True
        self.theme_env = env
        env.globals["t"] = self.env.globals["t"]
        env.globals["catalogue_site"] = self.site
        env.globals["catalogue_jsonld"] = self._jsonld
        env.globals["catalogue_asset"] = own_asset  # hashed names: main.html, search.html
        env.globals["search_translations"] = strings()["search"]["ui"]
        return env

    def on_page_context(self, context, page, config, nav):
        page.content = Markup(page.content or "")
        return context

    def _jsonld(self, page) -> Markup:
        """Structured data for the page's <head> (main.html asks); empty for most pages."""
        return self.rendered.jsonld(page.file.src_uri if page and page.file else None)

    def on_page_content(self, html, page, config, files):
        path = page.file.src_uri
        if path in self.rendered.pages:
            # Material offers "skip to content" only for pages with a table of contents, and
            # a generated page has no Markdown to make one from: give it one entry, its h1.
            page.toc = get_toc([{"level": 1, "id": "indhold", "name": page.title,
                                 "children": []}])
            return self.rendered.body(path, page)
        own = self.rendered.own_page(path, page)
        if own:  # a brand's own text (texts.py) in place of the page's Markdown
            page.toc = get_toc([{"level": 1, "id": "indhold", "name": page.title,
                                 "children": []}])
            html = own
        return html + self.rendered.appendix(path, page)
