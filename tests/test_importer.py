"""Import (generator/importer.py): a term planned in a spreadsheet, into the course files;
directly, and through `catalogue import offerings` as a coordinator runs it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
