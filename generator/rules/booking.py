"""Double booking: a teacher cannot be in two places at once, and neither can a room.

Sessions are grouped by teacher (or room) and swept in start order, so the cost grows with
n log n in the number of sessions rather than with every pair.

A clash is reported at both sessions, each naming the other. Two sessions usually belong to two
courses kept by two coordinators; each of them sees the clash in the file they are responsible
for (also with `catalogue check FILE`), and fixing either side clears both. The sweep order is
fixed by (start, end, file, place in file), so the same sources always give the same report.
"""

from __future__ import annotations

from collections import defaultdict

from ..dates import clock_span
from ..diagnostics import problem
from ..model import Catalogue, zone
from .rooms import room_key


def _order(entry):
    starts, ends, session = entry[0], entry[1], entry[2]
    source = session.source
    return (starts, ends, source.name, source.steps) if source else (starts, ends, "", ())


def _overlaps(groups):
    """Yield (earlier, later) pairs of entries that overlap within each group.

    An entry is (starts, ends, session, course, label); times are computed once per entry.
    Every session that overlaps another ends up in at least one pair.
    """
    for entries in groups.values():
        entries.sort(key=_order)
        latest = None
        for entry in entries:
            if latest is not None and entry[0] < latest[1]:
                yield latest, entry
            if latest is None or entry[1] > latest[1]:
                latest = entry


def _describe(session, course) -> str:
    return f"'{course.title}' ({session.pos.file}:{session.pos.line})"


def _when(here, there) -> dict:
    """The clash itself, not the whole session: a stay from the 10th to the 14th that clashes
    with a morning on the 13th is reported on the 13th, at that morning's hours."""
    local = zone(here[2].timezone)  # said in the wall-clock time of the session reported
    starts = max(here[0], there[0]).astimezone(local).replace(tzinfo=None)
    ends = min(here[1], there[1]).astimezone(local).replace(tzinfo=None)
    day = starts.date().isoformat()
    if ends.date() != starts.date():
        day = f"{day}–{ends.date().isoformat()}"
    return {"date": day, "time": clock_span(starts.time(), ends.time())}


def _both_ways(pairs):
    """Each clash once from each side: (this entry, the other entry)."""
    for first, second in pairs:
        yield second, first
        yield first, second


def teacher_not_double_booked(catalogue: Catalogue, context):
    groups = defaultdict(list)
    for course in catalogue.courses.values():
        for offering in course.offerings:
            if not offering.takes_place:
                continue
            # Absolute times (issue 23): a teacher online from London at 14.00 and in Randers
            # at 15.00 Danish time is in two places at once.
            for session in offering.sessions:
                starts, ends = session.starts_utc, session.ends_utc
                for teacher in dict.fromkeys(offering.team_of(session)):
                    groups[teacher].append((starts, ends, session, course, teacher))
    for mine, theirs in _both_ways(_overlaps(groups)):
        here, teacher, there, there_course = mine[2], mine[4], theirs[2], theirs[3]
        yield problem("B501", here.pos, teacher=teacher, **_when(mine, theirs),
                      other=_describe(there, there_course))


def room_not_double_booked(catalogue: Catalogue, context):
    groups = defaultdict(list)
    for course in catalogue.courses.values():
        for offering in course.offerings:
            if not offering.takes_place:
                continue
            for session in offering.sessions:
                venue_id = offering.venue_of(session)
                if venue_id is None:
                    continue  # online only: no room to book
                # A changed date in another room names only its own room; the offering's room
                # belongs to the offering's venue.
                room = session.room or (offering.room if venue_id == offering.venue_id else None)
                label = f"Lokalet '{room}' på '{venue_id}'" if room else f"Stedet '{venue_id}'"
                groups[(venue_id, room_key(room) if room else "")].append(
                    (session.starts_utc, session.ends_utc, session, course, label))
    for mine, theirs in _both_ways(_overlaps(groups)):
        here, label, there, there_course = mine[2], mine[4], theirs[2], theirs[3]
        yield problem("B502", here.pos, room=label, **_when(mine, theirs),
                      other=_describe(there, there_course))
