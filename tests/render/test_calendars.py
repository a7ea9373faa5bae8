"""Calendars (generator/render/calendars.py): the .ics files of a build, parsed with icalendar,
directly on the small catalogue and in the built demo site."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import icalendar
import pytest

from generator.catalogue import read_catalogue
from generator.render import Build, calendars
from generator.render import offering_ics_path
from generator.select import Selection

from conftest import REPO, TODAY_DEMO as TODAY, changed
from .conftest import mini_build

COPENHAGEN = "Europe/Copenhagen"


@pytest.fixture(scope="module")
def sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY, use_cache=False).catalogue, TODAY)


def _files(build: Build) -> dict[str, icalendar.Calendar]:
    return {a.path: icalendar.Calendar.from_ical(a.read()) for a in calendars.plan(build)}


def _uids(calendar: icalendar.Calendar) -> list[str]:
    return [str(e["uid"]) for e in calendar.walk("VEVENT")]


# --- the plan, on the small catalogue ------------------------------------------------------

def _ics(build: Build, course_id: str) -> str:
    """The download path of a mini course's one offering."""
    course = build.selection.catalogue.courses[course_id]
    return offering_ics_path(course, course.offerings[0])


def test_the_plan_has_a_feed_a_feed_per_school_and_theme_and_a_file_per_upcoming_offering(
        build: Build):
    files = _files(build)
    themes = {f"kalender/tema/{t.id}.ics" for t in build.selection.themes}
    assert "kalender/tema/recovery.ics" in themes and "kalender/tema/oege-netvaerk.ics" in themes
    # The download is named by course and first date, so it says what it is in Downloads.
    assert _ics(build, "kursus-a") == "kurser/kursus-a/kursus-a-2027-02-03.ics"
    assert set(files) == {"kalender.ics", "kalender/skole-a.ics", "kalender/ekstern.ics",
                          "kurser/kursus-a/kursus-a-2027-02-03.ics",
                          "kurser/kursus-b/kursus-b-2027-02-03.ics",
                          "kurser/kursus-c/kursus-c-2027-03-01.ics"} | themes
    assert len(files["kalender.ics"].walk("VEVENT")) == 4
    assert len(files["kalender/skole-a.ics"].walk("VEVENT")) == 3
    assert len(files["kalender/tema/recovery.ics"].walk("VEVENT")) == 2  # only Kursus A's
    assert len(files["kalender/tema/leve-mere-aktivt.ics"].walk("VEVENT")) == 1
    assert len(files[_ics(build, "kursus-a")].walk("VEVENT")) == 2
    assert str(files["kalender/ekstern.ics"]["x-wr-calname"]) == "Aftenskolen Test"
    assert str(files[_ics(build, "kursus-a")]["x-wr-calname"]) == "Kursus A – Test"
    assert str(files["kalender/tema/recovery.ics"]["x-wr-calname"]) == "Recovery – Test"
    assert str(files["kalender.ics"]["method"]) == "PUBLISH"


def test_a_past_offering_has_no_file_and_its_sessions_leave_the_feeds(mini_catalogue):
    build = mini_build(mini_catalogue, dt.date(2027, 2, 5))
    files = _files(build)
    assert _ics(build, "kursus-b") not in files  # its one session was 3 February
    events = files["kalender.ics"].walk("VEVENT")
    assert [e.decoded("dtstart").date() for e in events] == [dt.date(2027, 2, 10),
                                                             dt.date(2027, 3, 1)]


