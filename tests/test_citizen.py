"""The citizen's questions first: when, where, can I come, how do I sign up, on a phone.

Issue 13. The browser test measures the course pages on a 390x844 viewport; the others read
the built demo site (HTML with BeautifulSoup, calendars with icalendar, PDFs with pypdf).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import icalendar
import pypdf
import pytest
from bs4 import BeautifulSoup

from generator.catalogue import read_catalogue
from generator.model import Visibility
from generator.render import Site, offering_ics_path, theme_feed_path
from generator.render.calendars import Calendars
from generator.render.pages import Links
from generator.select import Selection
from generator.templating import make_environment, strings

from conftest import REPO, TODAY_DEMO as TODAY, run, serve

PHONE = {"width": 390, "height": 844}
T = strings()


@pytest.fixture(scope="module")
def sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY, use_cache=False).catalogue, TODAY)


def page(site: Path, url: str) -> BeautifulSoup:
    path = site / url / "index.html" if url.endswith("/") or not url else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site: Path, url: str):
    return page(site, url).select_one("article.md-content__inner")


def _ics(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


# --- 1. key facts first -----------------------------------------------------------------------

def test_on_a_phone_every_course_page_shows_the_first_date_and_the_sign_up_action_unscrolled(
        built: Path, browser, sel: Selection):
    courses = [c for c in sel.courses if sel.upcoming(c)]
    assert len(courses) >= 20
    tab = browser.new_page(viewport=PHONE)
    with serve(built) as origin:
        for course in courses:
            tab.goto(f"{origin}/kurser/{course.id}/")
            for what in ("first-date", "signup"):
                box = tab.locator(f"[data-kk={what}]").bounding_box()
                assert box is not None, (course.id, what)
                assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], \
                    f"{course.id}: {what} ends at y={box['y'] + box['height']:.0f}"
    tab.close()


def test_the_key_facts_come_before_the_description_and_say_when_where_and_status(
        built: Path, sel: Selection):
    course = sel.catalogue.courses["et-godt-hverdagsliv"]
    lead = sel.headline(course)
    body = article(built, f"kurser/{course.id}/")
    key = body.select_one(".kk-key")
    headings = [h.get_text(strip=True) for h in body.find_all("h2")]
    assert headings.index(T["course"]["key_title"]) < headings.index(T["course"]["description"])
    when = key.select_one("[data-kk=first-date]")
    first = lead.sessions[0]
    assert when["datetime"] == f"{first.date.isoformat()}T{first.start:%H:%M}"
    assert T["course"]["more_sessions"].format(n=len(lead.sessions) - 1) in key.get_text()
    venue = sel.catalogue.venues[lead.venue_id]
    assert f"{venue.name}, {venue.town}" in key.get_text(" ", strip=True).replace(" ,", ",")
    assert key.select_one(".kk-status").get_text() == T["availability"]["open"]
    assert key.select_one('a[href$=".ics"]').get_text() == T["course"]["calendar"]


def test_the_primary_sign_up_is_the_sign_up_link_when_there_is_one(built: Path,
                                                                  sel: Selection):
    course = sel.catalogue.courses["et-godt-hverdagsliv"]
    lead = sel.headline(course)
    action = article(built, f"kurser/{course.id}/").select_one(".kk-key [data-kk=signup]")
    assert action.get_text(strip=True) == T["course"]["signup_button"]
    assert "md-button--primary" in action["class"] and action["href"] == lead.registration.url


def _course_page(course_id: str, today: dt.date) -> BeautifulSoup:
    """One course page rendered from its template on another day than the demo build's."""
    selection = Selection(read_catalogue(REPO, today).catalogue, today)
    html = make_environment().get_template("course.html").render(
        sel=selection, site=Site("Test"), links=Links("kurser/x/"), page=None,
        course=selection.catalogue.courses[course_id])
    return BeautifulSoup(html, "html.parser")


def test_the_primary_sign_up_by_email_has_subject_and_body_filled_in():
    today = dt.date(2026, 12, 15)  # sign-up has opened for the spring
    body = _course_page("fem-veje-til-et-godt-liv", today)
    sel = Selection(read_catalogue(REPO, today).catalogue, today)
    course = sel.catalogue.courses["fem-veje-til-et-godt-liv"]
    lead = sel.headline(course)
    assert lead.availability(today).can_sign_up and not lead.registration.url
    action = body.select_one(".kk-key [data-kk=signup]")
    assert action.get_text(strip=True) == T["course"]["signup_button"]
    href = urlsplit(action["href"])
    assert href.scheme == "mailto" and unquote(href.path) == lead.registration.email
    query = parse_qs(href.query)
    day = f"{lead.first_date.day}. {T['months'][lead.first_date.month - 1]} {lead.first_date.year}"
    assert query["subject"] == [f"Tilmelding: {course.title}, hold {day}"]
    assert "Mit navn:" in query["body"][0] and "\r\n" in query["body"][0]


