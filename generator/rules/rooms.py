"""Rooms: a room an offering or session names must be one of its venue's `rooms`.

Room names are compared without case and without extra spaces ("lokale  1" is "Lokale 1"),
here and in the booking rule, so a spelling variant can neither hide a double booking nor count
as an unknown room. A venue that declares no `rooms` accepts any room name: small venues often
have one room and no list, and an error there would only teach coordinators to leave `room` out.
"""

from __future__ import annotations

from ..diagnostics import problem
from ..ids import nearest
from ..model import Catalogue


def room_key(room: str) -> str:
    """The form two room names are compared in."""
    return " ".join(room.split()).casefold()


def _unknown(room: str, venue, pos):
    declared = {room_key(r): r for r in venue.rooms}
    guess = nearest(room_key(room), declared)
    hint = (f"Mente du '{declared[guess]}'?" if guess else
            f"Stedets lokaler er: {', '.join(venue.rooms)}. Er lokalet nyt, så tilføj det "
            f"under 'rooms' på stedet i {venue.source.name if venue.source else 'skolens fil'}.")
    return problem("R307", pos, value=room, venue=venue.id, hint=hint)


def rooms_are_known(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            yield from _elsewhere(catalogue, offering)
            venue = catalogue.venues.get(offering.venue_id)
            if venue is None or not venue.rooms:  # an unknown venue is R303's business
                continue
            known = {room_key(r) for r in venue.rooms}
            if offering.room is not None and room_key(offering.room) not in known:
                yield _unknown(offering.room, venue, offering.at("room"))
            for session in offering.sessions:
                if session.venue_id is not None and session.venue_id != offering.venue_id:
                    continue  # a session elsewhere (issue 23): checked against its own venue
                if session.room is not None and room_key(session.room) not in known:
                    yield _unknown(session.room, venue, session.at("room"))


def _elsewhere(catalogue: Catalogue, offering):
    """Rooms of sessions at another venue than the offering's (issue 23)."""
    for session in offering.sessions:
        venue = catalogue.venues.get(session.venue_id) if session.venue_id else None
        if venue is None or session.venue_id == offering.venue_id or not venue.rooms:
            continue
        if session.room is not None and room_key(session.room) not in \
                {room_key(r) for r in venue.rooms}:
            yield _unknown(session.room, venue, session.at("room"))
