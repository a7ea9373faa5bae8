"""Render, part 2: calendars (RFC 5545) made with the icalendar library.

Times are local Danish time with a VTIMEZONE for Europe/Copenhagen. UIDs are built from ids
that do not change between builds, so a subscribed calendar updates events instead of adding
new ones, and a cancelled offering is published as STATUS:CANCELLED rather than dropped.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from .dates import COPENHAGEN
from .templating import strings

PRODID = "-//Recoveryskolerne//Kursuskatalog//DA"


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    return calendar


def _event(selection, course, offering, index: int, session, site) -> icalendar.Event:
    t = strings()
    venue = selection.catalogue.venues.get(offering.venue_id)
    event = icalendar.Event()
    event.add("uid", f"{course.id}.{offering.key}.{index}@{site.host}")
    # DTSTAMP is the build date, not the clock, so two builds of the same day are identical.
    event.add("dtstamp", dt.datetime.combine(selection.today, dt.time(), dt.timezone.utc))
    event.add("dtstart", dt.datetime.combine(session.date, session.start, COPENHAGEN))
    event.add("dtend", dt.datetime.combine(session.date, session.end, COPENHAGEN))
    title = course.title + (f" – {session.topic}" if session.topic else "")
    if offering.status == "cancelled":
        title = t["calendar_file"]["cancelled_prefix"] + title
    elif offering.status == "postponed":
        title = t["calendar_file"]["postponed_prefix"] + title
    event.add("summary", title)
    if venue is not None:
        room = session.room or offering.room
        place = f"{venue.name}{', ' + room if room else ''}, {venue.address}, " \
                f"{venue.postal_code} {venue.city}"
        event.add("location", place)
    description = [course.summary]
    if offering.status_note:
        description.append(f"{t['status'][offering.status]}: {offering.status_note}")
    url = site.absolute(f"kurser/{course.id}/")
    if url:
        event.add("url", url)
        description.append(url)
    event.add("description", "\n\n".join(description))
    event.add("status", "CANCELLED" if not offering.takes_place else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _to_bytes(calendar: icalendar.Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def offering(selection, course, offering, site) -> bytes:
    """All sessions of one offering: what "Tilføj til kalender" downloads."""
    calendar = _calendar(f"{course.title} – {site.name}")
    for index, session in enumerate(offering.sessions):
        calendar.add_component(_event(selection, course, offering, index, session, site))
    return _to_bytes(calendar)


def feed(selection, dated, name: str, site) -> bytes:
    """A subscribable feed of upcoming sessions (cancelled ones included, marked as such)."""
    calendar = _calendar(name)
    for item in dated:
        index = item.offering.sessions.index(item.session)
        calendar.add_component(_event(selection, item.course, item.offering, index,
                                      item.session, site))
    return _to_bytes(calendar)