def test_a_drop_in_course_says_just_come_and_one_not_yet_open_says_when(built: Path,
                                                                         sel: Selection):
    seen = set()
    for course in sel.courses:
        lead = sel.headline(course)
        if lead is None:
            continue
        state = lead.availability(TODAY).value
        action = article(built, f"kurser/{course.id}/").select_one(".kk-key [data-kk=signup]")
        text = action.get_text(" ", strip=True)
        if state == "drop-in":
            # The drop-in's own note may follow ("Børn er meget velkomne").
            assert text.startswith(T["course"]["dropin"]) and action.find("a") is None
        elif state == "not-yet":
            assert text.startswith("Du kan tilmelde dig fra"), (course.id, text)
        seen.add(state)
    assert {"drop-in", "not-yet", "open"} <= seen


def test_every_offering_keeps_its_full_details_further_down(built: Path, sel: Selection):
    course = sel.catalogue.courses["fem-veje-til-et-godt-liv"]
    body = article(built, f"kurser/{course.id}/")
    for offering in sel.upcoming(course):
        block = body.select_one(f"#hold-{offering.key}")
        assert len(block.select("ol.kk-sessions li")) == len(offering.sessions)
        assert block.select_one(".kk-status") and block.select_one(".kk-facts")


# --- 2. cards -----------------------------------------------------------------------------------

def test_a_card_shows_date_and_time_town_and_the_status_as_words(built: Path, sel: Selection):
    course = sel.catalogue.courses["et-godt-hverdagsliv"]
    lead = sel.headline(course)
    cards = article(built, "kurser/").select(".kk-card")
    card = next(c for c in cards if c.select_one(".kk-card__title a").get_text() == course.title)
    facts = card.select_one(".kk-facts").get_text(" ", strip=True)
    first = lead.sessions[0]
    assert f"kl. {first.start:%H.%M}–{first.end:%H.%M}" in facts
    assert sel.catalogue.venues[lead.venue_id].town in facts
    status = card.select_one(".kk-card__status")
    assert status.get_text(strip=True) == T["availability"]["open"]
    assert status.find(["a", "button"]) is None and "md-button" not in str(status)


# --- 3. filters ---------------------------------------------------------------------------------

def test_the_town_filter_joins_both_schools_in_randers(built: Path, sel: Selection):
    body = article(built, "kurser/")
    towns = {a["data-value"]: a.get_text() for a in body.select('[data-facet=by] a[data-value]')}
    # London: the Aarhus school's partner venue (issue 23, a venue's time zone).
    assert towns == {"aarhus": "Aarhus", "london": "London", "randers": "Randers",
                     "viborg": "Viborg"}
    randers = {c.school_id for c in sel.with_facet("by", "randers")}
    assert randers == {"recoveryskolen-randers", "aftenskolen-lysglimt"}
    # Without JavaScript the chip is a link to a page that lists the same courses.
    view = article(built, "kurser/by/randers/")
    shown = {a.get_text() for a in view.select(".kk-card__title a")}
    assert shown == {c.title for c in sel.with_facet("by", "randers")}
    assert view.select_one(".kk-filter__clear:not([hidden])").get_text() == T["courses"]["clear"]


def test_after_a_tap_on_a_phone_the_count_and_nulstil_are_in_sight(built: Path, browser,
                                                                    sel: Selection):
    tab = browser.new_page(viewport=PHONE)
    with serve(built) as origin:
        tab.goto(f"{origin}/kurser/")
        tab.click(".kk-filter summary")
        chip = tab.locator('[data-facet=tema] a[data-value="leve-mere-aktivt"]')
        size = chip.evaluate("e => [parseFloat(getComputedStyle(e).fontSize), "
                             "getComputedStyle(e).justifyContent]")
        assert size[0] >= 16 and size[1] == "center"
        chip.click()
        bar = tab.locator(".kk-filter__bar")
        box = bar.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
        assert bar.locator("[data-count]").inner_text() == \
            str(len(sel.with_facet("tema", "leve-mere-aktivt")))
        assert tab.locator(".kk-filter__clear").is_visible()
        tab.click(".kk-filter__clear")
        assert bar.locator("[data-count]").inner_text() == str(len(sel.courses))
    tab.close()


