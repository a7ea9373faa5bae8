"""Co-production: every team joins lived experience with professional knowledge."""

from __future__ import annotations

from ..diagnostics import problem
from ..model import Catalogue


def team_is_co_produced(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        if not catalogue.co_produced(course):
            continue  # an external provider; the site says so instead
        for offering in course.offerings:
            if not offering.teacher_ids:
                yield problem("C403", _team_pos(course, offering))
                continue
            team = catalogue.team(offering)
            if len(team) < len(offering.teacher_ids):
                continue  # an unknown or broken teacher file is reported on its own
            names = ", ".join(offering.teacher_ids)
            lived = [t for t in team if t.has_lived_experience]
            if not lived:
                yield problem("C401", _team_pos(course, offering), team=names)
            elif not any(t.is_professional and (len(lived) > 1 or t is not lived[0])
                         for t in team):
                yield problem("C402", _team_pos(course, offering), team=names)


def _team_pos(course, offering):
    if offering.own_team:
        return offering.at("teachers")
    return course.at("teachers") if course.wrote("teachers") else offering.pos
