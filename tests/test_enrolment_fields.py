"""Issue 23, items 2, 3 and 8-12: closed enrolment, the exemption from "meld dig ind først",
prerequisites, "or" in who may come, partners, school defaults and courses of two schools.

Each field is followed into every output it concerns: the page and its key facts, the card, the
printed catalogue (pypdf), the .ics (icalendar and recurring-ical-events), JSON-LD, open data
(frictionless) and the search records. The demo uses the fields (the `built` and `all_sites`
builds), and a copy of it with every new field written at its default value builds to the same
bytes. The small catalogue holds what the demo has no school for (enrol_first, defaults) and the
mistakes `check` reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import json
import shutil
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from pypdf import PdfReader

from conftest import MINI, REPO, TODAY, TODAY_DEMO, copy_catalogue, run, soup
from generator.catalogue import read_catalogue
from generator.render import offering_ics_path
from generator.select import Selection

CLOSED = "styrk-dit-netvaerk"
REQUIRES = "min-personlige-forebyggelsesplan"
REQUIRED = "recovery-et-liv-i-forandring"
PARTNER = "bevaegelse-for-hovedet"
ANY = "recovery-foredrag-hybrid"
TWO_SCHOOLS = "paaroerende-at-passe-paa-sig-selv"
OR_WORDS = "Bor i Aarhus Kommune eller medarbejdere i Aarhus Kommune"


@pytest.fixture(scope="module")
def demo_sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue, TODAY_DEMO)


def _article(site: Path, url: str):
    return soup(site, url).select_one("article.md-content__inner")


def _jsonld(site: Path, course_id: str) -> dict:
    page = soup(site, f"kurser/{course_id}/")
    return json.loads(page.find("script", type="application/ld+json").string)


def _text(node) -> str:
    return " ".join(node.get_text().split())


def _pdf(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def _csv(site: Path, name: str) -> list[dict]:
    with open(site / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _events(site: Path, sel: Selection, course_id: str) -> list:
    """The events of a course's first upcoming offering, as a calendar program expands them."""
    course = sel.catalogue.courses[course_id]
    offering = sel.upcoming(course)[0]
    calendar = icalendar.Calendar.from_ical((site / offering_ics_path(course, offering))
                                            .read_bytes())
    expanded = recurring_ical_events.of(calendar).between(dt.date(2026, 1, 1),
                                                          dt.date(2028, 1, 1))
    assert expanded, course_id
    return expanded


def _card(site: Path, course_id: str):
    return soup(site, "kurser/").select_one(f'li.kk-card:has(a[href$="{course_id}/"])')


# --- 2. registration.closed -----------------------------------------------------------------

def test_closed_enrolment_is_said_everywhere_and_offers_no_way_to_sign_up(built, demo_sel):
    reason = demo_sel.catalogue.courses[CLOSED].offerings[0].registration.closed
    assert reason.startswith("Holdet er fyldt")
    page = _article(built, f"kurser/{CLOSED}/")
    key = page.select_one(".kk-key")
    assert f"Lukket for tilmelding – {reason}" in _text(key.select_one(".kk-status"))
    action = key.select_one("[data-kk=signup]")
    assert "kk-action--closed" in action["class"] and not action.find("a")
    assert not page.select(".kk-signup"), "no list of ways to sign up"
    assert not [a for a in page.find_all("a") if a.get("href", "").startswith("mailto:tilmeld")]
    assert "Lukket for tilmelding" in _text(_card(built, CLOSED).select_one(".kk-card__status"))
    offer = _jsonld(built, CLOSED)["hasCourseInstance"][0]["offers"]
    assert offer["availability"] == "https://schema.org/OutOfStock"
    assert reason in offer["description"]
    for event in _events(built, demo_sel, CLOSED):
        assert f"Lukket for tilmelding – {reason.rstrip('.')}." in str(event["DESCRIPTION"])
        assert "Tilmelding:" not in str(event["DESCRIPTION"])
    assert f"Lukket for tilmelding – {reason}" in _pdf(built / "kursuskatalog.pdf")
    row = next(r for r in _csv(built, "offerings") if r["course_id"] == CLOSED)
    assert row["registration_closed"] == reason
    assert all(r["registration_closed"] == "" for r in _csv(built, "offerings")
               if r["course_id"] != CLOSED)


