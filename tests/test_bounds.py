"""Bounds on what the format takes, recurrences at their extremes, clock changes, and venues
of another school (issue 19 §2, issue 20 §2). One test per class of fault; each reproducer
from the issues gives a clear Danish error or a correct result."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import icalendar
import jsonschema
import pytest
import recurring_ical_events
import yaml

from generator import schema as S
from generator.brands import site_for
from generator.catalogue import read_catalogue
from generator.render import Site
from generator.render.calendars import Calendars
from generator.render.opendata import package_files, validate_files
from generator.select import Selection

from conftest import REPO, TODAY, run

COURSE = "courses/kursus-a.yaml"


def _edit(root: Path, name: str, change) -> None:
    path = root / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _recurring(root: Path, **rule) -> None:
    """Kursus A's offering as a recurrence: Mondays from 4 January 2027, and `rule`."""
    def change(data):
        offering = data["offerings"][0]
        offering.pop("sessions", None)
        offering.pop("registration", None)
        offering["recurrence"] = {"frequency": "weekly", "weekday": "mandag", "start": "10:00",
                                  "end": "12:00", "from": "2027-01-04", **rule}
    _edit(root, COURSE, change)


def _found(root: Path, today: dt.date = TODAY):
    result = read_catalogue(root, today, use_cache=False)
    return result, [(d.code, d.pos.file, d.pos.line, d.message) for d in result.diagnostics]


def _codes(found) -> set[str]:
    return {code for code, *_ in found}


# --- issue 19 §2: bounds -------------------------------------------------------------------

