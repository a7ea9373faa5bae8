"""Branded builds: every brand builds, looks like itself, and shows no other school's courses."""

from __future__ import annotations

import colorsys
import re
import shutil
import subprocess
import sys
from pathlib import Path

import material
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from generator import colours, logos
from generator.catalogue import read_catalogue
from generator.select import Selection

from conftest import BRANDS, REPO, TODAY_DEMO, copy_catalogue, run, serve

TEXT_SUFFIXES = {".html", ".json", ".xml", ".ics", ".js", ".txt"}


@pytest.fixture(scope="module")
def catalogue():
    return read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue


def test_demo_brands_exist():
    assert {"randers", "aarhus", "viborg"} <= set(BRANDS)
    assert "midtjylland" in BRANDS  # the regional catalogue, every school


def test_all_sites_builds_exactly_the_brands(all_sites: Path, all_sites_output: str):
    assert [line.split()[0] for line in all_sites_output.splitlines() if line.startswith("[")] \
        == [f"[{n}/{len(BRANDS)}]" for n in range(1, len(BRANDS) + 1)], "progress is shown"
    assert sorted(p.name for p in all_sites.iterdir()) == BRANDS
    for name in BRANDS:
        assert (all_sites / name / "index.html").is_file()
        assert (all_sites / name / "kursuskatalog.pdf").is_file()


@pytest.mark.parametrize("name", BRANDS)
def test_brand_shows_its_own_name_logo_and_colours(all_sites: Path, catalogue, name: str):
    brand = catalogue.brands[name]
    site = all_sites / name
    page = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.title.string.endswith(brand.name)
    assert page.find("meta", property="og:site_name")["content"] == brand.name
    logo = page.select_one(".md-header__button.md-logo img")
    assert (site / logo["src"]).read_bytes() == (REPO / brand.logo).read_bytes()
    favicon = page.find("link", rel="icon")["href"]
    assert (site / favicon).is_file()
    style = " ".join(s.get_text() for s in page.find_all("style"))
    assert f"--md-primary-fg-color: {brand.primary}" in style
    assert brand.footer in page.select_one(".md-copyright").get_text()
    assert f"X-WR-CALNAME:{brand.name}" in (site / "kalender.ics").read_text(encoding="utf-8")
    pdf = PdfReader(site / "kursuskatalog.pdf")
    assert brand.name in " ".join(pdf.pages[0].extract_text().split())
    assert pdf.metadata.author == brand.name
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{brand.site_url}" in sitemap


def _everything(site: Path) -> str:
    parts = []
    for path in site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".pdf":
            parts.append(" ".join(p.extract_text() for p in PdfReader(path).pages))
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("name", BRANDS)
def test_no_other_schools_courses_leak_in(all_sites: Path, catalogue, name: str):
    brand = catalogue.brands[name]
    selection = Selection.for_brand(catalogue, TODAY_DEMO, brand)
    shown = {c.id for c in selection.courses}
    others = [c for c in catalogue.courses.values() if c.id not in shown]
    site = all_sites / name
    if selection.everything:
        assert others == []
        return
    assert others, "a brand of some schools leaves the others out"
    text = _everything(site)
    files = {p.relative_to(site).as_posix() for p in site.rglob("*")}
    # A title like "Fem veje til et godt liv" is also a guide's name; the summary, the URL and
    # the calendar UID belong to the course alone.
    for course in others:
        summary = " ".join(course.summary.split())
        assert summary not in text, (name, course.id)
        assert not any(f"kurser/{course.id}" in f for f in files), (name, course.id)
        assert f"kurser/{course.id}/" not in text, (name, course.id)
        assert f"UID:{course.id}." not in text, (name, course.id)
    for course in selection.courses:
        assert " ".join(course.summary.split()) in text


def test_shared_teacher_shows_only_this_sites_courses(all_sites: Path, catalogue):
    shared = "anne-s"  # teaches in Randers and in Aarhus
    schools = {c.school_id for c in catalogue.courses.values()
               if shared in c.teacher_ids or any(shared in o.teacher_ids for o in c.offerings)}
    assert {"recoveryskolen-randers", "recoveryskolen-aarhus"} <= schools
    for name in ("randers", "aarhus"):
        brand = catalogue.brands[name]
        page = BeautifulSoup((all_sites / name / "undervisere" / shared / "index.html")
                             .read_text(encoding="utf-8"), "html.parser")
        titles = {a.get_text() for a in page.select("article .kk-card__title a")}
        expected = {c.title for c in Selection.for_brand(catalogue, TODAY_DEMO, brand).courses
                    if shared in c.teacher_ids
                    or any(shared in o.teacher_ids for o in c.offerings)}
        assert titles == expected and titles


