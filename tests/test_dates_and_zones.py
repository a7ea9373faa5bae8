"""Issue 23, items 1, 4-7: a venue's time zone, an offering's name and language, changes on one
date of a recurring group, a school's breaks and skipped public holidays.

Most tests read the demo site built once (`built`): the Monday peer group in Randers (a
Christmas break on the school, `skip_holidays`, three `changes`) and the online conversation
group's English, hybrid offering at the partner college in London (`name`, `language`, a change
and a cancelled date, across the change to summer time on 28 March 2027). Calendars are read
with icalendar and recurring-ical-events, JSON-LD with json, PDFs with pypdf, pages with bs4.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from bs4 import BeautifulSoup
from pypdf import PdfReader

from generator.catalogue import read_catalogue
from generator.recurrence import Break, Recurrence, holidays_of
from generator.render import Build, Site
from generator.render.calendars import Calendars
from generator.render.search import records
from generator.render.structured import course_jsonld
from generator.select import Selection
from generator.templating import strings

from conftest import MINI, REPO, TODAY_DEMO as TODAY, copy_catalogue, serve

T = strings()
UTC = dt.timezone.utc
LONDON_ICS = "kurser/online-samtalegruppe/online-samtalegruppe-2027-03-03.ics"
MONDAY_ICS = "kurser/peergruppe-mandag/peergruppe-mandag-2026-09-07.ics"


@pytest.fixture(scope="module")
def sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY, use_cache=False).catalogue, TODAY)


def _ics(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _between(calendar, start: dt.date, end: dt.date) -> list:
    return sorted(recurring_ical_events.of(calendar).between(start, end),
                  key=lambda e: e["DTSTART"].dt)


def _article(site: Path, url: str):
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select_one("article.md-content__inner")


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


# --- 1. time zones ---------------------------------------------------------------------------

def test_a_london_group_is_british_time_in_the_ics_across_the_change_to_summer_time(built):
    calendar = _ics(built / LONDON_ICS)
    zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    assert "Europe/London" in zones
    events = _between(calendar, dt.date(2027, 3, 1), dt.date(2027, 4, 30))
    series = [e for e in calendar.walk("VEVENT") if "RRULE" in e][0]
    assert series["DTSTART"].params["TZID"] == "Europe/London"
    starts = {e["DTSTART"].dt.astimezone(UTC): e for e in events}
    # 17.00 in London is 17.00 UTC in winter and 16.00 UTC in summer (from 28 March).
    assert dt.datetime(2027, 3, 3, 17, 0, tzinfo=UTC) in starts
    assert dt.datetime(2027, 3, 24, 17, 0, tzinfo=UTC) in starts
    assert dt.datetime(2027, 4, 7, 16, 0, tzinfo=UTC) in starts
    assert all(e["DTSTART"].dt.hour == 17 for e in events)  # local time, as written


def test_json_ld_gives_the_venues_offset_on_each_date(built):
    page = BeautifulSoup((built / "kurser/online-samtalegruppe/index.html").read_text("utf-8"),
                         "html.parser")
    data = json.loads(page.find("script", type="application/ld+json").string)
    london = [i for i in data["hasCourseInstance"] if i.get("name") == "Samtalegruppe på engelsk"]
    assert len(london) == 1
    instance = london[0]
    assert instance["startDate"] == "2027-03-03T17:00:00+00:00"
    assert instance["endDate"] == "2027-04-07T18:30:00+01:00"
    assert instance["inLanguage"] == "en" and data["inLanguage"] == "da"
    assert instance["eventSchedule"]["scheduleTimezone"] == "Europe/London"
    assert "2027-03-31" in instance["eventSchedule"]["exceptDate"]  # the cancelled date
    sub = {e["startDate"]: e for e in instance["subEvent"]}
    assert "2027-03-10T17:00:00+00:00" in sub and "2027-04-07T17:00:00+01:00" in sub
    assert sub["2027-03-17T17:00:00+00:00"]["name"].endswith("Guest: a peer worker from Southwark")
    assert not any(s.startswith("2027-03-31") for s in sub)


def test_a_page_says_british_time_where_the_time_is_not_danish(built):
    body = _article(built, "kurser/online-samtalegruppe/")
    london = body.select_one("#hold-in-english")
    assert "Hver onsdag kl. 17.00–18.30 (britisk tid), 3. marts til 7. april" in _text(london)
    danish = body.select_one("#hold-vinter-2027")
    assert "tid)" not in _text(danish)  # Danish time is the site's own: no zone said


def test_the_printed_catalogue_names_the_offering_and_its_zone(built):
    text = " ".join(p.extract_text() for p in PdfReader(built / "kursuskatalog.pdf").pages)
    text = " ".join(text.split())
    assert "Samtalegruppe på engelsk" in text and "(britisk tid)" in text
    assert "Holder pause 21. december – 3. januar (Juleferie)" in text


def _zone_catalogue(tmp_path: Path, venue: str = "", school: str = "") -> Path:
    """The small catalogue with a London venue and two groups that share a teacher."""
    root = copy_catalogue(MINI, tmp_path / "mini")
    path = root / "schools" / "skole-a.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("venues:\n", school + "venues:\n").replace("themes:\n", """  london:
    name: London College
    address: 1 Example Street
    postal_code: SE1 7EH
    city: London
    country: GB
