"""A municipality's own site: its own words (sites/<brand>/tekster/), its accessibility statement
in the WAS-Tool, its logo on every page and guide, and calendar feeds one can subscribe to."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, SoupStrainer
from pypdf import PdfReader

from conftest import BRANDS, MINI, TODAY, copy_catalogue, run, serve
from generator.catalogue import read_catalogue
from generator.render import Site
from generator.scaffold import mkdocs_config

REPO = Path(__file__).resolve().parent.parent

# One marker per brand and place, so a text found anywhere else is a leak.
TESTBY = {
    "forside": "Velkommen til Testbys skole ved fjorden.",
    "sadan-er-det": "## Kaffe først\n\nVi starter altid med kaffe i Testby-caféen.\n",
    "om": "# Om skolen i Testby\n\nSkolen i Testby blev grundlagt af borgerne.\n\n"
          "## Hvem står bag\n\nEt hold fra Testby Kommune.\n",
    "katalog-sadan-foregaar-det": "- I Testby mødes vi ved springvandet.\n",
    "privatliv": "Databeskyttelsesrådgiver i Testby: dpo@testby.example.org.\n",
}
EKSTERN = {
    "forside": "Aftenskolen byder velkommen i de gamle pakhuse.",
    "katalog-sadan-foregaar-det": "Hos aftenskolen er der te i pauserne.\n",
}
MARKERS = {"testby": ["fjorden", "Testby-caféen", "grundlagt af borgerne", "springvandet",
                      "dpo@testby.example.org"],
           "ekstern": ["gamle pakhuse", "te i pauserne"]}


def _write(root: Path, brand: str, texts: dict[str, str]) -> None:
    folder = root / "sites" / brand / "tekster"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")


def _html_text(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"),
                                                          "html.parser").get_text(" ")
            for p in site.rglob("*.html")}


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def own_words(tmp_path_factory) -> Path:
    """The small catalogue's two brands, each with its own texts, built side by side."""
    root = copy_catalogue(MINI, tmp_path_factory.mktemp("own") / "mini")
    # The brands' mkdocs.yml inherit the shared configuration and theme, as in the repository.
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("docs", "site_templates"):
        shutil.copytree(REPO / folder, root / folder)
    for brand in ("testby", "ekstern"):
        name = yaml.safe_load((root / "sites" / brand / "brand.yaml").read_text())["name"]
        (root / "sites" / brand / "mkdocs.yml").write_text(mkdocs_config(brand, name))
    _write(root, "testby", TESTBY)
    _write(root, "ekstern", EKSTERN)
    done = run(["build", "--all-sites", "--out", str(root / "out"), "--today",
                TODAY.isoformat()], root)
    assert done.returncode == 0, done.stderr
    assert "M010" not in done.stderr and "advarsel" not in done.stderr, done.stderr
    return root / "out"


def test_each_brand_shows_its_own_words_and_no_other_brands(own_words: Path):
    for brand, own in MARKERS.items():
        other = [m for b, ms in MARKERS.items() if b != brand for m in ms]
        pages = _html_text(own_words / brand)
        pdf = _pdf_text(own_words / brand / "kursuskatalog.pdf")
        everything = " ".join(pages.values()) + pdf
        assert [m for m in own if m not in everything] == [], brand
        assert [m for m in other if m in everything] == [], f"{brand} shows another's words"
    testby = own_words / "testby"
    home = _html_text(testby)["index.html"]
    assert "Testby-caféen" in home and "En skole, ikke behandling" not in home, "the default is replaced"
    assert "springvandet" in _pdf_text(testby / "kursuskatalog.pdf")
    ekstern = _html_text(own_words / "ekstern")
    assert "En skole, ikke behandling" in ekstern["index.html"], "without sadan-er-det.md, the default"
    assert "Om recoveryskolerne" in ekstern["om/index.html"], "without om.md, the default"