def test_closed_on_the_school_closes_every_course_and_the_offering_can_say_its_own(mini):
    school = mini / "schools" / "skole-a.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace(
        "registration: {email: tilmelding@example.org}",
        "registration: {email: tilmelding@example.org, closed: Vi holder sommerferie.}"),
        encoding="utf-8")
    course = mini / "courses" / "kursus-a.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "registration: {opens: 2026-12-01, deadline: 2027-01-27}",
        "registration: {deadline: 2027-01-27, closed: Holdet er fuldt.}"), encoding="utf-8")
    result = read_catalogue(mini, TODAY, use_cache=False)
    courses = result.catalogue.courses
    assert courses["kursus-a"].offerings[0].registration.closed == "Holdet er fuldt."
    assert courses["kursus-b"].offerings[0].registration.closed == "Vi holder sommerferie."
    assert courses["kursus-c"].offerings[0].registration.closed == ""  # another school
    assert courses["kursus-b"].offerings[0].availability(TODAY).value == "enrolment-closed"


def test_closed_where_it_would_not_show_is_warned_about(mini):
    course = mini / "courses" / "kursus-a.yaml"
    text = course.read_text(encoding="utf-8")
    course.write_text(text.replace(
        "registration: {opens: 2026-12-01, deadline: 2027-01-27}",
        "registration: {opens: 2027-01-10, closed: Vi åbner 10. januar.}"), encoding="utf-8")
    found = [d for d in read_catalogue(mini, TODAY, use_cache=False).diagnostics
             if d.code.startswith("O62")]
    assert [(d.code, d.pos.file, d.pos.line) for d in found] == [
        ("O621", "courses/kursus-a.yaml", _line(course, "closed:"))]
    assert "2027-01-10" in found[0].message
    course.write_text(text.replace("status: open", "status: cancelled\n    status_note: Syg.", 1)
                      .replace("registration: {opens: 2026-12-01, deadline: 2027-01-27}",
                               "registration: {closed: Syg.}"), encoding="utf-8")
    codes = [d.code for d in read_catalogue(mini, TODAY, use_cache=False).diagnostics]
    assert "O620" in codes


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


# --- 8. requires ----------------------------------------------------------------------------

def test_a_prerequisite_is_linked_and_said_in_every_output(built, demo_sel):
    title = demo_sel.catalogue.courses[REQUIRED].title
    page = _article(built, f"kurser/{REQUIRES}/")
    facts = page.select_one(".kk-shape__requires")
    assert _text(facts).startswith("Du skal have gået på")
    link = facts.select_one("a[data-kk=requires]")
    assert link.get_text() == title
    target = (built / "kurser" / REQUIRES / link["href"]).resolve() / "index.html"
    assert target == (built / "kurser" / REQUIRED / "index.html").resolve() and target.is_file()
    prerequisites = _jsonld(built, REQUIRES)["coursePrerequisites"]
    assert prerequisites == [{"@type": "Course", "name": title,
                              "url": f"https://recoveryskoler.example.org/kurser/{REQUIRED}/"}]
    for event in _events(built, demo_sel, REQUIRES):
        assert f"Du skal have gået på {title} først." in str(event["DESCRIPTION"])
    assert f"Du skal have gået på {title}, før du kan begynde." in _pdf(built / "kursuskatalog.pdf")
    row = next(r for r in _csv(built, "courses") if r["id"] == REQUIRES)
    assert row["requires"] == REQUIRED


def test_check_refuses_an_unknown_prerequisite_with_a_guess_and_names_a_circle(mini):
    a, b, c = (mini / "courses" / f"kursus-{x}.yaml" for x in "abc")
    a.write_text(a.read_text(encoding="utf-8") + "requires: [kursus-bb]\n", encoding="utf-8")
    found = [d for d in read_catalogue(mini, TODAY, use_cache=False).diagnostics
             if d.code == "R313"]
    assert [(d.pos.file, d.pos.line) for d in found] == [("courses/kursus-a.yaml",
                                                          _line(a, "requires:"))]
    assert "'kursus-bb'" in found[0].message and found[0].hint == "Mente du 'kursus-b'?"
    a.write_text(a.read_text(encoding="utf-8").replace("kursus-bb", "kursus-b"), encoding="utf-8")
    b.write_text(b.read_text(encoding="utf-8") + "requires: [kursus-c]\n", encoding="utf-8")
    c.write_text(c.read_text(encoding="utf-8") + "requires: [kursus-a]\n", encoding="utf-8")
    found = [d for d in read_catalogue(mini, TODAY, use_cache=False).diagnostics
             if d.code == "R314"]
    assert sorted(d.pos.file for d in found) == [f"courses/kursus-{x}.yaml" for x in "abc"]
    assert all("'kursus-a' → 'kursus-b' → 'kursus-c' → 'kursus-a'" in d.message for d in found)
    c.write_text(c.read_text(encoding="utf-8").replace("kursus-a]", "kursus-c]"), encoding="utf-8")
    found = [d for d in read_catalogue(mini, TODAY, use_cache=False).diagnostics
             if d.code == "R314"]
    assert [d.pos.file for d in found] == ["courses/kursus-c.yaml"]  # requires itself


