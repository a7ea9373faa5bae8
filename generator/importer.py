"""`catalogue import offerings FILE`: a term planned in a spreadsheet, into the course files.

One row per session: course, offering, date, start, end, venue, teachers, capacity, status,
then any of the optional columns (attendance, online_url, online_note, led_by, led_by_reason,
places_left, places_updated; end_date for a stay of several days), in any order. A sheet
without them is read as before.

1. the sheet (CSV with commas or semicolons, or Excel's tab-separated "Unicode-tekst") is read
   and checked against generator/data/offerings-sheet.schema.json, within the limits below;
2. the rows become offerings, added to a copy of the catalogue, which the catalogue's own rules
   check (unknown course, double booking, co-production, ...);
3. only if nothing is wrong are the new offerings written into the course files: as lines
   added at the end of each file's `offerings` list, every other byte kept (comments, line
   endings, a byte-order mark), written through a symbolic link with the file's own mode.
If any row is wrong, nothing is written.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import io
import json
import os
import re
import shutil
import stat
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


# Said up front (README, `catalogue import --help`, I006): a term's plan is a few hundred rows.
MAX_SHEET_BYTES = 10_000_000
MAX_ROWS = 20_000
MAX_CELL = 2_000  # characters; the longest text a sheet carries is a reason or a note
_READ_AT_MOST = 100_000_000  # beyond this, the sheet is refused unread
SUFFIXES = (".csv", ".txt", ".tsv")
_SEPARATORS = {",": "komma", ";": "semikolon", "\t": "tabulator"}


def read_sheet(path: Path, name: str) -> tuple[list[dict], list[Diagnostic]]:
    """Rows of the sheet, checked against generator/data/offerings-sheet.schema.json; problems
    as row, column and what.

    The sheet may be what Excel saves: "CSV UTF-8", "CSV (semikolonsepareret)" (Windows-1252,
    semicolons) or "Unicode-tekst" (UTF-16, tabs); the encoding and the separator are found
    from the bytes and the first row. Each row also holds its number (`_row`) and the sheet's
    column names (`_columns`), so that a later problem can name the cell."""
    table, separator, problems = _table(path, name)
    if problems:
        return [], problems
    labels = [label.strip() for label in table[0]] if table else []
    problems = _label_problems(labels, name, separator)
    if problems:
        return [], problems
    fields = {f["name"]: f for f in json.loads(SHEET_SCHEMA.read_text(encoding="utf-8"))["fields"]}
    columns = tuple(labels)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            problems.append(problem("I001", Pos(name, number, 1), column="-",
                                    what="rækken er tom", hint="Slet den tomme række."))
            continue
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            problems.append(problem(
                "I001", Pos(name, number, len(columns) + 1), column="-",
                what=f"rækken har {len(cells)} celler, men der er kun {len(columns)} kolonner",
                hint="Slet cellerne til højre for den sidste kolonne, eller giv dem en "
                     "kolonne i første række."))
            continue
        row = {"_row": number, "_columns": columns}
        for position, column in enumerate(columns, start=1):
            text = cells[position - 1] if position <= len(cells) else ""
            value, bad = _value(text, fields[column])
            if bad:
                problems.append(problem("I001", Pos(name, number, position), column=column,
                                        what=bad[0], hint=bad[1]))
            row[column] = value
        rows.append(row)
    # A cell that a spreadsheet would run as a formula is never taken into a course file, even
    # behind spaces or a line break, which the import strips.
    for row in rows:
        for column in columns:
            value = row.get(column)
            if isinstance(value, str) and value.strip().startswith(FORMULA_START[:4]):
                problems.append(problem(
                    "I001", Pos(name, row["_row"], columns.index(column) + 1), column=column,
                    what=f"'{value.strip()}' ligner en regnearksformel",
                    hint="Skriv værdien uden =, +, -, @ eller tabulator foran."))
    return ([], problems) if problems else (rows, [])


def _table(path: Path, name: str) -> tuple[list[list[str]], str, list[Diagnostic]]:
    """The sheet's cells, row by row, and its separator; or why it cannot be read."""
    import csv

    where = Pos(name, 1, 1)
    if path.suffix.lower() not in SUFFIXES:
        return [], "", [problem("I006", where, what=f"filer af typen '{path.suffix or 'uden endelse'}' kan ikke indlæses",
                                hint=_SAVE_AS)]
    size = path.stat().st_size
    if size > _READ_AT_MOST:
        return [], "", [_too_big(where, size)]
    data = path.read_bytes()
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return [], "", [problem("I006", where, what="filen er et Excel-regneark, ikke tekst",
                                hint=_SAVE_AS)]
    text = _decode(data)
    if text is None or "\x00" in text:
        return [], "", [problem("I006", where, what="filen er ikke tekst i UTF-8, UTF-16 eller "
                                "Windows-1252", hint=_SAVE_AS)]
    first = text.split("\n", 1)[0]
    separator = max(_SEPARATORS, key=lambda sep: (
        sum(label.strip() in COLUMNS + OPTIONAL for label in first.split(sep)),
        first.count(sep)))
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        return [], separator, [problem("I006", where, what=f"filen kan ikke læses som CSV "
                                       f"({error})", hint=_SAVE_AS)]
    finally:
        csv.field_size_limit(limit)
    problems = []
    for number, cells in enumerate(table, start=1):
        for position, cell in enumerate(cells, start=1):
            if len(cell) > MAX_CELL:
                problems.append(problem("I007", Pos(name, number, position),
                                        length=_n(len(cell)), limit=_n(MAX_CELL)))
        if len(problems) >= 10:
            break
    if not problems and (size > MAX_SHEET_BYTES or len(table) - 1 > MAX_ROWS):
        problems.append(_too_big(where, size, len(table) - 1))
    return table, separator, problems


