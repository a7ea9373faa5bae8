"""Pages (generator/render/pages.py): the plan of the site's HTML, read directly on the small
catalogue, and the built demo site's pages, read with a real HTML parser."""

from __future__ import annotations

import re

import dataclasses
import posixpath
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from generator.catalogue import read_catalogue
from generator.model import Consent
from generator.render import Asset, Build, Page, Site, pages
from generator.render.pages import Links
from generator.select import Selection

from conftest import MINI, REPO, TODAY_DEMO as TODAY, soup
from .conftest import MINI_TODAY, SITE


@pytest.fixture(scope="module")
def sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY, use_cache=False).catalogue, TODAY)


def article(site: Path, url: str):
    return soup(site, url).select_one("article.md-content__inner")


def course_links(node, page_url: str) -> set[str]:
    """Ids of the courses a page links to from its cards."""
    found = set()
    for a in node.select(".kk-card__title a"):
        target = urljoin("https://x/" + page_url, a["href"])
        found.add(target.removeprefix("https://x/kurser/").strip("/"))
    return found


def _url(path: str) -> str:
    """The URL MkDocs gives a planned page: kurser/kursus-a.md -> kurser/kursus-a/."""
    if path == "index.md":
        return ""
    return path.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"


# --- the plan, on the small catalogue ------------------------------------------------------

def test_the_plan_has_a_page_for_every_list_course_teacher_theme_guide_and_venue(build: Build):
    planned = {p.path: p for p in pages.plan(build) if isinstance(p, Page)}
    for path, template in [("index.md", "home.html"), ("kurser/index.md", "courses.html"),
                           ("kalender/index.md", "calendar.html"),
                           ("undervisere/index.md", "teachers.html"),
                           ("temaer/index.md", "themes.html"), ("steder/index.md", "venues.html"),
                           ("materialer/index.md", "guides.html")]:
        assert planned[path].template == template, path
    assert {p for p in planned if planned[p].template == "course.html"} == {
        "kurser/kursus-a.md", "kurser/kursus-b.md", "kurser/kursus-c.md"}
    assert {p for p in planned if planned[p].template == "venue.html"} == {
        "steder/huset.md", "steder/haven.md", "steder/aftenskolen.md"}
    assert {p for p in planned if planned[p].template == "theme.html"} == {
        f"temaer/{t}.md" for t in ("oege-netvaerk", "laere-noget-nyt", "leve-mere-aktivt",
                                   "vaere-mere-til-stede-i-nuet", "give-af-sig-selv", "recovery")}
    assert planned["materialer/fem-veje-til-et-godt-liv.md"].template == "guide.html"
    assert planned["kalender/skole/skole-a.md"].context["school"].id == "skole-a"
    assert planned["kurser/kursus-a.md"].title == "Kursus A"
    assert planned["kurser/kursus-a.md"].description == "Et kursus, som testene bygger på."
    # and the files: a photo, a guide image, and our own stylesheet and scripts
    assert len(planned) == len(pages.plan(build)) - 2 - len(pages.OWN_ASSET_NAMES)


def test_no_page_or_photo_for_a_teacher_without_consent(build: Build):
    planned = pages.plan(build)
    teachers = {p.path: p.title for p in planned if isinstance(p, Page)
                and p.template == "teacher.html"}
    # fag-g and paa-r have not consented; peer-p shows her first name only.
    assert teachers == {"undervisere/fag-f.md": "Frida Fagsen", "undervisere/peer-p.md": "Pia"}
    for item in planned:
        assert "fag-g" not in item.path and "paa-r" not in item.path, item.path
        if isinstance(item, Page):
            assert "Gustav" not in item.title and "Rita" not in item.title, item.path
            assert "Peersen" not in item.title, item.path


