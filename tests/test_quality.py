"""Quality gates over every demo brand: valid HTML, accessibility (axe-core, WCAG 2.1 A/AA),
working links, no third-party requests, a clear page structure, and use by keyboard alone.

The tools come from `make test`: Debian's chromium, and axe-core and vnu-jar from npm.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.catalogue import read_catalogue
from generator.select import Selection

from conftest import BRANDS, REPO, TODAY_DEMO, serve
from test_brands import pale_site  # noqa: F401  (a fixture: the palest brand, built)

NODE = REPO / "node_modules"
AXE = NODE / "axe-core" / "axe.min.js"
VNU = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _tool(path: Path) -> Path:
    assert path.is_file(), f"{path.relative_to(REPO)} is missing: `make test` installs it (npm ci)"
    return path


def page_kinds(brand: str, root: Path = REPO) -> list[str]:
    """One page of every kind the brand's site has."""
    catalogue = read_catalogue(root, TODAY_DEMO, use_cache=False).catalogue
    sel = Selection.for_brand(catalogue, TODAY_DEMO, catalogue.brands[brand])
    course = sel.courses[0]
    return ["", "kurser/", f"kurser/tema/{course.theme_ids[0]}/", f"kurser/{course.id}/",
            "kalender/", f"kalender/skole/{sel.schools[0].id}/", "undervisere/",
            f"undervisere/{sel.teachers[0].id}/", "temaer/", f"temaer/{sel.themes[0].id}/",
            "steder/", f"steder/{sel.venues[0].id}/", "materialer/",
            f"materialer/{sel.guides[0].id}/", "data/", "om/", "tilgaengelighed/",
            "privatliv/", "404.html"]


# --- Nu Html Checker ----------------------------------------------------------------------

def test_nu_html_checker_finds_no_errors(all_sites: Path, built: Path):
    done = subprocess.run(["java", "-jar", str(_tool(VNU)), "--skip-non-html", "--errors-only",
                           "--format", "json", str(all_sites), str(built)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    shown = [f"{m['url'].split('/out/')[-1]}:{m.get('lastLine')}: {m['message']}"
             for m in messages[:20]]
    assert messages == [], "\n".join(shown)


# --- links --------------------------------------------------------------------------------

class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "img", "script", "source"):
                self.links.append(attrs[name])


def _target(site: Path, page: Path, link: str, site_url: str) -> tuple[Path, str] | None:
    """The file and fragment a link points to inside the site, or None if it leaves it."""
    if site_url and link.startswith(site_url):
        link = "/" + link[len(site_url):]
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None  # mailto:, tel:, https://elsewhere: not this site's to check
    base = "/" + page.relative_to(site).as_posix()
    path = unquote(urlsplit(urljoin(base, link)).path)
    target = site / path.lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


@pytest.mark.parametrize("brand", BRANDS)
def test_every_internal_link_resolves(all_sites: Path, brand: str):
    site = all_sites / brand
    site_url = read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue.brands[brand].site_url
    parsed: dict[Path, _Page] = {}

    def parse(path: Path) -> _Page:
        if path not in parsed:
            parsed[path] = _Page()
            parsed[path].feed(path.read_text(encoding="utf-8"))
        return parsed[path]

    broken = []
    checked = 0
    for page in sorted(site.rglob("*.html")):
        for link in parse(page).links:
            found = _target(site, page, link, site_url)
            if found is None:
                continue
            target, fragment = found
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link} (no file)")
            elif fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                broken.append(f"{page.relative_to(site)}: {link} (no #{fragment})")
    assert checked > 1000
    assert broken == [], "\n".join(broken[:30])


# --- structure and plain language ---------------------------------------------------------

class _Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.title = ""
        self.levels: list[int] = []
        self._in_title = False
        self._in_article = 0

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "article":
            self._in_article += 1
        elif self._in_article and re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "article":
            self._in_article -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@pytest.mark.parametrize("brand", BRANDS)
def test_pages_have_one_h1_no_skipped_levels_danish_and_a_naming_title(all_sites: Path, brand):
    name = read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue.brands[brand].name
    problems = []
    for page in sorted((all_sites / brand).rglob("*.html")):
        outline = _Outline()
        outline.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(all_sites / brand).as_posix()
        if outline.lang != "da":
            problems.append(f"{where}: lang={outline.lang}")
        if page.name != "404.html":
            title = outline.title.strip()
            if not (title.endswith(f" - {name}") and len(title) > len(name) + 3):
                problems.append(f"{where}: title '{title}'")
            if outline.levels.count(1) != 1 or outline.levels[0] != 1:
                problems.append(f"{where}: {outline.levels.count(1)} h1")
        for before, after in zip(outline.levels, outline.levels[1:]):
            if after > before + 1:
                problems.append(f"{where}: h{before} then h{after}")
    assert problems == [], "\n".join(problems[:30])


