"""Reference rules: every id a course names must exist somewhere in the catalogue."""

from __future__ import annotations

from ..diagnostics import Pos, problem
from ..ids import nearest
from ..model import Catalogue

_WHERE = {"teachers": "teachers/", "schools": "schools/", "venues": "en skoles 'venues'",
          "themes": "de fem veje eller en skoles 'themes'", "guides": "guides/"}


def _unknown(code: str, kind: str, value: str, pos, declared: set[str]):
    guess = nearest(value, declared)
    hint = f"Mente du '{guess}'?" if guess else f"Tjek stavningen, eller tilføj den i {_WHERE[kind]}."
    return problem(code, pos, value=value, hint=hint)


def known_ids(catalogue: Catalogue, context):
    declared = context.declared
    for course in catalogue.courses.values():
        if course.school_id not in declared["schools"]:
            yield _unknown("R302", "schools", course.school_id, course.at("school"),
                           declared["schools"])
        for i, theme in enumerate(course.theme_ids):
            if theme not in declared["themes"]:
                yield _unknown("R304", "themes", theme, course.at("themes", i), declared["themes"])
        for i, guide in enumerate(course.guide_ids):
            if guide not in declared["guides"]:
                yield _unknown("R305", "guides", guide, course.at("guides", i), declared["guides"])
        for i, teacher in enumerate(course.teacher_ids):
            if teacher not in declared["teachers"]:
                yield _unknown("R301", "teachers", teacher, course.at("teachers", i),
                               declared["teachers"])
        for offering in course.offerings:
            if offering.venue_id is not None and offering.venue_id not in declared["venues"]:
                yield _unknown("R303", "venues", offering.venue_id, offering.at("venue"),
                               declared["venues"])
            if offering.own_team:
                for i, teacher in enumerate(offering.teacher_ids):
                    if teacher not in declared["teachers"]:
                        yield _unknown("R301", "teachers", teacher, offering.at("teachers", i),
                                       declared["teachers"])


def guide_themes_exist(catalogue: Catalogue, context):
    themes = context.declared["themes"]
    for guide in catalogue.guides.values():
        for i, theme in enumerate(guide.themes):
            if theme not in themes:
                yield _unknown("R304", "themes", theme, guide.at("themes", i), themes)
        for name, argument, line in guide.shortcodes:
            if name == "kurser" and argument not in themes:
                yield _unknown("R304", "themes", argument, Pos(guide.source.name, line, 1), themes)
