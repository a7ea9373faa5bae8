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
from ..model import Availability, zone
from ..templating import rhythm, strings, who_may_come
from . import Build, Page

_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029"}


def _place(venue) -> dict:
    return {
        "@type": "Place",
        "name": venue.name,
        "address": {"@type": "PostalAddress", "streetAddress": venue.address,
                    "postalCode": venue.postal_code, "addressLocality": venue.city,
                    "addressCountry": venue.country},
    }


_MODE = {"in-person": "https://schema.org/OfflineEventAttendanceMode",
         "online": "https://schema.org/OnlineEventAttendanceMode",
         "hybrid": "https://schema.org/MixedEventAttendanceMode"}
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_COURSE_MODE = {"in-person": "Onsite", "online": "Online", "hybrid": "Blended"}


def _location(venue, offering):
    """A Place, a VirtualLocation, or both for a hybrid offering."""
    virtual = {"@type": "VirtualLocation"}
    if offering.online_url:
        virtual["url"] = offering.online_url
    if not offering.online:
        return _place(venue)
    return virtual if venue is None else [_place(venue), virtual]


def _audience(course) -> dict | None:
    rule = course.eligibility
    if rule is None:
        return None
    audience = {"@type": "PeopleAudience"}
    if rule.match == "any":
        # Alternatives (issue 23): schema.org's fields would each read as a requirement, so
        # only the words, which say "eller", are given.
        words = who_may_come(rule) + ([rule.note] if rule.note else [])
        if words:
            audience["audienceType"] = ". ".join(words)
        return audience
    if rule.min_age is not None:
        audience["suggestedMinAge"] = rule.min_age
    if rule.max_age is not None:
        audience["suggestedMaxAge"] = rule.max_age
    if rule.residence:
        audience["geographicArea"] = {"@type": "AdministrativeArea", "name": rule.residence}
    words = who_may_come(rule) + ([rule.note] if rule.note else [])
    if words:
        audience["audienceType"] = ". ".join(words)
    return audience


def _age_range(course) -> str | None:
    rule = course.eligibility
    if rule is None or rule.match == "any" or (rule.min_age is None and rule.max_age is None):
        return None
    return f"{rule.min_age if rule.min_age is not None else 0}-" \
           f"{rule.max_age if rule.max_age is not None else ''}"


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
                 Availability.FULL: "https://schema.org/SoldOut",
                 # `registration.closed` (issue 23): closed for now, for a stated reason and
                 # often "until the summer". OutOfStock is schema.org's temporary "not to be
                 # had now"; Discontinued would say it never comes back, SoldOut that it is
                 # full. The reason goes in the offer's description.
                 Availability.SUSPENDED: "https://schema.org/OutOfStock"}


def _price(course) -> int:
    return course.cost.price if course.cost else 0


def _offer(offering, today, course) -> dict:
    offer = {"@type": "Offer", "price": _price(course), "priceCurrency": "DKK"}
    if course.cost:
        offer["description"] = course.cost.covers
    availability = _AVAILABILITY.get(offering.availability(today))
    if availability:
        offer["availability"] = availability
    if offering.registration.closed and offering.availability(today) is Availability.SUSPENDED:
        closed = strings()["availability"]["enrolment-closed"].format(
            closed=offering.registration.closed)
        offer["description"] = f"{offer['description']}. {closed}" if "description" in offer \
            else closed
    if offering.registration.required:
        if offering.registration.opens:
            offer["availabilityStarts"] = offering.registration.opens.isoformat()
        if offering.registration.deadline:
            offer["availabilityEnds"] = offering.registration.deadline.isoformat()
    return offer


def _iso(day, time, tz=COPENHAGEN) -> str:
    """A local time with its zone's offset on that day (issue 23: the venue's zone)."""
    return dt.datetime.combine(day, time, tz).isoformat()