# --- in the browser -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def servers(all_sites: Path):
    with contextlib.ExitStack() as stack:
        yield {brand: stack.enter_context(serve(all_sites / brand)) for brand in BRANDS}


def _axe(browser, origin: str, paths: list[str]) -> tuple[list[str], list[str], list]:
    """axe-core on every path at both viewports: (violations, requests elsewhere, cookies)."""
    axe = _tool(AXE).read_text(encoding="utf-8")
    violations, outside, cookies = [], [], []
    for size, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.on("request", lambda request: outside.append(request.url)
                if not request.url.startswith(origin + "/") else None)
        for path in paths:
            page.goto(f"{origin}/{path}", wait_until="load")
            page.add_script_tag(content=axe)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                                   WCAG)
            for violation in result["violations"]:
                for node in violation["nodes"]:
                    violations.append(f"{violation['id']} on /{path} ({size}): "
                                      f"{' '.join(node['target'])}")
        cookies += context.cookies()
        context.close()
    return violations, outside, cookies


@pytest.mark.parametrize("brand", BRANDS)
def test_axe_finds_no_wcag_violations_and_nothing_leaves_the_site(browser, servers, brand):
    violations, outside, cookies = _axe(browser, servers[brand], page_kinds(brand))
    assert cookies == [], f"cookies on {brand}"
    assert outside == [], f"requests to other origins: {outside[:10]}"
    assert violations == [], "\n".join(violations[:30])


def test_axe_finds_no_wcag_violations_on_the_palest_brand_check_allows(browser, pale_site):
    """Colours that pass `catalogue check` just barely (tests/fixtures/brands/bleg) pass axe's
    colour contrast too, on every page kind, at phone and desktop size."""
    root, site = pale_site
    with serve(site) as origin:
        violations, _, _ = _axe(browser, origin, page_kinds("bleg", root))
    assert violations == [], "\n".join(violations[:30])


def _focused(page) -> dict:
    return page.evaluate("""() => {
        const e = document.activeElement;
        const s = getComputedStyle(e);
        return {tag: e.tagName, text: (e.textContent || e.value || '').trim().slice(0, 80),
                cls: e.className || '', href: e.getAttribute('href') || '',
                value: e.getAttribute('data-value') || '',
                card: e.closest('.kk-card__title') !== null,
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                         || s.boxShadow !== 'none'};
    }""")


def _tab_to(page, wanted, limit=250) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = _focused(page)
        if wanted(now):
            assert now["outline"], f"focus is not visible on {now}"
            return now
    raise AssertionError("never reached by keyboard")


def test_keyboard_only(browser, servers):
    origin = servers["midtjylland"]
    page = browser.new_page(viewport=VIEWPORTS["desktop"], accept_downloads=True)
    page.goto(f"{origin}/kurser/")
    skip = _tab_to(page, lambda f: f["tag"] == "A", limit=1)
    assert "indhold" in skip["text"].lower(), "the first Tab reaches 'skip to content'"
    _tab_to(page, lambda f: f["tag"] == "SUMMARY")
    page.keyboard.press("Enter")
    _tab_to(page, lambda f: f["value"] == "oege-netvaerk")
    page.keyboard.press("Enter")
    assert page.url.endswith("/kurser/?tema=oege-netvaerk")
    card = _tab_to(page, lambda f: f["card"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.rstrip("/").endswith(card["href"].rstrip("/").split("/")[-1])

    # "Tilføj til kalender" downloads the offering's .ics.
    _tab_to(page, lambda f: f["href"].endswith(".ics"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".ics")

    # Search: the keyboard shortcut, typing, then Tab to the first result (past the filters).
    page.goto(f"{origin}/")
    page.keyboard.press("s")
    page.keyboard.type("mindfulness")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    _tab_to(page, lambda f: "pagefind-ui__result-link" in f["cls"], limit=30)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "mindfulness" in page.content().lower() and page.url != f"{origin}/"
    page.close()