@pytest.mark.parametrize("rule, code", [
    ({"interval": 2 ** 31}, "S116"),  # passed check, then the build crashed in icalendar
    ({"interval": 53}, "S116"),
    ({"from": "9999-12-25"}, "S118"),  # check itself exited 3 (Recurrence.horizon)
    ({"from": "0001-01-01"}, "S118"),  # published 105,742 sessions
    ({"until": "9999-12-31"}, "S118"),  # "til 27. december 9999"
    ({"except": ["9999-12-27"]}, "S118"),  # crashed on_pattern
    ({"extra": [f"2027-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 10)]}, "S117"),
])
def test_a_recurrence_beyond_the_bounds_is_an_error_with_file_and_line(mini, rule, code):
    _recurring(mini, **rule)
    _, found = _found(mini)
    hits = [f for f in found if f[0] == code]
    assert hits and hits[0][1] == COURSE and hits[0][2] > 1, found
    assert not any(d[0] == "T211" for d in found)  # the one cause, not a follow-on


def test_the_check_command_names_the_year_10000_and_exits_1_not_3(mini):
    _recurring(mini, **{"from": "9999-12-25"})
    done = run(["check", "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "intern fejl" not in done.stderr
    assert "fejl S118: '9999-12-25' ligger uden for årene 2000-2099." in done.stdout


@pytest.mark.parametrize("field, value, code", [
    (("offerings", 0, "capacity"), S.MAX_PLACES + 1, "S116"),
    (("offerings", 0, "places_left"), 10 ** 12, "S116"),
    (("eligibility",), {"min_age": 16, "max_age": 121}, "S116"),
    (("cost",), {"price": S.MAX_PRICE + 1, "covers": "Ophold"}, "S116"),
    (("description",), "Tekst. " * 3000, "S119"),
    (("offerings", 0, "registration", "url"), "https://example.org/" + "a" * 2000, "S119"),
    (("teachers",), [f"t-{n}" for n in range(S.MAX_ITEMS + 1)], "S117"),
    (("offerings", 0, "sessions"), [{"date": (dt.date(2027, 1, 1) + dt.timedelta(days=n))
                                     .isoformat(), "start": "10:00", "end": "11:00"}
                                    for n in range(S.MAX_SESSIONS + 1)], "S117"),
    (("offerings", 0, "registration", "opens"), "1999-12-31", "S118"),
])
def test_every_number_list_text_and_date_has_a_bound(mini, field, value, code):
    def change(data):
        target = data
        for step in field[:-1]:
            target = target[step]
        target[field[-1]] = value
    _edit(mini, COURSE, change)
    _, found = _found(mini)
    assert code in _codes(found), found
    assert all(f[1] for f in found)


def test_the_json_schemas_hold_the_same_bounds_as_check():
    course = S.json_schema("course")
    offering = course["properties"]["offerings"]["items"]["properties"]
    recurrence = offering["recurrence"]["properties"]
    assert recurrence["interval"]["maximum"] == S.MAX_INTERVAL
    assert offering["capacity"]["maximum"] == S.MAX_PLACES
    assert offering["sessions"]["maxItems"] == S.MAX_SESSIONS
    assert recurrence["except"]["maxItems"] == S.MAX_ITEMS
    assert course["properties"]["description"]["maxLength"] == S.MAX_LENGTH["markdown"]
    validator = jsonschema.Draft202012Validator(course)
    good = {"title": "T", "summary": "S", "description": "D", "themes": ["recovery"],
            "audience": ["alle"], "school": "skole-a",
            "offerings": [{"venue": "huset", "status": "open", "recurrence": {
                "frequency": "weekly", "weekday": "mandag", "start": "10:00", "end": "12:00",
                "from": "2027-01-04"}}]}
    assert validator.is_valid(good)
    for key, value in (("interval", 2 ** 31), ("from", "9999-12-25"), ("from", "0001-01-01"),
                       ("until", "2100-01-01")):
        bad = yaml.safe_load(yaml.safe_dump(good))
        bad["offerings"][0]["recurrence"][key] = value
        assert not validator.is_valid(bad), (key, value)
    # Every schema on disk is the one the code makes (make schemas).
    import json
    for name in S.EDITOR_SCHEMAS:
        on_disk = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text("utf-8"))
        assert on_disk == S.json_schema(name), name


def test_the_editor_form_carries_the_bounds():
    from generator.editor import widget

    options = {"relations": {}}
    interval = widget(S.RECURRENCE.child("interval"), "recurrence", options)
    assert (interval["min"], interval["max"]) == (1, S.MAX_INTERVAL)
    date = widget(S.RECURRENCE.child("from"), "recurrence", options)
    import re
    assert re.match(date["pattern"][0], "2027-01-04")
    assert not re.match(date["pattern"][0], "9999-12-25")
    extra = widget(S.RECURRENCE.child("extra"), "recurrence", options)
    assert extra["max"] == S.MAX_ITEMS
    capacity = widget(S.OFFERING.child("capacity"), "offering", options)
    assert capacity["max"] == S.MAX_PLACES


# --- issue 19 §2: recurrences that were accepted without a word ----------------------------

def test_a_recurrence_far_ahead_or_long_ago_is_warned_about(mini):
    _recurring(mini, until="2099-12-31", extra=["2090-01-02"])
    _, found = _found(mini)
    warned = [f for f in found if f[0] == "T208"]
    assert len(warned) == 2 and "2099-12-31" in warned[0][3] + warned[1][3], found
    _recurring(mini, **{"from": "2020-01-06"})
    _, found = _found(mini)
    assert "T218" in _codes(found) and "T217" not in _codes(found), found


def test_a_recurrence_of_more_dates_than_an_offering_may_have_is_an_error(mini):
    _recurring(mini, **{"from": "2000-01-03"})  # every Monday since 2000: 1,435 sessions
    _, found = _found(mini)
    hits = [f for f in found if f[0] == "T217"]
    assert hits and hits[0][1] == COURSE and "1.43" in hits[0][3], found


def _ics_dates(data: bytes, today: dt.date) -> list[dt.date]:
    calendar = icalendar.Calendar.from_ical(data)
    events = recurring_ical_events.of(calendar).between(today - dt.timedelta(days=3650),
                                                        today + dt.timedelta(days=3650))
    return sorted(e["DTSTART"].dt.date() for e in events)


def _offering_ics(root: Path, course_id: str = "kursus-a"):
    result = read_catalogue(root, TODAY, use_cache=False)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    selection = Selection.for_brand(result.catalogue, TODAY, None)
    course = result.catalogue.courses[course_id]
    offering = course.offerings[0]
    data = Calendars(selection, Site("Test", "https://test.example.org/")).offering(course,
                                                                                   offering)
    return offering, data


@pytest.mark.parametrize("rule", [
    # 'from' on a Wednesday, no Monday before 'until', one extra: DTSTART was after 'until'.
    {"from": "2027-01-06", "until": "2027-01-10", "extra": ["2027-01-08"]},
    # The first Monday is an exception: DTSTART is the next real one.
    {"from": "2027-01-04", "until": "2027-02-01", "except": ["2027-01-04"]},
    # An extra before the first Monday, every other week: a rule started on it would shift
    # the weeks.
    {"from": "2027-01-04", "until": "2027-03-01", "interval": 2, "extra": ["2026-12-30"]},
    # Extras after 'until' are in the page, the data and the .ics alike.
    {"from": "2027-01-04", "until": "2027-01-18", "extra": ["2027-02-03", "2027-02-10"]},
    # A far 'until' stops where the site's dates stop.
    {"from": "2027-01-04", "until": "2099-12-31"},
    # A date both excepted and extra is held (EXDATE would win over RDATE).
    {"from": "2027-01-04", "until": "2027-02-01", "except": ["2027-01-11"],
     "extra": ["2027-01-11"]},
    # An ongoing monthly group with an exception.
    {"frequency": "monthly", "position": "første", "weekday": "torsdag", "from": "2027-01-01",
     "except": ["2027-02-04"]},
])
def test_the_ics_holds_exactly_the_sites_dates_and_starts_on_the_first(mini, rule):
    _recurring(mini, **rule)
    offering, data = _offering_ics(mini)
    site_dates = [s.date for s in offering.sessions]
    calendar = icalendar.Calendar.from_ical(data)
    starts = sorted(e["DTSTART"].dt.date() for e in calendar.walk("VEVENT"))
    assert starts[0] == site_dates[0], "DTSTART is the first real occurrence"
    for event in calendar.walk("VEVENT"):
        assert event["DTSTART"].dt.date() in site_dates  # every DTSTART is a real date
    if "until" in rule:
        assert _ics_dates(data, TODAY) == site_dates
    else:  # an ongoing group goes on beyond the site's horizon
        assert _ics_dates(data, TODAY)[:len(site_dates)] == site_dates


def test_a_time_the_clocks_skip_or_repeat_is_named(mini):
    def at(date, start, end):
        def change(data):
            data["offerings"][0]["sessions"] = [{"date": date, "start": start, "end": end}]
            data["offerings"][0].pop("registration", None)
        return change
    _edit(mini, COURSE, at("2027-03-28", "02:30", "04:00"))  # spring forward
    _, found = _found(mini)
    hits = [f for f in found if f[0] == "T215"]
    assert hits and hits[0][1] == COURSE, found
    assert "Kl. 02.30 den 2027-03-28 findes ikke" in hits[0][3]
    _edit(mini, COURSE, at("2027-10-31", "01:00", "02:15"))  # fall back: 02:15 comes twice
    _, found = _found(mini)
    hits = [f for f in found if f[0] == "T216"]
    assert hits and "Kl. 02.15 den 2027-10-31 findes to gange" in hits[0][3], found
    _recurring(mini, weekday="søndag", start="02:30", end="04:00", **{"from": "2027-03-07"})
    _, found = _found(mini)
    assert [f[0] for f in found if f[0] in ("T215", "T216")] == ["T215"], found


# --- issue 20 §2: a venue of another school --------------------------------------------------

def test_an_offering_at_another_schools_venue_builds_for_every_brand(mini):
    """Skole A borrows the evening school's room. The check accepts it, and every brand's
    open data (frictionless, foreign keys included), calendars and pages carry it."""
    _edit(mini, COURSE, lambda data: data["offerings"][0].update(venue="aftenskolen",
                                                                 room=None))
    _edit(mini, COURSE, lambda data: data["offerings"][0].pop("room"))
    result, found = _found(mini)
    assert [f for f in found if f[0].startswith("R")] == []
    assert not [d for d in result.diagnostics if d.severity == "error"], found
    catalogue = result.catalogue
    for brand_id in (None, *catalogue.brands):
        brand = catalogue.brands.get(brand_id) if brand_id else None
        site = site_for(brand, mini) if brand else Site("Alle", "https://alle.example.org/")
        selection = Selection.for_brand(catalogue, TODAY, brand)
        files = package_files(selection, site)
        validate_files(files)  # raises on a broken foreign key
        venues = list(csv.DictReader(files["venues.csv"].decode("utf-8-sig").splitlines()))
        schools = {r["id"] for r in csv.DictReader(
            files["schools.csv"].decode("utf-8-sig").splitlines())}
        assert {v["school_id"] for v in venues} <= schools
    testby = Selection.for_brand(catalogue, TODAY, catalogue.brands["testby"])
    assert "aftenskolen" in {v.id for v in testby.venues}


def test_the_import_template_uses_each_courses_own_schools_venues():
    result = read_catalogue(REPO, dt.date(2026, 11, 22))
    catalogue = result.catalogue
    template = REPO / "docs" / "koordinator" / "hold-skabelon.csv"
    rows = list(csv.DictReader(template.read_text(encoding="utf-8-sig").splitlines()))
    assert rows
    for row in rows:
        course = catalogue.courses[row["course"]]
        assert catalogue.venues[row["venue"]].school_id == course.school_id, row


@pytest.mark.parametrize("today", ["9999-12-25", "0001-01-01"])
def test_a_today_outside_the_years_is_a_usage_error_not_a_crash(mini, today):
    done = run(["check", "--today", today], mini)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "intern fejl" not in done.stderr and "Traceback" not in done.stderr
    assert f"--today skal ligge mellem 2002-01-01 og 2097-12-31, ikke '{today}'" in done.stderr


def test_a_required_text_of_only_spaces_is_refused(mini):
    """It passed the check, then the build crashed showing a teacher's first name."""
    _edit(mini, "teachers/peer-p.yaml", lambda data: data.update(name="   "))
    _, found = _found(mini)
    hits = [f for f in found if f[0] == "S102"]
    assert hits and hits[0][1] == "teachers/peer-p.yaml", found
    assert "'name' skal være en tekst, men er tom." in hits[0][3]


def test_every_number_in_the_format_has_a_bound():
    def numbers(spec):
        for field in spec.fields:
            if field.kind == "int":
                yield field
            for inner in (field, field.item):
                if inner is not None and inner.kind == "struct":
                    yield from numbers(inner)
    found = [f for spec in (*S.KINDS.values(), S.BRAND) for f in numbers(spec)]
    assert found and all(f.most is not None for f in found)
