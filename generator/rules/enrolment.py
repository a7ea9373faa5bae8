"""Rules for the fields of issue 23 that say how one gets in: closed enrolment, the exemption
from "meld dig ind først", alternatives in who may come, and partners."""

from __future__ import annotations

from ..diagnostics import problem
from ..model import Catalogue
from ..templating import who_may_come


def exemption_has_effect(catalogue: Catalogue, context):
    """S125: `enrol_first: false` on a course of a school that asks nobody to enrol first."""
    for course in catalogue.courses.values():
        school = catalogue.schools.get(course.school_id)
        if not course.enrol_first and school is not None and school.enrol_first is None:
            yield problem("S125", course.at("enrol_first"), school=school.id)


def alternatives_are_several(catalogue: Catalogue, context):
    """S126: `match: any` needs at least two conditions to choose between."""
    for course in catalogue.courses.values():
        rule = course.eligibility
        if rule is None or rule.match != "any":
            continue
        words = who_may_come(rule, plain=True)
        if len(words) < 2:
            yield problem("S126", course.at("eligibility", "match"),
                          condition=words[0] if words else "ingen")


def closed_is_shown(catalogue: Catalogue, context):
    """O620, O621: `registration.closed` where the page would not show it, or beside a date
    the site would not show either."""
    for course in catalogue.courses.values():
        for offering in course.offerings:
            sign_up = offering.registration
            if not sign_up.closed:
                continue
            if not offering.takes_place:
                yield problem("O620", _closed_at(course, offering), status=offering.status)
            elif sign_up.opens is not None and sign_up.opens > context.today:
                yield problem("O621", _closed_at(course, offering),
                              opens=sign_up.opens.isoformat())


def _closed_at(course, offering):
    if offering.wrote("registration", "closed"):
        return offering.at("registration", "closed")
    if course.wrote("registration", "closed") or course.inherits("registration", "closed"):
        return course.at("registration", "closed")
    return offering.pos


def partner_is_not_the_provider(catalogue: Catalogue, context):
    """C407: a partner on a course an external provider runs says the same thing twice."""
    for course in catalogue.courses.values():
        if course.partner is not None and course.led_by == "external":
            yield problem("C407", course.at("partner"))