# --- 9. eligibility match: any --------------------------------------------------------------

def test_alternatives_read_as_or_everywhere_eligibility_is_said(built, demo_sel):
    page = _article(built, f"kurser/{ANY}/")
    assert _text(page.select_one(".kk-shape__who")) == OR_WORDS + "."
    assert OR_WORDS in _text(_card(built, ANY).select_one(".kk-card__shape"))
    audience = _jsonld(built, ANY)["audience"]
    assert audience == {"@type": "PeopleAudience", "audienceType": OR_WORDS}
    for event in _events(built, demo_sel, ANY):
        assert f"Hvem kan komme: {OR_WORDS}." in str(event["DESCRIPTION"])
    assert OR_WORDS in _pdf(built / "kursuskatalog.pdf")
    rows = {r["id"]: r for r in _csv(built, "courses")}
    assert rows[ANY]["eligibility_match"] == "any"
    assert rows["ung-og-recovery"]["eligibility_match"] == "all"
    # `all`, as before: separate conditions, each a requirement in JSON-LD.
    young = _article(built, "kurser/ung-og-recovery/").select_one(".kk-shape__who")
    assert _text(young).startswith("16–25 år. Bor i Region Midtjylland")
    assert "eller" not in _text(young)


def test_match_any_with_one_condition_is_warned_about(mini):
    a = mini / "courses" / "kursus-a.yaml"
    a.write_text(a.read_text(encoding="utf-8") + "eligibility:\n  min_age: 18\n  match: any\n",
                 encoding="utf-8")
    found = [d for d in read_catalogue(mini, TODAY, use_cache=False).diagnostics
             if d.code == "S126"]
    assert [(d.pos.line, d.severity) for d in found] == [(_line(a, "match: any"), "warning")]
    assert "Fra 18 år" in found[0].message


# --- 10. partner ----------------------------------------------------------------------------

def test_a_partner_is_shown_without_changing_who_leads(built, demo_sel):
    course = demo_sel.catalogue.courses[PARTNER]
    assert demo_sel.catalogue.led_by(course) == "co-taught"
    page = _article(built, f"kurser/{PARTNER}/")
    partner = page.select_one(".kk-shape__partner")
    assert _text(partner).startswith("I samarbejde med Viborg Motionsforening.")
    assert partner.find("a")["href"] == "https://motion-viborg.example.org"
    assert page.select_one(".kk-cotaught").get_text(strip=True)  # still "samskabt"
    assert "I samarbejde med Viborg Motionsforening" in _text(
        _card(built, PARTNER).select_one(".kk-card__shape"))
    assert _jsonld(built, PARTNER)["contributor"] == {
        "@type": "Organization", "name": "Viborg Motionsforening",
        "url": "https://motion-viborg.example.org",
        "description": "En træner fra foreningen er med hver gang."}
    for event in _events(built, demo_sel, PARTNER):
        assert "I samarbejde med Viborg Motionsforening." in str(event["DESCRIPTION"])
    assert "I samarbejde med Viborg Motionsforening" in _pdf(built / "kursuskatalog.pdf")
    row = next(r for r in _csv(built, "courses") if r["id"] == PARTNER)
    assert (row["partner_name"], row["partner_url"], row["led_by"]) == (
        "Viborg Motionsforening", "https://motion-viborg.example.org", "co-taught")


def test_the_search_finds_a_course_by_its_partner_and_says_closed(demo_sel):
    from generator.render.search import records

    build = type("B", (), {"selection": demo_sel})()
    found = {r["url"]: r for r in records(build)}
    assert "Viborg Motionsforening" in found[f"/kurser/{PARTNER}/"]["content"]
    assert "Lukket for tilmelding" in found[f"/kurser/{CLOSED}/"]["content"]
    # No search filters (issue 25): /kurser/ filters by school, theme and town.
    assert all(r["filters"] == {} for r in found.values())


