"""Every diagnostic code, shown by a valid and a broken example.

Each case changes one file of the small catalogue in tests/fixtures/mini. The valid version must
not produce the code; the broken one must produce it in the expected file, on the line where the
`marker` text stands in the broken file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.catalogue import read_catalogue
from generator.diagnostics import CODES

from conftest import TODAY

A = "courses/kursus-a.yaml"
B = "courses/kursus-b.yaml"
C = "courses/kursus-c.yaml"
SCHOOL = "schools/skole-a.yaml"
FAG_F = "teachers/fag-f.yaml"
PEER_P = "teachers/peer-p.yaml"
GUIDE = "guides/fem-veje-til-et-godt-liv.md"
BRAND = "sites/testby/brand.yaml"
LOGO = "sites/testby/logo.svg"

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdef", "bcdefg"))


@dataclass
class Case:
    code: str
    file: str
    bad: tuple | str | bytes  # (old, new) replaced once in the valid file, or a whole new text
    marker: str | None  # text on the expected line of the broken file; None = line 1
    good: tuple | None = None  # (old, new) applied to make the valid example, if not the base
    expect_file: str | None = None  # where the diagnostic lands, if not in `file`
    today: dt.date = TODAY
    hint: str = ""  # text the hint must contain

    @property
    def id(self):
        return f"{self.code}-{Path(self.file).stem}-{self.marker or ''}"[:60]


# Kursus A's two sessions, and the same two written as a pattern (2027-02-03 is a Wednesday).
SESSIONS = ('    sessions:\n      - {date: 2027-02-03, start: "10:00", end: "13:00"}\n'
            '      - {date: 2027-02-10, start: "10:00", end: "13:00"}\n')


def pattern(until="2027-02-10", weekday="onsdag", frequency="weekly", more=""):
    return (f'    recurrence:\n      frequency: {frequency}\n      weekday: {weekday}\n'
            f'      start: "10:00"\n      end: "13:00"\n      from: 2027-02-03\n'
            f'      until: {until}\n{more}')


LED = "school: skole-a"
REASON = "\nled_by_reason: En gruppe for og af mennesker med egen erfaring."

CASES = [
    # Structure
    Case("Y001", A, ("title: Kursus A", "title: Kursus: A"), "title: Kursus: A"),
    Case("Y002", A, ("  - key: foraar", "\t- key: foraar"), "\t- key"),
    Case("Y003", A, "# Kun en kommentar\n\n", None),
    Case("Y004", A, "- title: Kursus A\n- summary: To kurser i én fil\n", None),
    Case("Y005", A, ("outcomes:", "title: Igen\noutcomes:"), "title: Igen"),
    Case("Y006", A, ("title: Kursus A", "title: Kursus \xe6"), "title: Kursus"),
    Case("Y007", A, ("Hver gang starter med kaffe.", "Kaffe. " * 160_000), None),
    Case("Y008", A, BOMB, "e: &e"),  # 10 ** 5 values on line 5
    Case("Y009", A, ("title: Kursus A", "title: !!python/object/apply:os.system [ls]"), "title: !!"),
    Case("Y010", A, ("offerings:", "---\noutcomes: [x]\nofferings:"), "---"),
    # Schema
    Case("S101", A, ("summary: Et kursus, som testene bygger på.\n", ""), None),
    Case("S102", A, ("capacity: 12", "capacity: [12]"), "capacity: [12]"),
    Case("S103", A, ("status: open", "status: opne"), "status: opne", hint="open"),
    Case("S104", A, ("title: Kursus A", "tittle: Kursus A"), "tittle", hint="title"),
    Case("S105", A, ("key: foraar", "key: Foraar 2027"), "key: Foraar"),
    Case("S106", A, ("themes: [oege-netvaerk, recovery]", "themes: []"), "themes: []"),
    Case("S107", SCHOOL, ("kontakt@example.org", "kontakt(at)example.org"), "kontakt(at)"),
    Case("S108", A, ("teachers: [peer-p, fag-f]", "teachers: [peer-p, fag-f, peer-p]"),
         "teachers: [peer-p, fag-f, peer-p]"),
    Case("S109", A, ("capacity: 12", "capacity: 0"), "capacity: 0"),
    Case("S110", "schools/ekstern.yaml", ("contact: {email: aftenskolen@example.org}",
                                          "contact: {address: Skolegade 3}"), "contact:"),
    Case("S115", A, ("audience: [alle]", "audience: [alle]\neligibility: {min_age: 25, max_age: 16}"),
         "eligibility:", good=("audience: [alle]",
                               "audience: [alle]\neligibility: {min_age: 16, max_age: 25}")),
    Case("S113", A, ("audience: [alle]", "audience: [alle]\nlanguage: urdu"), "language: urdu",
         good=("audience: [alle]", "audience: [alle]\nlanguage: ur")),
    Case("S114", SCHOOL, ("city: Aarhus C\n    accessibility: Niveaufri",
                          "city: Aarhus C\n    country: England\n    accessibility: Niveaufri"),
         "country: England", good=("city: Aarhus C\n    accessibility: Niveaufri",
                                   "city: Aarhus C\n    country: GB\n    accessibility: Niveaufri")),
    # A Danish venue needs a Danish postcode; a venue abroad only needs one.
    Case("S107", SCHOOL, ('postal_code: "8000"', 'postal_code: "LS1 5HD"'), "LS1 5HD",
         good=('postal_code: "8000"\n    city: Aarhus C',
               'postal_code: "LS1 5HD"\n    city: Leeds\n    country: GB'), hint="country"),
    # Bounds (issue 19): the largest number, the longest list and text, the years taken.
    Case("S116", A, ("capacity: 12", "capacity: 1001"), "capacity: 1001",
         good=("capacity: 12", "capacity: 1000")),
    Case("S117", A, ("outcomes: [Viden om recovery]",
                     "outcomes: [" + ", ".join(f"Punkt {n}" for n in range(21)) + "]"),
         "outcomes:", good=("outcomes: [Viden om recovery]",
                            "outcomes: [" + ", ".join(f"Punkt {n}" for n in range(20)) + "]")),
    Case("S118", A, ("date: 2027-02-03", "date: 0027-02-03"), "0027-02-03"),
    Case("S119", SCHOOL, ("registration: {email: tilmelding@example.org}",
                          "registration: {email: tilmelding@example.org, url: https://example.org/"
                          + "a" * 2000 + "}"), "registration:"),
    # Time
    Case("T201", A, ("date: 2027-02-03", "date: 2027-02-30"), "2027-02-30"),
    Case("T202", A, ('start: "10:00"', 'start: "25:00"'), '"25:00"'),
    Case("T203", A, ('end: "13:00"', 'end: "09:00"'), '"09:00"'),
    Case("T204", A, ("date: 2027-02-10", "date: 2027-02-01"), "2027-02-01"),
    Case("T205", A, ("deadline: 2027-01-27", "deadline: 2027-02-05"), "deadline: 2027-02-05"),
    Case("T206", A, ("opens: 2026-12-01", "opens: 2027-01-30"), "opens: 2027-01-30"),
    Case("T207", A, ("status: open", "status: open"), "status: open",
         good=("status: open", "status: full"), today=dt.date(2027, 3, 1)),
    Case("T208", A, ("date: 2027-02-10", "date: 2077-02-10"), "2077-02-10", hint="2027-02-10",
         good=("date: 2027-02-10", "date: 2028-05-31")),  # 18 months after 2026-12-01: fine
    Case("T209", A, (SESSIONS, pattern(until="2027-01-10")), "until: 2027-01-10",
         good=(SESSIONS, pattern())),
    Case("T210", A, (SESSIONS, pattern(more="      except: [2027-02-04]\n")), "except:",
         good=(SESSIONS, pattern(more="      except: [2027-02-10]\n"))),
    Case("T211", A, (SESSIONS, pattern(weekday="torsdag", until="2027-02-03")), "    recurrence:",
         good=(SESSIONS, pattern(weekday="onsdag", until="2027-02-03"))),
    Case("T212", A, (SESSIONS, SESSIONS + pattern()), "    recurrence:",
         good=(SESSIONS, pattern())),
    Case("T213", A, (SESSIONS, pattern(frequency="monthly", until="2027-02-28")),
         "frequency: monthly", good=(SESSIONS, pattern(frequency="monthly", until="2027-02-28",
                                                       more="      position: sidste\n"))),
    Case("T215", A, ('      - {date: 2027-02-10, start: "10:00", end: "13:00"}',
                     '      - {date: 2027-03-28, start: "02:30", end: "04:00"}'), "2027-03-28",
         good=('      - {date: 2027-02-10, start: "10:00", end: "13:00"}',
               '      - {date: 2027-03-28, start: "03:00", end: "04:00"}')),
    Case("T216", A, ('      - {date: 2027-02-10, start: "10:00", end: "13:00"}',
                     '      - {date: 2027-10-31, start: "01:00", end: "02:30"}'), "2027-10-31",
         good=('      - {date: 2027-02-10, start: "10:00", end: "13:00"}',
               '      - {date: 2027-10-31, start: "01:00", end: "01:59"}')),
    Case("T217", A, (SESSIONS, pattern(until="2099-12-31").replace("2027-02-03", "2000-01-05")),
         "from: 2000-01-05"),
    Case("T218", A, (SESSIONS, pattern(until="2027-02-10").replace("2027-02-03", "2024-01-03")
                     .replace("      until: 2027-02-10\n", "")), "from: 2024-01-03"),
    Case("T214", A, ('- {date: 2027-02-03, start: "10:00", end: "13:00"}',
                     '- {date: 2027-02-03, start: "10:00", end_date: 2027-02-01, end: "13:00"}'),
         "end_date: 2027-02-01",
         good=('- {date: 2027-02-03, start: "10:00", end: "13:00"}',
               '- {date: 2027-02-03, start: "10:00", end_date: 2027-02-04, end: "13:00"}')),
    # References
    Case("R301", A, ("[peer-p, fag-f]", "[peer-p, fag-ff]"), "fag-ff", hint="fag-f"),
    Case("R302", A, ("school: skole-a", "school: skole-b"), "school: skole-b", hint="skole-a"),
    Case("R303", A, ("venue: huset", "venue: huse"), "venue: huse", hint="huset"),
    Case("R304", A, ("[oege-netvaerk, recovery]", "[oege-netvark, recovery]"), "oege-netvark",
         hint="oege-netvaerk"),
    Case("R305", A, ("registration:\n  required", "guides: [fem-veje]\nregistration:\n  required"),
         "guides: [fem-veje]",
         good=("registration:\n  required",
               "guides: [fem-veje-til-et-godt-liv]\nregistration:\n  required")),
    Case("R306", "schools/ekstern.yaml", ("  aftenskolen:", "  huset:"), "  huset:",
         expect_file=SCHOOL),  # the later file (in name order) is the one told to change
    Case("R307", B, ("room: Lokale 2", "room: Lokale 7"), "room: Lokale 7", hint="Mente du",
         good=("room: Lokale 2", "room: lokale  2")),  # case and spaces do not matter
    Case("R307", A, ('- {date: 2027-02-10, start: "10:00", end: "13:00"}',
                     '- {date: 2027-02-10, start: "10:00", end: "13:00", room: Haven}'),
         "room: Haven"),  # a session's own room; Haven is another venue, not a room in Huset
    # Co-production
    Case("C401", A, ("teachers: [peer-p, fag-f]", "teachers: [fag-g, fag-f]"), "teachers: [fag-g"),
    Case("C402", A, ("teachers: [peer-p, fag-f]", "teachers: [peer-p, paa-r]"),
         "teachers: [peer-p, paa-r]"),
    Case("C403", A, ("teachers: [peer-p, fag-f]", "teachers: []"), "teachers: []"),
    Case("C404", A, (LED, LED + "\nled_by: peers"), "led_by: peers",
         good=(LED, LED + "\nled_by: peers" + REASON)),
    Case("C405", A, (LED, LED + "\nled_by: external" + REASON), "led_by: external",
         good=(LED, LED + "\nled_by: peers" + REASON)),
    Case("C406", A, (LED, LED + "\nled_by: relatives" + REASON), "teachers: [peer-p, fag-f]",
         good=(LED, LED + "\nled_by: peers" + REASON)),
    # Booking
    # A clash is reported in both files; the first in name order is kursus-a.
    Case("B501", B, ("teachers: [paa-r, fag-g]", "teachers: [paa-r, fag-f]"), "date: 2027-02-03",
         expect_file=A),
    Case("B502", B, ("room: Lokale 2", "room: Lokale 1"), "date: 2027-02-03", expect_file=A),
    Case("B502", B, ("room: Lokale 2", "room: lokale  1"), "date: 2027-02-03", expect_file=A),
    # Offerings
    Case("O601", A, ("status: open", "status: cancelled"), "status: cancelled",
         good=("status: open", "status: cancelled\n    status_note: Underviseren er syg.")),
    Case("O602", SCHOOL, ("registration: {email: tilmelding@example.org}\n", ""), "- key: foraar",
         expect_file=A),
    Case("O603", A, ("  - key: foraar", "  - key: foraar\n    venue: haven\n    status: full\n"
                     "    sessions: [{date: 2027-05-03, start: '10:00', end: '12:00'}]\n"
                     "  - key: foraar"), "  - key: foraar\n    venue: huset"),
    Case("O604", A, ("    venue: huset\n", ""), "- key: foraar",
         good=("    venue: huset\n", "    attendance: online\n")),
    Case("O605", A, ("    room: Lokale 1\n", "    room: Lokale 1\n    online_note: Linket kommer.\n"),
         "online_note", good=("    room: Lokale 1\n", "    room: Lokale 1\n    attendance: hybrid\n"
                                                    "    online_note: Linket kommer.\n")),
    Case("O606", A, ("capacity: 12", "capacity: 12\n    places_left: 3"), "places_left",
         good=("capacity: 12", "capacity: 12\n    places_left: 3\n    places_updated: 2026-11-30")),
    Case("O607", A, ("capacity: 12", "capacity: 12\n    places_left: 13\n    places_updated: 2026-11-30"),
         "places_left: 13",
         good=("capacity: 12", "capacity: 12\n    places_left: 12\n    places_updated: 2026-11-30")),
    Case("O607", A, ("capacity: 12", "capacity: 12\n    quotas: [{group: borgere, places: 10}, "
                     "{group: medarbejdere, places: 5}]"), "quotas:",
         good=("capacity: 12", "capacity: 12\n    quotas: [{group: borgere, places: 8}, "
                               "{group: medarbejdere, places: 4}]")),
    # Consent
    Case("P701", PEER_P, ("display: first-name", "display: first-name\n  withdrawn: 2025-06-01"),
         "withdrawn"),
    Case("P702", FAG_F, ("  photo: 2026-01-01\n", ""), "photo: fag-f.png"),
    Case("P703", FAG_F, ("  profile: 2026-01-01\n", ""), "  photo: 2026-01-01"),
    Case("P704", PEER_P, ("profile: 2026-01-01", "profile: 2027-06-01"), "profile: 2027-06-01"),
    Case("P705", FAG_F, ("photo: fag-f.png\n", ""), "  photo: 2026-01-01"),
    # Content
    Case("H801", A, ("Hver gang starter med kaffe.", "Hver gang <script>alert(1)</script>"),
         "<script>"),
    Case("H802", A, ("Hver gang starter med kaffe.", '<img src="x.png" onerror="alert(1)">'),
         "onerror"),
    Case("H803", A, ("Hver gang starter med kaffe.", "[Tilmeld](javascript:alert(1))"),
         "javascript:"),
    Case("H804", A, ("Hver gang starter med kaffe.", '<iframe src="https://example.org"></iframe>'),
         "<iframe"),
    Case("H803", A, ("Hver gang starter med kaffe.", "Se [programmet][p].\n\n  [p]: javascript:alert(1)"),
         "[p]: javascript:"),
    Case("H806", A, ("Hver gang starter med kaffe.", "<base href=//evil.example/>"), "<base"),
    Case("H806", A, ("Hver gang starter med kaffe.", "<style>body{display:none}</style>"), "<style"),
    Case("H805", A, ("summary: Et kursus, som testene bygger på.",
                     "summary: Skriv kort, hvad kurset handler om, og hvem det er for."),
         "summary: Skriv", hint="En til to sætninger"),
    Case("H805", PEER_P, ("Pia underviser i håb og hverdagsliv.", "Pia underviser. Skriv et "
                          "par linjer om, hvad underviseren bringer med ind i undervisningen."),
         "Pia underviser."),
    # Guides
    Case("G001", GUIDE, ("---\ntitle:", "title:"), None),
    Case("G002", GUIDE, ("[[felt: Dato]]", "[[felte: Dato]]"), "[[felte"),
    Case("G003", GUIDE, ("[[linjer: 3]]", "[[linjer: mange]]"), "[[linjer: mange]]"),
    Case("G004", GUIDE, ("(sol.svg)", "(https://example.org/sol.svg)"), "![En sol]"),
    Case("R304", GUIDE, ("[[kurser: oege-netvaerk]]", "[[kurser: oege-netvark]]"),
         "[[kurser: oege-netvark]]", hint="oege-netvaerk"),
    Case("S104", GUIDE, ("license:", "licence:"), "licence:", hint="license"),
    Case("F903", GUIDE, ("(sol.svg)", "(sool.svg)"), "![En sol]", hint="sol.svg"),
    Case("H801", GUIDE, ("Lidt tekst", "<script>alert(1)</script> Lidt tekst"), "<script>"),
    # Brands
    Case("M001", BRAND, ('primary: "#0b5560"', 'primary: "darkgreen"'), "darkgreen"),
    Case("M002", BRAND, ('primary: "#0b5560"', 'primary: "#4aa3b5"'), "#4aa3b5",
         hint="#3a808f"),  # the palest shade that passes everywhere
    Case("M003", BRAND, ("https://testby.example.org/", "http://testby.example.org/"),
         "http://testby"),
    Case("M004", BRAND, ("https://testby.example.org/", "https://aftenskolen.example.org/"),
         "site_url:"),
    Case("R302", BRAND, ("schools: [skole-a]", "schools: [skole-aa]"), "skole-aa",
         hint="skole-a"),
    Case("F903", BRAND, ("logo: logo.svg", "logo: logoet.svg"), "logo: logoet.svg",
         hint="logo.svg"),
    Case("F904", BRAND, ("logo: logo.svg", "logo: brand.yaml"), "logo: brand.yaml"),
    Case("M006", LOGO, ("<svg ", '<svg onload="alert(1)" '), "logo: logo.svg",
         expect_file=BRAND),
    Case("M007", LOGO, "<svg><g></svg>\n", "logo: logo.svg", expect_file=BRAND),
    Case("M008", LOGO, ("</svg>", "<!--" + "x" * 1_000_000 + "--></svg>"), "logo: logo.svg",
         expect_file=BRAND),
    Case("M009", BRAND, ("accessibility_url: https://was.digst.dk/testby.example.org\n", ""),
         "site_url:", hint="accessibility_url: https://was.digst.dk/testby.example.org"),
    # Files
    Case("F901", FAG_F, ("photo: fag-f.png", "photo: /etc/fag-f.png"), "photo: /etc"),
    Case("F902", FAG_F, ("photo: fag-f.png", "photo: ../../fag-f.png"), "photo: ../"),
    Case("F903", FAG_F, ("photo: fag-f.png", "photo: fag-ff.png"), "photo: fag-ff.png",
         hint="fag-f.png"),
    Case("F904", FAG_F, ("photo: fag-f.png", "photo: fag-f.gif"), "photo: fag-f.gif"),
    Case("N003", FAG_F, ("name: Frida Fagsen", "name: gustav  FAGSEN"), "name: gustav",
         hint="samme person"),
]


def _apply(root: Path, name: str, change) -> str | bytes:
    path = root / name
    if isinstance(change, tuple):
        old, new = change
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        changed = text.replace(old, new, 1)
        if new.isascii():
            path.write_text(changed, encoding="utf-8")
        else:  # the Y006 case: write the bytes a Latin-1 editor would have written
            path.write_bytes(changed.encode("latin-1"))
        return changed
    path.write_text(change, encoding="utf-8")
    return change


def _line_of(text: str, marker: str | None) -> int:
    if marker is None:
        return 1
    index = text.find(marker)
    assert index >= 0, f"marker {marker!r} not in the broken file"
    return text.count("\n", 0, index) + 1


def _codes(root: Path, today: dt.date):
    return read_catalogue(root, today, use_cache=False).diagnostics


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_valid_example_has_no_such_problem(case: Case, mini: Path):
    if case.good:
        _apply(mini, case.file, case.good)
    found = _codes(mini, case.today)
    assert [d for d in found if d.code == case.code] == []
    assert [d for d in found if d.severity == "error"] == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_broken_example_is_reported_at_its_line(case: Case, mini: Path):
    broken = _apply(mini, case.file, case.bad)
    where = case.expect_file or case.file
    expected_text = broken if where == case.file else (mini / where).read_text(encoding="utf-8")
    line = _line_of(expected_text, case.marker)
    found = [d for d in _codes(mini, case.today) if d.code == case.code]
    assert found, f"{case.code} not reported"
    assert (found[0].pos.file, found[0].pos.line) == (where, line), found
    assert found[0].message and found[0].severity == CODES[case.code].severity
    if case.hint:
        assert case.hint in found[0].hint, found[0].hint


def test_every_code_has_a_case():
    # Y011, N001, N002 and M005 are tested below; I001-I005 in test_opendata.py (import);
    # F905-F908 and N004 (pipes, photos, unread files) in test_files.py.
    tested = {c.code for c in CASES} | {"Y011", "N001", "N002", "M005"} | {f"I00{n}" for n in range(1, 6)}
    tested |= {"F905", "F906", "F907", "F908", "N004"}
    # Issue 23 (time zones, changes, breaks, holidays, an offering's language): their own
    # table and tests in test_dates_and_zones.py.
    tested |= {"S120", "S121", "T230", "T231", "T232", "T233", "T234", "T235", "T236", "R310",
               "R311", "O610"}
    tested |= {"M010", "M011"}  # a brand's own texts: tests/test_brand_texts.py
    tested |= {"I006", "I007"}  # the sheet itself (type, size): tests/test_importer.py
    assert set(CODES) == tested


def test_unreadable_file_is_reported(mini: Path):
    (mini / "courses" / "mappe.yaml").mkdir()  # a folder with a source file's name
    found = [d for d in _codes(mini, TODAY) if d.code == "Y011"]
    assert [(d.pos.file, d.pos.line) for d in found] == [("courses/mappe.yaml", 1)]


def test_file_name_must_be_an_id(mini: Path):
    (mini / A).rename(mini / "courses" / "Kursus A.yaml")
    found = [d for d in _codes(mini, TODAY) if d.code == "N001"]
    assert [(d.pos.file, d.pos.line) for d in found] == [("courses/Kursus A.yaml", 1)]
    assert "kursus-a.yaml" in found[0].hint


def test_a_brand_needs_its_mkdocs_file(mini: Path):
    (mini / "sites" / "testby" / "mkdocs.yml").unlink()
    found = [d for d in _codes(mini, TODAY) if d.code == "M005"]
    assert [(d.pos.file, d.pos.line) for d in found] == [(BRAND, 1)]


def test_two_files_with_one_id(mini: Path):
    (mini / "courses" / "kursus-a.yml").write_bytes((mini / A).read_bytes())
    found = [d for d in _codes(mini, TODAY) if d.code == "N002"]
    assert [(d.pos.file, d.pos.line) for d in found] == [("courses/kursus-a.yml", 1)]
    assert "courses/kursus-a.yaml" in found[0].message


def test_an_explicit_empty_team_is_not_the_course_team(mini: Path):
    _apply(mini, A, ("    status: open", "    status: open\n    teachers: []"))
    found = [d for d in _codes(mini, TODAY) if d.code == "C403"]
    assert [d.pos.line for d in found] == [21]


def test_unknown_school_is_reported_once(mini: Path):
    _apply(mini, A, ("school: skole-a", "school: skole-b"))
    _apply(mini, A, ("registration:\n  required: true\n", ""))
    assert {d.code for d in _codes(mini, TODAY) if d.severity == "error"} == {"R302"}


def test_external_provider_needs_no_co_production(mini: Path):
    found = _codes(mini, TODAY)
    assert not [d for d in found if d.pos.file == C]
    _apply(mini, C, ("school: ekstern", "school: skole-a"))
    _apply(mini, C, ("venue: aftenskolen", "venue: haven"))
    assert {d.code for d in _codes(mini, TODAY) if d.pos.file == C} == {"C401"}


def test_a_clash_is_reported_in_both_files_each_naming_the_other(mini: Path):
    _apply(mini, B, ("room: Lokale 2", "room: Lokale 1"))
    found = [d for d in _codes(mini, TODAY) if d.code == "B502"]
    assert [(d.pos.file, d.pos.line) for d in found] == [(A, 23), (B, 13)]
    assert "(courses/kursus-b.yaml:13)" in found[0].message
    assert "(courses/kursus-a.yaml:23)" in found[1].message
    assert all(d.severity == "error" for d in found)


def test_times_in_messages_are_written_as_the_site_writes_them(mini: Path):
    _apply(mini, B, ("room: Lokale 2", "room: Lokale 1"))
    _apply(mini, A, ('- {date: 2027-02-10, start: "10:00", end: "13:00"}',
                     '- {date: 2027-02-03, start: "12:30", end: "09:00"}'))
    messages = {d.code: d.message for d in _codes(mini, TODAY)}
    assert "2027-02-03 kl. 10.00–13.00 " in messages["B502"]
    assert "slutter kl. 09.00, men starter først kl. 12.30" in messages["T203"]
    assert "(2027-02-03 kl. 10.00–13.00)" in messages["T204"]
    assert not re.search(r"\d:\d\d", " ".join(messages.values()))


def test_a_whole_team_clash_is_reported_in_a_fixed_order(mini: Path):
    _apply(mini, B, ("teachers: [paa-r, fag-g]", "teachers: [peer-p, fag-f]"))
    found = [d for d in _codes(mini, TODAY) if d.code == "B501"]
    assert [(d.pos.file, d.message.split()[0]) for d in found] == [
        (A, "fag-f"), (A, "peer-p"), (B, "fag-f"), (B, "peer-p")]


def test_every_session_in_a_chain_of_overlaps_is_told(mini: Path):
    # kursus-a 10-13 on 3 February, kursus-b 12-14 and kursus-c 13:30-15 the same day and room:
    # c does not touch a, but it does touch b.
    _apply(mini, B, ('room: Lokale 2', 'room: Lokale 1'))
    _apply(mini, B, ('start: "10:00", end: "13:00"', 'start: "12:00", end: "14:00"'))
    _apply(mini, C, ("school: ekstern", "school: skole-a"))
    _apply(mini, C, ("venue: aftenskolen", "venue: huset\n    room: LOKALE 1"))
    _apply(mini, C, ('{date: 2027-03-01, start: "18:00", end: "20:00"}',
                     '{date: 2027-02-03, start: "13:30", end: "15:00"}'))
    found = {d.pos.file for d in _codes(mini, TODAY) if d.code == "B502"}
    assert found == {A, B, C}


def test_a_venue_without_rooms_accepts_any_room_but_still_compares_them(mini: Path):
    _apply(mini, A, ("venue: huset\n    room: Lokale 1", "venue: haven\n    room: Drivhuset"))
    _apply(mini, B, ("venue: huset\n    room: Lokale 2", "venue: haven\n    room: drivhuset"))
    found = _codes(mini, TODAY)
    assert not [d for d in found if d.code == "R307"]
    assert {d.pos.file for d in found if d.code == "B502"} == {A, B}


def test_template_text_from_catalogue_new_is_found_in_every_field(mini: Path):
    from generator.scaffold import new_source, placeholders

    assert new_source(mini, "course", "Gode vaner") == 0
    path = mini / "courses" / "gode-vaner.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [d for d in _codes(mini, TODAY) if d.code == "H805"]
    assert {d.pos.file for d in found} == {"courses/gode-vaner.yaml"}
    assert len(found) == len(placeholders("course")) == 3
    for d, placeholder in zip(found, placeholders("course")):
        assert f"'{placeholder.field}'" in d.message
        assert placeholder.text in lines[d.pos.line - 1]  # the line of the text itself


def test_placeholders_are_read_from_the_templates(tmp_path, monkeypatch):
    from generator import scaffold

    (tmp_path / "course.yaml.j2").write_text(
        '# Hvem kurset er for.\nsummary: {{ "Skriv noget andet." | placeholder }}\n'
        'title: "{{ name }}"\n', encoding="utf-8")
    monkeypatch.setattr(scaffold, "TEMPLATES", tmp_path)
    scaffold.placeholders.cache_clear()
    try:
        assert scaffold.placeholders("course") == (
            scaffold.Placeholder("summary", "Skriv noget andet.", "Hvem kurset er for."),)
    finally:
        scaffold.placeholders.cache_clear()


def test_a_date_18_months_ahead_is_plausible_but_a_day_later_is_not(mini: Path):
    _apply(mini, C, ("date: 2027-03-01", "date: 2028-06-02"))
    found = [d for d in _codes(mini, TODAY) if d.code == "T208"]
    assert [d.pos.file for d in found] == [C] and "2028-06-01" in found[0].message


def test_cancelled_offerings_do_not_double_book(mini: Path):
    _apply(mini, B, ("teachers: [paa-r, fag-g]", "teachers: [paa-r, fag-f]"))
    _apply(mini, B, ("status: full", "status: cancelled\n    status_note: Aflyst."))
    assert not [d for d in _codes(mini, TODAY) if d.code == "B501"]


def test_danish_status_words_get_their_value_as_hint(mini: Path):
    _apply(mini, B, ("status: full", "status: fuldt"))
    found = [d for d in _codes(mini, TODAY) if d.code == "S103"]
    assert found and found[0].hint == "Mente du 'full'?"


def test_health_keys_get_a_privacy_hint(mini: Path):
    _apply(mini, PEER_P, ("title: Peer-underviser", "title: Peer-underviser\ndiagnose: x"))
    found = [d for d in _codes(mini, TODAY) if d.code == "S104"]
    assert found and "diagnoser" in found[0].hint.lower()


def test_problems_are_sorted_by_file_and_line(mini: Path):
    _apply(mini, B, ("status: full", "status: fuld"))
    _apply(mini, A, ("capacity: 12", "capacity: tolv"))
    _apply(mini, A, ("title: Kursus A", "tittle: Kursus A"))
    found = _codes(mini, TODAY)
    keys = [(d.pos.file, d.pos.line, d.pos.column) for d in found]
    assert keys == sorted(keys) and len(found) >= 3


# One-line texts and invisible characters (S111). pytest reads CASES when it collects the tests
# above, after this module has run, so these cases take part in every test over CASES.
_GUIDE_TEXT = (Path(__file__).parent / "fixtures" / "mini" / GUIDE).read_text(encoding="utf-8")

CASES.extend([
    Case("S111", A, ("title: Kursus A", "title: |\n  Kursus\n  A"), "title: |",
         good=("title: Kursus A", "title: >-\n  Kursus\n  A"), hint="'>-'"),
    Case("S111", A, ("summary: Et kursus, som testene bygger p\u00e5.",
                     'summary: "Pris: \\u202e05 kr."'), "summary:", hint="\\u202e"),
    Case("S111", A, ("room: Lokale 1", 'room: "Lokale\\t1"'), "room:",
         good=("Hver gang starter med kaffe.", "Hver gang\tstarter med kaffe."), hint="mellemrum"),
    Case("S111", PEER_P, ("title: Peer-underviser", 'title: "Peer\\0underviser"'), "title:"),
    Case("S111", SCHOOL, ("address: Havevej 2", 'address: "Havevej\\u20282"'), "Havevej"),
    Case("S111", BRAND, ("footer: Et samarbejde i Testby.", 'footer: "Et samarbejde\\ni Testby."'),
         "footer:"),
    Case("S111", GUIDE, ("title: Fem veje til et godt liv", 'title: "Fem \\u2066veje"'), "title:"),
    Case("S111", GUIDE, _GUIDE_TEXT.replace("Lidt tekst", "Lidt \u202etekst"), "Lidt \u202etekst",
         good=("Lidt tekst", "Lidt\ttekst")),
    Case("S112", A, ("summary: Et kursus, som testene bygger p\u00e5.",
                     "summary: >-\n" + "  Et kursus, som testene bygger paa.\n" * 15), "summary:",
         good=("summary: Et kursus, som testene bygger p\u00e5.",
               "summary: >-\n" + "  Et kursus, som testene bygger paa.\n" * 13)),
])


# Issue 23 (fields-b): closed enrolment, exemptions, prerequisites, partners, two schools.
_PLAN = "registration: {opens: 2026-12-01, deadline: 2027-01-27}"
CASES.extend([
    Case("S125", A, (LED, LED + "\nenrol_first: false"), "enrol_first: false"),
    Case("S126", A, (LED, LED + "\neligibility:\n  min_age: 18\n  match: any"), "match: any",
         good=(LED, LED + "\neligibility:\n  min_age: 18\n  residence: Testby\n  match: any")),
    Case("R313", A, (LED, LED + "\nrequires: [kursus-bb]"), "requires:", hint="Mente du 'kursus-b'",
         good=(LED, LED + "\nrequires: [kursus-b]")),
    Case("R314", A, (LED, LED + "\nrequires: [kursus-a]"), "requires:"),
    Case("R315", A, (LED, LED + "\nalso_schools: [ekstrn]"), "also_schools:",
         hint="Mente du 'ekstern'", good=(LED, LED + "\nalso_schools: [ekstern]")),
    Case("R316", A, (LED, LED + "\nalso_schools: [skole-a]"), "also_schools:"),
    Case("O620", A, ("status: open\n    " + _PLAN, "status: cancelled\n    status_note: Syg.\n"
                     "    registration: {closed: Syg.}"), "closed:",
         good=("status: open", "status: open\n    note: Vi er fuldt booket.")),
    Case("O621", A, (_PLAN, "registration: {opens: 2027-01-10, closed: Vi aabner snart.}"),
         "closed:", good=(_PLAN, "registration: {deadline: 2027-01-27, closed: Vi aabner snart.}")),
    Case("C407", C, ("certificate: true", "certificate: true\nled_by: external\nled_by_reason: "
                     "Aftenskolen holder kurset.\npartner: {name: Aftenskolen}"), "partner:",
         good=("certificate: true", "certificate: true\npartner: {name: Foreningen}")),
])


def test_a_hidden_character_is_named_and_placed_in_words(mini: Path):
    _apply(mini, A, ("title: Kursus A", 'title: "Kursus \\u202eA"'))
    found = [d for d in _codes(mini, TODAY) if d.code == "S111"]
    assert [(d.pos.line, d.pos.column) for d in found] == [(1, 8)]
    assert found[0].message == ("'title' indeholder et usynligt retningstegn (U+202E) efter "
                                "'Kursus '.")


def test_a_hidden_character_in_a_guide_is_found_on_its_own_line(mini: Path):
    (mini / GUIDE).write_text(_GUIDE_TEXT.replace("## Øge netværk", "## Øge\x1b netværk"),
                              encoding="utf-8")
    found = [d for d in _codes(mini, TODAY) if d.code == "S111"]
    line = _line_of(_GUIDE_TEXT, "## Øge netværk")
    assert [(d.pos.line, d.pos.column) for d in found] == [(line, 7)]
    assert "et usynligt styretegn (U+001B) efter '## Øge'" in found[0].message


def test_a_guide_saved_with_windows_line_ends_is_fine(mini: Path):
    (mini / GUIDE).write_bytes(_GUIDE_TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert [d for d in _codes(mini, TODAY) if d.severity == "error"] == []


@pytest.mark.parametrize("value", ["20270203", "2027W034", "2027-W05-3", "2027-02-3",
                                   '"\\u0662\\u0660\\u0662\\u0667-\\u0660\\u0662-\\u0660\\u0663"'])
def test_a_date_must_be_year_month_day_in_digits_0_to_9(mini: Path, value: str):
    _apply(mini, A, ("date: 2027-02-03", f"date: {value}"))
    found = [d for d in _codes(mini, TODAY) if d.code == "T201"]
    assert [d.pos.line for d in found] == [23]


@pytest.mark.parametrize("value", ['"\\u0661\\u0660:\\u0660\\u0660"', '"\\u0967\\u0966:00"',
                                   '"10:\\uff10\\uff10"'])
def test_a_time_must_be_written_in_digits_0_to_9(mini: Path, value: str):
    _apply(mini, A, ('start: "10:00"', f"start: {value}"))
    found = [d for d in _codes(mini, TODAY) if d.code == "T202"]
    assert [d.pos.line for d in found] == [23]


def test_times_may_still_be_written_with_one_digit_hours_or_a_full_stop(mini: Path):
    _apply(mini, A, ('start: "10:00", end: "13:00"', 'start: "9:30", end: "13.00"'))
    assert [d for d in _codes(mini, TODAY) if d.severity == "error"] == []


def test_a_clash_with_a_stay_names_the_day_and_hours_of_the_clash_itself(mini: Path):
    # kursus-a's team on a stay from 1 to 5 February; kursus-b has fag-f on the 3rd, 10-13.
    _apply(mini, A, ('- {date: 2027-02-03, start: "10:00", end: "13:00"}\n'
                     '      - {date: 2027-02-10, start: "10:00", end: "13:00"}',
                     '- {date: 2027-02-01, start: "10:00", end_date: 2027-02-05, end: "14:00"}'))
    _apply(mini, B, ("teachers: [paa-r, fag-g]", "teachers: [paa-r, fag-f]"))
    messages = [d.message for d in _codes(mini, TODAY) if d.code == "B501"]
    assert len(messages) == 2
    assert all("2027-02-03 kl. 10.00–13.00 " in m for m in messages), messages
    assert not [m for m in messages if "2027-02-01" in m or "14.00" in m]
