"""Co-production: every team joins lived experience with professional knowledge."""

from __future__ import annotations

from ..diagnostics import problem
from ..model import Catalogue


def team_is_co_produced(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            if catalogue.led_by(course, offering) != "co-taught":
                continue  # peer-led, led by relatives or external: lead.py checks those
            if not offering.teacher_ids:
                yield problem("C403", team_pos(course, offering))
                continue
            team = catalogue.team(offering)
            if len(team) < len(offering.teacher_ids):
                continue  # an unknown or broken teacher file is reported on its own
            names = ", ".join(offering.teacher_ids)
            lived = [t for t in team if t.has_lived_experience]
            if not lived:
                yield problem("C401", team_pos(course, offering), team=names)
            elif not any(t.is_professional and (len(lived) > 1 or t is not lived[0])
                         for t in team):
                yield problem("C402", team_pos(course, offering), team=names)


def team_pos(course, offering):
    if offering.own_team:
        return offering.at("teachers")
    return course.at("teachers") if course.wrote("teachers") else offering.pos