""" + venue + """    accessibility: Step-free.
themes:
""")
    path.write_text(text, encoding="utf-8")
    return root


def _course(root: Path, name: str, venue: str, time: tuple[str, str], extra: str = "") -> None:
    (root / "courses" / f"{name}.yaml").write_text(f"""title: {name}
summary: Test.
description: Test.
themes: [oege-netvaerk]
audience: [alle]
school: skole-a
teachers: [peer-p, fag-f]
registration: {{email: a@example.org}}
offerings:
  - venue: {venue}
    status: open
    sessions:
      - {{date: 2027-02-03, start: "{time[0]}", end: "{time[1]}"{extra}}}
""", encoding="utf-8")


def _codes(root: Path, today=dt.date(2026, 12, 1)) -> list[str]:
    return sorted(d.code for d in read_catalogue(root, today, use_cache=False).diagnostics)


def test_clashes_compare_absolute_times(tmp_path):
    root = _zone_catalogue(tmp_path)
    for name in ("kursus-a", "kursus-b", "kursus-c"):
        (root / "courses" / f"{name}.yaml").unlink()
    # 14.00-15.00 in London is 15.00-16.00 in Denmark: after a 14.00-15.00 Danish session.
    _course(root, "london-hold", "london", ("14:00", "15:00"))
    _course(root, "dansk-hold", "huset", ("14:00", "15:00"))
    assert "B501" not in _codes(root)
    _course(root, "dansk-hold", "huset", ("15:00", "16:00"))
    assert _codes(root).count("B501") == 4  # two teachers, reported at both sessions


def test_a_session_with_its_own_teachers_and_venue_is_checked_with_them(tmp_path):
    root = _zone_catalogue(tmp_path)
    for name in ("kursus-a", "kursus-b", "kursus-c"):
        (root / "courses" / f"{name}.yaml").unlink()
    _course(root, "et", "huset", ("10:00", "12:00"))
    # Another course the same morning at another venue, but this session takes fag-f along.
    _course(root, "to", "haven", ("10:00", "12:00"), ", teachers: [fag-f, paa-r]")
    (root / "courses" / "to.yaml").write_text(
        (root / "courses" / "to.yaml").read_text().replace("teachers: [peer-p, fag-f]",
                                                           "teachers: [peer-p, fag-g]"))
    codes = _codes(root)
    assert codes.count("B501") == 2 and "B502" not in codes
    # The same session moved to the first course's room: the room clashes too.
    _course(root, "to", "haven", ("10:00", "12:00"), ", venue: huset, teachers: [fag-g, paa-r]")
    assert "B502" in _codes(root)


def test_a_zone_name_is_checked_and_a_country_without_a_default_must_name_one(tmp_path):
    root = _zone_catalogue(tmp_path, venue="    timezone: Europe/Londn\n")
    found = read_catalogue(root, dt.date(2026, 12, 1), use_cache=False).diagnostics
    [s120] = [d for d in found if d.code == "S120"]
    assert "Mente du 'Europe/London'?" in s120.hint and s120.pos.line > 1
    root = _zone_catalogue(tmp_path / "2", venue="    timezone: Europe/London\n")
    assert "S120" not in _codes(root)
    text = (root / "schools" / "skole-a.yaml").read_text().replace("country: GB", "country: US")
    (root / "schools" / "skole-a.yaml").write_text(text.replace(
        "    timezone: Europe/London\n", ""))
    assert "S121" in _codes(root)


def test_an_online_offering_uses_the_schools_zone(tmp_path):
    root = _zone_catalogue(tmp_path, school="timezone: Europe/London\n")
    text = (root / "courses" / "kursus-a.yaml").read_text()
    (root / "courses" / "kursus-a.yaml").write_text(
        text.replace("    venue: huset\n    room: Lokale 1\n", "    attendance: online\n"))
    catalogue = read_catalogue(root, dt.date(2026, 12, 1), use_cache=False).catalogue
    offering = catalogue.courses["kursus-a"].offerings[0]
    assert offering.venue_id is None and offering.timezone == "Europe/London"
    assert catalogue.courses["kursus-b"].offerings[0].timezone == "Europe/Copenhagen"


# --- 4. an offering's name -------------------------------------------------------------------

def test_the_name_is_in_the_heading_key_facts_and_the_ics_summary(built):
    body = _article(built, "kurser/online-samtalegruppe/")
    headings = [h.get_text(strip=True) for h in body.select(".kk-offering h3")]
    # A group is headed by its name, then its rhythm and next date (issue 20: not its first date).
    assert [h.split(":")[0] for h in headings] == ["Aftengruppe", "Samtalegruppe på engelsk"]
    assert "13. januar 2027" in headings[0] and "3. marts 2027" in headings[1]
    lead = body.select_one(".kk-key .kk-key__name, .kk-key .kk-key__lead")
    assert lead.get_text(strip=True).startswith("Aftengruppe")
    calendar = _ics(built / LONDON_ICS)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Samtalegruppe online – Samtalegruppe på engelsk" in summaries


def test_the_card_names_the_next_offering(built):
    html = (built / "kurser/index.html").read_text(encoding="utf-8")
    card = BeautifulSoup(html, "html.parser").select_one(
        '.kk-card:has(a[href$="online-samtalegruppe/"])')
    assert "Aftengruppe: onsdag 13. januar 2027" in _text(card)
    assert "Undervises på dansk og engelsk" in _text(card)


def test_on_a_phone_the_named_key_facts_are_on_the_first_screen(built, browser):
    phone = {"width": 390, "height": 844}
    tab = browser.new_page(viewport=phone)
    with serve(built) as origin:
        tab.goto(f"{origin}/kurser/online-samtalegruppe/")
        named = ".kk-key__name, .kk-key__lead"  # the name alone, or the lead's heading
        for selector in (named, "[data-kk=first-date]", "[data-kk=signup]"):
            box = tab.locator(selector).first.bounding_box()
            assert box is not None and 0 <= box["y"] and \
                box["y"] + box["height"] <= phone["height"], selector
        assert tab.locator(named).first.inner_text().startswith("Aftengruppe")
    tab.close()


def test_open_data_and_search_carry_the_name_language_and_zone(built, sel):
    package = json.loads((built / "data/datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}
    assert {"name", "language", "timezone"} <= set(fields["offerings"])
    assert "timezone" in fields["sessions"] and "timezone" in fields["venues"]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(
        (built / "data/offerings.csv").read_text(encoding="utf-8")))}
    london = rows["online-samtalegruppe/in-english"]
    assert (london["name"], london["language"], london["timezone"]) == \
        ("Samtalegruppe på engelsk", "en", "Europe/London")
    assert rows["online-samtalegruppe/vinter-2027"]["language"] == ""
    monday = rows["peergruppe-mandag/mandage"]["excluded_dates"].split()
    assert {"2026-12-21", "2026-12-28", "2027-01-11", "2027-03-29"} <= set(monday)
    sessions = list(csv.DictReader(io.StringIO(
        (built / "data/sessions.csv").read_text(encoding="utf-8"))))
    assert {s["timezone"] for s in sessions if s["offering_id"].endswith("in-english")} == \
        {"Europe/London"}
    found = records(Build(sel, Site("Test"), REPO))
    record = next(r for r in found if r["url"] == "/kurser/online-samtalegruppe/")
    assert "Samtalegruppe på engelsk" in record["content"] and "engelsk." in record["content"]
    facets = sel.shape_facets(sel.catalogue.courses["online-samtalegruppe"])
    assert facets["sprog"] == ("da", "en")


# --- 5. changes on one date ------------------------------------------------------------------

def test_a_changed_date_is_one_override_and_a_cancelled_date_is_left_out(built):
    calendar = _ics(built / MONDAY_ICS)
    overrides = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert [e["RECURRENCE-ID"].dt.date() for e in overrides] == \
        [dt.date(2026, 12, 7), dt.date(2027, 2, 1)]
    events = {e["DTSTART"].dt.date(): e
              for e in _between(calendar, dt.date(2026, 11, 23), dt.date(2027, 6, 1))}
    assert "Gæst fra SIND" in str(events[dt.date(2026, 12, 7)]["SUMMARY"])
    assert events[dt.date(2027, 2, 1)]["DTSTART"].dt.hour == 14
    assert events[dt.date(2027, 2, 1)]["DTEND"].dt.hour == 16
    assert "Vi mødes en time senere" in str(events[dt.date(2027, 2, 1)]["DESCRIPTION"])
    assert events[dt.date(2027, 1, 25)]["DTSTART"].dt.hour == 13
    assert dt.date(2027, 1, 11) not in events  # cancelled
    london = {e["DTSTART"].dt.date(): e
              for e in _between(_ics(built / LONDON_ICS), dt.date(2027, 3, 1), dt.date(2027, 5, 1))}
    assert dt.date(2027, 3, 31) not in london
    assert str(london[dt.date(2027, 3, 17)]["SUMMARY"]).endswith("Southwark")


def test_the_page_lists_the_changes_ahead(built):
    changes = _article(built, "kurser/peergruppe-mandag/").select_one(".kk-shape__changes")
    lines = [_text(li) for li in changes.select("li")]
    assert lines == [
        "mandag 7. december : Gæst fra SIND Pårørenderådgivning",
        "mandag 11. januar 2027 : Aflyst: Underviserne er på kursus",
        "mandag 1. februar 2027 : kl. 14.00–16.00 · Vi mødes en time senere"]


def _changes(tmp_path: Path, changes: str, extra: str = "") -> list:
    root = copy_catalogue(MINI, tmp_path / "mini")
    (root / "courses" / "gruppe.yaml").write_text(f"""title: Gruppe