def test_contrast_is_measured_like_wcag():
    assert round(colours.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(colours.contrast("#777777", "#ffffff"), 2) == 4.48  # the classic near miss
    passing = colours.nearest_passing("#777777")
    assert colours.contrast(passing, "#ffffff") >= 4.5
    assert colours.contrast(colours.nearest_passing("#4aa3b5"), "#ffffff") >= 4.5


def test_single_brand_commands(tmp_path: Path):
    root = copy_catalogue(REPO, tmp_path / "demo")
    done = run(["build", "--site", "viborg", "--today", TODAY_DEMO.isoformat()], root)
    assert done.returncode == 0, done.stderr
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Recoveryskolen Viborg" in page
    unknown = run(["build", "--site", "odense"], root)
    assert unknown.returncode == 2 and "Brands:" in unknown.stderr
    mkdocs = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-f",
                             "sites/aarhus/mkdocs.yml"], cwd=root, capture_output=True,
                            text=True, timeout=600,
                            env={"PATH": str(Path(sys.executable).parent),
                                 "SOURCE_DATE_EPOCH": "1795305600", "NO_MKDOCS_2_WARNING": "1"})
    assert mkdocs.returncode == 0, mkdocs.stderr[-2000:]
    built = (root / "sites" / "aarhus" / "site" / "index.html").read_text(encoding="utf-8")
    assert "Recoveryskolen Aarhus" in built


def test_a_broken_brand_stops_its_build(tmp_path: Path):
    root = copy_catalogue(REPO, tmp_path / "demo")
    brand = root / "sites" / "randers" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace('"#1d4e89"', '"#6fa0d8"'),
                     encoding="utf-8")
    done = run(["build", "--site", "randers", "--today", TODAY_DEMO.isoformat()], root)
    assert done.returncode == 1
    assert "sites/randers/brand.yaml:" in done.stderr and "M002" in done.stderr
    assert "4,5:1" in done.stderr


# --- colours as Material draws them --------------------------------------------------------

MATERIAL_CSS = next((Path(material.__file__).parent / "templates" / "assets" / "stylesheets")
                    .glob("main.*.min.css"))
CATALOGUE_CSS = REPO / "site_templates" / "overrides" / "assets" / "catalogue.css"
PALE = REPO / "tests" / "fixtures" / "brands" / "bleg"


