"""`catalogue import offerings FILE`: a term planned in a spreadsheet, into the course files.

One row per session: course, offering, date, start, end, venue, teachers, capacity, status.

1. frictionless validates the sheet against generator/data/offerings-sheet.schema.json;
2. the rows become offerings, added to a copy of the catalogue, which the catalogue's own rules
   check (unknown course, double booking, co-production, ...);
3. only if nothing is wrong are the course files rewritten, with ruamel.yaml in round-trip
   mode, so their comments, key order and formatting stay as they were.
If any row is wrong, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import diagnostics as diag
from .catalogue import SOURCE_DIRS, read_catalogue
from .diagnostics import Diagnostic, Pos, problem
from .ids import nearest
from .render.opendata import FORMULA_START

SHEET_SCHEMA = Path(__file__).resolve().parent / "data" / "offerings-sheet.schema.json"
COLUMNS = ["course", "offering", "date", "start", "end", "venue", "teachers", "capacity",
           "status"]
SHARED = ["venue", "teachers", "capacity", "status"]  # the same in every row of an offering
_TYPES = {"date": "en dato som 2027-02-03", "time": "et klokkeslæt som 10:00",
          "integer": "et helt tal", "string": "en tekst"}


@dataclass
class PlannedOffering:
    course: str
    key: str
    row: int
    values: dict
    sessions: list[dict] = field(default_factory=list)


def read_sheet(path: Path, name: str) -> tuple[list[dict], list[Diagnostic]]:
    """Rows of the sheet, checked by frictionless; problems as row, column and what."""
    from frictionless import Resource, Schema

    schema = Schema.from_descriptor(json.loads(SHEET_SCHEMA.read_text(encoding="utf-8")))
    resource = Resource(path=path.name, basepath=str(path.parent), schema=schema)
    report = resource.validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            problems.append(_translate(error, name, schema))
    for error in report.errors:
        problems.append(problem("I002", Pos(name, 1, 1), what=error.message))
    if problems:
        return [], problems
    with Resource(path=path.name, basepath=str(path.parent), schema=schema) as table:
        rows = [dict(row) | {"_row": row.row_number} for row in table.row_stream]
    # A cell that a spreadsheet would run as a formula is never taken into a course file.
    for row in rows:
        for column in COLUMNS:
            value = row.get(column)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                problems.append(problem(
                    "I001", Pos(name, row["_row"], COLUMNS.index(column) + 1), column=column,
                    what=f"'{value}' ligner en regnearksformel",
                    hint="Skriv værdien uden =, +, -, @ eller tabulator foran."))
    return ([], problems) if problems else (rows, [])


def _translate(error, name: str, schema) -> Diagnostic:
    """frictionless' findings, in the words `catalogue check` uses."""
    row = getattr(error, "row_number", None) or 1
    column = getattr(error, "field_name", None)
    cell = getattr(error, "cell", "")
    position = getattr(error, "field_number", None) or 1
    pos = Pos(name, row, position)
    kind = error.type
    if kind in ("missing-label", "extra-label", "incorrect-label", "blank-label",
                "duplicate-label"):
        return problem("I002", Pos(name, 1, position), what=f"Kolonnen '{getattr(error, 'label', '') or column}' "
                       f"passer ikke med skabelonen")
    if kind in ("blank-row",):
        return problem("I001", pos, column="-", what="rækken er tom",
                       hint="Slet den tomme række.")
    if kind in ("missing-cell",) or (kind == "constraint-error" and cell in ("", None)):
        return problem("I001", pos, column=column, what="mangler en værdi",
                       hint="Udfyld cellen.")
    if kind == "type-error":
        expected = _TYPES.get(schema.get_field(column).type, "en anden værdi")
        return problem("I001", pos, column=column, what=f"'{cell}' er ikke {expected}",
                       hint="Ret cellen.")
    if kind == "constraint-error":
        constraints = schema.get_field(column).constraints
        if "enum" in constraints:
            hint = "Tilladte værdier: " + ", ".join(constraints["enum"]) + "."
        elif "minimum" in constraints:
            hint = f"Mindst {constraints['minimum']}."
        else:
            hint = "Små bogstaver a-z, tal og bindestreger, fx 'foraar-2027'."
        return problem("I001", pos, column=column, what=f"'{cell}' er ikke tilladt", hint=hint)
    return problem("I001", pos, column=column or "-", what=error.message, hint="")


def plan(rows: list[dict], name: str) -> tuple[list[PlannedOffering], list[Diagnostic]]:
    """Rows grouped into offerings, in the order they first appear."""
    offerings: dict[tuple[str, str], PlannedOffering] = {}
    problems = []
    for row in rows:
        key = (row["course"], row["offering"])
        teachers = " ".join((row.get("teachers") or "").replace(",", " ").split())
        values = {"venue": row["venue"], "teachers": teachers, "capacity": row.get("capacity"),
                  "status": row.get("status") or "open"}
        planned = offerings.get(key)
        if planned is None:
            planned = offerings[key] = PlannedOffering(*key, row["_row"], values)
        else:
            for column in SHARED:
                if values[column] != planned.values[column]:
                    problems.append(problem(
                        "I005", Pos(name, row["_row"], COLUMNS.index(column) + 1), column=column,
                        value=values[column] or "", first=planned.values[column] or ""))
        planned.sessions.append({"date": row["date"], "start": row["start"], "end": row["end"]})
    return list(offerings.values()), problems


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # the layout `catalogue new` writes
    yaml.width = 4096
    return yaml