# --- 3 and 11: enrol_first: false and school defaults ---------------------------------------

def _school_with_rules(mini: Path) -> None:
    school = mini / "schools" / "skole-a.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace("venues:\n", (
        "enrol_first:\n  how: Udfyld optagelsesskemaet.\n"
        "defaults:\n"
        "  registration: {deadline: 2027-01-20, note: Ring gerne.}\n"
        "  eligibility: {min_age: 18}\n"
        "  cost: {price: 50, covers: Kaffe og materialer}\n"
        "  language: en\n"
        "venues:\n"), 1), encoding="utf-8")


def test_a_course_inherits_the_school_defaults_unless_it_says_otherwise(mini):
    _school_with_rules(mini)
    a = mini / "courses" / "kursus-a.yaml"
    a.write_text(a.read_text(encoding="utf-8") + "language: da\neligibility: {}\n",
                 encoding="utf-8")
    result = read_catalogue(mini, TODAY, use_cache=False)
    assert result.ok, [str(d) for d in result.diagnostics]
    courses = result.catalogue.courses
    a, b, c = courses["kursus-a"], courses["kursus-b"], courses["kursus-c"]
    assert (b.language, b.eligibility.min_age, b.cost.price) == ("en", 18, 50)
    assert (a.language, a.eligibility, a.cost.price) == ("da", None, 50)
    assert b.offerings[0].registration.deadline == dt.date(2027, 1, 20)
    assert b.offerings[0].registration.note == "Ring gerne."
    # The offering's own deadline wins over the inherited one, field by field.
    assert a.offerings[0].registration.deadline == dt.date(2027, 1, 27)
    assert a.offerings[0].registration.note == "Ring gerne."
    assert (c.language, c.cost) == ("da", None)  # another school


def test_check_reports_an_inherited_mistake_on_the_school_files_line(mini):
    _school_with_rules(mini)
    school = mini / "schools" / "skole-a.yaml"
    school.write_text(school.read_text(encoding="utf-8")
                      .replace("deadline: 2027-01-20", "deadline: 2027-02-20")
                      .replace("language: en", "language: engelsk"), encoding="utf-8")
    found = read_catalogue(mini, TODAY, use_cache=False).diagnostics
    at = {(d.code, d.pos.file, d.pos.line) for d in found if d.code in ("T205", "S113")}
    # Kursus B inherits both; Kursus A writes its own deadline, and inherits the language.
    assert at == {("T205", "schools/skole-a.yaml", _line(school, "deadline: 2027-02-20")),
                  ("S113", "schools/skole-a.yaml", _line(school, "language: engelsk"))}
    a = mini / "courses" / "kursus-a.yaml"
    a.write_text(a.read_text(encoding="utf-8") + "language: dansk\n", encoding="utf-8")
    found = read_catalogue(mini, TODAY, use_cache=False).diagnostics
    assert ("S113", "courses/kursus-a.yaml", _line(a, "language: dansk")) in {
        (d.code, d.pos.file, d.pos.line) for d in found}


def test_enrol_first_false_on_a_school_without_it_is_warned_about(mini):
    a = mini / "courses" / "kursus-a.yaml"
    a.write_text(a.read_text(encoding="utf-8") + "enrol_first: false\n", encoding="utf-8")
    found = [d for d in read_catalogue(mini, TODAY, use_cache=False).diagnostics
             if d.code == "S125"]
    assert [(d.pos.line, d.severity) for d in found] == [(_line(a, "enrol_first"), "warning")]


# --- builds of the small catalogue: today's files give today's bytes ------------------------

def _mini_site(tmp: Path, change=None) -> Path:
    root = copy_catalogue(MINI, tmp / "mini")
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, root / name)
    for name in ("docs", "site_templates"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("koordinator"))
    if change:
        change(root)
    done = run(["build", "--today", TODAY.isoformat()], root)
    assert done.returncode == 0, done.stderr
    return root / "site"