def _cascade() -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of every rule, Material's stylesheet first, ours after it, as
    main.html links them. Media queries are flattened: the rules read here are all for the
    screen sizes the pairs in colours.DRAWN name."""
    rules = []
    for path in (MATERIAL_CSS, CATALOGUE_CSS):
        css = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
            declarations = dict(part.split(":", 1) for part in body.split(";") if ":" in part)
            declarations = {k.strip(): v.strip() for k, v in declarations.items()}
            rules += [(s.strip(), declarations) for s in selectors.split(",")]
    return rules


def _value(rules, selector: str, prop: str) -> str:
    """The last value a rule for exactly `selector` gives `prop`, with var() resolved."""
    values = [d[prop] for s, d in rules if s == selector and prop in d]
    assert values, f"no {prop} for {selector}"
    value = values[-1]
    variable = re.fullmatch(r"var\((--[\w-]+)\)", value)
    return _value(rules, ":root", variable[1]) if variable else value


def test_the_contrast_table_matches_materials_css_and_ours():
    rules = _cascade()
    drawn = {pair.what: pair for pair in colours.DRAWN}

    def paint(selector, prop):
        colour, alpha = colours.css_alpha(_value(rules, selector, prop))
        return colours.Paint(colour, round(alpha, 3))

    def rounded(p):
        return colours.Paint(p.colour, round(p.alpha, 3))

    white = colours.Paint(colours.WHITE)
    for selector in (".md-header", ".md-tabs", ".md-typeset .md-button--primary",
                     ".md-nav--primary .md-nav__title[for=__drawer]"):
        assert _value(rules, selector, "color") == "#fff", selector
        assert "primary" in [v for s, d in rules if s == selector
                             for k, v in d.items() if k == "background-color"][-1]
    tab = drawn["Faneblade i sidehovedet på computer"]
    assert tab.text.alpha == float(_value(rules, ".md-tabs__link", "opacity")) \
        == colours.TAB_OPACITY
    assert float(_value(rules, ".md-tabs__item--active .md-tabs__link", "opacity")) == 1
    assert [d["color"] for s, d in rules if s == ".md-typeset a" and "color" in d][-1] \
        == "var(--md-typeset-a-color)"
    main = (REPO / "site_templates" / "overrides" / "main.html").read_text(encoding="utf-8")
    assert "--md-typeset-a-color: {{ brand.primary }}" in main
    assert "--md-accent-fg-color: {{ brand.accent }}" in main
    assert [v for s, d in rules if s == ".md-typeset a:hover" for k, v in d.items()
            if k == "color"][-1] == "var(--md-accent-fg-color)"
    hover = [d for s, d in rules if s == ".md-typeset .md-button:hover"][-1]
    assert hover["background-color"] == "var(--md-accent-fg-color)"
    assert _value(rules, ":root", "--md-accent-bg-color") == "#fff"
    footer = drawn["Teksten i sidefoden"]
    assert footer.text == white and paint(".md-copyright", "color") == white
    assert tuple(rounded(p) for p in footer.background) == (
        paint(".md-footer", "background-color"), paint(".md-footer-meta", "background-color"))


def test_8964b2_passes_only_because_the_tabs_are_drawn_at_full_strength():
    brand = {"primary": "#8964b2", "accent": "#8a3b12"}
    assert round(colours.contrast(colours.WHITE, "#8964b2"), 2) == 4.64
    dimmed = colours.over(colours.WHITE, 0.7, "#8964b2")  # Material's own .md-tabs__link
    assert round(colours.contrast(dimmed, "#8964b2"), 2) == 3.14
    assert colours.failing("primary", brand) == []


def test_a_pale_colour_names_the_element_the_ratio_and_a_colour_that_passes_everywhere():
    brand = {"primary": "#9a70c5", "accent": "#8a3b12"}
    (pair, ratio), *_ = colours.failing("primary", brand)
    assert pair.what == "Titlen i sidehovedet" and round(ratio, 2) == 3.82
    suggestion = colours.nearest_passing_for("primary", brand)
    assert colours.failing("primary", {**brand, "primary": suggestion}) == []
    hue, lightness, saturation = colorsys.rgb_to_hls(*(v / 255 for v in colours.parse(suggestion)))
    a_bit_lighter = "#" + "".join(f"{round(v * 255):02x}" for v in colorsys.hls_to_rgb(
        hue, lightness + 0.01, saturation))
    assert colours.failing("primary", {**brand, "primary": a_bit_lighter}), "it is the nearest"


@pytest.mark.parametrize("field, value, what", [
    ("primary", "#9a70c5", "Titlen i sidehovedet"),
    ("accent", "#d9733a", "Links, når musen peger på dem"),
])
def test_check_reports_m002_at_the_colour_with_element_ratio_and_suggestion(mini, field, value,
                                                                            what):
    root = mini
    path = root / "sites" / "testby" / "brand.yaml"
    text = path.read_text(encoding="utf-8")
    old = re.search(rf'{field}: "(#[0-9a-fA-F]+)"', text)[1]
    path.write_text(text.replace(f'{field}: "{old}"', f'{field}: "{value}"'), encoding="utf-8")
    done = run(["check"], root)
    assert done.returncode == 1
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if t.strip().startswith(f"{field}:"))
    lines = [l for l in done.stdout.splitlines() + done.stderr.splitlines() if "M002" in l]
    assert len(lines) == 1 and f"{path.relative_to(root).as_posix()}:{line}:" in lines[0]
    output = done.stdout + done.stderr
    assert what in output and "kontrasten er" in output
    suggestion = re.search(r"består, er (#[0-9a-f]{6})", output)[1]
    assert colours.failing(field, {**{"primary": "#0b5560", "accent": "#8a3b12"},
                                   field: suggestion}) == []


@pytest.fixture(scope="session")
def pale_site(tmp_path_factory) -> tuple[Path, Path]:
    """The demo catalogue with the palest brand `check` allows (tests/fixtures/brands/bleg),
    built with `catalogue build --site bleg`: (the catalogue root, the site)."""
    root = copy_catalogue(REPO, tmp_path_factory.mktemp("pale") / "demo")
    shutil.copytree(PALE, root / "sites" / "bleg")
    done = run(["build", "--site", "bleg", "--today", TODAY_DEMO.isoformat()], root)
    assert done.returncode == 0, done.stderr
    return root, root / "site"


# The colour a browser ends up drawing: the text's colour times the opacity of it and of every
# element up to the first opaque background, over the stack of backgrounds down to the page.
_DRAWN_JS = """([selector, pseudo]) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const rgba = text => {
        const p = text.match(/[\\d.]+/g).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const text = rgba(getComputedStyle(element, pseudo).color);
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        const background = rgba(style.backgroundColor);
        if (background[3] > 0) layers.push(background);
        if (background[3] >= 1) break;
        text[3] *= parseFloat(style.opacity);
    }
    return {text, layers: layers.reverse()};
}"""


def _composite(paint, under):
    return [p * paint[3] + u * (1 - paint[3]) for p, u in zip(paint[:3], under)]


def test_the_browser_draws_every_brand_colour_as_the_table_says(pale_site, browser):
    root, site = pale_site
    text = (PALE / "brand.yaml").read_text(encoding="utf-8")
    brand = dict(re.findall(r'(primary|accent): "(#[0-9a-f]{6})"', text))
    assert colours.failing("primary", brand) == colours.failing("accent", brand) == []
    measured = []
    with serve(site) as origin:
        for size, viewport in {"phone": {"width": 390, "height": 844},
                               "desktop": {"width": 1280, "height": 900}}.items():
            page = browser.new_page(viewport=viewport)
            page.goto(f"{origin}/", wait_until="load")
            for pair in colours.DRAWN:
                if pair.viewport not in (size, "both") or not pair.selector \
                        or ":hover" in pair.selector:
                    continue
                selector, _, pseudo = pair.selector.partition("::")
                found = page.evaluate(_DRAWN_JS, [selector, f"::{pseudo}" if pseudo else None])
                assert found, f"{pair.selector} is not on the front page ({size})"
                background = [255, 255, 255]
                for layer in found["layers"]:
                    background = _composite(layer, background)
                drawn = _composite(found["text"], background)
                ratio = colours.contrast(colours._hex(drawn), colours._hex(background))
                measured.append((pair.what, size))
                assert ratio >= colours.AA, (pair.what, size, ratio)
                assert ratio == pytest.approx(pair.ratio(brand), rel=0.01), (pair.what, size)
            page.close()
    assert ("Faneblade i sidehovedet på computer", "desktop") in measured
    assert ("Titlen øverst i menuen på telefon", "phone") in measured


# --- logos and favicons: nothing that runs or fetches ---------------------------------------

_SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' \
       'viewBox="0 0 10 10">{}</svg>'
HOSTILE_SVGS = {
    "script": _SVG.format("<script>alert(1)</script>"),
    "script in another namespace prefix": '<s:svg xmlns:s="http://www.w3.org/2000/svg">'
                                          '<s:script>alert(1)</s:script></s:svg>',
    "event handler": _SVG.format('<rect width="10" height="10" onload="alert(1)"/>'),
    "javascript link": _SVG.format('<a href="javascript:alert(1)"><rect width="9"/></a>'),
    "javascript with a tab in it": _SVG.format('<a xlink:href="java\tscript:alert(1)">x</a>'),
    "vbscript": _SVG.format('<a href="vbscript:msgbox(1)">x</a>'),
    "data url image": _SVG.format('<image href="data:image/svg+xml;base64,PHN2Zz4="/>'),
    "external image": _SVG.format('<image xlink:href="https://tracker.example/p.png"/>'),
    "external use": _SVG.format('<use href="other.svg#logo"/>'),
    "foreignObject": _SVG.format("<foreignObject><p>hej</p></foreignObject>"),
    "iframe": _SVG.format('<iframe src="https://example.org/"/>'),
    "embed": _SVG.format('<embed src="x.swf"/>'),
    "object": _SVG.format('<object data="x.pdf"/>'),
    "style import": _SVG.format("<style>@import 'https://example.org/a.css';</style>"),
    "style url": _SVG.format("<style>rect { fill: url(https://example.org/f.svg#p) }</style>"),
    "style attribute url": _SVG.format('<rect style="fill:url(http://example.org/x)"/>'),
    "animation to a javascript link": _SVG.format(
        '<a><animate attributeName="href" to="javascript:alert(1)"/>x</a>'),
    "xml-stylesheet": '<?xml-stylesheet href="https://example.org/a.css"?>' + _SVG.format(""),
    "billion laughs": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b '
                      '"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg>&b;</svg>',
    "external entity (XXE)": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                             '<svg>&x;</svg>',
    "doctype": '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
               '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + _SVG.format(""),
}
BROKEN_SVGS = {
    "not xml": "<svg><rect></svg>",
    "html, not svg": "<html><body>logo</body></html>",
    "empty": "",
}


@pytest.mark.parametrize("name", HOSTILE_SVGS)
def test_a_logo_that_can_run_or_fetch_is_refused(name: str):
    finding = logos.inspect(HOSTILE_SVGS[name].encode(), ".svg")
    assert finding and finding.code == "M006", finding
    assert finding.fields["found"]


@pytest.mark.parametrize("name", BROKEN_SVGS)
def test_a_logo_that_is_not_svg_is_refused(name: str):
    finding = logos.inspect(BROKEN_SVGS[name].encode(), ".svg")
    assert finding and finding.code == "M007" and finding.fields["kind"] == "SVG", finding


def test_the_demo_logos_and_a_safe_svg_with_gradients_style_and_use_pass():
    files = [*REPO.glob("sites/*/logo.svg"), REPO / "docs" / "assets" / "logo.svg",
             PALE / "logo.svg", PALE / "favicon.png"]
    assert len(files) >= 7
    for path in files:
        assert logos.inspect(path.read_bytes(), path.suffix) is None, path


def test_a_png_logo_must_be_a_real_png_and_no_logo_may_be_huge():
    png = (PALE / "favicon.png").read_bytes()
    assert logos.inspect(png, ".png") is None
    assert logos.inspect(b"<svg xmlns='http://www.w3.org/2000/svg'/>", ".png").code == "M007"
    assert logos.inspect(png[:40], ".png").code == "M007", "a cut-off PNG"
    big = _SVG.format("<!--" + "x" * logos.MAX_BYTES + "-->").encode()
    assert logos.inspect(big, ".svg").code == "M008"


@pytest.mark.parametrize("code, content", [
    ("M006", HOSTILE_SVGS["script"]),
    ("M007", BROKEN_SVGS["not xml"]),
])
def test_check_reports_an_unsafe_logo_at_the_logo_field(mini, code: str, content: str):
    folder = mini / "sites" / "testby"
    brand = (folder / "brand.yaml").read_text(encoding="utf-8")
    logo = re.search(r"^logo: (\S+)", brand, re.M)[1]
    line = brand[:brand.index("logo:")].count("\n") + 1
    assert run(["check"], mini).returncode == 0, "the mini catalogue's own logo passes"
    (folder / logo).write_text(content, encoding="utf-8")
    done = run(["check"], mini)
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert f"sites/testby/brand.yaml:{line}:" in output and code in output
    if code == "M006":
        assert "<script>" in output and "køre kode" in output


def test_a_hostile_favicon_stops_the_build(tmp_path: Path):
    root = copy_catalogue(REPO, tmp_path / "demo")
    brand = root / "sites" / "viborg" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace(
        "logo: logo.svg", "logo: logo.svg\nfavicon: ikon.svg"), encoding="utf-8")
    (brand.parent / "ikon.svg").write_text(HOSTILE_SVGS["event handler"], encoding="utf-8")
    done = run(["build", "--site", "viborg", "--today", TODAY_DEMO.isoformat()], root)
    assert done.returncode == 1
    assert "sites/viborg/brand.yaml:5:" in done.stderr and "M006" in done.stderr
    assert "onload" in done.stderr
