"""What the site says of all its courses, and what a citizen sees first, is true for the
catalogue it is built from (issue 20): sentences about every course are counted from the courses
(select.SiteFacts), and a catalogue in which a claim is false does not make it, on the pages, in
the term catalogue's text or in its metadata."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from conftest import MINI, REPO, TODAY, copy_catalogue, run

def config() -> str:
    """The repository's mkdocs.yml, pointed at its docs and templates from another folder."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs", f"docs_dir: {REPO / 'docs'}")
    text = text.replace("custom_dir: site_templates/overrides",
                        f"custom_dir: {REPO / 'site_templates' / 'overrides'}")
    text = text.replace(" docs/assets/logo.svg", f" {REPO / 'docs' / 'assets' / 'logo.svg'}")
    return text.split("watch:")[0]


def build_mini(tmp_path: Path, edit=None, today=TODAY) -> Path:
    """The small catalogue, changed by `edit(root)`, built; returns the site folder."""
    root = copy_catalogue(MINI, tmp_path / "mini")
    (root / "mkdocs.yml").write_text(config(), encoding="utf-8")
    if edit:
        edit(root)
    done = run(["build", "--today", today.isoformat(), "--out", str(tmp_path / "site")], root)
    assert done.returncode == 0, done.stdout + done.stderr
    return tmp_path / "site"


def text(site: Path, url: str) -> str:
    page = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    return " ".join(page.select_one("article").get_text(" ").split())


def pdf(site: Path) -> tuple[str, str]:
    """The term catalogue's text and its metadata, as a PDF reader shows them."""
    reader = pypdf.PdfReader(io.BytesIO((site / "kursuskatalog.pdf").read_bytes()))
    words = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return words, " ".join(str(v) for v in (reader.metadata or {}).values())


def append(root: Path, course: str, yaml: str) -> None:
    path = root / "courses" / f"{course}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + yaml, encoding="utf-8")


def only_school_a(root: Path) -> None:
    (root / "courses" / "kursus-c.yaml").unlink()  # the outside provider's course


def every_claim_false(root: Path) -> None:
    append(root, "kursus-a", "cost: {price: 150, covers: Materialer}\n")
    append(root, "kursus-b", "eligibility: {groups: [patients], of: Psykiatrien i Testby}\n")
    # kursus-c is the outside provider's: not co-taught.


CLAIMS = {  # what is said when a claim holds for every course, and must go when it does not
    "free": ["Alle kurser er gratis", "Gratis og åbent for alle"],
    "open": ["Alle kurser er åbne for alle", "Åben for alle"],
    "referral": ["Du skal ikke visiteres", "Ingen henvisning", "Du melder dig selv til"],
    "co-taught": ["Hvert kursus undervises af to", "Undervist af to"],
}


@pytest.fixture(scope="module")
def true_site(tmp_path_factory) -> Path:
    return build_mini(tmp_path_factory.mktemp("true"), only_school_a)


@pytest.fixture(scope="module")
def false_site(tmp_path_factory) -> Path:
    return build_mini(tmp_path_factory.mktemp("false"), every_claim_false)


@pytest.mark.parametrize("claim", sorted(CLAIMS))
def test_a_claim_true_of_every_course_is_made_on_the_home_page(true_site: Path, claim: str):
    home = text(true_site, "")
    assert all(words in home for words in CLAIMS[claim]), home


def test_a_catalogue_whose_claims_all_hold_says_so_in_the_pdf_and_its_metadata(true_site):
    words, meta = pdf(true_site)
    assert "Gratis · Åben for alle · Ingen henvisning" in words
    assert "Alle kurser er gratis" in words and "Hvert kursus undervises af to" in words
    assert "Gratis kurser om recovery" in meta and "åbne for alle" in meta


@pytest.mark.parametrize("claim", sorted(CLAIMS))
@pytest.mark.parametrize("url", ["", "om/"])
def test_a_claim_false_of_one_course_is_not_made_on_the_pages(false_site, claim, url):
    page = text(false_site, url)
    assert not [words for words in CLAIMS[claim] if words in page], page


def test_a_claim_false_of_one_course_is_not_made_in_the_pdf_or_its_metadata(false_site):
    words, meta = pdf(false_site)
    for claim in CLAIMS.values():
        assert not [w for w in claim if w in words], words[:1500]
    assert "Gratis" not in meta and "åbne for alle" not in meta, meta
    assert "Gratis ·" not in words and "· Åben for alle" not in words


def test_what_holds_for_most_courses_is_said_with_most(false_site):
    home, about = text(false_site, ""), text(false_site, "om/")
    words, _ = pdf(false_site)
    for said in (home, about, words):
        assert "De fleste kurser er gratis" in said
        assert "De fleste kurser undervises af to sammen" in said
        assert "Ét kursus holdes af en ekstern udbyder" in said


def test_open_data_describes_the_courses_without_a_claim_that_does_not_hold(false_site):
    package = json.loads((false_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert "gratis" not in package["description"].lower()
    assert "åbne for alle" not in package["description"]


def test_a_peer_group_alone_is_not_said_to_have_a_professional(tmp_path: Path):
    def peers_only(root: Path) -> None:
        only_school_a(root)
        (root / "courses" / "kursus-b.yaml").unlink()
        append(root, "kursus-a", "led_by: peers\nled_by_reason: En gruppe af og for peers.\n")
    site = build_mini(tmp_path, peers_only)
    home, (words, _), about = text(site, ""), pdf(site), text(site, "om/")
    for said in (home, words):
        assert "fagprofessionel" not in said, said
    for said in (home, words, about):
        assert "undervises af to sammen" not in said
        assert "Alle grupper ledes af peers" in said


# --- the menu on a phone ---------------------------------------------------------------

FOCUSED = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
  return {drawer: !!e.closest('.md-sidebar--primary'), menu: e.classList.contains('kk-menu-button'),
          onscreen: r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth,
          what: e.tagName + ' ' + (e.textContent || '').trim().slice(0, 30)}; }"""


def test_on_a_phone_tab_skips_the_closed_menu_and_reaches_its_button(true_site, browser):
    from conftest import serve

    with serve(true_site) as origin:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(origin + "/kurser/")
        seen = []
        for _ in range(30):
            page.keyboard.press("Tab")
            seen.append(page.evaluate(FOCUSED))
        assert [s["what"] for s in seen if s["drawer"]] == [], "closed means not focusable"
        assert [s["what"] for s in seen if not s["onscreen"]] == []
        assert any(s["menu"] for s in seen), [s["what"] for s in seen]

        page.focus(".kk-menu-button")
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.closest('.md-sidebar--primary')")
        assert page.get_attribute(".kk-menu-button", "aria-expanded") == "true"
        opened = page.evaluate(FOCUSED)
        assert opened["drawer"] and opened["onscreen"], opened
        page.keyboard.press("Escape")
        assert page.evaluate(FOCUSED)["menu"]
        assert page.get_attribute(".kk-menu-button", "aria-expanded") == "false"
        page.close()
