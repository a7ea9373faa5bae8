"""Calendars: .ics files (RFC 5545) made with the icalendar library, which escapes every text
value (commas, semicolons, backslashes, newlines) and folds long lines.

Times are local time at the venue, with its TZID and a VTIMEZONE for each zone a file uses
(Europe/Copenhagen always, so a Danish file is as it always was). UIDs are built from ids
that do not change between builds, so a subscribed calendar updates events instead of adding
new ones, and a cancelled offering is published as STATUS:CANCELLED rather than dropped.

A recurring offering is one VEVENT with RRULE, EXDATE and RDATE (its UID ends in ".r"), not
one event per expanded session, so a calendar app shows the group as the series it is and an
ongoing group goes on without an end. A stay over several days is one event from arrival to
departure.

A date of the series that differs (`changes`) is a second VEVENT with the same UID and a
RECURRENCE-ID: what calendar apps show as "this event only". A cancelled date, a school break
and a skipped public holiday are EXDATEs: every calendar app leaves them out, whereas a
cancelled override is shown struck through by some apps and as a normal event by others.
"""

from __future__ import annotations

import datetime as dt
import functools

import icalendar

from ..dates import COPENHAGEN
from ..model import zone
from ..templating import danish_date, postal_address, strings, who_may_come
from . import Asset, Build, feed_path, offering_ics_path, theme_feed_path

PRODID = "-//Recoveryskolerne//Kursuskatalog//DA"


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", icalendar.vText(name))  # escaped like every text value
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    return calendar


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rrule_of(rule, last: dt.date | None = None, tz=COPENHAGEN) -> icalendar.vRecur:
    """The RRULE; `last`, the last date a build expands, ends it where the site's dates end
    (a far 'until' is cut at the limit recurrence.py expands to)."""
    day = _BYDAY[rule.weekday]
    recur = {"freq": "WEEKLY" if rule.frequency == "weekly" else "MONTHLY"}
    if rule.interval != 1:
        recur["interval"] = rule.interval
    recur["byday"] = f"{rule.position}{day}" if rule.frequency == "monthly" and rule.position \
        else day
    if rule.until is not None:
        # With a zoned DTSTART, UNTIL must be UTC (RFC 5545 3.3.10): the end of the last day.
        end = dt.datetime.combine(min(rule.until, last or rule.until), rule.end, tz)
        recur["until"] = end.astimezone(dt.timezone.utc)
    return icalendar.vRecur(recur)


def _location(venue, offering, room) -> str | None:
    t = strings()["shape"]
    if venue is None:
        return t["online"] if offering.online else None
    place = f"{venue.name}{', ' + room if room else ''}, {postal_address(venue)}"
    return f"{place} {t['and_online']}" if offering.attendance == "hybrid" else place


def series_parts(offering, today: dt.date, start: dt.date | None = None
                 ) -> tuple[tuple[dt.date, ...], tuple[dt.date, ...]]:
    """A recurring offering's expanded dates from `start` (all when None), split: (the
    pattern's dates, the extras).

    DTSTART is always the first real occurrence (RFC 5545 counts DTSTART as one), so the
    series starts on the first pattern date that is not an exception, and an extra before it
    (or every extra, when no pattern date is left) is an event of its own: placed in the
    series, it would have to be DTSTART, and a weekly rule started off its weekday, or in
    the wrong week of an "every other week", makes dates the group does not have.
    """
    rule = offering.recurrence
    held = {s.date for s in offering.sessions if start is None or s.date >= start}
    pattern = tuple(d for d in rule.pattern_dates(today) if d in held)
    return pattern, tuple(sorted(held - set(pattern)))


