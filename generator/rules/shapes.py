"""Course shapes beyond the co-taught, in-person series of dated sessions (issue 12):
recurring groups, who leads, online and hybrid, places left, who may come, language, country.
"""

from __future__ import annotations

import re

from ..diagnostics import problem
from ..model import Catalogue
from ..templating import strings
from .coproduction import team_pos

_ROLE_OF_FORM = {"peers": "peer", "relatives": "relative"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DANISH_POSTCODE = re.compile(r"^[0-9]{4}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


def _offerings(catalogue: Catalogue):
    for course in catalogue.courses.values():
        for offering in course.offerings:
            yield course, offering


def exceptions_are_on_the_pattern(catalogue: Catalogue, context):
    for _, offering in _offerings(catalogue):
        rule = offering.recurrence
        if rule is None:
            continue
        for index, day in enumerate(rule.exceptions):
            if not rule.on_pattern(day):
                yield problem("T210", offering.at("recurrence", "except", index),
                              value=day.isoformat())


def pattern_is_complete(catalogue: Catalogue, context):
    for _, offering in _offerings(catalogue):
        rule = offering.recurrence
        if rule is None:
            continue
        if rule.frequency == "monthly" and rule.position is None:
            yield problem("T213", offering.at("recurrence", "frequency"),
                          what="'monthly' skal have 'position'",
                          hint="Skriv fx 'position: første' for første torsdag i måneden.")
        elif rule.frequency == "weekly" and rule.position is not None:
            yield problem("T213", offering.at("recurrence", "position"),
                          what="'position' hører kun til 'monthly'",
                          hint="Slet 'position', eller skriv 'frequency: monthly'.")


def stay_ends_after_arrival(catalogue: Catalogue, context):
    for _, offering in _offerings(catalogue):
        for session in offering.sessions:
            if session.end_date is not None and session.end_date < session.date:
                yield problem("T214", session.at("end_date"), end=session.end_date.isoformat(),
                              start=session.date.isoformat())


def other_forms_say_why(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        if course.led_by != "co-taught" and not course.led_by_reason.strip():
            yield problem("C404", course.at("led_by"), form=course.led_by)
        for offering in course.offerings:
            if offering.wrote("led_by") and offering.led_by != "co-taught" \
                    and not catalogue.led_by_reason(course, offering).strip():
                yield problem("C404", offering.at("led_by"), form=offering.led_by)


def form_is_allowed_by_school(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        school = catalogue.schools.get(course.school_id)
        if school is None or not school.co_production_required:
            continue  # unknown school: R302; a school-wide external provider: as before
        # Positions are looked up only for what is reported: each lookup reads the file again.
        places = [course] + [o for o in course.offerings if o.wrote("led_by")]
        for place in places:
            form = place.led_by
            if form != "co-taught" and form not in school.led_by_allowed:
                allowed = ", ".join(school.led_by_allowed) or "ingen"
                yield problem("C405", place.at("led_by"), form=form, school=school.id,
                              allowed=allowed)


def lead_form_matches_team(catalogue: Catalogue, context):
    for course, offering in _offerings(catalogue):
        form = catalogue.led_by(course, offering)
        role = _ROLE_OF_FORM.get(form)
        if role is None:
            continue
        team = catalogue.team(offering)
        if not offering.teacher_ids:
            yield problem("C403", team_pos(course, offering))
        elif len(team) == len(offering.teacher_ids) and not any(role in t.roles for t in team):
            yield problem("C406", team_pos(course, offering), form=form, role=role,
                          team=", ".join(offering.teacher_ids))


def venue_when_on_site(catalogue: Catalogue, context):
    for _, offering in _offerings(catalogue):
        if offering.on_site and offering.venue_id is None:
            yield problem("O604", offering.pos, attendance=offering.attendance)
        if not offering.online and (offering.online_url or offering.online_note):
            field = "online_url" if offering.online_url else "online_note"
            yield problem("O605", offering.at(field), field=field)


def places_add_up(catalogue: Catalogue, context):
    for _, offering in _offerings(catalogue):
        if offering.places_left is not None and offering.places_updated is None:
            yield problem("O606", offering.at("places_left"))
        capacity = offering.capacity
        if capacity is None:
            if offering.quotas:
                yield problem("O607", offering.at("quotas"), what="Kvoterne",
                              value=sum(q.places for q in offering.quotas), capacity="ikke angivet")
            continue
        if offering.places_left is not None and offering.places_left > capacity:
            yield problem("O607", offering.at("places_left"), what="'places_left'",
                          value=offering.places_left, capacity=capacity)
        if sum(q.places for q in offering.quotas) > capacity:
            yield problem("O607", offering.at("quotas"), what="Kvoterne",
                          value=sum(q.places for q in offering.quotas), capacity=capacity)


def ages_in_order(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        rule = course.eligibility
        if rule and rule.min_age is not None and rule.max_age is not None \
                and rule.min_age > rule.max_age:
            yield problem("S115", course.at("eligibility", "max_age"), low=rule.min_age,
                          high=rule.max_age)


def language_is_known(catalogue: Catalogue, context):
    names = strings()["languages"]
    for course in catalogue.courses.values():
        if course.language not in names:
            hint = ("En sprogkode har to små bogstaver (ISO 639-1), fx 'en' for engelsk eller "
                    "'ur' for urdu." if not _LANGUAGE.match(course.language) else
                    "Koden er ikke i kataloget sprogliste. Kendte koder: "
                    + ", ".join(sorted(names)) + ".")
            yield problem("S113", course.at("language"), value=course.language, hint=hint)


def postcode_fits_country(catalogue: Catalogue, context):
    for venue in catalogue.venues.values():
        if not _COUNTRY.match(venue.country):
            yield problem("S114", venue.at("country"), value=venue.country)
        elif venue.country == "DK" and not _DANISH_POSTCODE.match(venue.postal_code.strip()):
            yield problem("S107", venue.at("postal_code"), value=venue.postal_code,
                          expected="et dansk postnummer",
                          hint="Et postnummer har fire cifre, fx \"8900\". Ligger stedet i et "
                               "andet land, så skriv fx 'country: GB'.")
