"""Import (generator/importer.py): a term planned in a spreadsheet, into the course files;
directly, and through `catalogue import offerings` as a coordinator runs it."""

from __future__ import annotations

import datetime as dt
import difflib
import stat
from pathlib import Path

import pytest

from generator import importer

from conftest import TODAY, run

HEADER = "course,offering,date,start,end,venue,teachers,capacity,status\n"


def _sheet(folder: Path, rows: str) -> Path:
    path = folder / "hold.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _sources(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.yaml")}


# --- the steps, directly ---------------------------------------------------------------------

def test_a_sheet_is_read_into_typed_rows(tmp_path: Path):
    sheet = _sheet(tmp_path, "kursus-a,sommer,2027-06-02,10:00,13:00,haven,peer-p fag-f,10,\n")
    rows, problems = importer.read_sheet(sheet, "hold.csv")
    assert problems == []
    (row,) = rows
    assert row["date"] == dt.date(2027, 6, 2) and row["start"] == dt.time(10, 0)
    assert row["capacity"] == 10 and row["_row"] == 2


def test_a_bad_cell_is_named_by_row_and_column(tmp_path: Path):
    sheet = _sheet(tmp_path, "kursus-a,sommer,2027-06-02,10:00,13:00,haven,,nul,open\n")
    rows, problems = importer.read_sheet(sheet, "hold.csv")
    assert rows == []
    (problem,) = problems
    assert (problem.code, problem.pos.file, problem.pos.line, problem.pos.column) == \
        ("I001", "hold.csv", 2, 8)
    assert "'nul' er ikke et helt tal" in problem.message


def test_rows_are_grouped_into_offerings_in_the_order_they_first_appear(tmp_path: Path):
    sheet = _sheet(tmp_path, "kursus-b,x,2027-06-02,10:00,13:00,haven,paa-r fag-g,,\n"
                             "kursus-a,y,2027-06-03,10:00,13:00,haven,\"peer-p, fag-f\",8,full\n"
                             "kursus-b,x,2027-06-09,10:00,13:00,haven,paa-r fag-g,,\n")
    rows, _ = importer.read_sheet(sheet, "hold.csv")
    planned, problems = importer.plan(rows, "hold.csv")
    assert problems == []
    assert [(p.course, p.key, p.row, len(p.sessions)) for p in planned] == [
        ("kursus-b", "x", 2, 2), ("kursus-a", "y", 3, 1)]
    assert planned[0].values == {"venue": "haven", "teachers": "paa-r fag-g", "capacity": None,
                                 "status": "open"}
    assert planned[1].values["teachers"] == "peer-p fag-f"  # commas or spaces between ids


def test_an_unknown_course_is_refused_with_the_nearest_id(mini: Path):
    sheet = _sheet(mini, "kursus-aa,sommer,2027-06-02,10:00,13:00,haven,peer-p fag-f,10,open\n")
    rows, _ = importer.read_sheet(sheet, "hold.csv")
    planned, _ = importer.plan(rows, "hold.csv")
    texts, problems = importer.new_texts(mini, planned, "hold.csv")
    assert texts == {}
    assert [(p.code, p.pos.line, p.hint) for p in problems] == [
        ("I003", 2, "Mente du 'kursus-a'?")]


# --- `catalogue import offerings` --------------------------------------------------------------

def test_import_adds_offerings_and_keeps_the_files_text(mini: Path):
    course = mini / "courses" / "kursus-a.yaml"
    commented = course.read_text(encoding="utf-8").replace(
        "offerings:", "# Holdene for foråret. Ret ikke i nøglerne.\nofferings:")
    course.write_text(commented, encoding="utf-8")
    sheet = _sheet(mini, "kursus-a,sommer,2027-06-02,10:00,13:00,haven,peer-p fag-f,10,open\n"
                         "kursus-a,sommer,2027-06-09,10:00,13:00,haven,peer-p fag-f,10,open\n")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 0, done.stderr
    after = course.read_text(encoding="utf-8")
    assert after.startswith(commented), "comments, order and formatting are kept"
    added = after[len(commented):]
    assert added == ("  - key: sommer\n    venue: haven\n    capacity: 10\n    status: open\n"
                     "    teachers: [peer-p, fag-f]\n    sessions:\n"
                     '      - {date: 2027-06-02, start: "10:00", end: "13:00"}\n'
                     '      - {date: 2027-06-09, start: "10:00", end: "13:00"}\n')
    assert run(["check", "--today", TODAY.isoformat()], mini).returncode == 0


