"""`catalogue import offerings FILE`: a term planned in a spreadsheet, into the course files.

One row per session: course, offering, date, start, end, venue, teachers, capacity, status,
then any of the optional columns (attendance, online_url, online_note, led_by, led_by_reason,
places_left, places_updated; end_date for a stay of several days), in any order. A sheet
without them is read as before.

1. frictionless validates the sheet against generator/data/offerings-sheet.schema.json;
2. the rows become offerings, added to a copy of the catalogue, which the catalogue's own rules
   check (unknown course, double booking, co-production, ...);
3. only if nothing is wrong are the course files rewritten, with ruamel.yaml in round-trip
   mode, so their comments, key order and formatting stay as they were.
If any row is wrong, nothing is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import io
import json
import os
import re
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
from .schema import OFFERING, SESSION

SHEET_SCHEMA = Path(__file__).resolve().parent / "data" / "offerings-sheet.schema.json"
COLUMNS = ["course", "offering", "date", "start", "end", "venue", "teachers", "capacity",
           "status"]  # every sheet has these, in this order (the I002 hint names them)
OPTIONAL = ["end_date", "attendance", "online_url", "online_note", "led_by", "led_by_reason",
            "places_left", "places_updated"]
PER_SESSION = ["end_date"]
# The same in every row of an offering.
SHARED = ["venue", "teachers", "capacity", "status"] + [c for c in OPTIONAL
                                                        if c not in PER_SESSION]
_TYPES = {"date": "en dato som 2027-02-03", "time": "et klokkeslæt som 10:00",
          "integer": "et helt tal", "string": "en tekst"}


@dataclass
class PlannedOffering:
    course: str
    key: str
    row: int
    values: dict
    sessions: list[dict] = field(default_factory=list)
    columns: tuple[str, ...] = tuple(COLUMNS)


def read_sheet(path: Path, name: str) -> tuple[list[dict], list[Diagnostic]]:
    """Rows of the sheet, checked by frictionless; problems as row, column and what.

    Each row also holds its line (`_row`) and the sheet's column names (`_columns`), so that a
    later problem can name the cell."""
    from frictionless import Resource, Schema

    descriptor = json.loads(SHEET_SCHEMA.read_text(encoding="utf-8"))
    known = {f["name"]: f for f in descriptor["fields"]}
    required = {n for n, f in known.items() if f.get("constraints", {}).get("required")}
    labels = _labels(path)
    if labels is None:  # unreadable: frictionless says why below
        labels = list(COLUMNS)
    else:
        problems = _label_problems(labels, name)
        if problems:
            return [], problems
    schema = Schema.from_descriptor(descriptor | {"fields": [known[l] for l in labels]})
    resource = Resource(path=path.name, basepath=str(path.parent), schema=schema)
    report = resource.validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            if error.type == "missing-cell" and error.field_name not in required:
                continue  # a short row: its optional cells are empty
            problems.append(_translate(error, name, schema))
    for error in report.errors:
        problems.append(problem("I002", Pos(name, 1, 1), what=error.message))
    if problems:
        return [], problems
    columns = tuple(labels)
    with Resource(path=path.name, basepath=str(path.parent), schema=schema) as table:
        rows = [dict(row) | {"_row": row.row_number, "_columns": columns}
                for row in table.row_stream]
    # A cell that a spreadsheet would run as a formula is never taken into a course file.
    for row in rows:
        for column in columns:
            value = row.get(column)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                problems.append(problem(
                    "I001", Pos(name, row["_row"], columns.index(column) + 1), column=column,
                    what=f"'{value}' ligner en regnearksformel",
                    hint="Skriv værdien uden =, +, -, @ eller tabulator foran."))
    return ([], problems) if problems else (rows, [])


def _labels(path: Path) -> list[str] | None:
    from frictionless import FrictionlessException, Resource

    try:
        with Resource(path=path.name, basepath=str(path.parent)) as table:
            return [str(label) for label in table.labels]
    except FrictionlessException:
        return None


def _label_problems(labels: list[str], name: str) -> list[Diagnostic]:
    """The first row: the nine columns every sheet has, and optional ones, each once."""
    problems = []
    optional = ", ".join(OPTIONAL)
    seen = set()
    for position, label in enumerate(labels, 1):
        if label in seen:
            what = f"Kolonnen '{label}' står to gange"
        elif label not in COLUMNS and label not in OPTIONAL:
            what = (f"Kolonnen '{label}' passer ikke med skabelonen (valgfrie kolonner: "
                    f"{optional})")
        else:
            seen.add(label)
            continue
        problems.append(problem("I002", Pos(name, 1, position), what=what))
    missing = [c for c in COLUMNS if c not in seen]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        problems.append(problem("I002", Pos(name, 1, len(labels) + 1),
                                what=f"Kolonne{'rne' if len(missing) > 1 else 'n'} {names} "
                                     f"mangler"))
    return problems


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
        elif schema.get_field(column).description:
            hint = schema.get_field(column).description
        else:
            hint = "Små bogstaver a-z, tal og bindestreger, fx 'foraar-2027'."
        return problem("I001", pos, column=column, what=f"'{cell}' er ikke tilladt", hint=hint)
    return problem("I001", pos, column=column or "-", what=error.message, hint="")


def plan(rows: list[dict], name: str) -> tuple[list[PlannedOffering], list[Diagnostic]]:
    """Rows grouped into offerings, in the order they first appear."""
    offerings: dict[tuple[str, str], PlannedOffering] = {}
    problems = []
    for row in rows:
        columns = row.get("_columns", COLUMNS)
        key = (row["course"], row["offering"])
        teachers = " ".join((row.get("teachers") or "").replace(",", " ").split())
        values = {"venue": row.get("venue"), "teachers": teachers,
                  "capacity": row.get("capacity"), "status": row.get("status") or "open"}
        # Optional columns only when the sheet has them, so an old sheet plans as before.
        values |= {c: _cell(row.get(c)) for c in SHARED if c in columns and c not in values}
        planned = offerings.get(key)
        if planned is None:
            planned = offerings[key] = PlannedOffering(*key, row["_row"], values,
                                                       columns=tuple(columns))
        else:
            for column in SHARED:
                if values.get(column) != planned.values.get(column):
                    problems.append(problem(
                        "I005", Pos(name, row["_row"], columns.index(column) + 1),
                        column=column, value=_shown(values[column]),
                        first=_shown(planned.values[column])))
        session = {"date": row["date"], "start": row["start"], "end": row["end"],
                   "_row": row["_row"]}
        session |= {c: row[c] for c in PER_SESSION if row.get(c) is not None}
        planned.sessions.append(session)
    return list(offerings.values()), problems


def _cell(value):
    """An empty or blank cell is no value."""
    if isinstance(value, str):
        value = value.strip()
    return None if value in ("", None) else value


def _shown(value) -> str:
    return "" if value is None else str(value)


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # the layout `catalogue new` writes
    yaml.width = 4096
    return yaml


def _offering_node(planned: PlannedOffering):
    """The offering as the course file holds it, its keys in the schema's order."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = CommentedMap()
    for spec in OFFERING.fields:
        value = planned.key if spec.name == "key" else planned.values.get(spec.name)
        if spec.name == "sessions":
            node["sessions"] = _sessions(planned.sessions)
        elif value in (None, ""):
            continue
        elif spec.name == "teachers":
            teachers = CommentedSeq(value.split())
            teachers.fa.set_flow_style()
            node["teachers"] = teachers
        else:
            node[spec.name] = value
    return node


