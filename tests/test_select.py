"""Select (generator/select.py): what one build shows, on the small catalogue: which offerings
are upcoming, how courses group, which teachers may be named, and what a brand's build holds."""

from __future__ import annotations

import dataclasses
import datetime as dt

from generator.model import Consent
from generator.select import Selection

from conftest import TODAY, changed


def _ids(items) -> list[str]:
    return [item.id for item in items]


def test_courses_are_sorted_by_title(mini_catalogue):
    sel = Selection(mini_catalogue, TODAY)
    assert sel.everything
    assert _ids(sel.courses) == ["kursus-a", "kursus-b", "kursus-c"]
    renamed = changed(mini_catalogue, "kursus-c", title="avis-kurset")  # case does not count
    assert _ids(Selection(renamed, TODAY).courses) == ["kursus-c", "kursus-a", "kursus-b"]


def test_an_offering_is_upcoming_until_its_last_session_is_over(mini_catalogue):
    course = mini_catalogue.courses["kursus-a"]  # sessions 3 and 10 February 2027
    for today, upcoming in [(dt.date(2027, 2, 5), True), (dt.date(2027, 2, 10), True),
                            (dt.date(2027, 2, 11), False)]:
        sel = Selection(mini_catalogue, today)
        assert bool(sel.upcoming(course)) is upcoming, today
        assert bool(sel.past(course)) is not upcoming, today


def test_next_start_and_the_session_list_begin_today(mini_catalogue):
    sel = Selection(mini_catalogue, dt.date(2027, 2, 5))
    courses = mini_catalogue.courses
    assert sel.next_start(courses["kursus-a"]) == dt.date(2027, 2, 10)
    assert sel.next_start(courses["kursus-b"]) is None
    assert sel.next_start(courses["kursus-c"]) == dt.date(2027, 3, 1)
    assert [(d.course.id, d.index, d.session.date) for d in sel.upcoming_sessions] == [
        ("kursus-a", 1, dt.date(2027, 2, 10)), ("kursus-c", 0, dt.date(2027, 3, 1))]
    assert [(c.id, o.key) for o, c in sel.next_offerings] == [("kursus-a", "foraar"),
                                                              ("kursus-c", "2027-03-01")]


def test_sessions_on_the_same_morning_are_sorted_by_course_title(mini_catalogue):
    sel = Selection(mini_catalogue, TODAY)
    assert [(d.course.id, d.session.date) for d in sel.upcoming_sessions] == [
        ("kursus-a", dt.date(2027, 2, 3)), ("kursus-b", dt.date(2027, 2, 3)),
        ("kursus-a", dt.date(2027, 2, 10)), ("kursus-c", dt.date(2027, 3, 1))]


def test_a_cancelled_offering_is_upcoming_but_neither_starts_nor_prints(mini_catalogue):
    cancelled = changed(mini_catalogue, "kursus-a", offering={"status": "cancelled"})
    sel = Selection(cancelled, TODAY)
    course = sel.catalogue.courses["kursus-a"]
    assert len(sel.upcoming(course)) == 1, "still shown, as cancelled"
    assert sel.next_start(course) is None
    assert sel.months(course) == ()
    assert sel.printable(course) == ()
    assert len(sel.upcoming_sessions) == 4, "the feeds keep it, marked cancelled"
    assert [c.id for _, c in sel.next_offerings] == ["kursus-b", "kursus-c"]


def test_months_of_upcoming_sessions(mini_catalogue):
    sel = Selection(mini_catalogue, TODAY)
    courses = mini_catalogue.courses
    assert sel.months(courses["kursus-a"]) == ("2027-02",)
    assert sel.months(courses["kursus-c"]) == ("2027-03",)
    assert sel.months(courses["kursus-a"]) == Selection(mini_catalogue, dt.date(2027, 2, 4)) \
        .months(courses["kursus-a"])
    assert Selection(mini_catalogue, dt.date(2027, 2, 11)).months(courses["kursus-a"]) == ()


def test_the_term_runs_from_the_first_to_the_last_half_year_with_sessions(mini_catalogue):
    assert Selection(mini_catalogue, TODAY).term == (("spring", 2027), ("spring", 2027))
    session = mini_catalogue.courses["kursus-c"].offerings[0].sessions[0]
    autumn = changed(mini_catalogue, "kursus-c", offering={
        "sessions": (dataclasses.replace(session, date=dt.date(2027, 9, 6)),)})
    assert Selection(autumn, TODAY).term == (("spring", 2027), ("autumn", 2027))
    assert Selection(mini_catalogue, dt.date(2027, 4, 1)).term is None


def test_each_course_is_listed_once_under_its_first_theme(mini_catalogue):
    sel = Selection(mini_catalogue, TODAY)
    # The five ways come first, in their order; kursus-a's second theme, recovery, is empty.
    assert [(theme.id, _ids(courses)) for theme, courses in sel.courses_by_theme()] == [
        ("oege-netvaerk", ["kursus-a"]), ("laere-noget-nyt", ["kursus-c"]),
        ("leve-mere-aktivt", ["kursus-b"])]
    assert _ids(sel.themes)[:5] == ["oege-netvaerk", "laere-noget-nyt", "leve-mere-aktivt",
                                    "vaere-mere-til-stede-i-nuet", "give-af-sig-selv"]
    assert _ids(sel.themes)[5:] == ["recovery"]
    cancelled = changed(mini_catalogue, "kursus-b", offering={"status": "cancelled"})
    printed = Selection(cancelled, TODAY).courses_by_theme(printable=True)
    assert [theme.id for theme, _ in printed] == ["oege-netvaerk", "laere-noget-nyt"]