def test_a_photo_is_published_only_with_consent_to_the_photo(mini_catalogue):
    def photos(catalogue):
        build = Build(Selection(catalogue, MINI_TODAY), SITE, MINI)
        return {a.path: a for a in pages.plan(build)
                if isinstance(a, Asset) and a.path.startswith("undervisere/")}

    published = photos(mini_catalogue)
    assert list(published) == ["undervisere/fag-f.png"]
    # Re-encoded from the source, never copied as it is (photos.publish_photo).
    assert published["undervisere/fag-f.png"].source is None
    assert published["undervisere/fag-f.png"].read().startswith(b"\x89PNG")
    teacher = mini_catalogue.teachers["fag-f"]
    without = dataclasses.replace(teacher, consent=Consent(profile=teacher.consent.profile))
    catalogue = dataclasses.replace(mini_catalogue,
                                    teachers={**mini_catalogue.teachers, "fag-f": without})
    assert photos(catalogue) == {}


def test_filtered_views_hold_their_courses(build: Build):
    planned = {p.path: p for p in pages.plan(build) if isinstance(p, Page)}
    expected = {"kurser/tema/recovery.md": ["kursus-a"],
                "kurser/tema/leve-mere-aktivt.md": ["kursus-b"],
                "kurser/for/paaroerende.md": ["kursus-b"],
                "kurser/skole/ekstern.md": ["kursus-c"],
                "kurser/sted/huset.md": ["kursus-a", "kursus-b"],
                "kurser/maaned/2027-03.md": ["kursus-c"],
                "kurser/form/teoretisk.md": ["kursus-a"]}
    for path, ids in expected.items():
        assert [c.id for c in planned[path].context["courses"]] == ids, path
    assert planned["kurser/maaned/2027-02.md"].title == "Kurser: Februar 2027"
    # A venue without upcoming offerings has no filter, though it has its own page.
    assert "kurser/sted/haven.md" not in planned and "steder/haven.md" in planned


def test_guide_images_are_published_beside_the_guide(build: Build):
    assets = {a.path: a for a in pages.plan(build) if isinstance(a, Asset)}
    image = assets["materialer/sol.svg"]
    assert image.read() == (MINI / "guides" / "sol.svg").read_bytes()


def test_a_brand_publishes_its_logo_and_favicon(mini_catalogue):
    logo = MINI / "sites" / "testby" / "logo.svg"
    site = Site("Recoveryskolen Testby", "https://testby.example.org/", logo=logo, favicon=logo,
                brand_id="testby")
    build = Build(Selection(mini_catalogue, MINI_TODAY), site, MINI)
    assets = {a.path: a.source for a in pages.plan(build) if isinstance(a, Asset)}
    # Named by their content, so a server may cache them for a year (issue 22).
    brand = {p.split("/")[-1].split(".")[0]: source for p, source in assets.items()
             if p.startswith("assets/brand/")}
    assert brand == {"logo": logo, "favicon": logo}
    assert all(re.fullmatch(r"assets/brand/(logo|favicon)\.[0-9a-f]{8}\.svg", p)
               for p in assets if p.startswith("assets/brand/"))
    assert not any(p.startswith("assets/brand/") for p in
                   (a.path for a in pages.plan(Build(build.selection, SITE, MINI))))


def test_links_climb_to_the_root_and_down_again():
    assert Links("").to("") == "./"
    assert Links("").page("om/") == "om/"
    assert Links("kurser/").courses() == "../kurser/"
    assert Links("kurser/kursus-a/").calendar("skole-a") == "../../kalender/skole/skole-a/"
    assert Links("kurser/kursus-a/").calendar_feed() == "../../kalender.ics"
    assert Links("kurser/tema/recovery/").facet("for", "alle") == "../../../kurser/for/alle/"
    assert Links("undervisere/").to("") == "../"