def _sessions(sessions: list[dict]):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    items = CommentedSeq()
    for session in sessions:
        item = CommentedMap()
        for spec in SESSION.fields:
            value = session.get(spec.name)
            if isinstance(value, dt.time):
                value = DoubleQuotedScalarString(value.strftime("%H:%M"))
            if value is not None:
                item[spec.name] = value
        item.fa.set_flow_style()
        items.append(item)
    return items


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


def check_result(root: Path, texts: dict[Path, tuple[str, str]], today: dt.date,
                 planned: list[PlannedOffering] | None = None, name: str = ""
                 ) -> list[Diagnostic]:
    """Errors that the import would add to the catalogue, found by the catalogue's own rules.

    Given the planned offerings, an error in a line the import adds is named by the sheet's
    row instead, since that line exists nowhere yet."""
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
    new = [d for d in found if d.severity == diag.ERROR and _key(d) not in before]
    if planned is None:
        return new
    rows = _sheet_rows(root, texts, planned)
    named = []
    for d in new:
        if (d.pos.file, d.pos.line) in rows:
            offering, row, column = rows[d.pos.file, d.pos.line]
            column = _COLUMN_OF.get(d.code, column)
            where = offering.columns.index(column) + 1 if column in offering.columns else 1
            d = dataclasses.replace(d, pos=Pos(name, row, where))
        named.append(d)
    return named


# The cell a rule's finding is about, where it is not the offering's or the session's first.
_COLUMN_OF = {"O604": "venue", "O605": "attendance", "O606": "places_updated",
              "O607": "places_left", "C404": "led_by_reason", "C405": "led_by",
              "C406": "led_by", "C401": "teachers", "C402": "teachers", "C403": "teachers",
              "T203": "end", "T214": "end_date", "R301": "teachers", "R303": "venue"}


def _sheet_rows(root: Path, texts: dict[Path, tuple[str, str]], planned: list[PlannedOffering]
                ) -> dict[tuple[str, int], tuple[PlannedOffering, int, str]]:
    """{(course file, line): (offering, row, column)} for the lines the import adds."""
    rows = {}
    for path, (before, after) in texts.items():
        lines = after.splitlines()
        relative = path.relative_to(root).as_posix()
        start = len(before.splitlines())  # the import only appends
        ours = [o for o in planned if o.course == path.stem]
        heads = [i for i in range(start, len(lines))
                 if re.fullmatch(r"  - key: ['\"]?([a-z0-9-]+)['\"]?", lines[i])]
        for offering, head, end in zip(ours, heads, heads[1:] + [len(lines)]):
            sessions = offering.sessions
            first = end - len(sessions)
            for line in range(head, first):
                rows[relative, line + 1] = (offering, offering.row, "offering")
            for line, session in zip(range(first, end), sessions):
                rows[relative, line + 1] = (offering, session["_row"], "date")
    return rows


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
        problems = check_result(root, texts, today, planned, name)
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