def test_teachers_are_shown_only_with_consent_and_by_the_name_it_allows(mini_catalogue):
    sel = Selection(mini_catalogue, TODAY)
    teachers = mini_catalogue.teachers
    assert _ids(sel.teachers) == ["fag-f", "peer-p"]  # "Frida Fagsen" before "Pia"
    assert [t.public_name(TODAY) for t in sel.teachers] == ["Frida Fagsen", "Pia"]
    assert not sel.shown(teachers["fag-g"]) and not sel.shown(teachers["paa-r"])
    # Consent counts from its date: on 31 December 2025 nobody had given it.
    assert Selection(mini_catalogue, dt.date(2025, 12, 31)).teachers == ()
    withdrawn = dataclasses.replace(teachers["fag-f"], consent=dataclasses.replace(
        teachers["fag-f"].consent, withdrawn=TODAY))
    catalogue = dataclasses.replace(mini_catalogue, teachers={**teachers, "fag-f": withdrawn})
    assert _ids(Selection(catalogue, TODAY).teachers) == ["peer-p"]
    shown = dataclasses.replace(teachers["fag-g"], consent=Consent(profile=TODAY))
    catalogue = dataclasses.replace(mini_catalogue, teachers={**teachers, "fag-g": shown})
    assert _ids(Selection(catalogue, TODAY).teachers) == ["fag-f", "fag-g", "peer-p"]


def test_the_courses_of_a_teacher(mini_catalogue):
    sel = Selection(mini_catalogue, TODAY)
    teachers = mini_catalogue.teachers
    assert _ids(sel.courses_of(teachers["fag-g"])) == ["kursus-b", "kursus-c"]
    assert _ids(sel.courses_of(teachers["peer-p"])) == ["kursus-a"]
    # An offering with a team of its own counts too.
    own = changed(mini_catalogue, "kursus-c", offering={"teacher_ids": ("peer-p", "fag-g")},
                  teacher_ids=("fag-g",))
    assert _ids(Selection(own, TODAY).courses_of(teachers["peer-p"])) == ["kursus-a", "kursus-c"]


def test_filters_find_the_courses_of_each_value(mini_catalogue):
    sel = Selection(mini_catalogue, TODAY)
    for facet, value, ids in [("tema", "recovery", ["kursus-a"]),
                              ("tema", "oege-netvaerk", ["kursus-a"]),
                              ("for", "alle", ["kursus-a", "kursus-b", "kursus-c"]),
                              ("for", "paaroerende", ["kursus-b"]),
                              ("form", "teoretisk", ["kursus-a"]),
                              ("skole", "ekstern", ["kursus-c"]),
                              ("sted", "huset", ["kursus-a", "kursus-b"]),
                              ("maaned", "2027-03", ["kursus-c"]),
                              ("tema", "give-af-sig-selv", []), ("sted", "haven", [])]:
        assert _ids(sel.with_facet(facet, value)) == ids, (facet, value)
    assert sel.facet_values("sted") == ["aftenskolen", "huset"]
    assert sel.facet_values("maaned") == ["2027-02", "2027-03"]
    # Past offerings leave the place and month filters; the course stays in its themes.
    later = Selection(mini_catalogue, dt.date(2027, 2, 11))
    assert later.facet_values("sted") == ["aftenskolen"]
    assert _ids(later.with_facet("tema", "recovery")) == ["kursus-a"]


def test_a_brand_by_schools_holds_only_those_schools(mini_catalogue):
    sel = Selection.for_brand(mini_catalogue, TODAY, mini_catalogue.brands["testby"])
    assert not sel.everything
    assert _ids(sel.courses) == ["kursus-a", "kursus-b"]
    assert _ids(sel.schools) == ["skole-a"]
    assert _ids(sel.venues) == ["haven", "huset"]  # by city, then name
    assert {d.course.id for d in sel.upcoming_sessions} == {"kursus-a", "kursus-b"}
    assert _ids(sel.teachers) == ["fag-f", "peer-p"]
    assert sel.facet_values("skole") == ["skole-a"]


def test_a_brand_by_venues_holds_only_the_offerings_there(mini_catalogue):
    sel = Selection.for_brand(mini_catalogue, TODAY, mini_catalogue.brands["ekstern"])
    assert _ids(sel.courses) == ["kursus-c"]
    assert _ids(sel.schools) == ["ekstern"] and _ids(sel.venues) == ["aftenskolen"]
    assert _ids(sel.teachers) == []  # fag-g teaches kursus-c, without consent
    # A course of another school comes along with only its offerings at the brand's venue.
    offering = mini_catalogue.courses["kursus-a"].offerings[0]
    there = dataclasses.replace(offering, key="ude", venue_id="aftenskolen")
    catalogue = changed(mini_catalogue, "kursus-a", offerings=(offering, there))
    sel = Selection.for_brand(catalogue, TODAY, catalogue.brands["ekstern"])
    assert _ids(sel.courses) == ["kursus-a", "kursus-c"]
    assert [o.key for o in sel.courses[0].offerings] == ["ude"]
    assert _ids(sel.schools) == ["ekstern", "skole-a"]
    assert _ids(sel.venues) == ["aftenskolen"]


def test_no_brand_or_an_empty_brand_means_every_school(mini_catalogue):
    everything = Selection.for_brand(mini_catalogue, TODAY, None)
    assert everything.everything and len(everything.courses) == 3
    empty = dataclasses.replace(mini_catalogue.brands["testby"], school_ids=(), venue_ids=())
    assert Selection.for_brand(mini_catalogue, TODAY, empty).everything
    assert _ids(everything.schools) == ["ekstern", "skole-a"]