def test_every_link_from_every_page_reaches_a_planned_page(build: Build):
    planned = pages.plan(build)
    urls = {_url(p.path) for p in planned if isinstance(p, Page)}
    sel = build.selection
    offered = next(p for p in planned if p.path == "kurser/index.md").context["facets"]
    # Every course is in Danish: no language filter, no page for it, and so no link to one.
    assert sel.facet_values("sprog") == ["da"] and offered["sprog"] == []
    assert not any(p.path.startswith("kurser/sprog/") for p in planned)
    assert {f: [v for v, _ in offered[f]] for f in pages.FACETS if f != "sprog"} == {
        f: sel.facet_values(f) for f in pages.FACETS if f != "sprog"}
    for page in (p for p in planned if isinstance(p, Page)):
        here = _url(page.path)
        links = Links(here)
        targets = [links.courses(), links.calendar(), links.teachers(), links.themes(),
                   *(links.course(c) for c in sel.courses),
                   *(links.teacher(t) for t in sel.teachers),
                   *(links.theme(t.id) for t in sel.themes),
                   *(links.venue(v.id) for v in sel.venues),
                   *(links.calendar(s.id) for s in sel.schools),
                   *(links.facet(f, v) for f, values in offered.items() for v, _ in values)]
        for target in targets:
            assert not target.startswith("/"), target
            reached = posixpath.normpath(posixpath.join(here or ".", target)) + "/"
            assert reached in urls, (here, target)
        photo = links.photo(sel.catalogue.teachers["fag-f"])
        assert posixpath.normpath(posixpath.join(here or ".", photo)) == "undervisere/fag-f.png"


# --- the built demo site --------------------------------------------------------------------

def test_pages_are_danish_and_titled(built: Path):
    for path in built.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert page.html["lang"] == "da", path
        if path.name != "404.html":
            assert page.title.string.endswith("Recoveryskolerne i Region Midtjylland"), path
            assert len(page.select("article h1")) == 1, path


def test_course_page_shows_sessions_status_signup_and_co_teaching(built: Path, sel: Selection):
    course = sel.catalogue.courses["recovery-et-liv-i-forandring"]
    page = article(built, "kurser/recovery-et-liv-i-forandring/")
    offering = sel.upcoming(course)[0]
    block = page.select_one(f"#hold-{offering.key}")
    sessions = block.select("ol.kk-sessions li")
    assert len(sessions) == len(offering.sessions) >= 6
    first = offering.sessions[0]
    assert sessions[0].get_text(" ", strip=True).startswith(
        f"tirsdag {first.date.day}. februar 2027, kl. {first.start:%H.%M}")
    # Its sign-up opens on 1 December: until then the page says so, not "Få pladser".
    assert offering.registration.opens > TODAY
    assert block.select_one(".kk-status").get_text() == "Tilmeldingen åbner 1. december"
    signup = block.select_one(".kk-signup").get_text(" ", strip=True)
    assert offering.registration.email in signup or offering.registration.url
    assert "Sidste frist" in signup
    assert "undervises af en med egen erfaring og en fagprofessionel" in \
        page.select_one(".kk-cotaught").get_text()
    assert block.select_one('a[href$=".ics"]').get_text() == "Tilføj til kalender"


def test_status_words_for_every_status(built: Path, sel: Selection):
    words = {"open": "Ledige pladser", "few-places": "Få pladser",
             "full": "Fuldt – skriv dig på ventelisten", "cancelled": "Aflyst", "postponed": "Udsat",
             "drop-in": "Ingen tilmelding – mød bare op", "closed": "Tilmeldingsfristen er overstået",
             "started": "Holdet er i gang", "enrolment-closed": "Lukket for tilmelding – "}
    seen = set()
    for course in sel.courses:
        page = article(built, f"kurser/{course.id}/")
        for offering in sel.upcoming(course):
            state = offering.availability(TODAY).value
            shown = page.select_one(f"#hold-{offering.key} .kk-status").get_text()
            assert shown == words.get(state, shown) or state == "enrolment-closed"
            assert shown.startswith(words.get(state, "Tilm"))
            seen.add(state)
    assert {"open", "not-yet", "cancelled", "postponed", "drop-in"} <= seen


def test_cancelled_offering_shows_its_reason(built: Path, sel: Selection):
    course, offering = next((c, o) for c in sel.courses for o in sel.upcoming(c)
                            if o.status == "cancelled")
    block = article(built, f"kurser/{course.id}/").select_one(f"#hold-{offering.key}")
    text = block.get_text(" ", strip=True)
    assert "Aflyst" in text and offering.status_note in text
    assert not block.select(".kk-signup"), "no sign-up for a cancelled offering"


