"""Structured data: schema.org JSON-LD in the <head> of course pages.

Only what the page itself shows goes in: teachers appear by the name their consent allows, and
an unconsented teacher not at all. The JSON sits inside a <script> element, where HTML ends the
element at "</script" and starts comments at "<!--"; `script_json` writes <, > and & (and
U+2028 and U+2029, line ends to older JavaScript parsers) as JSON unicode escapes, which read
back as the same characters, so no text from the catalogue can leave the element.
"""

from __future__ import annotations

import datetime as dt
import json

from markupsafe import Markup

from ..dates import COPENHAGEN
from ..model import Availability
from ..templating import strings
from . import Build, Page

_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029"}


def _place(venue) -> dict:
    return {
        "@type": "Place",
        "name": venue.name,
        "address": {"@type": "PostalAddress", "streetAddress": venue.address,
                    "postalCode": venue.postal_code, "addressLocality": venue.city,
                    "addressCountry": "DK"},
    }


def _organization(school, site) -> dict:
    organization = {"@type": "Organization", "name": school.name}
    url = school.website or site.url
    if url:
        organization["url"] = url
    if school.contact.email:
        organization["email"] = school.contact.email
    return organization


# Only what is true on the day of the build: an offering one cannot sign up for today has no
# availability at all, and the dates say when one could.
_AVAILABILITY = {Availability.OPEN: "https://schema.org/InStock",
                 Availability.DROP_IN: "https://schema.org/InStock",
                 Availability.FEW: "https://schema.org/LimitedAvailability",
                 Availability.FULL: "https://schema.org/SoldOut"}


def _offer(offering, today) -> dict:
    offer = {"@type": "Offer", "price": 0, "priceCurrency": "DKK"}
    availability = _AVAILABILITY.get(offering.availability(today))
    if availability:
        offer["availability"] = availability
    if offering.registration.required:
        if offering.registration.opens:
            offer["availabilityStarts"] = offering.registration.opens.isoformat()
        if offering.registration.deadline:
            offer["availabilityEnds"] = offering.registration.deadline.isoformat()
    return offer


def _iso(day, time) -> str:
    return dt.datetime.combine(day, time, COPENHAGEN).isoformat()


def course_jsonld(selection, course, site) -> str:
    catalogue = selection.catalogue
    school = catalogue.schools[course.school_id]
    organizer = _organization(school, site)
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "inLanguage": "da",
        "isAccessibleForFree": True,
        "provider": organizer,
        "offers": {"@type": "Offer", "price": 0, "priceCurrency": "DKK", "category": "Free"},
        "about": [catalogue.themes[t].name for t in course.theme_ids if t in catalogue.themes],
    }
    url = site.absolute(f"kurser/{course.id}/")
    if url:
        data["url"] = url
    if course.outcomes:
        data["teaches"] = list(course.outcomes)
    if course.certificate:
        data["educationalCredentialAwarded"] = strings()["course"]["certificate_name"]
    instances = []
    for offering in selection.upcoming(course):
        venue = catalogue.venues[offering.venue_id]
        status = {"cancelled": "https://schema.org/EventCancelled",
                  "postponed": "https://schema.org/EventPostponed"}.get(
            offering.status, "https://schema.org/EventScheduled")
        instance = {
            "@type": "CourseInstance",
            "courseMode": "Onsite",
            "location": _place(venue),
            "organizer": organizer,
            "startDate": _iso(offering.sessions[0].date, offering.sessions[0].start),
            "endDate": _iso(offering.sessions[-1].date, offering.sessions[-1].end),
            "eventStatus": status,
            "isAccessibleForFree": True,
            "offers": _offer(offering, selection.today),
            "subEvent": [{"@type": "Event", "name": course.title,
                          "startDate": _iso(s.date, s.start), "endDate": _iso(s.date, s.end),
                          "location": _place(venue), "eventStatus": status}
                         for s in offering.sessions],
        }
        if offering.capacity:
            instance["maximumAttendeeCapacity"] = offering.capacity
        names = [t.public_name(selection.today) for t in selection.team(course, offering)]
        instructors = [{"@type": "Person", "name": n} for n in names if n]
        if instructors:
            instance["instructor"] = instructors
        instances.append(instance)
    if instances:
        data["hasCourseInstance"] = instances
    return script_json(data)


def script_json(data) -> Markup:
    """JSON that is safe as the content of a <script> element."""
    return Markup(json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_SAFE))


def plan(build: Build) -> list:
    """JSON-LD has no files of its own; `head` gives each page its block."""
    return []


def head(build: Build, page: Page | None) -> Markup:
    """The JSON-LD for a page's <head>: course pages describe their course, others nothing."""
    if page is None or page.template != "course.html":
        return Markup("")
    return course_jsonld(build.selection, page.context["course"], build.site)