def test_events_are_in_danish_local_time_in_winter_and_summer(mini_catalogue):
    session = mini_catalogue.courses["kursus-c"].offerings[0].sessions[0]
    summer = changed(mini_catalogue, "kursus-c", offering={
        "sessions": (dataclasses.replace(session, date=dt.date(2027, 6, 7)),)})
    for calendar in _files(mini_build(summer)).values():
        assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == [COPENHAGEN]
        for event in calendar.walk("VEVENT"):
            assert event["dtstart"].params["TZID"] == COPENHAGEN
            assert event["dtend"].params["TZID"] == COPENHAGEN
    feed = _files(mini_build(summer))["kalender.ics"].walk("VEVENT")
    by_title = {str(e["summary"]): e.decoded("dtstart") for e in feed}
    assert by_title["Kursus A"].utcoffset() == dt.timedelta(hours=1)  # February: winter time
    assert by_title["Kursus C"].utcoffset() == dt.timedelta(hours=2)  # June: summer time
    assert (by_title["Kursus C"].hour, by_title["Kursus C"].minute) == (18, 0)


def test_an_event_has_its_place_room_link_and_summary(build: Build):
    first = _files(build)[_ics(build, "kursus-a")].walk("VEVENT")[0]
    assert str(first["summary"]) == "Kursus A"
    assert str(first["location"]) == "Huset, Lokale 1, Testvej 1, 8000 Aarhus C"
    assert str(first["url"]) == "https://test.example.org/kurser/kursus-a/"
    # The summary, how to sign up, the team by role only (the file is forwarded), the page.
    assert str(first["description"]) == (
        "Et kursus, som testene bygger på.\n\n"
        "Tilmelding: tilmelding@example.org. Sidste frist onsdag 27. januar 2027.\n\n"
        "Undervisere: Peer-underviser, Fagprofessionel underviser.\n\n"
        "Læs mere og se ændringer: https://test.example.org/kurser/kursus-a/")
    assert str(first["status"]) == "CONFIRMED"
    assert first.decoded("dtend") - first.decoded("dtstart") == dt.timedelta(hours=3)


def test_uids_are_stable_between_builds_and_unique(mini_catalogue, build: Build):
    feed = _uids(_files(build)["kalender.ics"])
    assert len(set(feed)) == len(feed) == 4
    assert "kursus-a.foraar.0@test.example.org" in feed
    assert "kursus-a.foraar.1@test.example.org" in feed
    # A new title, a new room, another day: still the same events to a subscribed calendar.
    moved = changed(mini_catalogue, "kursus-a", title="Kursus A, nyt navn",
                    offering={"room": "Lokale 2"})
    assert _uids(_files(mini_build(moved))["kalender.ics"]) == feed
    assert _uids(_files(build)[_ics(build, "kursus-a")]) == [
        uid for uid in feed if uid.startswith("kursus-a.")]


def test_two_plans_of_the_same_day_are_byte_identical(build: Build, mini_catalogue):
    again = mini_build(mini_catalogue)
    assert [a.read() for a in calendars.plan(build)] == [a.read() for a in calendars.plan(again)]
    stamp = _files(build)["kalender.ics"].walk("VEVENT")[0].decoded("dtstamp")
    assert stamp == dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("status, prefix", [("cancelled", "AFLYST: "), ("postponed", "UDSAT: ")])
def test_a_cancelled_offering_stays_in_the_feeds_marked_cancelled(mini_catalogue, status,
                                                                   prefix):
    before = _uids(_files(mini_build(mini_catalogue))["kalender.ics"])
    cancelled = changed(mini_catalogue, "kursus-a",
                        offering={"status": status, "status_note": "Underviseren er syg"})
    build = mini_build(cancelled)
    files = _files(build)
    feed = files["kalender.ics"].walk("VEVENT")
    assert [str(e["uid"]) for e in feed] == before, "the same events, not new ones"
    marked = [e for e in feed if str(e["status"]) == "CANCELLED"]
    assert [str(e["uid"]) for e in marked] == ["kursus-a.foraar.0@test.example.org",
                                               "kursus-a.foraar.1@test.example.org"]
    assert all(str(e["summary"]) == prefix + "Kursus A" for e in marked)
    assert all("Underviseren er syg" in str(e["description"]) for e in marked)
    assert _ics(build, "kursus-a") in files
    assert len(files["kalender/skole-a.ics"].walk("VEVENT")) == 3
    assert [str(e["status"]) for e in files["kalender/tema/recovery.ics"].walk("VEVENT")] == [
        "CANCELLED", "CANCELLED"]