# --- 4. calendars -------------------------------------------------------------------------------

def test_calendar_downloads_are_named_after_course_and_date_and_never_collide(built: Path,
                                                                              sel: Selection):
    names = [p.name for p in (built / "kurser").glob("*/*.ics")]
    assert names and len(names) == len(set(names))
    for course in sel.courses:
        for offering in sel.upcoming(course):
            path = offering_ics_path(course, offering)
            assert Path(path).name.startswith(f"{course.id}-{offering.first_date.isoformat()}")
            if offering.takes_place:
                assert (built / path).is_file()


def test_each_event_says_how_to_sign_up_links_the_page_and_reminds_a_day_before(built: Path,
                                                                                sel: Selection):
    course = sel.catalogue.courses["et-godt-hverdagsliv"]
    lead = sel.headline(course)
    events = _ics(built / offering_ics_path(course, lead)).walk("VEVENT")
    assert len(events) == len(lead.sessions)
    for event in events:
        text = str(event["description"])
        assert lead.registration.email in text
        assert f"https://recoveryskoler.example.org/kurser/{course.id}/" in text
        alarm = event.walk("VALARM")[0]
        assert alarm.decoded("trigger") == -dt.timedelta(days=1)
        assert str(alarm["action"]) == "DISPLAY"


def test_events_name_the_team_by_role_and_never_an_unconsented_name(built: Path,
                                                                    sel: Selection):
    hidden = [t for t in sel.catalogue.teachers.values()
              if t.visibility(TODAY) is Visibility.ROLE]
    assert hidden
    roles = 0
    for path in [*(built / "kurser").glob("*/*.ics"), *(built / "kalender").rglob("*.ics"),
                 built / "kalender.ics"]:
        text = path.read_text(encoding="utf-8")
        unfolded = text.replace("\r\n ", "")
        for teacher in hidden:
            assert teacher.name not in unfolded, (path.name, teacher.id)
        roles += "Undervisere: " in unfolded
    assert roles > 10


def test_a_brand_can_turn_the_reminder_off(sel: Selection):
    course = sel.catalogue.courses["et-godt-hverdagsliv"]
    lead = sel.headline(course)
    on = _ics_bytes(Calendars(sel, Site("Test")).offering(course, lead))
    off = _ics_bytes(Calendars(sel, Site("Test", calendar_reminder=False)).offering(course, lead))
    assert on.walk("VALARM") and not off.walk("VALARM")


