"""Time rules: sessions, their order, sign-up dates, and offerings left open after the fact."""

from __future__ import annotations

from ..dates import clock, clock_span
from ..diagnostics import problem
from ..model import Catalogue


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