summary: Test.
description: Test.
themes: [oege-netvaerk]
audience: [alle]
school: skole-a
teachers: [peer-p, fag-f]
registration: {{required: false}}
offerings:
  - venue: haven
    status: open
    recurrence:
      frequency: weekly
      weekday: onsdag
      start: "14:00"
      end: "16:00"
      from: 2027-01-06
      until: 2027-03-31
{extra}      changes:
{changes}""", encoding="utf-8")
    return read_catalogue(root, dt.date(2026, 12, 1), use_cache=False).diagnostics


@pytest.mark.parametrize("changes, extra, code", [
    ("        - {date: 2027-01-07, topic: X}\n", "", "T230"),
    ("        - {date: 2027-04-07, topic: X}\n", "", "T230"),
    ("        - {date: 2027-01-13, topic: X}\n        - {date: 2027-01-13, room: Y}\n", "", "T231"),
    ("        - {date: 2027-01-13, topic: X}\n", "      except: [2027-01-13]\n", "T232"),
    ("        - {date: 2027-01-13, cancelled: Syg, topic: X}\n", "", "T233"),
    ("        - {date: 2027-01-13}\n", "", "T236"),
    ("        - {date: 2027-01-13, teachers: [fag-ff]}\n", "", "R310"),
    ("        - {date: 2027-01-13, venue: husett}\n", "", "R311"),
    ("        - {date: 2027-01-13, venue: huset, room: Lokale 9}\n", "", "R307"),
])
def test_each_mistake_in_changes_has_its_own_code(tmp_path, changes, extra, code):
    found = _changes(tmp_path, changes, extra)
    assert sorted({d.code for d in found}) == [code], [str(d.pos) + d.message for d in found]
    assert all(d.pos.file == "courses/gruppe.yaml" and d.pos.line > 12 for d in found)


def test_a_changed_date_is_checked_for_clashes_with_its_own_time_team_and_room(tmp_path):
    """Kursus A (peer-p, fag-f, Huset Lokale 1) and B (paa-r, fag-g) meet on Wednesday
    3 February 10.00-13.00; the group meets on Wednesdays 14.00-16.00 with peer-p and fag-f."""
    def clashes(change: str, name: str) -> list[str]:
        found = _changes(tmp_path / name, f"        - {{date: 2027-02-03, {change}}}\n")
        return sorted(d.code for d in found if d.pos.file == "courses/gruppe.yaml")

    assert clashes('teachers: [paa-r, fag-g]', "a") == []
    assert clashes('start: "12:00", end: "14:00"', "b") == ["B501", "B501"]
    assert clashes('start: "12:00", end: "14:00", teachers: [paa-r, fag-g], venue: huset, '
                   'room: Lokale 1', "c") == ["B501", "B501", "B502"]


def test_a_one_off_session_with_its_own_team_shows_its_venue(tmp_path):
    root = _zone_catalogue(tmp_path)
    _course(root, "ude", "huset", ("10:00", "12:00"), ", venue: london")
    catalogue = read_catalogue(root, dt.date(2026, 12, 1), use_cache=False).catalogue
    session = catalogue.courses["ude"].offerings[0].sessions[0]
    assert session.venue_id == "london" and session.timezone == "Europe/London"
    selection = Selection(catalogue, dt.date(2026, 12, 1))
    data = Calendars(selection, Site("Test")).offering(catalogue.courses["ude"],
                                                       catalogue.courses["ude"].offerings[0])
    [event] = _ics_bytes(data).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert "London College" in str(event["LOCATION"])


def _ics_bytes(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


# --- 6. breaks and holidays ------------------------------------------------------------------

def test_the_schools_break_and_the_holidays_are_exdates(built):
    calendar = _ics(built / MONDAY_ICS)
    events = {e["DTSTART"].dt.date() for e in
              _between(calendar, dt.date(2026, 11, 23), dt.date(2027, 6, 1))}
    for skipped in (dt.date(2026, 12, 21), dt.date(2026, 12, 28),  # Juleferie
                    dt.date(2027, 3, 29), dt.date(2027, 5, 17)):  # 2. påskedag, 2. pinsedag
        assert skipped not in events
    assert {dt.date(2026, 12, 14), dt.date(2027, 1, 4), dt.date(2027, 3, 22)} <= events
    series = [e for e in calendar.walk("VEVENT") if "RRULE" in e][0]
    exdates = {d.dt.date() for group in _as_list(series["EXDATE"]) for d in group.dts}
    assert {dt.date(2026, 12, 21), dt.date(2027, 3, 29), dt.date(2027, 1, 11)} <= exdates


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_the_page_says_when_the_group_pauses_and_which_holidays_it_skips(built):
    rhythm = _text(_article(built, "kurser/peergruppe-mandag/").select_one(".kk-shape__rhythm"))
    assert "Holder pause 21. december – 3. januar (Juleferie)" in rhythm
    assert "Holder fri på helligdage: 29. marts 2027 (Anden påskedag), " \
           "17. maj 2027 (Anden pinsedag)" in rhythm


def test_holidays_come_in_danish_where_the_library_has_danish_names():
    danish = holidays_of("DK", 2027, 2027)
    assert danish[dt.date(2027, 3, 29)] == "Anden påskedag"
    british = holidays_of("GB", 2027, 2027)
    assert dt.date(2027, 5, 31) in british
    rule = Recurrence("weekly", 0, dt.time(14), dt.time(15), dt.date(2027, 5, 3),
                      dt.date(2027, 6, 14), skip_holidays=True, country="GB",
                      breaks=(Break(dt.date(2027, 6, 7), dt.date(2027, 6, 8), "Half term"),))
    dates = rule.dates(dt.date(2027, 1, 1))
    assert dt.date(2027, 5, 31) not in dates and dt.date(2027, 5, 3) not in dates
    assert dt.date(2027, 6, 7) not in dates and dt.date(2027, 5, 10) in dates


def test_a_break_that_ends_before_it_starts_is_t234(tmp_path):
    root = copy_catalogue(MINI, tmp_path / "mini")
    with open(root / "schools" / "skole-a.yaml", "a", encoding="utf-8") as handle:
        handle.write("breaks:\n  - {from: 2027-01-03, until: 2026-12-22}\n")
    found = read_catalogue(root, dt.date(2026, 12, 1), use_cache=False).diagnostics
    assert [d.code for d in found] == ["T234"]


def test_skip_holidays_in_a_country_the_library_does_not_know_is_t235(tmp_path):
    root = _zone_catalogue(tmp_path, venue="    timezone: Europe/London\n")
    text = (root / "schools" / "skole-a.yaml").read_text().replace("country: GB", "country: XX")
    (root / "schools" / "skole-a.yaml").write_text(text)
    for name in ("kursus-a", "kursus-b", "kursus-c"):
        (root / "courses" / f"{name}.yaml").unlink()
    (root / "courses" / "gruppe.yaml").write_text("""title: Gruppe
