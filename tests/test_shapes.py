"""Course shapes (issue 12), from the format through the model to every output: recurring and
ongoing groups, online and hybrid, who leads, who may come, language, cost, stays over several
days, places left and the waiting list, venues abroad.

Small YAML changes to tests/fixtures/mini show the model; the demo catalogue, built once, shows
the page, the card, the calendar page, the .ics (read by icalendar and by the independent
recurring-ical-events), the JSON-LD, the open data and the printed catalogue.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import icalendar
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from generator.catalogue import read_catalogue
from generator.model import Availability
from generator.recurrence import HORIZON_MONTHS
from generator.render.calendars import Calendars
from generator.render import Site, offering_ics_path
from generator.select import Selection

from conftest import REPO, TODAY, TODAY_DEMO

A = "courses/kursus-a.yaml"
SESSIONS = ('    sessions:\n      - {date: 2027-02-03, start: "10:00", end: "13:00"}\n'
            '      - {date: 2027-02-10, start: "10:00", end: "13:00"}\n')


def _write(mini: Path, old: str, new: str, name: str = A) -> None:
    path = mini / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _read(mini: Path, today=TODAY):
    result = read_catalogue(mini, today, use_cache=False)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    return result.catalogue


WEEKLY_ONGOING = ('    recurrence:\n      frequency: weekly\n      weekday: onsdag\n'
                  '      start: "10:00"\n      end: "13:00"\n      from: 2026-11-04\n'
                  '      except: [2026-12-30]\n      extra: [2027-01-02]\n')


def _offering(catalogue, course="kursus-a"):
    return catalogue.courses[course].offerings[0]


# --- recurrence in the model --------------------------------------------------------------

def test_an_ongoing_weekly_group_is_expanded_to_six_months_after_today(mini: Path):
    _write(mini, SESSIONS, WEEKLY_ONGOING)
    _write(mini, "registration: {opens: 2026-12-01, deadline: 2027-01-27}", "registration: {}")
    offering = _offering(_read(mini))
    days = [s.date for s in offering.sessions]
    assert days[0] == dt.date(2026, 11, 4)
    assert dt.date(2026, 12, 30) not in days and dt.date(2027, 1, 2) in days
    assert all(d.weekday() == 2 for d in days if d != dt.date(2027, 1, 2))
    assert days[-1] <= dt.date(2027, 6, 1) and days[-1] > dt.date(2027, 5, 24)
    assert HORIZON_MONTHS == 6
    # Under way, but an ongoing group is never "past" and one may still join.
    assert offering.ongoing and not offering.is_past(TODAY)
    assert offering.availability(TODAY) is Availability.OPEN


def test_the_horizon_moves_with_the_build_day_and_nothing_else(mini: Path):
    _write(mini, SESSIONS, WEEKLY_ONGOING)
    _write(mini, "registration: {opens: 2026-12-01, deadline: 2027-01-27}", "registration: {}")
    later = dt.date(2027, 3, 1)
    first, again = _offering(_read(mini)), _offering(_read(mini))
    assert first.sessions == again.sessions
    assert _offering(_read(mini, later)).last_date > first.last_date >= dt.date(2027, 5, 24)


def test_first_thursday_of_the_month_from_february_to_june(mini: Path):
    _write(mini, SESSIONS, '    recurrence:\n      frequency: monthly\n      position: første\n'
                           '      weekday: torsdag\n      start: "17:00"\n      end: "19:00"\n'
                           '      from: 2027-02-01\n      until: 2027-06-30\n')
    _write(mini, "deadline: 2027-01-27", "deadline: 2027-01-30")
    offering = _offering(_read(mini))
    assert [s.date.isoformat() for s in offering.sessions] == [
        "2027-02-04", "2027-03-04", "2027-04-01", "2027-05-06", "2027-06-03"]


def test_a_recurring_clash_is_a_double_booking(mini: Path):
    # Kursus B has fag-g and paa-r on Wednesday 2027-02-03 at 10; a weekly group with fag-g
    # on Wednesdays meets it there.
    _write(mini, SESSIONS, WEEKLY_ONGOING)
    _write(mini, "teachers: [peer-p, fag-f]", "teachers: [peer-p, fag-g]")
    found = read_catalogue(mini, TODAY, use_cache=False).diagnostics
    clash = [d for d in found if d.code == "B501" and d.pos.file == A]
    assert clash and "2027-02-03" in clash[0].message


# --- the other shapes in the model ---------------------------------------------------------

def test_shapes_are_read_into_the_model(mini: Path):
    _write(mini, "audience: [alle]", "audience: [alle]\nlanguage: ur\n"
           "eligibility: {min_age: 16, max_age: 25, residence: Region Sjælland}\n"
           "cost: {price: 450, covers: Kost og logi i fire nætter}")
    _write(mini, "    venue: huset\n", "    attendance: online\n"
           "    online_note: Linket sendes dagen før.\n    places_left: 3\n"
           "    places_updated: 2026-11-28\n    waitlist: {email: vente@example.org}\n")
    catalogue = _read(mini)
    course, offering = catalogue.courses["kursus-a"], _offering(catalogue)
    assert course.language == "ur" and not course.free and course.cost.price == 450
    assert course.eligibility.age_key == "16-25"
    assert offering.venue_id is None and offering.online and not offering.on_site
    assert offering.places_left_on(TODAY) == 3
    assert offering.places_left_on(TODAY + dt.timedelta(days=30)) is None  # stale: not shown
    assert offering.waitlist.email == "vente@example.org"


def test_a_peer_led_course_needs_no_professional_and_is_not_called_external(mini: Path):
    _write(mini, "teachers: [peer-p, fag-f]", "teachers: [peer-p]\nled_by: peers\n"
           "led_by_reason: En gruppe for og af peers.")
    catalogue = _read(mini)
    course = catalogue.courses["kursus-a"]
    assert catalogue.led_by(course) == "peers" and not catalogue.co_produced(course)
    assert catalogue.led_by_reason(course) == "En gruppe for og af peers."


def test_the_old_school_wide_switch_still_means_external(mini: Path):
    catalogue = _read(mini)
    external = [c for c in catalogue.courses.values()
                if not catalogue.schools[c.school_id].co_production_required]
    assert external and all(catalogue.led_by(c) == "external" for c in external)


def test_a_venue_abroad_keeps_its_own_postcode(mini: Path):
    _write(mini, 'postal_code: "8000"\n    city: Aarhus C',
           'postal_code: "LS1 5HD"\n    city: Leeds\n    country: gb', "schools/skole-a.yaml")
    venue = _read(mini).venues["huset"]
    assert (venue.postal_code, venue.country) == ("LS1 5HD", "GB")


# --- .ics: one event with RRULE, read by two parsers ---------------------------------------

def test_a_recurring_offering_is_one_event_that_both_parsers_expand_to_the_model(mini: Path):
    recurring_ical_events = pytest.importorskip("recurring_ical_events")
    _write(mini, SESSIONS, WEEKLY_ONGOING)
    _write(mini, "registration: {opens: 2026-12-01, deadline: 2027-01-27}", "registration: {}")
    catalogue = _read(mini)
    sel = Selection(catalogue, TODAY)
    course = catalogue.courses["kursus-a"]
    offering = _offering(catalogue)
    site = Site("Testby", "https://testby.example.org/")
    data = Calendars(sel, site).offering(course, offering)
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == "kursus-a.foraar.r@testby.example.org"
    assert event["rrule"]["FREQ"] == ["WEEKLY"] and event["rrule"]["BYDAY"] == ["WE"]
    assert "UNTIL" not in event["rrule"]  # ongoing
    assert [d.dt.date() for d in event["exdate"].dts] == [dt.date(2026, 12, 30)]
    assert [d.dt.date() for d in event["rdate"].dts] == [dt.date(2027, 1, 2)]
    horizon = offering.last_date
    expanded = recurring_ical_events.of(calendar).between(dt.date(2026, 1, 1),
                                                          horizon + dt.timedelta(days=1))
    # A group under way is downloaded from its next date (issue 20): no weeks already past.
    assert event["dtstart"].dt.date() == dt.date(2026, 12, 2)
    assert sorted(e["DTSTART"].dt.date() for e in expanded) == [s.date for s in
                                                               offering.sessions
                                                               if s.date >= TODAY]
    assert all(e["DTSTART"].dt.hour == 10 and str(e["DTSTART"].dt.tzinfo) == "Europe/Copenhagen"
               for e in expanded)


def test_a_monthly_rule_with_an_end_has_a_utc_until_and_the_same_dates(mini: Path):
    recurring_ical_events = pytest.importorskip("recurring_ical_events")
    _write(mini, SESSIONS, '    recurrence:\n      frequency: monthly\n      position: sidste\n'
                           '      weekday: fredag\n      start: "17:00"\n      end: "19:00"\n'
                           '      from: 2027-02-01\n      until: 2027-05-28\n'
                           '      except: [2027-03-26]\n')
    _write(mini, "deadline: 2027-01-27", "deadline: 2027-01-30")
    catalogue = _read(mini)
    offering = _offering(catalogue)
    data = Calendars(Selection(catalogue, TODAY), Site("T", "https://t.example.org/")).offering(
        catalogue.courses["kursus-a"], offering)
    calendar = icalendar.Calendar.from_ical(data)
    rule = calendar.walk("VEVENT")[0]["rrule"]
    assert rule["BYDAY"] == ["-1FR"] and rule["UNTIL"][0].tzinfo is not None
    expanded = recurring_ical_events.of(calendar).between(dt.date(2027, 1, 1), dt.date(2028, 1, 1))
    assert sorted(e["DTSTART"].dt.date() for e in expanded) == [s.date for s in
                                                               offering.sessions] == [
        dt.date(2027, 2, 26), dt.date(2027, 4, 30), dt.date(2027, 5, 28)]


# --- the demo, built: every output says it ------------------------------------------------

@pytest.fixture(scope="module")
def demo_sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue, TODAY_DEMO)


def _article(built: Path, url: str):
    page = BeautifulSoup((built / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    return page, page.select_one("article.md-content__inner")


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def _download(built: Path, sel: Selection, page, course_id: str, key: str) -> list:
    """The events of an offering's "Tilføj til kalender" file, which its page links to."""
    course = sel.catalogue.courses[course_id]
    path = offering_ics_path(course, next(o for o in course.offerings if o.key == key))
    assert page.select_one(f'a[href$="{path.rpartition("/")[2]}"]'), path
    return icalendar.Calendar.from_ical((built / path).read_bytes()).walk("VEVENT")