def _event(selection, course, offering, index, session, site,
           start: dt.date | None = None, override: bool = False) -> icalendar.Event:
    """One session's event; with index "r", the whole recurring offering's one event (from
    its first pattern date, or from `start`: a download begins at the next date of a group
    under way); with "x<date>", an extra date before it, alone; with `override`, the one
    changed date of the series (RECURRENCE-ID)."""
    t = strings()
    venue = selection.catalogue.venues.get(offering.venue_of(session))
    event = icalendar.Event()
    event.add("uid", f"{course.id}.{offering.key}.{index}@{site.host}")
    # DTSTAMP is the build date, not the clock, so two builds of the same day are identical.
    event.add("dtstamp", dt.datetime.combine(selection.today, dt.time(), dt.timezone.utc))
    rule = offering.recurrence if index == "r" else None
    tz = zone(offering.timezone)
    if override:
        event.add("recurrence-id", dt.datetime.combine(session.date, rule.start, tz))
        rule = None
    if rule is not None:
        pattern, extras = series_parts(offering, selection.today, start)
        first = pattern[0]
        event.add("dtstart", dt.datetime.combine(first, rule.start, tz))
        event.add("dtend", dt.datetime.combine(first, rule.end, tz))
        event.add("rrule", rrule_of(rule, pattern[-1], tz))
        last = None if rule.ongoing else pattern[-1]
        # Written exceptions, then cancelled, break and holiday dates (issue 23). An exception
        # also written as an extra is held: EXDATE would win over its RDATE.
        held = {s.date for s in offering.sessions}
        left_out = set(rule.exceptions) | set(rule.cancelled) | set(rule.skipped(selection.today))
        skipped = [d for d in left_out
                   if d > first and (last is None or d <= last) and d not in held]
        if skipped:
            event.add("exdate", [dt.datetime.combine(d, rule.start, tz)
                                 for d in sorted(skipped)])
        later = [d for d in extras if d > first]
        if later:
            event.add("rdate", [dt.datetime.combine(d, rule.start, tz) for d in later])
    else:
        stz = zone(session.timezone)
        event.add("dtstart", dt.datetime.combine(session.date, session.start, stz))
        event.add("dtend", dt.datetime.combine(session.last_day, session.end, stz))
    title = course.title + (f" – {offering.name}" if offering.name else "") \
        + (f" – {session.topic}" if session.topic else "")
    if offering.status == "cancelled":
        title = t["calendar_file"]["cancelled_prefix"] + title
    elif offering.status == "postponed":
        title = t["calendar_file"]["postponed_prefix"] + title
    event.add("summary", title)
    place = _location(venue, offering, session.room or offering.room)
    if place:
        event.add("location", place)
    words = t["calendar_file"]
    description = [course.summary]
    if session.note:
        description.append(session.note)
    if offering.online:
        description.append(offering.online_url or offering.online_note
                           or t["shape"]["online_note_default"])
    state = offering.availability(selection.today).value
    if offering.status_note:
        description.append(f"{t['availability'][state].format(date='', closed=offering.registration.closed or '')}: {offering.status_note}")
    if offering.note:
        description.append(offering.note)
    description += _who(selection, course)
    if offering.takes_place:  # no way to sign up for what is called off
        description.append(_sign_up(offering, state, words))
    # issue 23 (fields-b): prerequisites and a partner (who may come is in _who above).
    required = [selection.catalogue.courses[c].title for c in course.requires
                if c in selection.catalogue.courses]
    if required:
        description.append(words["requires"].format(courses=", ".join(required)))
    if course.partner is not None:
        description.append(words["partner"].format(name=course.partner.name))
    # Roles only: a calendar file is copied and forwarded, so it never carries a name.
    roles = [t["roles"][r] for r in ("peer", "relative", "professional")
             if any(teacher.main_role == r for teacher in selection.team(course, offering))]
    if roles:
        description.append(words["team"].format(roles=", ".join(roles)))
    url = site.absolute(f"kurser/{course.id}/")
    if url:
        event.add("url", url)
        description.append(words["page"].format(url=url))
    event.add("description", "\n\n".join(description))
    event.add("status", "CANCELLED" if not offering.takes_place else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if site.calendar_reminder and offering.takes_place:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(days=-1))
        alarm.add("description", words["reminder"].format(title=title))
        event.add_component(alarm)
    return event