def _with_defaults_written(root: Path) -> None:
    """Every new field written out with its default value, where the file does not use it."""
    for path in (root / "courses").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        extra = "".join(f"{line}\n" for line in ("enrol_first: true", "requires: []",
                                                   "also_schools: []")
                        if f"\n{line.split(':')[0]}:" not in text)
        text = text.replace("\nofferings:", f"\n{extra}offerings:", 1)
        if "\neligibility:\n" in text and "match:" not in text:
            text = text.replace("\neligibility:\n", "\neligibility:\n  match: all\n", 1)
        path.write_text(text, encoding="utf-8")
    for path in (root / "schools").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "\ndefaults:" not in text:
            path.write_text(text.replace("\nvenues:", "\ndefaults: {}\nvenues:", 1),
                            encoding="utf-8")


@pytest.fixture(scope="module")
def mini_rules(tmp_path_factory) -> Path:
    return _mini_site(tmp_path_factory.mktemp("rules"), _exempt_course)


def _differences(left: Path, right: Path) -> list[str]:
    compared = filecmp.dircmp(left, right)
    found = [str(Path(left, n).relative_to(left)) for n in
             compared.left_only + compared.right_only + compared.funny_files]
    _, mismatch, errors = filecmp.cmpfiles(left, right, compared.common_files, shallow=False)
    found += mismatch + errors
    for sub in compared.common_dirs:
        found += [f"{sub}/{n}" for n in _differences(left / sub, right / sub)]
    return found


def test_writing_every_new_field_with_its_default_changes_no_byte_of_the_demo(built, demo):
    _with_defaults_written(demo)
    young = (demo / "courses" / "ung-og-recovery.yaml").read_text(encoding="utf-8")
    assert "also_schools: []" in young and "  match: all" in young
    assert "defaults: {}" in (demo / "schools" / "recoveryskolen-aarhus.yaml").read_text(
        encoding="utf-8")
    done = run(["build", "--today", TODAY_DEMO.isoformat()], demo)
    assert done.returncode == 0, done.stderr
    assert sum(1 for p in built.rglob("*") if p.is_file()) > 200
    assert _differences(built, demo / "site") == []


def _exempt_course(root: Path) -> None:
    _school_with_rules(root)
    a = root / "courses" / "kursus-a.yaml"
    a.write_text(a.read_text(encoding="utf-8")
                 .replace("registration:\n  required: true\n",
                          "registration:\n  required: false\nenrol_first: false\n")
                 .replace("registration: {opens: 2026-12-01, deadline: 2027-01-27}",
                          "registration: {required: false}"), encoding="utf-8")


def test_an_exempt_drop_in_never_shows_enrol_first_and_its_sister_course_does(mini_rules):
    site = mini_rules
    a = _article(site, "kurser/kursus-a/")
    assert "Ingen tilmelding" in _text(a.select_one(".kk-key"))
    assert not a.select(".kk-shape__enrol") and "Meld dig ind først" not in _text(a)
    b = _article(site, "kurser/kursus-b/")
    assert b.select_one(".kk-shape__enrol")
    assert "Meld dig ind først" not in _text(_card(site, "kursus-a"))
    assert "Meld dig ind først" in _text(_card(site, "kursus-b"))
    rows = {r["id"]: r for r in _csv(site, "courses")}
    assert (rows["kursus-a"]["enrol_first"], rows["kursus-b"]["enrol_first"]) == ("false", "true")
    # Inherited defaults reach the page: Kursus B says its price and language.
    assert "50 kr." in _text(b.select_one(".kk-shape__cost"))
    assert "engelsk" in _text(b.select_one(".kk-shape__language"))
    text = _pdf(site / "kursuskatalog.pdf")
    assert text.count("Du skal være optaget som studerende") == 1  # Kursus B only


# --- 12. a course of two schools ------------------------------------------------------------