def test_own_pages_keep_one_h1_and_no_skipped_heading(own_words: Path):
    for url in ("index.html", "om/index.html", "privatliv/index.html"):
        doc = BeautifulSoup((own_words / "testby" / url).read_text(encoding="utf-8"),
                            "html.parser")
        levels = [int(h.name[1]) for h in doc.select("article h1, article h2, article h3, "
                                                     "article h4, article h5, article h6")]
        assert levels.count(1) == 1 and levels[0] == 1, (url, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (url, levels)
    om = BeautifulSoup((own_words / "testby" / "om" / "index.html").read_text(encoding="utf-8"),
                       "html.parser")
    assert om.select_one("article h2").get_text(strip=True) == "Om skolen i Testby"
    assert om.select_one("#skolerne"), "the schools' contact list still follows"
    privacy = BeautifulSoup((own_words / "testby" / "privatliv" / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    assert "dpo@testby.example.org" in privacy.select_one("article .kk-own").get_text()


def test_an_own_text_is_sanitised_like_any_markdown_field():
    hostile = ('Hej <script>alert(1)</script> <img src=x onerror="alert(2)"> '
               '[klik](javascript:alert(3)) <iframe src="https://evil.example"></iframe>\n')
    html = str(Site("x", texts=(("forside", hostile),)).text("forside"))
    doc = BeautifulSoup(html, "html.parser")
    assert not doc.find(["script", "iframe", "img"])
    assert all(not a.get("href", "").startswith("javascript") for a in doc.find_all("a"))
    assert not any(k.startswith("on") for tag in doc.find_all(True) for k in tag.attrs)
    assert str(Site("x").text("forside")) == "", "no text: the template shows the default"


def _diagnostics(root: Path):
    return read_catalogue(root, TODAY, use_cache=False).diagnostics


def test_check_stops_a_hostile_own_text_at_its_line(mini: Path):
    _write(mini, "testby", {"sadan-er-det": "## Velkommen\n\nHej <script>alert(1)</script>\n"})
    found = [d for d in _diagnostics(mini) if d.code == "H801"]
    assert [(d.pos.file, d.pos.line) for d in found] == [("sites/testby/tekster/sadan-er-det.md", 3)]


def test_check_warns_of_a_text_file_no_place_uses(mini: Path):
    _write(mini, "testby", {"forsiden": "Hej\n"})
    found = [d for d in _diagnostics(mini) if d.code == "M010"]
    assert [(d.pos.file, d.severity) for d in found] == [
        ("sites/testby/tekster/forsiden.md", "warning")]
    assert "forside.md" in found[0].hint


def test_check_refuses_a_text_that_is_not_utf8(mini: Path):
    folder = mini / "sites" / "testby" / "tekster"
    folder.mkdir(parents=True)
    (folder / "forside.md").write_bytes("Velkommen\nved Gudenåen\n".encode("cp1252"))
    found = [d for d in _diagnostics(mini) if d.code == "M011"]
    assert [(d.pos.file, d.pos.line, d.severity) for d in found] == [
        ("sites/testby/tekster/forside.md", 2, "error")]


# --- the accessibility statement ---------------------------------------------------------------

def _brand(name: str) -> dict:
    return yaml.safe_load((REPO / "sites" / name / "brand.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("brand", BRANDS)
def test_every_page_links_the_brands_statement_in_its_footer(all_sites: Path, brand):
    statement = _brand(brand)["accessibility_url"]
    assert statement.startswith("https://was.digst.dk/")
    pages = sorted((all_sites / brand).rglob("*.html"))
    assert len(pages) > 20
    footer = SoupStrainer("footer")  # only the footer is built into a tree: 100+ pages a brand
    for path in pages:
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser", parse_only=footer)
        links = [a for a in doc.select(".kk-footer-links a")
                 if a.get_text(strip=True) == "Tilgængelighedserklæring"]
        assert [a["href"] for a in links] == [statement], path
    page = BeautifulSoup((all_sites / brand / "tilgaengelighed" / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    assert page.select_one(f'article a[href="{statement}"]'), "the page names it too"
    assert "ti arbejdsdage" not in page.get_text(), "no promise nobody made"


def test_the_default_statement_is_on_the_was_tool_at_the_sites_domain():
    assert Site("x", "https://recovery.kommune.dk/").accessibility_statement == \
        "https://was.digst.dk/recovery.kommune.dk"
    assert Site("x", "https://a.dk/", accessibility_url="https://was.digst.dk/b.dk") \
        .accessibility_statement == "https://was.digst.dk/b.dk"
    assert Site("x", "http://127.0.0.1:8000/").accessibility_statement is None


def test_check_warns_when_a_public_brand_names_no_statement(mini: Path):
    brand = mini / "sites" / "testby" / "brand.yaml"
    brand.write_text(re.sub(r"^accessibility_url: .*\n", "", brand.read_text(encoding="utf-8"),
                            flags=re.M), encoding="utf-8")
    found = [d for d in _diagnostics(mini) if d.code == "M009"]
    assert [(d.pos.file, d.severity) for d in found] == [("sites/testby/brand.yaml", "warning")]
    assert "https://was.digst.dk/testby.example.org" in found[0].hint


# --- calendar subscriptions --------------------------------------------------------------------

def test_feeds_are_offered_as_webcal_with_a_download_beside(all_sites: Path):
    site = all_sites / "randers"
    url = _brand("randers")["site_url"]
    doc = BeautifulSoup((site / "kalender" / "index.html").read_text(encoding="utf-8"),
                        "html.parser")
    feeds = doc.select(".kk-feeds li")
    assert len(feeds) >= 2
    for item in feeds:
        webcal, download = item.select("a")
        assert webcal.get_text() == "Abonnér" and download.get_text() == "Hent filen"
        assert download.has_attr("download")
        target = (site / "kalender" / download["href"]).resolve()
        assert target.is_file() and target.suffix == ".ics"
        path = target.relative_to(site.resolve()).as_posix()
        assert webcal["href"] == "webcal://" + url.removeprefix("https://") + path
    steps = doc.select_one(".kk-howto").get_text(" ")
    for device in ("iPhone", "Android", "Google Kalender", "Outlook"):
        assert device in steps


# --- logos -------------------------------------------------------------------------------------

def test_the_logo_is_in_the_header_on_a_phone_and_readable_on_a_desktop(all_sites, browser):
    with serve(all_sites / "randers") as origin:
        for viewport, smallest in (({"width": 390, "height": 844}, 32),
                                   ({"width": 1280, "height": 900}, 40)):
            page = browser.new_page(viewport=viewport)
            page.goto(origin + "/")
            logo = page.locator(".md-header .md-logo img")
            assert logo.is_visible(), viewport
            box = logo.bounding_box()
            assert box["height"] >= smallest and box["y"] + box["height"] <= 56, (viewport, box)
            assert re.search(r"assets/brand/logo\.[0-9a-f]{8}\.svg$", logo.get_attribute("src"))
            page.close()


def test_every_guide_pdf_names_its_school_and_keeps_its_address_whole(all_sites: Path):
    site = all_sites / "randers"
    name = _brand("randers")["name"]
    host = _brand("randers")["site_url"].removeprefix("https://").rstrip("/")
    pdfs = sorted((site / "materialer").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        pages = PdfReader(pdf).pages
        assert pages[0].extract_text().splitlines()[0].strip() == name, pdf.name
        last = pages[-1].extract_text()
        address = f"{host}/materialer/{pdf.stem.removesuffix('-a5')}/"
        assert address in last.splitlines(), (pdf.name, last[-300:])
        assert not re.search(r"https://\s*$", last, re.M), pdf.name
