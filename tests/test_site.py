"""The built demo site, read with a real HTML parser, a real iCalendar parser and json."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import icalendar
import pytest
from bs4 import BeautifulSoup

from generator.catalogue import read_catalogue
from generator.render import offering_ics_path
from generator.select import Selection

from conftest import REPO, TODAY_DEMO as TODAY, copy_catalogue, run

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY, use_cache=False).catalogue, TODAY)


def soup(site: Path, url: str) -> BeautifulSoup:
    path = site / url / "index.html" if url.endswith("/") or not url else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site: Path, url: str):
    return soup(site, url).select_one("article.md-content__inner")


def course_links(node, page_url: str) -> set[str]:
    """Ids of the courses a page links to from its cards."""
    found = set()
    for a in node.select(".kk-card__title a"):
        target = urljoin("https://x/" + page_url, a["href"])
        found.add(target.removeprefix("https://x/kurser/").strip("/"))
    return found


# --- pages and their content ------------------------------------------------------------

CONTRACT = ["", "kurser/", "kurser/fem-veje-til-et-godt-liv/", "kalender/", "kalender.ics",
            "kalender/recoveryskolen-randers.ics", "undervisere/", "undervisere/anne-s/",
            "temaer/oege-netvaerk/", "steder/psykiatriens-hus/", "om/", "tilgaengelighed/",
            "privatliv/"]


@pytest.mark.parametrize("url", CONTRACT)
def test_every_contract_url_exists(built: Path, url: str):
    path = built / url / "index.html" if url.endswith("/") or not url else built / url
    assert path.is_file()


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
    assert block.select_one(".kk-status").get_text() == "Få pladser"
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
             "started": "Holdet er i gang"}
    seen = set()
    for course in sel.courses:
        page = article(built, f"kurser/{course.id}/")
        for offering in sel.upcoming(course):
            state = offering.availability(TODAY).value
            shown = page.select_one(f"#hold-{offering.key} .kk-status").get_text()
            assert shown == words.get(state, shown) and shown.startswith(words.get(state, "Tilm"))
            seen.add(state)
    assert {"open", "few-places", "full", "cancelled", "postponed", "drop-in"} <= seen


def test_cancelled_offering_shows_its_reason(built: Path, sel: Selection):
    course, offering = next((c, o) for c in sel.courses for o in sel.upcoming(c)
                            if o.status == "cancelled")
    block = article(built, f"kurser/{course.id}/").select_one(f"#hold-{offering.key}")
    text = block.get_text(" ", strip=True)
    assert "Aflyst" in text and offering.status_note in text
    assert not block.select(".kk-signup"), "no sign-up for a cancelled offering"


def test_drop_in_says_no_sign_up(built: Path, sel: Selection):
    course = next(c for c in sel.courses for o in c.offerings if not o.registration.required)
    text = article(built, f"kurser/{course.id}/").select_one(".kk-signup").get_text()
    assert "Ingen tilmelding" in text


def test_external_provider_is_marked(built: Path, sel: Selection):
    course = next(c for c in sel.courses if not sel.catalogue.co_produced(c))
    line = article(built, f"kurser/{course.id}/").select_one(".kk-cotaught").get_text()
    assert "ekstern samarbejdspartner" in line


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


def _all_text(site: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*")
                     if p.is_file())


def test_unconsented_teachers_appear_nowhere_by_name(built: Path, sel: Selection):
    everything = _all_text(built)
    hidden = [t for t in sel.catalogue.teachers.values() if not sel.shown(t)]
    assert len(hidden) >= 3
    for teacher in hidden:
        for form in {teacher.name, json.dumps(teacher.name)[1:-1],
                     json.dumps(teacher.name, ensure_ascii=True)[1:-1]}:
            assert form not in everything, teacher.id
        # Ids are made from names too, so no URL or file may carry them.
        assert not re.search(rf"\b{re.escape(teacher.id)}\b", everything), teacher.id
    first_name_only = [t for t in sel.teachers if t.consent.display == "first-name"]
    for teacher in first_name_only:
        assert teacher.name not in everything


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


# --- calendars ----------------------------------------------------------------------------

def _events(path: Path) -> list:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Copenhagen"
    return calendar.walk("VEVENT")


def test_offering_calendar_has_local_times_place_and_link(built: Path, sel: Selection):
    course = sel.catalogue.courses["fem-veje-til-et-godt-liv"]
    offering = sel.upcoming(course)[0]
    events = _events(built / offering_ics_path(course, offering))
    assert len(events) == len(offering.sessions)
    start = events[0].decoded("dtstart")
    assert (start.hour, start.minute) == (offering.sessions[0].start.hour,
                                          offering.sessions[0].start.minute)
    assert str(start.tzinfo) == "Europe/Copenhagen"
    assert events[0]["dtstart"].params["TZID"] == "Europe/Copenhagen"
    venue = sel.catalogue.venues[offering.venue_id]
    assert venue.address in str(events[0]["location"])
    assert str(events[0]["url"]) == f"https://recoveryskoler.example.org/kurser/{course.id}/"


def test_feeds_hold_every_upcoming_session_and_cancel_instead_of_dropping(built: Path,
                                                                          sel: Selection):
    events = _events(built / "kalender.ics")
    assert len(events) == len(sel.upcoming_sessions)
    cancelled = [e for e in events if str(e["status"]) == "CANCELLED"]
    expected = [d for d in sel.upcoming_sessions if not d.offering.takes_place]
    assert len(cancelled) == len(expected) > 0
    assert all(str(e["summary"]).startswith(("AFLYST", "UDSAT")) for e in cancelled)
    school = _events(built / "kalender" / "recoveryskolen-viborg.ics")
    assert len(school) == sum(1 for d in sel.upcoming_sessions
                              if d.course.school_id == "recoveryskolen-viborg")


# --- structured data ----------------------------------------------------------------------

def test_course_pages_carry_json_ld(built: Path, sel: Selection):
    course = sel.catalogue.courses["fem-veje-til-et-godt-liv"]
    script = soup(built, f"kurser/{course.id}/").find("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@type"] == "Course" and data["name"] == course.title
    assert data["isAccessibleForFree"] is True and data["offers"]["price"] == 0
    assert data["provider"]["@type"] == "Organization"
    instances = data["hasCourseInstance"]
    assert len(instances) == len(sel.upcoming(course))
    first = instances[0]
    assert first["@type"] == "CourseInstance" and first["organizer"]["@type"] == "Organization"
    assert first["location"]["@type"] == "Place"
    assert first["location"]["address"]["@type"] == "PostalAddress"
    assert first["subEvent"][0]["@type"] == "Event"
    assert first["startDate"].endswith("+01:00")  # February: Danish winter time


# --- builds -------------------------------------------------------------------------------

def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path):
    root = copy_catalogue(REPO, tmp_path / "again")
    assert run(["build", "--today", TODAY.isoformat()], root).returncode == 0
    first, second = _tree(built), _tree(root / "site")
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []


@pytest.mark.parametrize("runner", ["mkdocs", "properdocs"])
def test_both_runners_build_strictly(runner: str, tmp_path: Path):
    root = copy_catalogue(REPO, tmp_path / "demo")
    done = subprocess.run([str(BIN / runner), "build", "--strict", "--site-dir", "out"],
                          cwd=root, capture_output=True, text=True, timeout=600,
                          env={"SOURCE_DATE_EPOCH": "1795305600", "PATH": str(BIN),
                               "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert (root / "out" / "kurser" / "fem-veje-til-et-godt-liv" / "index.html").is_file()
    assert not (root / "docs" / "kurser").exists(), "nothing is written into the sources"