_SAVE_AS = ("Gem regnearket som 'CSV UTF-8 (kommasepareret)', 'CSV (semikolonsepareret)' eller "
            "'Unicode-tekst' (Filer > Gem som), og indlæs den fil.")


def _too_big(where: Pos, size: int, rows: int | None = None) -> Diagnostic:
    what = f"det fylder {_mb(size)}" + (f" og har {_n(rows)} rækker" if rows is not None else "")
    return problem("I006", where, what=f"{what}; et regneark må højst fylde "
                   f"{_mb(MAX_SHEET_BYTES)} og have {_n(MAX_ROWS)} rækker",
                   hint="Del planen op i flere regneark, og indlæs dem ét ad gangen.")


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode-tekst"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # Danish Excel's "CSV (semikolonsepareret)" is written in Windows-1252
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _value(text: str, spec: dict):
    """A cell's value as the sheet's schema types it, or None and (what, hint)."""
    constraints = spec.get("constraints", {})
    kind = spec.get("type", "string")
    if text.strip() == "":
        if constraints.get("required"):
            return None, ("mangler en værdi", "Udfyld cellen.")
        return None, None
    try:
        if kind == "date":
            value = dt.datetime.strptime(text.strip(), spec.get("format", "%Y-%m-%d")).date()
        elif kind == "time":
            value = dt.datetime.strptime(text.strip(), spec.get("format", "%H:%M")).time()
        elif kind == "integer":
            if not re.fullmatch(r"\s*[+-]?\d{1,9}\s*", text):
                raise ValueError
            value = int(text)
        else:
            value = text
    except ValueError:
        return None, (f"'{text}' er ikke {_TYPES.get(kind, 'en anden værdi')}", "Ret cellen.")
    allowed = True
    if "enum" in constraints:
        allowed = value in constraints["enum"]
        hint = "Tilladte værdier: " + ", ".join(constraints["enum"]) + "."
    elif "minimum" in constraints:
        allowed = value >= constraints["minimum"]
        hint = f"Mindst {constraints['minimum']}."
    elif "pattern" in constraints:
        allowed = re.fullmatch(constraints["pattern"].strip("^$"), value) is not None
        hint = spec.get("description") or "Små bogstaver a-z, tal og bindestreger, fx " \
                                          "'foraar-2027'."
    if not allowed:
        return None, (f"'{text}' er ikke tilladt", hint)
    return value, None


