"""Double booking: a teacher cannot be in two places at once; a room is a softer constraint.

Sessions are grouped by teacher (or room) and swept in start order, so the cost grows with
n log n in the number of sessions rather than with every pair.
"""

from __future__ import annotations

from collections import defaultdict

from ..diagnostics import problem
from ..model import Catalogue


def _hhmm(t) -> str:
    return t.strftime("%H:%M")


def _overlaps(groups):
    """Yield (earlier, later) pairs of entries that overlap within each group.

    An entry is (starts, ends, session, course, label); times are computed once per entry.
    """
    for entries in groups.values():
        entries.sort(key=lambda e: (e[0], e[1]))
        latest = None
        for entry in entries:
            if latest is not None and entry[0] < latest[1]:
                yield latest, entry
            if latest is None or entry[1] > latest[1]:
                latest = entry


def _describe(session, course) -> str:
    return f"'{course.title}' ({session.pos.file}:{session.pos.line})"


def teacher_not_double_booked(catalogue: Catalogue, context):
    groups = defaultdict(list)
    for course in catalogue.courses.values():
        for offering in course.offerings:
            if not offering.takes_place:
                continue
            times = [(s.starts_at, s.ends_at, s) for s in offering.sessions]
            for teacher in offering.teacher_ids:
                for starts, ends, session in times:
                    groups[teacher].append((starts, ends, session, course, teacher))
    for (_, _, first, first_course, _), (_, _, second, _, teacher) in _overlaps(groups):
        yield problem("B501", second.pos, teacher=teacher, date=second.date.isoformat(),
                      start=_hhmm(second.start), end=_hhmm(second.end),
                      other=_describe(first, first_course))


def room_not_double_booked(catalogue: Catalogue, context):
    groups = defaultdict(list)
    for course in catalogue.courses.values():
        for offering in course.offerings:
            if not offering.takes_place:
                continue
            for session in offering.sessions:
                room = session.room or offering.room
                label = f"Lokalet '{room}' på '{offering.venue_id}'" if room \
                    else f"Stedet '{offering.venue_id}'"
                groups[(offering.venue_id, room)].append(
                    (session.starts_at, session.ends_at, session, course, label))
    for (_, _, first, first_course, _), (_, _, second, _, label) in _overlaps(groups):
        yield problem("B502", second.pos, room=label, date=second.date.isoformat(),
                      start=_hhmm(second.start), end=_hhmm(second.end),
                      other=_describe(first, first_course))
