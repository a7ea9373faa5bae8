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


# --- issue 23 (fields-b): prerequisites and courses of several schools ------------------

def required_courses_exist(catalogue: Catalogue, context):
    """R313: every id in `requires` is a course."""
    declared = context.declared["courses"]
    for course in catalogue.courses.values():
        for i, other in enumerate(course.requires):
            if other not in declared:
                guess = nearest(other, declared)
                hint = f"Mente du '{guess}'?" if guess else \
                    "Skriv id'et på et kursus i courses/ (filnavnet uden .yaml)."
                yield problem("R313", course.at("requires", i), value=other, hint=hint)


def requirements_have_no_circle(catalogue: Catalogue, context):
    """R314: no course requires itself, directly or through others. Each circle is reported
    once, at the `requires` entry of every course in it, naming the whole circle."""
    courses = catalogue.courses
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles: list[list[str]] = []

    def visit(course_id: str, path: list[str]) -> None:
        state[course_id] = 1
        path.append(course_id)
        for other in courses[course_id].requires:
            if other not in courses:
                continue
            if state.get(other) == 1:
                circles.append(path[path.index(other):])
            elif other not in state:
                visit(other, path)
        path.pop()
        state[course_id] = 2

    for course_id in sorted(courses):
        if course_id not in state:
            visit(course_id, [])
    for circle in circles:
        names = " → ".join(f"'{c}'" for c in (*circle, circle[0]))
        for here, following in zip(circle, (*circle[1:], circle[0])):
            course = courses[here]
            yield problem("R314", course.at("requires", course.requires.index(following)),
                          circle=names)


def also_schools_exist(catalogue: Catalogue, context):
    """R315, R316: `also_schools` names other schools that exist."""
    declared = context.declared["schools"]
    for course in catalogue.courses.values():
        for i, school in enumerate(course.also_school_ids):
            if school == course.school_id:
                yield problem("R316", course.at("also_schools", i), value=school)
            elif school not in declared:
                yield _unknown("R315", "schools", school, course.at("also_schools", i), declared)
