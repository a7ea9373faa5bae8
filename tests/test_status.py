"""Status words that are true on the build's day: what a citizen can do about an offering."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.catalogue import read_catalogue
from generator.model import Availability
from generator.select import Selection

from conftest import MINI, REPO, TODAY, copy_catalogue, run

LATE_JANUARY = dt.date(2027, 1, 30)  # the demo's February sign-up is over, April's not open


def _offering(**changes):
    catalogue = read_catalogue(MINI, TODAY, use_cache=False).catalogue
    offering = catalogue.courses["kursus-a"].offerings[0]  # 3 and 10 February 2027
    registration = dataclasses.replace(offering.registration, **changes.pop("registration", {}))
    return dataclasses.replace(offering, registration=registration, **changes)


@pytest.mark.parametrize("today, changes, expected", [
    (dt.date(2027, 1, 2), {}, Availability.OPEN),
    (dt.date(2027, 1, 2), {"status": "few-places"}, Availability.FEW),
    (dt.date(2027, 1, 2), {"status": "full"}, Availability.FULL),
    (dt.date(2027, 1, 2), {"status": "waitlist"}, Availability.FULL),
    (dt.date(2027, 1, 2), {"status": "cancelled"}, Availability.CANCELLED),
    (dt.date(2027, 1, 2), {"status": "postponed"}, Availability.POSTPONED),
    (dt.date(2026, 11, 30), {}, Availability.NOT_YET),  # opens 1 December
    (dt.date(2027, 1, 28), {}, Availability.CLOSED),  # deadline 27 January
    (dt.date(2027, 1, 28), {"status": "full"}, Availability.CLOSED),
    (dt.date(2027, 2, 4), {"registration": {"deadline": None}}, Availability.STARTED),
    (dt.date(2027, 2, 11), {}, Availability.PAST),
    (dt.date(2026, 11, 30), {"registration": {"required": False}}, Availability.DROP_IN),
])
def test_availability_follows_the_day_and_the_sign_up_dates(today, changes, expected):
    assert _offering(**changes).availability(today) is expected


def test_only_open_few_and_full_let_one_sign_up():
    assert {a for a in Availability if a.can_sign_up} == {
        Availability.OPEN, Availability.FEW, Availability.FULL}


@pytest.fixture(scope="module")
def late_january(tmp_path_factory) -> tuple[Path, Selection]:
    root = copy_catalogue(REPO, tmp_path_factory.mktemp("status") / "demo")
    done = run(["build", "--today", LATE_JANUARY.isoformat()], root)
    assert done.returncode == 0, done.stderr
    catalogue = read_catalogue(root, LATE_JANUARY, use_cache=False).catalogue
    return root / "site", Selection(catalogue, LATE_JANUARY)


def _page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_after_the_deadline_and_before_sign_up_opens_the_page_says_so(late_january):
    site, _ = late_january
    page = _page(site, "kurser/fem-veje-til-et-godt-liv/")
    february = page.select_one("#hold-februar")
    assert february.select_one(".kk-status").get_text() == "Tilmeldingsfristen er overstået"
    assert not february.select(".kk-signup"), "no way to sign up is offered after the deadline"
    april = page.select_one("#hold-april")
    assert april.select_one(".kk-status").get_text() == "Tilmeldingen åbner 15. februar"
    assert "Ledige pladser" not in page.get_text()


def test_a_drop_in_cafe_says_just_come(late_january):
    site, _ = late_january
    page = _page(site, "kurser/recoverycafe-randers/")
    assert {s.get_text() for s in page.select(".kk-offering .kk-status")} == {
        "Ingen tilmelding – mød bare op"}


def test_ledige_pladser_appears_only_where_one_can_sign_up_today(late_january):
    site, sel = late_january
    for course in sel.courses:
        page = _page(site, f"kurser/{course.id}/")
        for offering in sel.upcoming(course):
            shown = page.select_one(f"#hold-{offering.key} .kk-status").get_text()
            is_open = offering.availability(LATE_JANUARY) is Availability.OPEN
            assert (shown == "Ledige pladser") == is_open, (course.id, offering.key, shown)
    for url in ("", "kurser/"):
        for card in _page(site, url).select(".kk-card"):
            course_id = card.select_one(".kk-card__title a")["href"].rstrip("/").split("/")[-1]
            lead = sel.headline(sel.catalogue.courses[course_id])
            shown = card.select_one(".kk-card__status").get_text()
            assert (shown == "Ledige pladser") == (
                lead.availability(LATE_JANUARY) is Availability.OPEN), (course_id, shown)


def test_the_status_is_a_word_not_a_button(late_january):
    site, _ = late_january
    card = _page(site, "kurser/").select_one(".kk-card__status")
    assert card.find(["a", "button"]) is None and "md-button" not in str(card)


def test_a_cancelled_offering_offers_no_calendar_file(late_january):
    site, sel = late_january
    found = 0
    for course in sel.courses:
        page = _page(site, f"kurser/{course.id}/")
        for offering in sel.upcoming(course):
            block = page.select_one(f"#hold-{offering.key}")
            links = block.select('a[href$=".ics"]')
            assert bool(links) == offering.takes_place, (course.id, offering.key)
            found += not offering.takes_place
    assert found >= 2


def test_json_ld_availability_is_true_today(late_january):
    site, sel = late_january
    expected = {Availability.OPEN: "https://schema.org/InStock",
                Availability.DROP_IN: "https://schema.org/InStock",
                Availability.FEW: "https://schema.org/LimitedAvailability",
                Availability.FULL: "https://schema.org/SoldOut",
                Availability.SUSPENDED: "https://schema.org/OutOfStock"}  # issue 23
    for course in sel.courses:
        script = _page(site, f"kurser/{course.id}/").find("script", type="application/ld+json")
        instances = json.loads(script.string).get("hasCourseInstance", [])
        for offering, instance in zip(sel.upcoming(course), instances):
            offer = instance["offers"]
            assert offer.get("availability") == expected.get(
                offering.availability(LATE_JANUARY)), (course.id, offering.key)
            if offering.registration.required and offering.registration.opens:
                assert offer["availabilityStarts"] == offering.registration.opens.isoformat()