def test_drop_in_says_no_sign_up(built: Path, sel: Selection):
    course = next(c for c in sel.courses for o in c.offerings if not o.registration.required)
    text = article(built, f"kurser/{course.id}/").select_one("[data-kk=signup]").get_text()
    assert "Ingen tilmelding" in text


def test_external_provider_is_marked(built: Path, sel: Selection):
    course = next(c for c in sel.courses if not sel.catalogue.co_produced(c))
    line = article(built, f"kurser/{course.id}/").select_one(".kk-cotaught").get_text()
    assert "ekstern" in line.lower()


def test_past_offerings_are_collapsed(built: Path, sel: Selection):
    course = next(c for c in sel.courses if sel.past(c))
    page = article(built, f"kurser/{course.id}/")
    assert page.select_one("details.kk-past summary").get_text().startswith("Vis 1 tidligere")
    for offering in sel.past(course):
        assert not page.select(f"#hold-{offering.key}")


def test_teachers_by_consent(built: Path, sel: Selection):
    listed = {urljoin("https://x/undervisere/", a["href"]).removeprefix("https://x/undervisere/")
              .strip("/") for a in article(built, "undervisere/").select("h2 a")}
    expected = {t.id for t in sel.teachers}
    assert listed == expected
    hidden = [t for t in sel.catalogue.teachers.values() if not sel.shown(t)]
    assert hidden and not expected & {t.id for t in hidden}
    first_name_only = next(t for t in sel.teachers if t.consent.display == "first-name")
    heading = article(built, f"undervisere/{first_name_only.id}/").h1.get_text()
    assert heading == first_name_only.name.split()[0]


def test_filters_without_javascript_reach_the_right_courses(built: Path, sel: Selection):
    page = article(built, "kurser/")
    assert course_links(page, "kurser/") == {c.id for c in sel.courses}
    facet_links = page.select(".kk-facet a[data-value]")
    assert len(facet_links) >= 20
    for link in facet_links:
        facet = link.find_parent(attrs={"data-facet": True})["data-facet"]
        url = urljoin("https://x/kurser/", link["href"]).removeprefix("https://x/")
        expected = {c.id for c in sel.with_facet(facet, link["data-value"])}
        assert course_links(article(built, url), url) == expected, url
    themed = {c.id for c in sel.courses if "oege-netvaerk" in c.theme_ids}
    assert course_links(article(built, "kurser/tema/oege-netvaerk/"),
                        "kurser/tema/oege-netvaerk/") == themed


def test_calendar_lists_upcoming_sessions_by_month_and_week(built: Path, sel: Selection):
    page = article(built, "kalender/")
    items = page.select(".kk-agenda__item")
    assert len(items) == len(sel.upcoming_sessions)
    times = [i.select_one("time")["datetime"] for i in items]
    assert times == sorted(times) and min(times) >= TODAY.isoformat()
    assert [h.get_text() for h in page.find_all("h2")][-1].endswith("2027")
    assert any(h.get_text().startswith("Uge ") for h in page.find_all("h3"))
    randers = article(built, "kalender/skole/recoveryskolen-randers/")
    titles = {a.get_text() for a in randers.select(".kk-agenda__item > a")}
    expected = {c.title for c in sel.courses if c.school_id == "recoveryskolen-randers"
                and sel.upcoming(c)}
    assert titles == expected


def test_guide_page_offers_its_downloads(built: Path):
    page = BeautifulSoup((built / "materialer" / "fem-veje-til-et-godt-liv" / "index.html")
                         .read_text(encoding="utf-8"), "html.parser")
    links = [a.get_text(" ", strip=True) for a in page.select("article .kk-downloads a")]
    assert any("A4" in text and "kB" in text for text in links)
    assert any("A5-hæfte" in text for text in links)
    assert page.select("article .kk-guide-courses a")
    index = BeautifulSoup((built / "materialer" / "index.html").read_text(encoding="utf-8"),
                          "html.parser")
    assert len(index.select("article .kk-guide :is(h2, h3) a")) >= 3
    course = BeautifulSoup((built / "kurser" / "fem-veje-til-et-godt-liv" / "index.html")
                           .read_text(encoding="utf-8"), "html.parser")
    assert "5 veje til et godt liv" in course.select_one("article").get_text()
