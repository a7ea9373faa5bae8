"""Offering rules: a citizen must learn why a course is off, and how to sign up."""

from __future__ import annotations

from ..diagnostics import problem
from ..model import Catalogue


def cancelled_has_reason(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            if offering.status in ("cancelled", "postponed") and not offering.status_note.strip():
                yield problem("O601", offering.at("status"), status=offering.status)


def sign_up_is_possible(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            if not offering.takes_place or not offering.registration.required:
                continue
            if course.school_id not in catalogue.schools:
                continue  # the unknown school is the problem to report (R302)
            if not offering.registration.has_channel:
                yield problem("O602", offering.pos)