def test_a_course_of_two_schools_is_in_both_brands_once_and_not_in_a_third(all_sites):
    from frictionless import validate

    for brand, shown in (("viborg", True), ("randers", True), ("aarhus", False)):
        site = all_sites / brand
        assert (site / "kurser" / TWO_SCHOOLS / "index.html").is_file() is shown, brand
        cards = soup(site, "kurser/").select(f'li.kk-card:has(a[href$="{TWO_SCHOOLS}/"])')
        assert len(cards) == (1 if shown else 0), brand
        rows = [r for r in _csv(site, "courses") if r["id"] == TWO_SCHOOLS]
        assert len(rows) == (1 if shown else 0), brand
        if not shown:
            continue
        assert validate(str(site / "data" / "datapackage.json")).valid, brand
        assert rows[0]["also_schools"] == "recoveryskolen-viborg"
        feed = icalendar.Calendar.from_ical((site / "kalender.ics").read_bytes())
        uids = [str(e["UID"]) for e in feed.walk("VEVENT")
                if str(e["UID"]).startswith(TWO_SCHOOLS + ".")]
        assert uids and len(uids) == len(set(uids)), brand
        title = "Pårørende – at passe på sig selv"
        assert title in _pdf(site / "kursuskatalog.pdf"), brand
    viborg = icalendar.Calendar.from_ical(
        (all_sites / "viborg" / "kalender" / "recoveryskolen-viborg.ics").read_bytes())
    assert any(str(e["UID"]).startswith(TWO_SCHOOLS + ".") for e in viborg.walk("VEVENT"))
    page = _article(all_sites / "viborg", f"kurser/{TWO_SCHOOLS}/")
    assert "Recoveryskolen Viborg" in _text(page) and "Recoveryskolen Randers" in _text(page)
    data = _jsonld(all_sites / "viborg", TWO_SCHOOLS)
    assert [p["name"] for p in data["provider"]] == ["Recoveryskolen Randers",
                                                     "Recoveryskolen Viborg"]


def test_clashes_are_checked_across_both_schools_and_also_schools_is_checked(mini):
    a = mini / "courses" / "kursus-a.yaml"
    c = mini / "courses" / "kursus-c.yaml"
    # Kursus C (school 'ekstern') is also run by skole-a and its teacher is busy with Kursus B.
    c.write_text(c.read_text(encoding="utf-8").replace("teachers: [fag-g]", (
        "teachers: [fag-g]\nalso_schools: [skole-a]")).replace(
        '{date: 2027-03-01, start: "18:00", end: "20:00"}',
        '{date: 2027-02-03, start: "11:00", end: "12:00"}'), encoding="utf-8")
    result = read_catalogue(mini, TODAY, use_cache=False)
    clashes = [d for d in result.diagnostics if d.code == "B501"]
    assert {d.pos.file for d in clashes} == {"courses/kursus-b.yaml", "courses/kursus-c.yaml"}
    sel = Selection.for_brand(result.catalogue, TODAY, result.catalogue.brands["testby"])
    assert "kursus-c" in [course.id for course in sel.courses]
    a.write_text(a.read_text(encoding="utf-8") + "also_schools: [skole-a, ekstrn]\n",
                 encoding="utf-8")
    found = {d.code: d for d in read_catalogue(mini, TODAY, use_cache=False).diagnostics
             if d.code in ("R315", "R316")}
    assert set(found) == {"R315", "R316"}
    assert found["R315"].hint == "Mente du 'ekstern'?"
    assert found["R316"].pos.line == found["R315"].pos.line == _line(a, "also_schools")


# --- the browser editor ---------------------------------------------------------------------

def test_the_editor_offers_every_new_field(demo, tmp_path):
    import yaml

    done = run(["editor", "--out", str(tmp_path / "admin")], demo)
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((tmp_path / "admin" / "config.yml").read_text(encoding="utf-8"))
    collections = {c["name"]: c for c in config["collections"]}
    course = {f["name"]: f for f in collections["courses"]["fields"]}
    assert course["enrol_first"]["widget"] == "boolean" and course["enrol_first"]["default"] is True
    assert (course["requires"]["widget"], course["requires"]["collection"]) == ("relation",
                                                                                "courses")
    assert (course["also_schools"]["widget"], course["also_schools"]["collection"]) == (
        "relation", "schools")
    assert [f["name"] for f in course["partner"]["fields"]] == ["name", "url", "note"]
    match = next(f for f in course["eligibility"]["fields"] if f["name"] == "match")
    assert [o["value"] for o in match["options"]] == ["all", "any"]
    closed = next(f for f in course["registration"]["fields"] if f["name"] == "closed")
    assert closed["label"] == "Lukket for tilmelding" and closed["required"] is False
    school = {f["name"]: f for f in collections["schools"]["fields"]}
    defaults = {f["name"]: f for f in school["defaults"]["fields"]}
    assert list(defaults) == ["registration", "eligibility", "cost", "language"]
    required = next(f for f in defaults["registration"]["fields"] if f["name"] == "required")
    assert required["default"] is True  # opening the group never makes every course drop-in