def _label_problems(labels: list[str], name: str, separator: str = ",") -> list[Diagnostic]:
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
                                     f"mangler (første række læst med "
                                     f"{_SEPARATORS.get(separator, separator)} mellem "
                                     f"kolonnerne)"))
    return problems


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


def new_texts(root: Path, planned: list[PlannedOffering], name: str
              ) -> tuple[dict[Path, tuple[str, str]], list[Diagnostic]]:
    """{course file: (text now, text after)}, or the reasons it cannot be done.

    The text after is the text now with the new offerings' lines added at the end of its
    `offerings` list, in the file's own line endings; nothing else in it changes."""
    courses = {p.stem: p for p in (root / "courses").glob("*.yaml")}
    problems = []
    ours: dict[Path, list[PlannedOffering]] = {}
    keys: dict[Path, set[str]] = {}
    texts_now: dict[Path, str] = {}
    for offering in planned:
        path = courses.get(offering.course)
        if path is None:
            guess = nearest(offering.course, courses)
            problems.append(problem("I003", Pos(name, offering.row, 1), value=offering.course,
                                    hint=f"Mente du '{guess}'?" if guess else
                                    "Opret kurset først med 'catalogue new course'."))
            continue
        if path not in keys:
            text, existing, broken = _course_file(root, path)
            if broken:  # said as `catalogue check` says it (Y001, Y005, ...), with its line
                problems.extend(broken)
                keys[path] = None
                continue
            texts_now[path], keys[path] = text, existing
        if keys[path] is None:
            continue
        if offering.key in keys[path]:
            problems.append(problem("I004", Pos(name, offering.row, 2), course=offering.course,
                                    value=offering.key))
            continue
        keys[path].add(offering.key)
        ours.setdefault(path, []).append(offering)
    texts = {path: (texts_now[path], _added(texts_now[path], offerings))
             for path, offerings in ours.items()}
    return texts, problems


def _course_file(root: Path, path: Path) -> tuple[str, set[str], list[Diagnostic]]:
    """A course file's text (BOM and line endings as they are), its offerings' keys, and the
    problems that stop it being read, in `check`'s words."""
    from .load import load

    relative = path.relative_to(root).as_posix()
    data = path.read_bytes()
    tree, found = load(data, relative)
    errors = [d for d in found if d.severity == diag.ERROR]
    if tree is None or errors:
        return "", set(), errors or list(found)
    text = data.decode("utf-8")
    import yaml

    try:
        loader = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover
        loader = yaml.SafeLoader
    document = yaml.load(text.lstrip("\ufeff"), Loader=loader) or {}
    existing = document.get("offerings") if isinstance(document, dict) else None
    keys = set()
    for offering in existing if isinstance(existing, list) else []:
        if isinstance(offering, dict):
            sessions = offering.get("sessions") or [{}]
            first = sessions[0] if isinstance(sessions[0], dict) else {}
            keys.add(str(offering.get("key") or first.get("date") or ""))
    return text, keys, []


_OFFERINGS = re.compile(r"offerings:[ \t]*(\[[ \t]*\])?[ \t]*(#.*)?\r?\n?")
_KEY_LINE = re.compile(r"[ \t]*- key: ['\"]?([a-z0-9-]+)['\"]?")