def test_the_peer_group_page_says_its_rhythm_next_date_and_who_leads(built: Path):
    _, page = _article(built, "kurser/peergruppe-mandag/")
    assert _text(page.select_one(".kk-shape__rhythm")).startswith(
        "Hver mandag kl. 13.00–15.00, fortløbende")
    assert _text(page.select_one(".kk-shape__next")) == "Næste gang mandag 23. november"
    assert "Ledet af peers" in _text(page) and "ekstern" not in _text(page)
    assert page.select("ol.kk-sessions") == []  # the rhythm, not 26 dates


def test_the_relatives_cafe_says_first_thursday(built: Path):
    _, page = _article(built, "kurser/paaroerendecafe-foerste-torsdag/")
    assert _text(page.select_one(".kk-shape__rhythm")).startswith(
        "Første torsdag i måneden kl. 17.00–19.00, 4. februar til 3. juni 2027")
    assert "Ledet af pårørende" in _text(page)


def test_an_online_course_shows_no_address_anywhere(built: Path, demo_sel: Selection):
    _, page = _article(built, "kurser/online-samtalegruppe/")
    assert "Linket til Zoom sendes" in _text(page.select_one(".kk-shape__online"))
    # The course also has a hybrid group in London (issue 23); its online group has no address.
    assert "Adgangsforhold" not in _text(page.select_one("#hold-vinter-2027"))
    head, _ = _article(built, "kurser/online-samtalegruppe/")
    data = json.loads(head.find("script", type="application/ld+json").string)
    instance = data["hasCourseInstance"][0]
    assert instance["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert instance["location"]["@type"] == "VirtualLocation"
    events = _download(built, demo_sel, page, "online-samtalegruppe", "vinter-2027")
    assert len(events) == 1 and str(events[0]["location"]) == "Online"


def test_a_hybrid_offering_is_the_venue_and_online(built: Path, demo_sel: Selection):
    head, page = _article(built, "kurser/recovery-foredrag-hybrid/")
    assert "På stedet og online" in _text(page.select_one(".kk-shape__online"))
    assert "ca. 15 til borgere" in _text(page.select_one(".kk-shape__quotas"))
    data = json.loads(head.find("script", type="application/ld+json").string)
    location = data["hasCourseInstance"][0]["location"]
    assert [p["@type"] for p in location] == ["Place", "VirtualLocation"]
    event = _download(built, demo_sel, page, "recovery-foredrag-hybrid", "marts-2027")[0]
    assert str(event["location"]).endswith("8000 Aarhus C og online")


def test_a_full_offering_for_young_people_shows_places_waitlist_and_age(built: Path):
    head, page = _article(built, "kurser/ung-og-recovery/")
    assert _text(page.select_one(".kk-shape__left")) == "Ingen ledige pladser (opdateret 20. november)"
    assert "venteliste.aarhus@example.org" in _text(page.select_one(".kk-shape__waitlist"))
    assert _text(page.select_one(".kk-shape__who")).startswith("16–25 år. Bor i Region Midtjylland")
    data = json.loads(head.find("script", type="application/ld+json").string)
    assert data["typicalAgeRange"] == "16-25"
    assert data["audience"]["suggestedMinAge"] == 16
    assert data["audience"]["geographicArea"]["name"] == "Region Midtjylland"


def test_language_cost_and_stay_are_said(built: Path, demo_sel: Selection):
    head, page = _article(built, "kurser/recovery-paa-urdu/")
    assert _text(page.select_one(".kk-shape__language")) == "Undervises på urdu"
    assert json.loads(head.find("script", type="application/ld+json").string)["inLanguage"] == "ur"
    head, page = _article(built, "kurser/recoveryophold-paa-hoejskole/")
    assert _text(page.select_one(".kk-shape__stay")) == (
        "Ankomst mandag 3. maj 2027 kl. 10.00, afrejse fredag 7. maj 2027 kl. 14.00")
    assert "Ophold og forplejning" in _text(page.select_one(".kk-shape__cost"))
    data = json.loads(head.find("script", type="application/ld+json").string)
    assert data["offers"]["price"] == 0
    event = _download(built, demo_sel, page, "recoveryophold-paa-hoejskole", "maj-2027")
    assert len(event) == 1
    assert (event[0].decoded("dtend") - event[0].decoded("dtstart")) == dt.timedelta(days=4, hours=4)


def test_cards_and_filters_carry_the_shapes(built: Path):
    page, _ = _article(built, "kurser/")
    card = page.select_one('li.kk-card:has(a[href$="online-samtalegruppe/"])')
    assert "Online" in _text(card.select_one(".kk-card__shape")) and card["data-deltag"] == "online"
    young = page.select_one('li.kk-card:has(a[href$="ung-og-recovery/"])')
    assert young["data-alder"] == "16-25"
    assert "Undervises på urdu" in _text(page.select_one(
        'li.kk-card:has(a[href$="recovery-paa-urdu/"]) .kk-card__shape'))
    facets = {f["data-facet"]: [_text(a) for a in f.select("a")] for f in page.select("[data-facet]")}
    assert facets["deltag"] == ["Online"] and facets["alder"] == ["16–25 år"]
    # English: the online conversation group's London offering (issue 23, offering language).
    assert set(facets["sprog"]) == {"Dansk", "Engelsk", "Urdu"}
    online, _ = _article(built, "kurser/deltag/online/")
    assert {_text(a) for a in online.select("li.kk-card h3 a")} == {
        "Samtalegruppe online", "Foredrag om recovery – i salen og på Zoom"}


def test_the_feed_has_each_series_once(built: Path, demo_sel: Selection):
    events = icalendar.Calendar.from_ical((built / "kalender.ics").read_bytes()).walk("VEVENT")
    # A changed date (issue 23) is a second VEVENT of its series, with a RECURRENCE-ID.
    uids = [str(e["uid"]) for e in events if "RECURRENCE-ID" not in e]
    assert len(uids) == len(set(uids))
    assert uids.count("peergruppe-mandag.mandage.r@recoveryskoler.example.org") == 1


def test_open_data_has_the_shape_columns(built: Path):
    offerings = list(csv.DictReader(io.StringIO(
        (built / "data/offerings.csv").read_text(encoding="utf-8"))))
    peer = next(r for r in offerings if r["id"] == "peergruppe-mandag/mandage")
    assert peer["recurrence"] == "FREQ=WEEKLY;BYDAY=MO" and peer["ongoing"] == "true"
    # Christmas break, a cancelled date and public holidays (issue 23) are excluded too.
    assert peer["led_by"] == "peers" and peer["excluded_dates"].startswith(
        "2026-12-21 2026-12-28 2027-01-11 2027-03-29")
    online = next(r for r in offerings if r["id"] == "online-samtalegruppe/vinter-2027")
    assert online["attendance"] == "online" and online["venue_id"] == ""
    courses = list(csv.DictReader(io.StringIO(
        (built / "data/courses.csv").read_text(encoding="utf-8"))))
    urdu = next(r for r in courses if r["id"] == "recovery-paa-urdu")
    assert urdu["language"] == "ur" and urdu["price"] == "0"
    package = json.loads((built / "data/datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "offerings"
              for f in r["schema"]["fields"]}
    assert fields["places_left"]["type"] == "integer" and fields["ongoing"]["type"] == "boolean"


def test_the_printed_catalogue_says_rhythm_online_and_who_leads(built: Path):
    reader = PdfReader(built / "kursuskatalog.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Hver mandag kl. 13.00–15.00, fortløbende" in text
    assert "Ledet af peers" in text and "Undervises på urdu" in text
    assert "Linket til Zoom sendes" in text