def _ics_bytes(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def test_every_theme_has_a_feed_linked_from_the_calendar_and_its_theme_page(built: Path,
                                                                             sel: Selection):
    calendar = article(built, "kalender/")
    linked = {a["href"] for a in calendar.select(".kk-themefeeds a")}
    recurring = 0
    for theme in sel.themes:
        # A changed date of a series (issue 23) is an override of it, not another event.
        feed = [e for e in _ics(built / theme_feed_path(theme.id)).walk("VEVENT")
                if "RECURRENCE-ID" not in e]
        ids = {c.id for c in sel.with_facet("tema", theme.id)}
        expected = [d for d in sel.upcoming_sessions if d.course.id in ids]
        # A recurring offering is one event with an RRULE, however many of its dates lie ahead.
        series = {(d.course.id, d.offering.key) for d in expected if d.offering.recurrence}
        single = [d for d in expected if not d.offering.recurrence]
        assert len(feed) == len(series) + len(single), theme.id
        assert sum(1 for e in feed if "rrule" in e) == len(series), theme.id
        recurring += len(series)
        assert f"../{theme_feed_path(theme.id)}" in linked
        theme_page = article(built, f"temaer/{theme.id}/")
        assert theme_page.select_one(f'a[href$="{theme_feed_path(theme.id)}"]')
    assert recurring, "the demo has a recurring group in some theme's feed"


# --- 5. venue -----------------------------------------------------------------------------------

def test_a_venue_links_to_the_map_and_embeds_nothing(built: Path, sel: Selection):
    venue = sel.catalogue.venues["psykiatriens-hus"]
    body = article(built, f"steder/{venue.id}/")
    link = body.find("a", string=T["venues"]["map"])
    target = urlsplit(link["href"])
    assert target.netloc == "www.openstreetmap.org"
    assert parse_qs(target.query)["query"] == [
        f"{venue.address}, {venue.postal_code} {venue.city}"]
    assert body.find(["iframe", "embed", "object"]) is None
    headings = [h.get_text(strip=True) for h in body.find_all("h2")]
    assert headings[:2] == [T["course"]["accessibility"], T["course"]["directions"]]


# --- 6. 404 -------------------------------------------------------------------------------------

def test_the_404_page_is_danish_with_ways_back(built: Path):
    doc = page(built, "404.html")
    assert doc.html["lang"] == "da"
    body = doc.select_one("article")
    assert body.h1.get_text() == T["not_found"]["title"]
    assert "Not found" not in doc.get_text()
    assert "sæson til sæson" in body.get_text()
    hrefs = {a["href"] for a in body.select("a")}
    assert {"/kurser/", "/kalender/", "/"} <= hrefs
    assert doc.select_one('link[href*="assets/catalogue."][href$=".css"]'), "the site's look"


# --- 7. navigation ------------------------------------------------------------------------------

def test_the_menu_holds_citizen_items_and_the_footer_the_rest(built: Path):
    doc = page(built, "")
    menu = {a.get_text(strip=True) for a in doc.select(".md-tabs a, .md-nav--primary a")}
    footer = {a.get_text(strip=True) for a in doc.select(".md-footer .kk-footer-links a")}
    rest = {"Åbne data", "Tilgængelighed", "Privatliv"}
    assert not menu & rest and {"Kurser", "Kalender"} <= menu
    assert rest <= footer


def test_teacher_guides_are_listed_apart_from_citizens_guides(built: Path, sel: Selection):
    body = article(built, "materialer/")
    apart = body.select_one(".kk-teacher-guides")
    teacher = sel.catalogue.guides["samarbejdsaftale-for-underviserteams"]
    assert "fagprofessionelle" in teacher.audience
    assert apart.find("a", string=teacher.title)
    citizens = [a.get_text() for a in body.select(".kk-guide > h2 a")]
    assert teacher.title not in citizens and "Min personlige forebyggelsesplan" in citizens


# --- 8. first time ------------------------------------------------------------------------------

def test_the_course_page_tells_what_to_expect_the_first_time(built: Path, sel: Selection):
    school = sel.catalogue.schools["recoveryskolen-randers"]
    assert school.first_time
    body = article(built, "kurser/fem-veje-til-et-godt-liv/")
    assert body.select_one("#foerste-gang").get_text() == T["course"]["first_time"]
    assert "kaffe" in body.select_one(".kk-firsttime").get_text()
    other = next(c for c in sel.courses if not sel.catalogue.schools[c.school_id].first_time)
    assert article(built, f"kurser/{other.id}/").select_one("#foerste-gang") is None


# --- 9. language --------------------------------------------------------------------------------

def test_no_english_alt_text_pdf_metadata_or_calendar_comment(built: Path):
    alts = Counter()
    for html in built.rglob("*.html"):
        for img in BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find_all("img"):
            alts[img.get("alt")] += 1
    assert "logo" not in alts and alts["Recoveryskolerne i Region Midtjylland"] > 10
    for pdf in [built / "kursuskatalog.pdf", *(built / "materialer").glob("*.pdf")]:
        assert pypdf.PdfReader(pdf).metadata["/Creator"] == T["print"]["generator"]
    zone = _ics(built / "kalender.ics").walk("VTIMEZONE")[0]
    assert str(zone["comment"]) == T["calendar_file"]["timezone"]
    assert not re.search(r"This timezone|Not found|Recovery-school",
                         (built / "kalender.ics").read_text(encoding="utf-8")
                         + (built / "404.html").read_text(encoding="utf-8"))


# --- an empty brand -----------------------------------------------------------------------------

def test_a_brand_with_a_school_but_no_courses_says_so_calmly_once(demo: Path):
    for course in (demo / "courses").glob("*.yaml"):
        # Viborg's own courses, and the one it runs with Randers (`also_schools`).
        if "recoveryskolen-viborg" in course.read_text(encoding="utf-8"):
            course.unlink()
    done = run(["build", "--site", "viborg", "--today", TODAY.isoformat(), "--out",
                str(demo / "out")], demo)
    assert done.returncode == 0, done.stderr
    courses = article(demo / "out", "kurser/")
    text = courses.get_text(" ", strip=True)
    assert text.count(T["courses"]["empty_catalogue"]) == 1
    assert T["courses"]["none"] not in text and courses.select_one(".kk-filter") is None
    assert [h.get_text() for h in courses.find_all("h2")] == []
    home = article(demo / "out", "")
    assert T["home"]["next_title"] not in [h.get_text() for h in home.find_all("h2")]
    assert T["courses"]["empty_catalogue"] in home.get_text()