def test_dry_run_shows_the_diff_and_writes_nothing(mini: Path):
    before = _sources(mini)
    sheet = _sheet(mini, "kursus-b,sommer,2027-06-02,10:00,13:00,haven,paa-r fag-g,,\n")
    done = run(["import", "offerings", str(sheet), "--dry-run", "--today", TODAY.isoformat()],
               mini)
    assert done.returncode == 0, done.stderr
    assert "+++ b/courses/kursus-b.yaml" in done.stdout and "+  - key: sommer" in done.stdout
    assert _sources(mini) == before


def test_bad_rows_write_nothing_and_are_named(mini: Path):
    before = _sources(mini)
    sheet = _sheet(mini, "kursus-a,sommer,2027-06-31,10:00,13:00,haven,peer-p fag-f,10,open\n"
                         "kursus-a,sommer,2027-06-09,10:00,13:00,haven,peer-p fag-f,10,aaben\n"
                         "kursus-a,sommer,2027-06-16,10:00,13:00,haven,peer-p fag-f,10,open\n")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "hold.csv:2:3: fejl I001: Kolonne 'date': '2027-06-31' er ikke en dato" in done.stderr
    assert "hold.csv:3:9: fejl I001: Kolonne 'status': 'aaben' er ikke tilladt" in done.stderr
    assert "intet er skrevet" in done.stderr
    assert _sources(mini) == before


def test_unknown_course_and_existing_offering_are_refused(mini: Path):
    before = _sources(mini)
    sheet = _sheet(mini, "kursus-aa,sommer,2027-06-02,10:00,13:00,haven,peer-p fag-f,10,open\n"
                         "kursus-a,foraar,2027-06-09,10:00,13:00,haven,peer-p fag-f,10,open\n")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1
    assert "hold.csv:2:1: fejl I003" in done.stderr and "Mente du 'kursus-a'?" in done.stderr
    assert "hold.csv:3:2: fejl I004" in done.stderr
    assert _sources(mini) == before


def test_a_double_booking_is_refused(mini: Path):
    before = _sources(mini)
    # fag-f already teaches kursus-a on 3 February at 10-13.
    sheet = _sheet(mini, "kursus-b,ekstra,2027-02-03,11:00,12:00,haven,paa-r fag-f,8,open\n")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1 and "B501" in done.stderr
    assert _sources(mini) == before