def _sign_up(offering, state: str, words) -> str:
    """How to sign up, in one line: the link, the address or the number, or 'just come'."""
    sign_up = offering.registration
    if state == "enrolment-closed":
        return words["closed"].format(closed=sign_up.closed.rstrip("."))
    if state == "drop-in":
        return words["dropin"]
    channels = [c for c in (sign_up.url, sign_up.email, sign_up.phone) if c]
    line = words["signup"].format(how=words["or"].join(channels)) if channels else ""
    if sign_up.deadline:
        line += " " + words["deadline"].format(date=danish_date(sign_up.deadline))
    if sign_up.note and state != "drop-in":
        line += " " + sign_up.note
    return line.strip() or words["contact"]


def _who(selection, course) -> list[str]:
    """Who may come and "meld dig ind først", as the course page says them: a calendar entry
    is often all one looks at before going."""
    t = strings()["shape"]
    lines = []
    rule = course.eligibility
    if rule is not None:
        said = who_may_come(rule) + ([rule.note] if rule.note else [])
        if said:
            lines.append(f"{t['who']}: " + ". ".join(said) + ".")
    school = selection.catalogue.schools.get(course.school_id)
    if school is not None and school.enrol_first and course.enrol_first:
        lines.append(" ".join(filter(None, (
            t["enrol_first_text"].format(school=school.name), school.enrol_first.how,
            school.enrol_first.url))))
    return lines


@functools.lru_cache(maxsize=None)
def _vtimezone(name: str = "Europe/Copenhagen") -> bytes:
    """Made once per zone: building a VTIMEZONE from the tz database is the slowest step here."""
    component = icalendar.Timezone.from_tzinfo(zone(name), tzid=name,
                                               first_date=dt.date(2020, 1, 1))
    component.pop("COMMENT", None)  # icalendar's is English; the site speaks Danish
    component.add("comment", strings()["calendar_file"]["timezone"])
    return component.to_ical()


def _copenhagen() -> bytes:
    return _vtimezone("Europe/Copenhagen")


_END = b"END:VCALENDAR\r\n"
_LIMIT = 74  # octets of content per physical line, as icalendar folds (RFC 5545 3.1: <= 75)