def _offering_node(planned: PlannedOffering):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    node = CommentedMap()
    node["key"] = planned.key
    node["venue"] = planned.values["venue"]
    if planned.values["capacity"]:
        node["capacity"] = planned.values["capacity"]
    node["status"] = planned.values["status"]
    if planned.values["teachers"]:
        teachers = CommentedSeq(planned.values["teachers"].split())
        teachers.fa.set_flow_style()
        node["teachers"] = teachers
    sessions = CommentedSeq()
    for session in planned.sessions:
        item = CommentedMap()
        item["date"] = session["date"]
        item["start"] = DoubleQuotedScalarString(session["start"].strftime("%H:%M"))
        item["end"] = DoubleQuotedScalarString(session["end"].strftime("%H:%M"))
        item.fa.set_flow_style()
        sessions.append(item)
    node["sessions"] = sessions
    return node


def new_texts(root: Path, planned: list[PlannedOffering], name: str
              ) -> tuple[dict[Path, tuple[str, str]], list[Diagnostic]]:
    """{course file: (text now, text after)}, or the reasons it cannot be done."""
    yaml = _yaml()
    courses = {p.stem: p for p in (root / "courses").glob("*.yaml")}
    texts: dict[Path, tuple[str, str]] = {}
    documents = {}
    problems = []
    for offering in planned:
        path = courses.get(offering.course)
        if path is None:
            guess = nearest(offering.course, courses)
            problems.append(problem("I003", Pos(name, offering.row, 1), value=offering.course,
                                    hint=f"Mente du '{guess}'?" if guess else
                                    "Opret kurset først med 'catalogue new course'."))
            continue
        if path not in documents:
            documents[path] = yaml.load(path.read_text(encoding="utf-8"))
        data = documents[path]
        existing = data.get("offerings") or []
        keys = {str(o.get("key") or (o["sessions"][0]["date"] if o.get("sessions") else ""))
                for o in existing}
        if offering.key in keys:
            problems.append(problem("I004", Pos(name, offering.row, 2), course=offering.course,
                                    value=offering.key))
            continue
        existing.append(_offering_node(offering))
        data["offerings"] = existing
    for path, data in documents.items():
        out = io.StringIO()
        yaml.dump(data, out)
        texts[path] = (path.read_text(encoding="utf-8"), out.getvalue())
    return texts, problems


def check_result(root: Path, texts: dict[Path, tuple[str, str]], today: dt.date
                 ) -> list[Diagnostic]:
    """Errors that the import would add to the catalogue, found by the catalogue's own rules."""
    before = {_key(d) for d in read_catalogue(root, today, use_cache=False).diagnostics
              if d.severity == diag.ERROR}
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch)
        for folder in SOURCE_DIRS:
            if (root / folder).is_dir():
                shutil.copytree(root / folder, copy / folder)
        for path, (_, after) in texts.items():
            (copy / path.relative_to(root)).write_text(after, encoding="utf-8")
        found = read_catalogue(copy, today, use_cache=False).diagnostics
    return [d for d in found if d.severity == diag.ERROR and _key(d) not in before]


def _key(d: Diagnostic):
    return (d.code, d.pos.file, d.message)


def import_offerings(root: Path, sheet: Path, today: dt.date, dry_run: bool) -> int:
    name = os.path.relpath(sheet, Path.cwd())
    rows, problems = read_sheet(sheet, name)
    if not problems:
        planned, problems = plan(rows, name)
    if not problems:
        texts, problems = new_texts(root, planned, name)
    if not problems:
        problems = check_result(root, texts, today)
    if problems:
        print(diag.format_text(sorted(problems, key=Diagnostic.sort_key), 1), file=sys.stderr)
        print("catalogue: intet er skrevet; ret fejlene, og prøv igen.", file=sys.stderr)
        return 1
    for path, (before, after) in texts.items():
        relative = path.relative_to(root).as_posix()
        if dry_run:
            sys.stdout.writelines(difflib.unified_diff(
                before.splitlines(True), after.splitlines(True), f"a/{relative}", f"b/{relative}"))
        else:
            temporary = path.with_name(f".{path.name}.import")
            temporary.write_text(after, encoding="utf-8")
            os.replace(temporary, path)
    done = f"{len(planned)} hold i {len(texts)} kursusfiler"
    print(f"Ville tilføje {done}; intet er skrevet." if dry_run else f"Tilføjede {done}.")
    return 0