def test_wrong_columns_and_uneven_offerings_are_named(mini: Path):
    before = _sources(mini)
    wrong = mini / "forkert.csv"
    wrong.write_text("kursus,hold,dato,start,end,venue,teachers,capacity,status\n"
                     "kursus-a,x,2027-06-02,10:00,13:00,haven,,,\n", encoding="utf-8")
    done = run(["import", "offerings", str(wrong), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1 and "fejl I002" in done.stderr and "Traceback" not in done.stderr
    sheet = _sheet(mini, "kursus-a,sommer,2027-06-02,10:00,13:00,haven,peer-p fag-f,12,open\n"
                         "kursus-a,sommer,2027-06-09,10:00,13:00,haven,peer-p fag-f,10,open\n")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1
    assert "hold.csv:3:8: fejl I005: Kolonne 'capacity' er '10' her, men '12'" in done.stderr
    assert _sources(mini) == before


def test_import_refuses_a_cell_that_looks_like_a_formula(mini: Path):
    before = (mini / "courses" / "kursus-a.yaml").read_text(encoding="utf-8")
    sheet = _sheet(mini, "kursus-a,sommer,2027-06-02,10:00,13:00,haven,=cmd|' /C calc'!A0,10,open\n")
    done = run(["import", "offerings", str(sheet)], mini)
    assert done.returncode == 1, done.stdout
    assert "fejl I001" in done.stderr and "regnearksformel" in done.stderr
    assert (mini / "courses" / "kursus-a.yaml").read_text(encoding="utf-8") == before


# --- the optional columns (online, led by, places left, stays) --------------------------------

WIDE = ("course,offering,date,start,end,venue,teachers,capacity,status,attendance,online_note,"
        "led_by,led_by_reason,places_left,places_updated,end_date\n")


def test_an_online_offering_and_a_stay_of_several_days_import_and_pass_check(mini: Path):
    from generator.catalogue import read_catalogue

    sheet = mini / "hold.csv"
    sheet.write_text(
        WIDE
        + "kursus-a,online,2027-06-02,10:00,12:00,,peer-p,10,open,online,"
          "\"Linket sendes, når du har meldt dig til\",peers,En gruppe for og med peers.,3,"
          "2027-05-20,\n"
        + "kursus-a,online,2027-06-09,10:00,12:00,,peer-p,10,open,online,"
          "\"Linket sendes, når du har meldt dig til\",peers,En gruppe for og med peers.,3,"
          "2027-05-20,\n"
        + "kursus-b,ophold,2027-08-02,10:00,14:00,haven,paa-r fag-g,20,open,,,,,,,2027-08-06\n",
        encoding="utf-8")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 0, done.stderr
    text = (mini / "courses" / "kursus-a.yaml").read_text(encoding="utf-8")
    # The keys stand in the schema's order, as `catalogue new` and the guide write them.
    assert text.endswith(
        "  - key: online\n    attendance: online\n"
        "    online_note: Linket sendes, når du har meldt dig til\n    capacity: 10\n"
        "    places_left: 3\n    places_updated: 2027-05-20\n    status: open\n"
        "    teachers: [peer-p]\n    led_by: peers\n    led_by_reason: En gruppe for og med peers.\n"
        "    sessions:\n"
        '      - {date: 2027-06-02, start: "10:00", end: "12:00"}\n'
        '      - {date: 2027-06-09, start: "10:00", end: "12:00"}\n')
    assert run(["check", "--today", TODAY.isoformat()], mini).returncode == 0
    catalogue = read_catalogue(mini, TODAY, use_cache=False).catalogue
    online = next(o for o in catalogue.courses["kursus-a"].offerings if o.key == "online")
    assert (online.attendance, online.venue_id, online.places_left) == ("online", None, 3)
    stay = next(o for o in catalogue.courses["kursus-b"].offerings if o.key == "ophold")
    (session,) = stay.sessions
    assert (session.date, session.end_date) == (dt.date(2027, 8, 2), dt.date(2027, 8, 6))


def test_an_online_row_needs_no_venue_but_an_in_person_row_does(mini: Path):
    header = HEADER.rstrip("\n") + ",attendance\n"
    sheet = mini / "hold.csv"
    sheet.write_text(header + "kursus-a,zoom,2027-06-02,10:00,12:00,,peer-p fag-f,10,open,online\n",
                     encoding="utf-8")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 0, done.stderr
    before = _sources(mini)
    sheet.write_text(header + "kursus-a,sal,2027-06-02,10:00,12:00,,peer-p fag-f,10,open,\n"
                              "kursus-b,mix,2027-06-03,10:00,12:00,,paa-r fag-g,10,open,hybrid\n",
                     encoding="utf-8")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    # The catalogue's own rule finds it; it is named by the sheet's row and the venue column.
    assert "hold.csv:2:6: fejl O604: Holdet er 'in-person', men har intet 'venue'" in done.stderr
    assert "hold.csv:3:6: fejl O604: Holdet er 'hybrid', men har intet 'venue'" in done.stderr
    assert _sources(mini) == before


def test_bad_values_in_the_optional_columns_are_named_by_row_and_column(mini: Path):
    before = _sources(mini)
    sheet = mini / "hold.csv"
    sheet.write_text(
        WIDE
        + "kursus-a,x,2027-06-02,10:00,12:00,,peer-p,10,open,zoom,,peers,Peers.,3,2027-05-20,\n"
        + "kursus-a,y,2027-06-02,10:00,12:00,huset,peer-p,10,open,,,peer,Peers.,-1,2027-05-20,\n"
        + "kursus-b,z,2027-08-02,10:00,14:00,haven,paa-r fag-g,20,open,,,,,,20-05-2027,"
          "2027-08-36\n", encoding="utf-8")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "hold.csv:2:10: fejl I001: Kolonne 'attendance': 'zoom' er ikke tilladt" in done.stderr
    assert "Tilladte værdier: in-person, online, hybrid." in done.stderr
    assert "hold.csv:3:12: fejl I001: Kolonne 'led_by': 'peer' er ikke tilladt" in done.stderr
    assert "hold.csv:3:14: fejl I001: Kolonne 'places_left': '-1' er ikke tilladt" in done.stderr
    assert "hold.csv:4:15: fejl I001: Kolonne 'places_updated': '20-05-2027' er ikke en dato" \
        in done.stderr
    assert "hold.csv:4:16: fejl I001: Kolonne 'end_date': '2027-08-36' er ikke en dato" \
        in done.stderr
    assert _sources(mini) == before


def test_a_rule_broken_by_an_added_offering_is_named_by_its_row(mini: Path):
    sheet = mini / "hold.csv"
    sheet.write_text(
        WIDE + "kursus-a,peers,2027-06-02,10:00,12:00,huset,peer-p,10,open,,,peers,,,,\n"
             + "kursus-b,ophold,2027-08-02,10:00,14:00,haven,paa-r fag-g,20,open,,,,,,,"
               "2027-07-06\n", encoding="utf-8")
    done = run(["import", "offerings", str(sheet), "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1
    assert "hold.csv:2:13: fejl C404" in done.stderr  # led_by_reason is missing
    assert "hold.csv:3:16: fejl T214" in done.stderr  # departure before arrival


def test_optional_columns_may_stand_in_any_order_and_unknown_ones_are_named(tmp_path: Path):
    sheet = tmp_path / "hold.csv"
    sheet.write_text("end_date,course,offering,date,start,end,venue,teachers,capacity,status\n"
                     "2027-06-04,kursus-a,x,2027-06-02,10:00,13:00,haven,,,\n", encoding="utf-8")
    rows, problems = importer.read_sheet(sheet, "hold.csv")
    assert problems == [] and rows[0]["end_date"] == dt.date(2027, 6, 4)
    sheet.write_text(HEADER.rstrip("\n") + ",zoom,attendance,attendance\n", encoding="utf-8")
    rows, problems = importer.read_sheet(sheet, "hold.csv")
    assert [(p.code, p.pos.column) for p in problems] == [("I002", 10), ("I002", 12)]
    assert "'zoom' passer ikke" in problems[0].message and "attendance" in problems[0].message
    assert "'attendance' står to gange" in problems[1].message


def test_optional_columns_shared_by_an_offering_must_be_equal_in_its_rows(tmp_path: Path):
    sheet = tmp_path / "hold.csv"
    sheet.write_text(HEADER.rstrip("\n") + ",attendance\n"
                     "kursus-a,x,2027-06-02,10:00,13:00,haven,,,,hybrid\n"
                     "kursus-a,x,2027-06-09,10:00,13:00,haven,,,,\n", encoding="utf-8")
    rows, _ = importer.read_sheet(sheet, "hold.csv")
    _, problems = importer.plan(rows, "hold.csv")
    assert [(p.code, p.pos.line, p.pos.column) for p in problems] == [("I005", 3, 10)]
    assert "er '' her, men 'hybrid'" in problems[0].message


# --- what Excel saves, and what must never happen (issue 19 §5) ------------------------------

ROW = "kursus-a,sommer,2027-06-02,10:00,13:00,haven,peer-p fag-f,10,open\n"


def _import(mini: Path, sheet: Path, *more: str):
    return run(["import", "offerings", str(sheet), "--today", TODAY.isoformat(), *more], mini)


def _no_crash(done) -> None:
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr and "fejl i programmet" not in done.stderr, done.stderr


def test_excels_unicode_text_is_read(mini: Path):
    sheet = mini / "hold.txt"  # Excel: Gem som > Unicode-tekst (UTF-16 with a BOM, tabs)
    sheet.write_text((HEADER + ROW).replace(",", "\t").replace("\n", "\r\n"), encoding="utf-16")
    done = _import(mini, sheet)
    _no_crash(done)
    assert done.returncode == 0, done.stderr
    assert "  - key: sommer\n" in (mini / "courses" / "kursus-a.yaml").read_text(encoding="utf-8")


def test_danish_excels_semicolon_csv_is_read(mini: Path):
    sheet = mini / "hold.csv"  # Excel: CSV (semikolonsepareret), in Windows-1252
    rows = (HEADER.rstrip("\n") + ",led_by_reason\n" + ROW.rstrip("\n")).replace(",", ";")
    sheet.write_bytes((rows + ';"Holdet ledes af kursister med egen erfaring og særligt '
                              'aftalt"\r\n').encode("cp1252"))
    done = _import(mini, sheet, "--dry-run")
    _no_crash(done)
    assert "led_by_reason: Holdet ledes af kursister med egen erfaring og særligt aftalt" \
        in done.stdout, done.stdout + done.stderr


def test_a_sheet_with_a_wrong_separator_names_the_separator(mini: Path):
    sheet = mini / "hold.csv"
    sheet.write_text("course|offering|date\nkursus-a|x|2027-06-02\n", encoding="utf-8")
    done = _import(mini, sheet)
    _no_crash(done)
    assert "fejl I002" in done.stderr and "mellem kolonnerne" in done.stderr


@pytest.mark.parametrize("suffix, content", [
    (".json", b'[{"course": "kursus-a"}]'),
    (".xlsx", b"PK\x03\x04 an Excel workbook"),
    (".csv", b"PK\x03\x04 a workbook saved under the wrong name"),
    (".csv", b"course,offering\x00\x00\x00"),
])
def test_a_file_that_is_no_sheet_is_refused_in_danish(mini: Path, suffix: str, content: bytes):
    before = _sources(mini)
    sheet = mini / f"hold{suffix}"
    sheet.write_bytes(content)
    done = _import(mini, sheet)
    _no_crash(done)
    assert done.returncode == 1
    assert f"{sheet.name}:1:1: fejl I006: Regnearket kan ikke indlæses" in done.stderr
    assert "Gem regnearket som" in done.stderr
    assert _sources(mini) == before


@pytest.mark.parametrize("broken, code", [
    ("title: Kursus A\ntitle: Igen\n", "Y005"),
    ("title: [Kursus A\n", "Y001"),
])
def test_a_broken_course_file_is_named_as_check_names_it(mini: Path, broken, code):
    course = mini / "courses" / "kursus-a.yaml"
    text = course.read_text(encoding="utf-8").replace("title: Kursus A\n", broken)
    course.write_text(text, encoding="utf-8")
    checked = run(["check", "--today", TODAY.isoformat()], mini).stdout
    (said,) = [line for line in checked.splitlines() if f"fejl {code}" in line]
    assert said.startswith("courses/kursus-a.yaml:")
    done = _import(mini, _sheet(mini, ROW))
    _no_crash(done)
    assert done.returncode == 1
    assert said in done.stderr.splitlines(), "the same file:line:column, code and words"
    assert course.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("cell", [" =1+1", "\n=1+1", "  @SUM(A1)", "\t=1+1"])
def test_the_formula_guard_sees_past_spaces_and_line_breaks(mini: Path, cell: str):
    before = _sources(mini)
    quoted = '"' + cell + '"'
    sheet = mini / "hold.csv"
    sheet.write_text(HEADER.rstrip("\n") + ",online_note\n" + ROW.rstrip("\n") + f",{quoted}\n",
                     encoding="utf-8")
    done = _import(mini, sheet)
    _no_crash(done)
    assert done.returncode == 1
    assert "hold.csv:2:10: fejl I001: Kolonne 'online_note'" in done.stderr
    assert "regnearksformel" in done.stderr
    assert _sources(mini) == before


def test_a_huge_cell_is_blamed_on_its_row_and_column(mini: Path):
    before = _sources(mini)
    sheet = mini / "hold.csv"
    with open(sheet, "w", encoding="utf-8") as handle:
        handle.write(HEADER.rstrip("\n") + ",led_by_reason\n" + ROW.rstrip("\n") + ",")
        handle.write("x" * 50_000_000)
        handle.write("\n")
    done = _import(mini, sheet)
    _no_crash(done)
    assert done.returncode == 1
    assert "hold.csv:2:10: fejl I007: Cellen har 50.000.000 tegn" in done.stderr
    assert "courses/" not in done.stderr, "no course file is blamed"
    assert _sources(mini) == before


def test_twenty_thousand_rows_are_read_planned_and_written_out(mini: Path):
    rows = []
    for n in range(20_000):
        day = dt.date(2030, 1, 1) + dt.timedelta(days=n // 3)
        rows.append(f"kursus-{'abc'[n % 3]},h{n // 30},{day},{8 + n % 3}:00,{9 + n % 3}:00,"
                    f"haven,,,open\n")
    sheet = _sheet(mini, "".join(rows))
    read, problems = importer.read_sheet(sheet, "hold.csv")
    assert problems == [] and len(read) == 20_000
    planned, problems = importer.plan(read, "hold.csv")
    assert problems == [] and sum(len(p.sessions) for p in planned) == 20_000
    texts, problems = importer.new_texts(mini, planned, "hold.csv")
    assert problems == [] and len(texts) == 3
    assert sum(after.count("      - {date:") - before.count("      - {date:")
               for before, after in texts.values()) == 20_000


def test_the_size_limit_is_said_up_front(mini: Path):
    sheet = _sheet(mini, ROW * (importer.MAX_ROWS + 1))
    done = _import(mini, sheet)
    _no_crash(done)
    assert "fejl I006" in done.stderr and "20.001 rækker" in done.stderr
    assert "højst fylde 10,0 MB og have 20.000 rækker" in done.stderr
    help_text = run(["import", "--help"], mini).stdout
    assert "20.000 rækker" in " ".join(help_text.split())


def test_a_rewritten_course_file_keeps_its_bytes_link_and_mode(mini: Path):
    elsewhere = mini / "delt"  # a link within the catalogue, which check accepts
    elsewhere.mkdir()
    course = mini / "courses" / "kursus-a.yaml"
    text = course.read_text(encoding="utf-8")
    # `offerings` is not the last key, the file has Windows line ends, a BOM and mode 0600.
    head, _, rest = text.partition("offerings:")
    original = ("\ufeff" + "offerings:" + rest.rstrip("\n") + "\n# slut på holdene\n" + head
                + "# sidste linje").replace("\n", "\r\n").encode("utf-8")
    target = elsewhere / "kursus-a.yaml"
    target.write_bytes(original)
    target.chmod(0o600)
    course.unlink()
    course.symlink_to(target)
    assert run(["check", "--today", TODAY.isoformat()], mini).returncode == 0
    done = _import(mini, _sheet(mini, ROW))
    _no_crash(done)
    assert done.returncode == 0, done.stderr
    assert course.is_symlink() and course.resolve() == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    after = target.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\n" not in after.replace(b"\r\n", b"")
    old, new = original.decode().splitlines(True), after.decode().splitlines(True)
    changes = [op for op in difflib.SequenceMatcher(None, old, new).get_opcodes()
               if op[0] != "equal"]
    assert [op[0] for op in changes] == ["insert"], "only lines are added"
    added = "".join(new[changes[0][3]:changes[0][4]])
    assert added.startswith("  - key: sommer\r\n") and added.count("\r\n") == 7
    assert run(["check", "--today", TODAY.isoformat()], mini).returncode == 0


@pytest.mark.parametrize("text, expected", [
    ("title: A\n", "title: A\nofferings:\n  - key: x\n"),
    ("title: A", "title: A\nofferings:\n  - key: x\n"),
    ("offerings: []\ntitle: A\n", "offerings:\n  - key: x\ntitle: A\n"),
    ("offerings:\n- key: y\n  venue: v\n\n# note\ntitle: A\n",
     "offerings:\n- key: y\n  venue: v\n- key: x\n\n# note\ntitle: A\n"),
    ("offerings:\n    - key: y\n", "offerings:\n    - key: y\n    - key: x\n"),
])
def test_new_offerings_go_at_the_end_of_the_list_wherever_it_stands(text, expected, monkeypatch):
    monkeypatch.setattr(importer, "_offering_lines", lambda offering, indent: [f"{indent}- key: x"])
    assert importer._added(text, [None]) == expected


@pytest.mark.parametrize("value", ["ja", "no", "on", "12", "2027-01-01", "a: b", "# x", "- x",
                                   "'x", '"x"', "x  #y", "null", "[x]", "æ ø å", "~"])
def test_a_text_value_reads_back_as_the_same_text(value):
    import yaml

    assert yaml.safe_load(f"k: {importer._block(value)}\n") == {"k": value}
