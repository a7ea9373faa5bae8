"""The model: what may be shown about a teacher, and how sign-up falls back to the school."""

from __future__ import annotations

import datetime as dt

from generator.catalogue import read_catalogue
from generator.model import FIVE_WAYS, Consent, Teacher, Visibility

from conftest import REPO, TODAY

D = dt.date


def teacher(**consent) -> Teacher:
    return Teacher("t", "Anne Marie Sørensen", ("peer",), photo="teachers/t.jpg",
                   consent=Consent(**consent))


def test_no_consent_shows_the_role_only():
    t = teacher()
    assert t.visibility(TODAY) is Visibility.ROLE
    assert t.public_name(TODAY) is None and not t.photo_visible(TODAY)
    assert t.main_role == "peer"


def test_consent_full_and_first_name():
    assert teacher(profile=D(2026, 1, 1)).public_name(TODAY) == "Anne Marie Sørensen"
    first = teacher(profile=D(2026, 1, 1), display="first-name")
    assert first.visibility(TODAY) is Visibility.FIRST_NAME and first.public_name(TODAY) == "Anne"


def test_consent_counts_from_its_date_and_ends_when_withdrawn():
    t = teacher(profile=D(2027, 1, 1))
    assert t.public_name(D(2026, 12, 31)) is None and t.public_name(D(2027, 1, 1))
    w = teacher(profile=D(2026, 1, 1), photo=D(2026, 1, 1), withdrawn=D(2026, 11, 1))
    assert w.public_name(D(2026, 10, 31)) and w.photo_visible(D(2026, 10, 31))
    assert w.public_name(D(2026, 11, 1)) is None and not w.photo_visible(D(2026, 11, 1))


def test_photo_needs_its_own_consent():
    assert not teacher(profile=D(2026, 1, 1)).photo_visible(TODAY)
    assert teacher(profile=D(2026, 1, 1), photo=D(2026, 1, 1)).photo_visible(TODAY)
    assert not teacher(photo=D(2026, 1, 1)).photo_visible(TODAY)  # no name, no face


def test_the_five_ways_are_built_in_in_order():
    assert [t.name for t in FIVE_WAYS] == ["Øge netværk", "Lære noget nyt", "Leve mere aktivt",
                                           "Være mere til stede i nuet", "Give af sig selv"]


def test_demo_catalogue_shape():
    catalogue = read_catalogue(REPO, D(2026, 11, 22), use_cache=False).catalogue
    offerings = [o for c in catalogue.courses.values() for o in c.offerings]
    assert len(catalogue.courses) >= 20 and len(catalogue.teachers) >= 12
    assert len(catalogue.venues) >= 5 and {"recoveryskolen-randers", "recoveryskolen-aarhus",
                                           "recoveryskolen-viborg"} <= set(catalogue.schools)
    statuses = {o.status for o in offerings}
    assert {"cancelled", "full", "waitlist"} <= statuses
    assert any(not o.registration.required for o in offerings), "a drop-in café"
    assert any(c.certificate and not catalogue.co_produced(c) for c in catalogue.courses.values())
    assert any(len(o.sessions) >= 6 for o in offerings), "a multi-session series"
    assert any(o.is_past(D(2026, 11, 22)) for o in offerings), "a past offering"
    assert any(len(o.sessions) == 2 and o.sessions[1].date - o.sessions[0].date == dt.timedelta(1)
               for o in offerings), "a 2-day workshop"
    spring = [o for o in offerings if D(2027, 1, 1) <= o.first_date <= D(2027, 6, 30)]
    assert len(spring) > len(offerings) / 2
    today = D(2026, 11, 22)
    shown = {t.visibility(today) for t in catalogue.teachers.values()}
    assert shown == {Visibility.ROLE, Visibility.FIRST_NAME, Visibility.FULL}
    assert sum(1 for t in catalogue.teachers.values() if t.consent.profile is None) >= 2
    assert any(t.consent.withdrawn for t in catalogue.teachers.values())
    assert any(t.photo_visible(today) for t in catalogue.teachers.values())
    assert {r for t in catalogue.teachers.values() for r in t.roles} == {"peer", "relative",
                                                                        "professional"}


def test_sign_up_falls_back_to_the_school(mini):
    catalogue = read_catalogue(mini, TODAY, use_cache=False).catalogue
    offering = catalogue.courses["kursus-a"].offerings[0]
    assert offering.registration.email == "tilmelding@example.org"
    assert offering.registration.deadline == D(2027, 1, 27)
    assert offering.key == "foraar"
    assert catalogue.courses["kursus-b"].offerings[0].key == "2027-02-03"


def test_an_id_made_from_a_long_text_stays_a_usable_file_name():
    from generator.ids import MAX_ID, short_id

    assert short_id("Randers C") == "randers-c"
    long_a, long_b = "Søvn og hvile " * 40, "Søvn og hvile " * 40 + "x"
    assert len(short_id(long_a)) <= MAX_ID and short_id(long_a) != short_id(long_b)


def test_an_id_longer_than_a_file_name_can_carry_is_not_an_id():
    from generator.ids import MAX_ID, is_id

    assert is_id("a" * MAX_ID) and not is_id("a" * (MAX_ID + 1))