def course_jsonld(selection, course, site) -> str:
    catalogue = selection.catalogue
    school = catalogue.schools[course.school_id]
    organizer = _organization(school, site)
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "inLanguage": course.language,
        "isAccessibleForFree": course.free,
        "provider": organizer,
        "offers": {"@type": "Offer", "price": _price(course), "priceCurrency": "DKK",
                   "category": "Free" if course.free else "Paid"},
        "about": [catalogue.themes[t].name for t in course.theme_ids if t in catalogue.themes],
    }
    url = site.absolute(f"kurser/{course.id}/")
    if url:
        data["url"] = url
    if course.outcomes:
        data["teaches"] = list(course.outcomes)
    audience, ages = _audience(course), _age_range(course)
    if audience:
        data["audience"] = audience
    if ages:
        data["typicalAgeRange"] = ages
    # issue 23 (fields-b): the other schools, prerequisites and a partner.
    also = [_organization(catalogue.schools[s], site) for s in course.also_school_ids
            if s in catalogue.schools]
    if also:
        data["provider"] = [organizer, *also]
    required = [catalogue.courses[c] for c in course.requires if c in catalogue.courses]
    if required:
        shown = {c.id for c in selection.courses}
        data["coursePrerequisites"] = [
            {"@type": "Course", "name": c.title,
             **({"url": site.absolute(f"kurser/{c.id}/")}
                if c.id in shown and site.absolute(f"kurser/{c.id}/") else {})}
            for c in required]
    if course.partner is not None:
        partner = {"@type": "Organization", "name": course.partner.name}
        if course.partner.url:
            partner["url"] = course.partner.url
        if course.partner.note:
            partner["description"] = course.partner.note
        data["contributor"] = partner
    if course.certificate:
        data["educationalCredentialAwarded"] = strings()["course"]["certificate_name"]
    instances = []
    for offering in selection.upcoming(course):
        venue = catalogue.venues.get(offering.venue_id)
        location = _location(venue, offering)
        status = {"cancelled": "https://schema.org/EventCancelled",
                  "postponed": "https://schema.org/EventPostponed"}.get(
            offering.status, "https://schema.org/EventScheduled")
        first, last = offering.sessions[0], offering.sessions[-1]
        title = course.title + (f" – {offering.name}" if offering.name else "")
        instance = {
            "@type": "CourseInstance",
            "courseMode": _COURSE_MODE[offering.attendance],
            "eventAttendanceMode": _MODE[offering.attendance],
            "location": location,
            "organizer": organizer,
            "startDate": _iso(first.date, first.start, zone(first.timezone)),
            "eventStatus": status,
            "isAccessibleForFree": course.free,
            "offers": _offer(offering, selection.today, course),
            "subEvent": [{"@type": "Event", "name": title + (f" – {s.topic}" if s.topic
                                                             and s.changed else ""),
                          "startDate": _iso(s.date, s.start, zone(s.timezone)),
                          "endDate": _iso(s.last_day, s.end, zone(s.timezone)),
                          "eventAttendanceMode": _MODE[offering.attendance],
                          "location": location, "eventStatus": status}
                         for s in offering.sessions if s.date >= selection.today
                         or offering.recurrence is None],
        }
        if not offering.ongoing:
            # An ongoing group has no end: its last expanded date is only the display horizon.
            instance["endDate"] = _iso(last.last_day, last.end, zone(last.timezone))
        if offering.recurrence is not None:
            # schema.org's Schedule says the rhythm; subEvent lists the expanded dates ahead.
            rule = offering.recurrence
            schedule = {"@type": "Schedule", "byDay": "https://schema.org/" + _DAYS[rule.weekday],
                        "startTime": rule.start.strftime("%H:%M"),
                        "endTime": rule.end.strftime("%H:%M"),
                        "startDate": rule.first.isoformat(),
                        "repeatFrequency": "P%dW" % rule.interval if rule.frequency == "weekly"
                        else "P%dM" % rule.interval,
                        "scheduleTimezone": offering.timezone, "name": rhythm(rule)}
            if rule.frequency == "monthly" and rule.position and rule.position > 0:
                # "første torsdag": the .ics says BYDAY=1TH. schema.org counts weeks 1 to 5
                # and has no word for "the last", which the schedule's name then says.
                schedule["byMonthWeek"] = rule.position
            if rule.until:
                schedule["endDate"] = rule.until.isoformat()
            # Issue 23: cancelled dates, breaks and holidays are left out like exceptions.
            more = sorted((set(rule.cancelled) | set(rule.skipped(selection.today)))
                          - set(rule.exceptions))
            if rule.exceptions or more:
                schedule["exceptDate"] = [d.isoformat() for d in (*rule.exceptions, *more)]
            instance["eventSchedule"] = schedule
        if offering.name:
            instance["name"] = offering.name
        if offering.language and offering.language != course.language:
            instance["inLanguage"] = offering.language
        if offering.capacity:
            instance["maximumAttendeeCapacity"] = offering.capacity
        left = offering.places_left_on(selection.today)
        if left is not None:
            instance["remainingAttendeeCapacity"] = left
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