summary: Test.
description: Test.
themes: [oege-netvaerk]
audience: [alle]
school: skole-a
teachers: [peer-p, fag-f]
registration: {required: false}
offerings:
  - venue: london
    status: open
    recurrence: {frequency: weekly, weekday: onsdag, start: "14:00", end: "16:00",
                 from: 2027-01-06, until: 2027-03-31, skip_holidays: true}
""", encoding="utf-8")
    found = read_catalogue(root, dt.date(2026, 12, 1), use_cache=False).diagnostics
    assert [(d.code, d.pos.file) for d in found] == [("T235", "courses/gruppe.yaml")]


# --- 7. an offering's language ---------------------------------------------------------------

def test_an_offering_language_is_checked(tmp_path):
    root = copy_catalogue(MINI, tmp_path / "mini")
    text = (root / "courses" / "kursus-a.yaml").read_text()
    (root / "courses" / "kursus-a.yaml").write_text(
        text.replace("    status: open\n", "    status: open\n    language: engelsk\n", 1))
    found = read_catalogue(root, dt.date(2026, 12, 1), use_cache=False).diagnostics
    assert [d.code for d in found] == ["O610"]


def test_an_offering_language_is_said_on_its_section(built):
    section = _article(built, "kurser/online-samtalegruppe/").select_one("#hold-in-english")
    assert _text(section.select_one(".kk-shape__language")) == "Undervises på engelsk"
