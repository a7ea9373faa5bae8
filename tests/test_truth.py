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
def false_site(citizen_site) -> Path:
    """One build serves both: the citizen's catalogue makes every site-wide claim false."""
    return citizen_site


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


# --- what a citizen sees first ---------------------------------------------------------

CANCELLED = """  - key: vinter
    venue: huset
    room: Lokale 1
    status: cancelled
    status_note: Underviseren er syg, og alle tilmeldte har fået besked.
    registration: {deadline: 2027-01-06}
    sessions:
      - {date: 2027-01-13, start: "10:00", end: "13:00"}
"""

ONGOING = """title: Mandagsgruppen
summary: En fast gruppe hver mandag, som man kan komme til, når man vil.
description: Vi drikker kaffe og taler om ugen.
themes: [oege-netvaerk]
audience: [alle]
school: skole-a
teachers: [peer-p, fag-f]
registration:
  required: false
  note: Børn er meget velkomne.
offerings:
  - key: efteraar
    venue: haven
    status: open
    note: Mød op ved lågen til haven.
    recurrence:
      frequency: weekly
      weekday: mandag
      start: "13:00"
      end: "15:00"
      from: 2026-09-07
  - key: tema
    venue: haven
    status: open
    registration: {required: true, deadline: 2027-01-10}
    recurrence:
      frequency: weekly
      weekday: onsdag
      start: "16:00"
      end: "18:00"
      from: 2027-01-13
      until: 2027-03-31
"""

MONTHLY_ONLINE = """title: Aftencafé online
summary: En café på nettet den første torsdag i måneden.
description: Vi mødes på nettet og taler om, hvad der hjælper.
themes: [oege-netvaerk]
audience: [alle]
school: skole-a
teachers: [peer-p, fag-f]
eligibility: {min_age: 18}
offerings:
  - key: foraar
    attendance: online
    status: open
    registration: {deadline: 2027-01-31}
    recurrence:
      frequency: monthly
      position: første
      weekday: torsdag
      start: "19:00"
      end: "20:30"
      from: 2027-02-01
      until: 2027-06-30
"""

ENGLISH = """title: Understanding recovery
summary: An introduction to recovery for anyone who wants to learn more about it.
description: We talk about hope, about what helps, and how you can plan your own recovery.
themes: [laere-noget-nyt]
audience: [alle]
school: skole-a
teachers: [peer-p, fag-f]
language: en
offerings:
  - key: spring
    venue: gateshead
    status: open
    sessions:
      - {date: 2027-03-04, start: "10:00", end: "13:00"}
"""

GATESHEAD = """  gateshead:
    name: Gateshead Library
    address: Prince Consort Road
    postal_code: NE8 4LN
    city: Gateshead
    country: GB
    accessibility: Step-free access and a lift.
"""


def citizen_catalogue(root: Path) -> None:
    """The small catalogue with what a citizen must see first: a cancelled offering in the
    coming weeks, an ongoing drop-in group that began in September beside a themed group, a
    monthly online group for adults, an English course at a venue abroad, and a school where
    one enrols first; and one course with a price, one for patients only, one not co-taught."""
    a = root / "courses" / "kursus-a.yaml"
    a.write_text(a.read_text(encoding="utf-8") + CANCELLED, encoding="utf-8")
    (root / "courses" / "mandagsgruppen.yaml").write_text(ONGOING, encoding="utf-8")
    (root / "courses" / "aftencafe-online.yaml").write_text(MONTHLY_ONLINE, encoding="utf-8")
    (root / "courses" / "understanding-recovery.yaml").write_text(ENGLISH, encoding="utf-8")
    school = root / "schools" / "skole-a.yaml"
    text = school.read_text(encoding="utf-8").replace("venues:\n", "venues:\n" + GATESHEAD)
    text += "enrol_first: {how: Udfyld optagelsesskemaet hos skolen.}\n"
    school.write_text(text, encoding="utf-8")
    every_claim_false(root)


@pytest.fixture(scope="module")
def citizen_site(tmp_path_factory) -> Path:
    return build_mini(tmp_path_factory.mktemp("citizen"), citizen_catalogue)


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def key_facts(site: Path, course: str):
    return page(site, f"kurser/{course}/").select_one(".kk-key")


def test_a_cancelled_offering_in_the_coming_weeks_is_in_the_key_facts_struck_through(
        citizen_site):
    box = key_facts(citizen_site, "kursus-a")
    off = box.select_one("[data-kk=called-off]")
    assert off is not None, box
    assert off.find("del").get_text(" ", strip=True) == "onsdag 13. januar 2027"
    assert "Aflyst" in off.get_text() and "Underviseren er syg" in off.get_text()
    # and the box then puts forward the offering that does take place, with its deadline
    assert box.select_one("[data-kk=first-date]")["datetime"].startswith("2027-02-03")
    assert box.select_one("[data-kk=deadline]").get_text(strip=True) == "onsdag 27. januar 2027"


def test_on_a_phone_the_cancellation_is_in_the_first_screen_and_looks_like_no_other_status(
        citizen_site, browser):
    from conftest import serve

    with serve(citizen_site) as origin:
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        tab.goto(origin + "/kurser/kursus-a/")
        box = tab.locator("[data-kk=called-off]").bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, box
        looks = tab.evaluate("""() => {
          const style = e => getComputedStyle(e);
          const off = document.querySelector('[data-kk=called-off] .kk-off');
          const del = document.querySelector('[data-kk=called-off] del');
          const other = document.querySelector('.kk-key .kk-status');
          return {off: style(off).color, struck: style(del).textDecorationLine,
                  other: other ? style(other).color : null,
                  mark: getComputedStyle(off, '::before').content};
        }""")
        tab.close()
    assert looks["struck"] == "line-through"
    assert looks["off"] != looks["other"], looks  # not the grey of "Tilmeldingen åbner"
    assert "✕" in looks["mark"]