def fold(line: str) -> bytes:
    """One content line, folded as icalendar folds it, in bytes rather than one character at
    a time (at tens of thousands of events its loop was most of the calendars' time): at most
    74 octets per line, never inside a UTF-8 character, and never between a backslash (or ^)
    and the character it escapes."""
    data = line.encode("utf-8")
    if len(data) <= _LIMIT:
        return data
    parts, start = [], 0
    while len(data) - start > _LIMIT:
        end = start + _LIMIT
        while data[end] & 0xC0 == 0x80:  # a continuation byte: the cut would split a character
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def to_ical(component: icalendar.cal.Component) -> bytes:
    """`component.to_ical()`, byte for byte, with the faster `fold`."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


class Calendars:
    """The calendar files of one build.

    A session is in its offering's file and in two feeds; each event is serialised once by
    icalendar and its bytes are reused, which matters at thousands of offerings.
    """

    def __init__(self, selection, site):
        self.selection, self.site = selection, site
        self._events: dict[tuple[str, str, int | str], bytes] = {}
        self._zones: dict[bytes, set[str]] = {}  # the zones an event's bytes name

    def _event(self, course, offering, index: int | str, start: dt.date | None = None) -> bytes:
        if offering.recurrence is not None:
            index = "r"  # the series, whichever of its sessions asked
        key = (course.id, offering.key, index, start)
        if key not in self._events:
            if index == "r":
                data, zones = self._series(course, offering, start)
            else:
                session = offering.sessions[index]
                data = to_ical(_event(self.selection, course, offering, index, session,
                                      self.site))
                zones = {offering.timezone, session.timezone}
            self._events[key] = data
            self._zones[data] = zones
        return self._events[key]

    def _series(self, course, offering, start: dt.date | None = None
                ) -> tuple[bytes, set[str]]:
        """The recurring offering's series event with one override per changed date (issue
        23), and an event for each extra before it; and the zones they name."""
        pattern, extras = series_parts(offering, self.selection.today, start)
        first = pattern[0] if pattern else None
        zones = {offering.timezone}
        series, alone = [], []
        for session in offering.sessions:
            if session.date in extras and (first is None or session.date < first):
                alone.append(_event(self.selection, course, offering,
                                    f"x{session.date.isoformat()}", session, self.site))
                zones.add(session.timezone)
        if first is not None:
            session = next(s for s in offering.sessions if s.date == first)
            series.append(_event(self.selection, course, offering, "r", session, self.site,
                                 start))
            for changed in offering.sessions:
                if changed.changed and changed.date in pattern:
                    series.append(_event(self.selection, course, offering, "r", changed,
                                         self.site, override=True))
                    zones.add(changed.timezone)
        return b"".join(to_ical(e) for e in series + alone), zones

    def _file(self, name: str, events: list[bytes]) -> bytes:
        head = _calendar(name).to_ical()
        assert head.endswith(_END)
        zones = sorted(set().union(*(self._zones.get(e, ()) for e in events))
                       - {"Europe/Copenhagen"})
        return (head[:-len(_END)] + _copenhagen() + b"".join(_vtimezone(z) for z in zones)
                + b"".join(events) + _END)

    def offering(self, course, offering) -> bytes:
        """All sessions of one offering: what "Tilføj til kalender" downloads."""
        indexes = ["r"] if offering.recurrence else range(len(offering.sessions))
        return self._file(f"{course.title} – {self.site.name}",
                          [self._event(course, offering, i, self.next_start(offering))
                           for i in indexes])

    def next_start(self, offering) -> dt.date | None:
        """Where a group under way starts in a downloaded file: its next date on the pattern,
        so a phone is not filled with the weeks that have passed. The series stays one event
        with its RRULE. None: the pattern's own start (not begun yet, or not recurring)."""
        rule = offering.recurrence
        begins = rule.pattern_start() if rule is not None else None
        if begins is None or begins >= self.selection.today:
            return None
        return rule.next_on_pattern(self.selection.today)

    def feed(self, dated, name: str) -> bytes:
        """A subscribable feed of upcoming sessions (cancelled ones included, marked so); a
        recurring offering is there once, as its series."""
        events = list(dict.fromkeys(self._event(d.course, d.offering, d.index) for d in dated))
        return self._file(name, events)


def plan(build: Build) -> list[Asset]:
    """The feed of the whole build, one per school, one per theme, and one file per
    upcoming offering."""
    sel, site = build.selection, build.site
    calendars = Calendars(sel, site)
    assets = [Asset(feed_path(), lambda: calendars.feed(sel.upcoming_sessions, site.name))]
    for school in sel.schools:
        dated = tuple(d for d in sel.upcoming_sessions if school.id in d.course.school_ids)
        assets.append(Asset(feed_path(school.id),
                            lambda d=dated, s=school: calendars.feed(d, s.name)))
    for theme in sel.themes:
        ids = {c.id for c in sel.with_facet("tema", theme.id)}
        dated = tuple(d for d in sel.upcoming_sessions if d.course.id in ids)
        assets.append(Asset(theme_feed_path(theme.id),
                            lambda d=dated, th=theme: calendars.feed(
                                d, f"{th.name} – {site.name}")))
    for course in sel.courses:
        for offering in sel.upcoming(course):
            assets.append(Asset(offering_ics_path(course, offering),
                                lambda c=course, o=offering: calendars.offering(c, o)))
    return assets
