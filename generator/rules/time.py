"""Time rules: sessions, their order, sign-up dates, and offerings left open after the fact."""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..dates import COPENHAGEN, clock, clock_span
from ..diagnostics import problem
from ..model import Catalogue
from ..schema import MAX_SESSIONS


def session_ends_after_start(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            for session in offering.sessions:
                if session.end <= session.start:
                    yield problem("T203", session.at("end"), start=clock(session.start),
                                  end=clock(session.end))


def sessions_in_order(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            for previous, session in zip(offering.sessions, offering.sessions[1:]):
                if session.starts_at < previous.ends_at:
                    yield problem(
                        "T204", session.pos,
                        this=f"{session.date.isoformat()} kl. {clock(session.start)}",
                        previous=f"{previous.date.isoformat()} kl. "
                                 f"{clock_span(previous.start, previous.end)}")


def _where(course, offering, field: str):
    """The registration field is written on the offering, or else on the course."""
    if offering.wrote("registration", field):
        return offering.at("registration", field)
    # Written on the course, or inherited from the school's `defaults` (Course.at knows where).
    if course.wrote("registration", field) or course.inherits("registration", field):
        return course.at("registration", field)
    return offering.pos


def deadline_before_first_session(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            sign_up = offering.registration
            if sign_up.deadline and sign_up.deadline > offering.first_date:
                yield problem("T205", _where(course, offering, "deadline"),
                              deadline=sign_up.deadline.isoformat(),
                              first=offering.first_date.isoformat())
            if sign_up.opens and sign_up.deadline and sign_up.opens > sign_up.deadline:
                yield problem("T206", _where(course, offering, "opens"),
                              opens=sign_up.opens.isoformat(),
                              deadline=sign_up.deadline.isoformat())


def past_offering_still_open(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            if offering.status == "open" and offering.is_past(context.today):
                yield problem("T207", offering.at("status"), last=offering.last_date.isoformat())


def _zone(catalogue: Catalogue, offering):
    """The zone the offering's times are read in: its venue's, when venues have one, else
    Danish time, as the .ics and JSON-LD read them."""
    venue = catalogue.venues.get(offering.venue_id) if offering.venue_id else None
    name = getattr(venue, "timezone", None)
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
            pass  # an unknown zone is reported where the venue names it
    return COPENHAGEN


@functools.lru_cache(maxsize=4096)
def _clocks_change(day: dt.date, zone) -> bool:
    """Whether the offset differs between the start of the day and the next: only then can a
    time be missing or doubled (two days a year), so other days cost one lookup."""
    start = dt.datetime.combine(day, dt.time(), zone)
    return start.utcoffset() != (start + dt.timedelta(days=1)).utcoffset()


def _kind_of(day: dt.date, time: dt.time, zone) -> str | None:
    """'missing' for a wall-clock time the clocks skip (spring forward), 'doubled' for one
    they pass twice (fall back), None for an ordinary time."""
    if not _clocks_change(day, zone):
        return None
    local = dt.datetime.combine(day, time)
    first = local.replace(tzinfo=zone, fold=0)
    if first.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None) != local:
        return "missing"
    if first.utcoffset() != local.replace(tzinfo=zone, fold=1).utcoffset():
        return "doubled"
    return None


def local_times_exist(catalogue: Catalogue, context):
    """A session at 02.30 on the night the clocks change: on the spring night that time does
    not exist, on the autumn night it comes twice, so a calendar puts it an hour off or
    guesses. Each time written is named once, with the first date it goes wrong."""
    for course in catalogue.courses.values():
        for offering in course.offerings:
            zone = _zone(catalogue, offering)
            said = set()
            for session in offering.sessions:
                for field, day, time in (("start", session.date, session.start),
                                         ("end", session.last_day, session.end)):
                    kind = _kind_of(day, time, zone)
                    if kind is None:
                        continue
                    pos = session.at(field)  # looked up only for a time that is reported
                    if (pos, kind) in said:
                        continue
                    said.add((pos, kind))
                    yield problem("T215" if kind == "missing" else "T216", pos,
                                  time=clock(time), date=day.isoformat(), zone=zone.key)


def recurrence_is_bounded(catalogue: Catalogue, context):
    """A recurrence that expands to more dates than an offering may list (S117 for
    'sessions'): every one of them would be a row in the open data and a line on the page."""
    for course in catalogue.courses.values():
        for offering in course.offerings:
            rule = offering.recurrence
            if rule is not None and len(offering.sessions) > MAX_SESSIONS:
                hint = ("Skriv en nyere 'from', fx starten af dette semester." if rule.ongoing
                        else "Del holdet op i flere hold, eller skriv en senere 'from' eller "
                             "en tidligere 'until'.")
                yield problem("T217", offering.at("recurrence", "from"),
                              count=f"{len(offering.sessions):,}".replace(",", "."),
                              maximum=MAX_SESSIONS, hint=hint)
