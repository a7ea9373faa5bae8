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
