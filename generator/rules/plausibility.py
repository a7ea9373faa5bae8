"""Plausibility: values that are allowed but are most likely typing mistakes. Warnings only."""

from __future__ import annotations

import datetime as dt

from ..diagnostics import problem
from ..model import Catalogue

MONTHS_AHEAD = 18  # catalogues are planned a semester or two ahead, never years


def _months_later(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    for last in (day.day, 30, 29, 28):  # 31 August + 18 months has no 31 February
        try:
            return dt.date(day.year + year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def _same_day_soon(day: dt.date, today: dt.date) -> dt.date | None:
    """The date with the year typed as intended, most likely: the first such day from today."""
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February
            continue
        if candidate >= today:
            return candidate
    return None


def sessions_not_far_ahead(catalogue: Catalogue, context):
    limit = _months_later(context.today, MONTHS_AHEAD)
    for course in catalogue.courses.values():
        for offering in course.offerings:
            for session in offering.sessions:
                if session.date <= limit:
                    continue
                guess = _same_day_soon(session.date, context.today)
                hint = (f"Tjek årstallet. Mente du {guess.isoformat()}?" if guess else
                        "Tjek årstallet.")
                yield problem("T208", session.at("date"), date=session.date.isoformat(),
                              limit=limit.isoformat(), hint=hint)


def _far_ahead(day: dt.date, limit: dt.date, today: dt.date, pos):
    guess = _same_day_soon(day, today)
    hint = f"Tjek årstallet. Mente du {guess.isoformat()}?" if guess else "Tjek årstallet."
    return problem("T208", pos, date=day.isoformat(), limit=limit.isoformat(), hint=hint)


def recurrences_are_plausible(catalogue: Catalogue, context):
    """The same warnings for a recurrence as for dated sessions: a 'from', 'until' or extra
    date years ahead is a typo (T208), and so, most often, is a 'from' years back on a group
    that still runs (T218): the site would list every week since."""
    today = context.today
    limit = _months_later(today, MONTHS_AHEAD)
    for course in catalogue.courses.values():
        for offering in course.offerings:
            rule = offering.recurrence
            if rule is None:
                continue
            for field, day in (("from", rule.first), ("until", rule.until)):
                if day is not None and day > limit:
                    yield _far_ahead(day, limit, today, offering.at("recurrence", field))
            for index, day in enumerate(rule.extras):
                if day > limit:
                    yield _far_ahead(day, limit, today, offering.at("recurrence", "extra", index))
            running = rule.until is None or rule.until >= today
            if running and rule.first < _months_later(today, -MONTHS_AHEAD):
                suggestion = dt.date(today.year, 8 if today.month >= 8 else 1, 1)
                yield problem("T218", offering.at("recurrence", "from"),
                              first=rule.first.isoformat(), today=today.isoformat(),
                              suggestion=suggestion.isoformat())


def _person(name: str) -> str:
    return " ".join(name.split()).casefold()


def teachers_are_different_people(catalogue: Catalogue, context):
    """Teachers have no contact field, so the same name, written loosely, is the signal.

    Each of the two files gets a warning naming the other: the coordinator who made the new
    file sees it there, and the one who keeps the old file sees it too.
    """
    by_name: dict[str, list] = {}
    for teacher in catalogue.teachers.values():
        by_name.setdefault(_person(teacher.name), []).append(teacher)
    for same in by_name.values():
        for teacher in same:
            for other in same:
                if other is not teacher:
                    yield problem("N003", teacher.at("name"), name=teacher.name,
                                  other=f"{other.pos.file}:{other.at('name').line}")
