"""Structured data (generator/render/structured.py): schema.org JSON-LD, parsed with json,
directly on the small catalogue and in the built demo site's course pages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.catalogue import read_catalogue
from generator.render import Build, Page, pages, structured
from generator.render.structured import course_jsonld
from generator.select import Selection

from conftest import REPO, TODAY_DEMO as TODAY, changed, soup
from .conftest import mini_build

HOSTILE = 'Slut </script><!-- <b>"fed"</b> & \u2028linje\u2029afsnit'


@pytest.fixture(scope="module")
def sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY, use_cache=False).catalogue, TODAY)


def _jsonld(build: Build, course_id: str) -> dict:
    sel = build.selection
    return json.loads(course_jsonld(sel, sel.catalogue.courses[course_id], build.site))


# --- on the small catalogue ------------------------------------------------------------------

def test_only_course_pages_get_json_ld_in_their_head(build: Build):
    planned = [p for p in pages.plan(build) if isinstance(p, Page)]
    heads = {p.path: structured.head(build, p) for p in planned}
    assert {path for path, text in heads.items() if text} == {
        "kurser/kursus-a.md", "kurser/kursus-b.md", "kurser/kursus-c.md"}
    assert json.loads(heads["kurser/kursus-b.md"])["name"] == "Kursus B"
    assert structured.head(build, None) == ""
    assert structured.plan(build) == []


def test_a_course_is_free_open_and_offered_by_its_school(build: Build):
    data = _jsonld(build, "kursus-a")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Course"
    assert data["name"] == "Kursus A" and data["description"] == "Et kursus, som testene bygger på."
    assert data["url"] == "https://test.example.org/kurser/kursus-a/"
    assert data["inLanguage"] == "da" and data["isAccessibleForFree"] is True
    assert data["offers"] == {"@type": "Offer", "price": 0, "priceCurrency": "DKK",
                              "category": "Free"}
    assert data["provider"] == {"@type": "Organization", "name": "Recoveryskolen Testby",
                                "url": "https://test.example.org/",
                                "email": "kontakt@example.org"}
    assert data["about"] == ["Øge netværk", "Recovery"]
    assert data["teaches"] == ["Viden om recovery"]
    assert "educationalCredentialAwarded" not in data
    assert "educationalCredentialAwarded" in _jsonld(build, "kursus-c")


def test_an_upcoming_offering_is_a_course_instance_with_its_sessions(build: Build):
    (instance,) = _jsonld(build, "kursus-a")["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance" and instance["courseMode"] == "Onsite"
    assert instance["startDate"] == "2027-02-03T10:00:00+01:00"
    assert instance["endDate"] == "2027-02-10T13:00:00+01:00"
    assert instance["eventStatus"] == "https://schema.org/EventScheduled"
    assert instance["maximumAttendeeCapacity"] == 12
    assert instance["offers"]["availability"] == "https://schema.org/InStock"
    assert instance["location"]["address"] == {
        "@type": "PostalAddress", "streetAddress": "Testvej 1", "postalCode": "8000",
        "addressLocality": "Aarhus C", "addressCountry": "DK"}
    assert [e["startDate"] for e in instance["subEvent"]] == ["2027-02-03T10:00:00+01:00",
                                                              "2027-02-10T10:00:00+01:00"]
    full = _jsonld(build, "kursus-b")["hasCourseInstance"][0]
    assert full["offers"]["availability"] == "https://schema.org/SoldOut"


def test_teachers_are_instructors_only_by_the_name_they_consented_to(build: Build):
    (instance,) = _jsonld(build, "kursus-a")["hasCourseInstance"]
    assert instance["instructor"] == [{"@type": "Person", "name": "Pia"},
                                      {"@type": "Person", "name": "Frida Fagsen"}]
    # kursus-b is taught by two teachers without consent: no instructor at all.
    text = course_jsonld(build.selection, build.selection.catalogue.courses["kursus-b"],
                         build.site)
    assert "instructor" not in json.loads(text)["hasCourseInstance"][0]
    for name in ("Rita", "Paarsen", "Gustav", "paa-r", "fag-g", "Peersen"):
        assert name not in text


def test_a_cancelled_offering_is_an_event_cancelled(mini_catalogue):
    cancelled = changed(mini_catalogue, "kursus-a", offering={"status": "cancelled"})
    (instance,) = _jsonld(mini_build(cancelled), "kursus-a")["hasCourseInstance"]
    assert instance["eventStatus"] == "https://schema.org/EventCancelled"
    assert {e["eventStatus"] for e in instance["subEvent"]} == {
        "https://schema.org/EventCancelled"}


def test_a_course_with_no_upcoming_offering_has_no_instances(mini_catalogue):
    data = _jsonld(mini_build(mini_catalogue, dt.date(2027, 4, 1)), "kursus-a")
    assert data["name"] == "Kursus A" and "hasCourseInstance" not in data


def test_a_site_without_an_address_leaves_the_urls_out(mini_catalogue):
    from generator.render import Site

    data = _jsonld(mini_build(mini_catalogue, site=Site("Test")), "kursus-b")
    assert "url" not in data and "url" not in data["provider"]


@pytest.mark.parametrize("field", ["title", "summary"])
def test_text_that_could_end_the_script_reads_back_unchanged(mini_catalogue, field):
    hostile = changed(mini_catalogue, "kursus-a", **{field: HOSTILE})
    build = mini_build(hostile)
    page = next(p for p in pages.plan(build) if p.path == "kurser/kursus-a.md")
    text = str(structured.head(build, page))
    for character in ("<", ">", "&", "\u2028", "\u2029"):
        assert character not in text, repr(character)
    data = json.loads(text)
    assert data["name" if field == "title" else "description"] == HOSTILE
    if field == "title":
        assert data["hasCourseInstance"][0]["subEvent"][0]["name"] == HOSTILE


# --- the built demo site --------------------------------------------------------------------

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
