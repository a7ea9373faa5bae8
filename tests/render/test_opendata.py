"""Open data (generator/render/opendata.py): the Data Package of every build, validated with
frictionless, directly on the small catalogue and as the built demo site and `catalogue export`
publish it."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
from frictionless import validate

from generator.catalogue import read_catalogue
from generator.render import Asset, Page, opendata
from generator.render.opendata import PackageInvalid, package_files, validate_files
from generator.render import Site
from generator.select import Selection

from conftest import MINI, REPO, TODAY, TODAY_DEMO, changed, run
from .conftest import mini_build

RESOURCES = {"courses", "offerings", "sessions", "teachers", "venues", "schools", "themes"}


def _csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


# --- the plan, on the small catalogue ------------------------------------------------------

def test_the_plan_is_a_valid_package_with_its_page(build, tmp_path: Path):
    planned = opendata.plan(build)
    (page,) = [p for p in planned if isinstance(p, Page)]
    assert page.path == "data/index.md" and page.template == "opendata.html"
    assert set(page.context["schemas"]) == RESOURCES
    files = {a.path: a.read() for a in planned if isinstance(a, Asset)}
    assert set(files) == {f"data/{name}.csv" for name in RESOURCES} | {"data/datapackage.json"}
    for path, data in files.items():
        (tmp_path / Path(path).name).write_bytes(data)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
    package = json.loads(files["data/datapackage.json"])
    assert package["name"] == "test-kursuskatalog"
    assert package["homepage"] == "https://test.example.org/"
    assert package["created"] == "2026-12-01T00:00:00Z"


def test_the_rows_of_the_small_catalogue(build):
    files = {a.path.removeprefix("data/"): a.read() for a in opendata.plan(build)
             if isinstance(a, Asset)}
    courses = {r["id"]: r for r in _csv(files["courses.csv"])}
    assert set(courses) == {"kursus-a", "kursus-b", "kursus-c"}
    assert courses["kursus-a"]["themes"] == "oege-netvaerk recovery"
    assert courses["kursus-a"]["url"] == "https://test.example.org/kurser/kursus-a/"
    assert courses["kursus-c"]["co_produced"] == "false"
    assert courses["kursus-c"]["certificate"] == "true"
    offerings = {r["id"]: r for r in _csv(files["offerings.csv"])}
    assert set(offerings) == {"kursus-a/foraar", "kursus-b/2027-02-03", "kursus-c/2027-03-01"}
    first = offerings["kursus-a/foraar"]
    assert (first["first_date"], first["last_date"], first["capacity"]) == \
        ("2027-02-03", "2027-02-10", "12")
    assert first["registration_deadline"] == "2027-01-27"
    assert first["teachers"] == "peer-p fag-f"
    # Teachers without consent are counted by their role only.
    assert offerings["kursus-b/2027-02-03"]["teachers"] == ""
    assert offerings["kursus-b/2027-02-03"]["team_roles"] == "relative professional"
    sessions = _csv(files["sessions.csv"])
    assert [(s["offering_id"], s["number"], s["start"]) for s in sessions
            if s["offering_id"] == "kursus-a/foraar"] == [("kursus-a/foraar", "1", "10:00"),
                                                         ("kursus-a/foraar", "2", "10:00")]
    assert sessions[0]["room"] == "Lokale 1"
    teachers = {r["id"]: r["name"] for r in _csv(files["teachers.csv"])}
    assert teachers == {"fag-f": "Frida Fagsen", "peer-p": "Pia"}
    assert b"Gustav" not in b"".join(files.values()) and b"Rita" not in b"".join(files.values())
    assert {r["id"] for r in _csv(files["venues.csv"])} == {"huset", "haven", "aftenskolen"}


def test_the_plan_refuses_a_package_that_does_not_validate(mini_catalogue):
    # An offering at a venue the package does not hold breaks a foreign key.
    broken = changed(mini_catalogue, "kursus-c", offering={"venue_id": "et-sted-der-ikke-findes"})
    with pytest.raises(PackageInvalid) as error:
        opendata.plan(mini_build(broken))
    assert "offerings.csv" in str(error.value) and "henviser til venue_id" in str(error.value)


def test_a_package_without_a_site_address_has_no_urls(mini_catalogue):
    files = package_files(Selection(mini_catalogue, TODAY), Site("Test"))
    validate_files(files)
    assert "homepage" not in json.loads(files["datapackage.json"])
    assert {r["url"] for r in _csv(files["courses.csv"])} == {""}


# --- the built demo site and `catalogue export` ---------------------------------------------

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
    assert "offerings.csv, række 2" in str(error.value) \
        and "henviser til venue_id" in str(error.value)


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
    # Randers is there only for the course it runs with Viborg (`also_schools`, issue 23).
    courses = _csv((out / "courses.csv").read_bytes())
    assert {row["id"] for row in _csv((out / "schools.csv").read_bytes())} == \
        {"recoveryskolen-viborg", "recoveryskolen-randers"}
    assert {row["school_id"] for row in courses if row["school_id"] != "recoveryskolen-viborg"} \
        == {"recoveryskolen-randers"}
    assert all(row["also_schools"] == "recoveryskolen-viborg" for row in courses
               if row["school_id"] != "recoveryskolen-viborg")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["homepage"] == "https://recoveryskolen.viborg.example.org/"
    assert validate(str(out / "datapackage.json")).valid


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
