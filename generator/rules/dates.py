"""Dates beyond the pattern (issue 23): time zones, one date that differs (`changes`), a
school's `breaks`, public holidays, and the team or place one session names for itself.
"""

from __future__ import annotations

import functools
import re
import zoneinfo

from ..diagnostics import problem
from ..ids import nearest
from ..model import Catalogue
from ..recurrence import has_holidays, zone_of_country
from ..templating import strings

_LANGUAGE = re.compile(r"^[a-z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")  # a code that is no code is S114's business


@functools.lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def _zone_problem(value: str, pos):
    zones = _zones()
    if value in zones.values():
        return None
    guess = zones.get(value.strip().casefold().replace(" ", "_"))
    if guess is None:
        close = nearest(value.casefold(), zones)
        guess = zones[close] if close else None
    hint = (f"Mente du '{guess}'?" if guess else
            "Skriv tidszonens navn fra tz-databasen (IANA), fx 'Europe/Copenhagen' eller "
            "'Europe/London'.")
    return problem("S120", pos, value=value, hint=hint)


def zones_are_known(catalogue: Catalogue, context):
    for venue in catalogue.venues.values():
        if venue.wrote("timezone"):
            found = _zone_problem(venue.timezone, venue.at("timezone"))
            if found:
                yield found
        elif zone_of_country(venue.country) is None and _COUNTRY.match(venue.country):
            yield problem("S121", venue.at("country"), country=venue.country)
    for school in catalogue.schools.values():
        if school.timezone:
            found = _zone_problem(school.timezone, school.at("timezone"))
            if found:
                yield found


def offering_language_is_known(catalogue: Catalogue, context):
    names = strings()["languages"]
    for course in catalogue.courses.values():
        for offering in course.offerings:
            if offering.language and offering.language not in names:
                hint = ("En sprogkode har to små bogstaver (ISO 639-1), fx 'en' for engelsk "
                        "eller 'ur' for urdu." if not _LANGUAGE.match(offering.language) else
                        "Koden er ikke i katalogets sprogliste. Kendte koder: "
                        + ", ".join(sorted(names)) + ".")
                yield problem("O610", offering.at("language"), value=offering.language,
                              hint=hint)




def _changed_values(change):
    """(field as written, value or None when not written) for each field a change may set."""
    return (("topic", change.topic or None), ("teachers", change.teacher_ids),
            ("venue", change.venue_id), ("room", change.room), ("start", change.start),
            ("end", change.end), ("note", change.note or None))


def changes_fit_the_pattern(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            rule = offering.recurrence
            if rule is None:
                continue
            skipped = rule.skipped(context.today)
            seen: dict = {}
            for index, change in enumerate(rule.changes):
                at = ("recurrence", "changes", index)
                day = change.date.isoformat()
                if change.date in seen:
                    yield problem("T231", offering.at(*at, "date"), value=day,
                                  other=offering.at(*seen[change.date], "date").line)
                    continue
                seen[change.date] = at
                if change.date in rule.extras:
                    pass  # an extra date may differ too
                elif not rule.on_pattern(change.date) or (
                        rule.until is not None and change.date > rule.until):
                    yield problem("T230", offering.at(*at, "date"), value=day,
                                  hint="En ændring gælder en dato, holdet ellers mødes. Tjek "
                                       "datoen og ugedagen, eller skriv en ekstra dato under "
                                       "'extra'.")
                    continue
                if change.date in rule.exceptions:
                    yield problem("T232", offering.at(*at, "date"), value=day, why="'except'",
                                  hint="Slet datoen under 'except', hvis holdet mødes den dag, "
                                       "eller slet ændringen.")
                elif change.date in skipped:
                    why = "en pause" if any(b.start <= change.date <= b.until
                                             for b in rule.breaks) else "en helligdag"
                    yield problem("T232", offering.at(*at, "date"), value=day, why=why,
                                  hint="Holdet holder fri den dag. Skriv datoen under 'extra', "
                                       "hvis holdet alligevel mødes, eller slet ændringen.")
                # From the parsed change, not its file: a position costs a parse of the file.
                written = [f for f, value in _changed_values(change) if value is not None]
                if change.cancelled and written:
                    yield problem("T233", offering.at(*at, "cancelled"), value=day,
                                  fields=", ".join(f"'{f}'" for f in written))
                elif not change.cancelled and not written:
                    yield problem("T236", offering.at(*at, "date"), value=day)


def breaks_in_order(catalogue: Catalogue, context):
    for school in catalogue.schools.values():
        for index, pause in enumerate(school.breaks):
            if pause.until < pause.start:
                yield problem("T234", school.at("breaks", index, "until"),
                              until=pause.until.isoformat(), start=pause.start.isoformat())


def holidays_are_known(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            rule = offering.recurrence
            if rule is not None and rule.skip_holidays and not has_holidays(rule.country):
                yield problem("T235", offering.at("recurrence", "skip_holidays"),
                              country=rule.country)


def session_team_and_place_exist(catalogue: Catalogue, context):
    """A changed date or a one-off session may name its own teachers and venue."""
    declared = context.declared
    for course in catalogue.courses.values():
        for offering in course.offerings:
            places = []
            rule = offering.recurrence
            if rule is not None:
                for index, change in enumerate(rule.changes):
                    places.append((change.teacher_ids, change.venue_id,
                                   ("recurrence", "changes", index),
                                   f"ændringen {change.date.isoformat()}"))
            elif offering.sessions:
                for index, session in enumerate(offering.sessions):
                    places.append((session.teacher_ids, session.venue_id, ("sessions", index),
                                   f"undervisningsgangen {session.date.isoformat()}"))
            for teacher_ids, venue_id, at, where in places:
                for i, teacher in enumerate(teacher_ids or ()):
                    if teacher not in declared["teachers"]:
                        guess = nearest(teacher, declared["teachers"])
                        yield problem("R310", offering.at(*at, "teachers", i), value=teacher,
                                      where=where, hint=f"Mente du '{guess}'?" if guess else
                                      "Tjek stavningen, eller tilføj underviseren i teachers/.")
                if venue_id is not None and venue_id not in declared["venues"]:
                    guess = nearest(venue_id, declared["venues"])
                    yield problem("R311", offering.at(*at, "venue"), value=venue_id,
                                  where=where, hint=f"Mente du '{guess}'?" if guess else
                                  "Tjek stavningen, eller tilføj stedet under en skoles "
                                  "'venues'.")