def _added(text: str, offerings: list[PlannedOffering]) -> str:
    """`text` with the offerings' lines inserted after the last line of its `offerings` list
    (or a new list at the end), in the file's line ending."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    head = next((i for i, line in enumerate(lines)
                 if _OFFERINGS.fullmatch(line.lstrip("\ufeff"))), None)
    if head is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += newline
        lines.append(f"offerings:{newline}")
        head, last, indent = len(lines) - 1, len(lines) - 1, "  "
    else:
        if _OFFERINGS.fullmatch(lines[head].lstrip("\ufeff")).group(1):
            # "offerings: []" becomes a block (after a byte-order mark, if the file has one)
            lines[head] = lines[head][:lines[head].index("o")] + f"offerings:{newline}"
        last, indent = head, None
        for i in range(head + 1, len(lines)):
            line = lines[i]
            if not line.strip() or line.startswith("#"):
                continue
            if not line.startswith((" ", "\t", "-")):
                break  # the next key of the course
            last = i
            if indent is None and line.lstrip(" ").startswith("- "):
                indent = line[:len(line) - len(line.lstrip(" "))]
        indent = "  " if indent is None else indent
        if not lines[last].endswith("\n"):
            lines[last] += newline
    added = [line + newline for offering in offerings for line in _offering_lines(offering,
                                                                                   indent)]
    return "".join(lines[:last + 1] + added + lines[last + 1:])


def _offering_lines(planned: PlannedOffering, indent: str) -> list[str]:
    """The offering as `catalogue new` and the guide write it, keys in the schema's order."""
    lines = []
    for spec in OFFERING.fields:
        value = planned.key if spec.name == "key" else planned.values.get(spec.name)
        lead = f"{indent}- " if not lines else f"{indent}  "
        if spec.name == "sessions":
            lines.append(f"{lead}sessions:")
            for session in planned.sessions:
                parts = [f"{field.name}: {_flow(session[field.name])}" for field in SESSION.fields
                         if session.get(field.name) is not None]
                lines.append(f"{indent}    - {{{', '.join(parts)}}}")
        elif value in (None, ""):
            continue
        elif spec.name == "teachers":
            lines.append(f"{lead}teachers: [{', '.join(_flow(t) for t in value.split())}]")
        else:
            lines.append(f"{lead}{spec.name}: {_block(value)}")
    return lines


def _flow(value) -> str:
    if isinstance(value, dt.time):
        return f'"{value.strftime("%H:%M")}"'
    if isinstance(value, (dt.date, int)):
        return str(value)
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value) and _plain_reads_back(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _block(value) -> str:
    if not isinstance(value, str):
        return _flow(value)
    if value == value.strip() and "\n" not in value and _plain_reads_back(value):
        return value
    # A JSON string is a YAML double-quoted scalar: every character, escaped where needed.
    return json.dumps(value, ensure_ascii=False)


def _plain_reads_back(text: str) -> bool:
    import yaml

    try:
        return yaml.load(f"k: {text}\n", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) \
            == {"k": text}
    except yaml.YAMLError:
        return False


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
            (copy / path.relative_to(root)).write_bytes(after.encode("utf-8"))
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
        lines, old = after.splitlines(), before.splitlines()
        relative = path.relative_to(root).as_posix()
        start = 0  # the import only inserts, in one place
        while start < len(old) and lines[start] == old[start]:
            start += 1
        stop = start + len(lines) - len(old)
        ours = [o for o in planned if o.course == path.stem]
        heads = [i for i in range(start, stop) if _KEY_LINE.fullmatch(lines[i])]
        for offering, head, end in zip(ours, heads, heads[1:] + [stop]):
            sessions = offering.sessions
            first = end - len(sessions)
            for line in range(head, first):
                rows[relative, line + 1] = (offering, offering.row, "offering")
            for line, session in zip(range(first, end), sessions):
                rows[relative, line + 1] = (offering, session["_row"], "date")
    return rows


def _write(path: Path, text: str) -> None:
    """Replace the file's content at once: through a symbolic link to the file it names, with
    that file's mode (and owner, where we may), so only the added lines differ."""
    real = path.resolve()
    info = real.stat()
    temporary = real.with_name(f".{real.name}.import")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()  # left by an import that was killed; the name is ours
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(OSError):
                os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


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
            _write(path, after)
    done = f"{len(planned)} hold i {len(texts)} kursusfiler"
    print(f"Ville tilføje {done}; intet er skrevet." if dry_run else f"Tilføjede {done}.")
    return 0