def test_an_ongoing_group_is_named_by_its_rhythm_and_next_date(citizen_site):
    course = page(citizen_site, "kurser/mandagsgruppen/")
    heading = course.select_one(".kk-offering h3").get_text(" ", strip=True)
    assert "Hver mandag kl. 13.00–15.00" in heading and "næste gang 7. december" in heading
    assert "september" not in heading
    box = course.select_one(".kk-key")
    said = box.get_text(" ", strip=True)
    assert said.count("Ingen tilmelding – mød bare op") == 1, said
    assert "Børn er meget velkomne" in said


def test_an_ongoing_groups_calendar_file_starts_at_its_next_date_and_keeps_its_rule(
        citizen_site):
    import datetime as dt

    import icalendar
    import recurring_ical_events

    link = page(citizen_site, "kurser/mandagsgruppen/").select_one(".kk-key a[download]")
    data = (citizen_site / "kurser" / "mandagsgruppen" / link["href"]).resolve().read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    event = calendar.walk("VEVENT")[0]
    assert event["dtstart"].dt.date() == dt.date(2026, 12, 7)
    assert event["rrule"]["FREQ"] == ["WEEKLY"] and "UNTIL" not in event["rrule"]
    seen = recurring_ical_events.of(calendar).between(dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert sorted(e["DTSTART"].dt.date() for e in seen) == [
        dt.date(2026, 12, 7), dt.date(2026, 12, 14), dt.date(2026, 12, 21),
        dt.date(2026, 12, 28)]
    described = str(event["description"])
    assert "Mød op ved lågen til haven." in described  # the offering's note
    assert "Udfyld optagelsesskemaet" in described  # enrol first


def test_structured_data_gives_no_end_to_an_ongoing_group_and_the_week_of_a_monthly_one(
        citizen_site):
    def instances(course):
        script = page(citizen_site, f"kurser/{course}/").find(
            "script", type="application/ld+json")
        return json.loads(script.string)["hasCourseInstance"]

    ongoing = instances("mandagsgruppen")[0]
    assert "endDate" not in ongoing and "endDate" not in ongoing["eventSchedule"]
    monthly = instances("aftencafe-online")[0]
    assert monthly["eventSchedule"]["byMonthWeek"] == 1
    assert monthly["eventSchedule"]["byDay"] == "https://schema.org/Thursday"
    assert "endDate" in monthly


def test_an_online_offering_says_how_the_link_comes_and_the_calendar_who_may_come(
        citizen_site):
    import icalendar

    box = key_facts(citizen_site, "aftencafe-online")
    assert "Linket sendes, når du har meldt dig til." in box.get_text(" ", strip=True)
    link = box.select_one("a[download]")["href"]
    data = (citizen_site / "kurser" / "aftencafe-online" / link).resolve().read_bytes()
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert event["rrule"]["BYDAY"] == ["1TH"]
    assert "Fra 18 år" in str(event["description"])


def test_a_course_in_english_is_marked_so_and_its_e_mail_is_in_english(citizen_site):
    from urllib.parse import parse_qs, urlsplit

    course = page(citizen_site, "kurser/understanding-recovery/")
    assert course.select_one("h1#indhold")["lang"] == "en"
    assert course.select_one(".kk-lead")["lang"] == "en"
    assert course.select_one(".kk-description")["lang"] == "en"
    mail = course.select_one(".kk-key [data-kk=signup]")["href"]
    query = parse_qs(urlsplit(mail).query)
    assert query["subject"][0].startswith("Sign-up: Understanding recovery")
    assert query["body"][0].startswith("Hello")
    # a Danish course's text is not marked
    assert not page(citizen_site, "kurser/kursus-a/").select_one("h1#indhold").get("lang")


def test_a_venue_abroad_shows_its_country_on_the_page_the_map_link_and_in_the_pdf(
        citizen_site):
    venue = page(citizen_site, "steder/gateshead/")
    assert "Gateshead NE8 4LN, Storbritannien" in venue.select_one(".kk-lead").get_text()
    assert "Storbritannien" in venue.select_one("a.kk-map")["href"]
    words, _ = pdf(citizen_site)
    assert "Gateshead NE8 4LN, Storbritannien" in words
    assert "Mød op ved lågen til haven." in words  # the offering's note


def test_a_course_page_leads_back_to_the_list_and_marks_its_tab(citizen_site):
    course = page(citizen_site, "kurser/kursus-a/")
    back = course.select_one("nav.kk-crumbs a")
    assert back["href"] == "../../kurser/"
    active = course.select_one(".md-tabs__item--active a")
    assert active.get_text(strip=True) == "Kurser"


def test_a_course_with_several_offerings_says_so_first_and_leads_with_the_next(citizen_site):
    box = key_facts(citizen_site, "mandagsgruppen")
    choice = box.select_one("[data-kk=choice]").get_text(" ", strip=True)
    assert choice.startswith("2 hold: mandag og onsdag"), choice
    assert box.select_one("[data-kk=first-date]")["datetime"].startswith("2026-12-07")
    assert box.select_one(".kk-key__lead").get_text(" ", strip=True).startswith("Hver mandag")


def test_on_a_phone_the_home_pages_first_screen_leads_to_the_courses(citizen_site, browser):
    from conftest import serve

    with serve(citizen_site) as origin:
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        tab.goto(origin + "/")
        links = tab.evaluate("""() => [...document.querySelectorAll('article a')]
          .filter(a => /kurser\\//.test(a.getAttribute('href')))
          .map(a => a.getBoundingClientRect().top)""")
        tab.close()
    assert links and min(links) < 844 - 44, links
