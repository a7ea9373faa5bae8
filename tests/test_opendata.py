"""Open data: the Data Package of every build, its export, and importing a term from a sheet."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
from frictionless import validate

from generator.catalogue import read_catalogue
from generator.render.opendata import PackageInvalid, package_files, validate_files
from generator.render import Site
from generator.select import Selection

from conftest import MINI, REPO, TODAY, TODAY_DEMO, run

RESOURCES = {"courses", "offerings", "sessions", "teachers", "venues", "schools", "themes"}


def _csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_every_build_publishes_a_valid_package(built: Path):
    package = json.loads((built / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in package["resources"]} == RESOURCES
    for resource in package["resources"]:
        schema = resource["schema"]
        assert schema["primaryKey"] and all("type" in f for f in schema["fields"])
    assert any(r["schema"].get("foreignKeys") for r in package["resources"])
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["contributors"][0]["title"] == "Recoveryskolerne i Region Midtjylland"
    assert package["homepage"] == "https://recoveryskoler.example.org/"
    assert package["created"].startswith(TODAY_DEMO.isoformat())
    report = validate(str(built / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
    page = (built / "data" / "index.html").read_text(encoding="utf-8")
    assert "datapackage.json" in page and "sessions.csv" in page


def test_a_broken_foreign_key_is_caught():
    catalogue = read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue
    files = package_files(Selection(catalogue, TODAY_DEMO), Site("Test"))
    validate_files(files)  # as made, it is valid
    rows = files["offerings.csv"].decode("utf-8").splitlines()
    rows[1] = rows[1].replace(rows[1].split(",")[3], "et-sted-der-ikke-findes", 1)
    files["offerings.csv"] = ("\r\n".join(rows) + "\r\n").encode("utf-8")
    with pytest.raises(PackageInvalid) as error:
        validate_files(files)
    assert "offerings, række 2" in str(error.value) and "foreign key" in str(error.value)


def test_no_unconsented_name_in_any_csv(built: Path):
    catalogue = read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue
    hidden = [t for t in catalogue.teachers.values()
              if t.public_name(TODAY_DEMO) is None]
    text = "\n".join(p.read_text(encoding="utf-8") for p in (built / "data").glob("*.csv"))
    for teacher in hidden:
        assert teacher.name not in text and teacher.id not in text, teacher.id
    teachers = _csv((built / "data" / "teachers.csv").read_bytes())
    assert {t["id"] for t in teachers} == {t.id for t in Selection(catalogue, TODAY_DEMO).teachers}


def test_a_brands_package_holds_only_its_schools(tmp_path: Path):
    out = tmp_path / "viborg"
    done = run(["export", "datapackage", "--out", str(out), "--site", "viborg",
                "--today", TODAY_DEMO.isoformat()], REPO)
    assert done.returncode == 0, done.stderr
    assert {row["id"] for row in _csv((out / "schools.csv").read_bytes())} == \
        {"recoveryskolen-viborg"}
    assert {row["school_id"] for row in _csv((out / "courses.csv").read_bytes())} == \
        {"recoveryskolen-viborg"}
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["homepage"] == "https://recoveryskolen.viborg.example.org/"
    assert validate(str(out / "datapackage.json")).valid


# --- import --------------------------------------------------------------------------------

HEADER = "course,offering,date,start,end,venue,teachers,capacity,status\n"


def _sheet(folder: Path, rows: str) -> Path:
    path = folder / "hold.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _sources(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.yaml")}


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


FORMULAS = ['=HYPERLINK("https://example.org","klik")', "+45 00 00 00 00", "-2+3", "@SUM(1)",
            "\tindrykket", "\rlinje"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_cell_a_spreadsheet_would_run_is_neutralised(text: str):
    catalogue = read_catalogue(MINI, TODAY, use_cache=False).catalogue
    course = catalogue.courses["kursus-a"]
    changed = dataclasses.replace(course, summary=text)
    courses = dict(catalogue.courses) | {course.id: changed}
    catalogue = dataclasses.replace(catalogue, courses=courses)
    files = package_files(Selection(catalogue, TODAY), Site("Test"))
    validate_files(files)  # still a valid package
    row = next(r for r in _csv(files["courses.csv"]) if r["id"] == "kursus-a")
    assert row["summary"] == "'" + text
    for name, data in files.items():
        if name.endswith(".csv"):
            for cells in csv.reader(io.StringIO(data.decode("utf-8"))):
                assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                               for cell in cells), (name, cells)


def test_import_refuses_a_cell_that_looks_like_a_formula(mini: Path):
    before = (mini / "courses" / "kursus-a.yaml").read_text(encoding="utf-8")
    sheet = _sheet(mini, "kursus-a,sommer,2027-06-02,10:00,13:00,haven,=cmd|' /C calc'!A0,10,open\n")
    done = run(["import", "offerings", str(sheet)], mini)
    assert done.returncode == 1, done.stdout
    assert "fejl I001" in done.stderr and "regnearksformel" in done.stderr
    assert (mini / "courses" / "kursus-a.yaml").read_text(encoding="utf-8") == before