def test_text_with_commas_semicolons_and_line_breaks_reads_back_as_written(mini_catalogue):
    title = 'Kaffe, kage; og \\ "mere" ' + "lang " * 20
    odd = changed(mini_catalogue, "kursus-a", title=title, summary="Et; to, tre\nny linje")
    build = mini_build(odd)
    data = next(a.read() for a in calendars.plan(build) if a.path == _ics(build, "kursus-a"))
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "long lines are folded"
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["summary"]) == title
    assert str(event["description"]).startswith("Et; to, tre\nny linje\n\n")


def test_a_title_with_a_line_break_still_makes_a_calendar(mini_catalogue):
    odd = changed(mini_catalogue, "kursus-a", title="Kursus\nA")
    build = mini_build(odd)
    data = next(a.read() for a in calendars.plan(build) if a.path == _ics(build, "kursus-a"))
    assert str(icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["summary"]) == "Kursus\nA"


def test_a_site_without_an_address_gives_events_no_link(mini_catalogue):
    from generator.render import Site

    build = mini_build(mini_catalogue, site=Site("Test"))
    event = _files(build)["kalender.ics"].walk("VEVENT")[0]
    assert "url" not in event
    assert str(event["uid"]).endswith("@recoveryskole.invalid")


# --- the built demo site --------------------------------------------------------------------

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
    # A changed date of a series (issue 23) is an override, not another session: left out.
    events = [e for e in _events(built / "kalender.ics") if "RECURRENCE-ID" not in e]
    # A recurring offering is one event with an RRULE, however many of its dates lie ahead.
    series = {(d.course.id, d.offering.key) for d in sel.upcoming_sessions if d.offering.recurrence}
    assert series
    assert len(events) == len(series) + sum(1 for d in sel.upcoming_sessions
                                            if not d.offering.recurrence)
    cancelled = [e for e in events if str(e["status"]) == "CANCELLED"]
    expected = [d for d in sel.upcoming_sessions if not d.offering.takes_place]
    assert len(cancelled) == len(expected) > 0
    assert all(str(e["summary"]).startswith(("AFLYST", "UDSAT")) for e in cancelled)
    school = _events(built / "kalender" / "recoveryskolen-viborg.ics")
    assert len(school) == sum(1 for d in sel.upcoming_sessions
                              if "recoveryskolen-viborg" in d.course.school_ids)



@pytest.mark.parametrize("line", [
    "SUMMARY:kort",
    "DESCRIPTION:" + "Vi arbejder med håb, mestring og fællesskab – " * 6,
    "DESCRIPTION:" + "a" * 61 + "\\;" + "b" * 80,  # a backslash escape at the fold
    "DESCRIPTION:" + "a" * 61 + "^n" + "b" * 80,  # an RFC 6868 escape at the fold
    "DESCRIPTION:" + "ø" * 100,  # two octets each: no fold may split one
    "DESCRIPTION:" + "x" + "😀" * 40,  # four octets each
])
def test_a_long_line_is_folded_exactly_as_icalendar_folds_it(line: str):
    from icalendar.parser import _foldline

    folded = calendars.fold(line)
    assert folded == _foldline(line).encode("utf-8")
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode("utf-8") == line


def test_an_event_serialised_with_the_fast_fold_is_byte_identical_and_reads_back():
    event = icalendar.Event()
    event.add("summary", "Når angsten fylder – " * 8)
    event.add("description", "Linje ét; med komma, og \\ skråstreg\n\n" * 10)
    event.add("location", "Lokale 2, Skolevej 1, 8000 Aarhus C " * 4)
    data = calendars.to_ical(event)
    assert data == event.to_ical()
    back = icalendar.Event.from_ical(data)
    assert str(back["summary"]) == "Når angsten fylder – " * 8
    assert str(back["description"]) == "Linje ét; med komma, og \\ skråstreg\n\n" * 10
