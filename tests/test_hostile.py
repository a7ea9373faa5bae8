"""Hostile text in every field of every source: `check` names it, or the site prints it as text.

Each vector below goes into every plain-text and every Markdown field of every kind of source
(courses, teachers, schools, venues, school themes, guides, brands), with a marker of its own,
7FFFVVV (field FFF, vector VVV), so a finding names both. The demo catalogue has several files
of each kind, so one build can hold every vector in every field: a field's vectors are spread
over its instances (the 25 courses, 18 teachers, 4 schools, 3 guides, 4 brands...), a few
vectors to a value.

    make test            HOSTILE_ROUNDS=1: one build, all 59 vectors in all 36 fields, a field's
                         vectors shared out over its instances (up to 20 in one guide body or
                         one brand footer, two or three in one course title). A one-line value
                         stays under S112's 500 characters, so a field with few instances (the
                         3 guides' titles, the 4 schools' names) holds only the vectors that
                         fit this round; the rest are counted as not tried. Every page at phone
                         size once over the brands (a page one brand showed is not shown again
                         for the next), one page of each kind of every brand at desktop size, a
                         search typed into one brand, the default site read in Python
    make audit-hostile   HOSTILE_ROUNDS=20 HOSTILE_FULL=1: every vector alone in its value in
                         every field, over 20 builds; every page of every site at both sizes

Per round: `catalogue check` (a Markdown field may refuse a vector with H801-H806, and a guide
body an image path with F901-F904; any field may refuse a value with S111, an invisible or
control character, or S112, a one-line text over 500 characters: "check names it"; anything
else must be accepted, and what a refusal leaves behind, a record without its required name
and so on, must be gone once the refused vectors are), then `catalogue build` and
`catalogue build --all-sites`, then every page of every brand in Chromium at phone and desktop
size, search terms typed into one brand's search box, and the calendars, open data, Pagefind
fragments and PDFs in Python. An offering's or session's hostile room is added to its venue's
`rooms` (R307 refuses an unknown room), so that it reaches the pages.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from conftest import BRANDS, CATALOGUE, REPO, TODAY_DEMO, copy_catalogue, serve

ROUNDS = int(os.environ.get("HOSTILE_ROUNDS", "1"))
# make test: every page once at phone size over the brands, one page of each kind of every
# brand at desktop size, the default site in Python only. HOSTILE_FULL=1: every page of every
# site at both sizes.
FULL = os.environ.get("HOSTILE_FULL") == "1"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
TODAY = TODAY_DEMO.isoformat()

# --- The corpus ----------------------------------------------------------------------------
# `{m}` becomes the marker. Multi-line and control-character vectors are kept apart from the
# others in one-line fields, so that a refusal by the one-line rule refuses only them.

VECTORS: list[str] = [
    # Breaking out of an attribute or a text node into a new element with a handler
    '"><img src=x onerror=alert({m})>',
    "'><img src=x onerror=alert({m})>",
    '" onfocus="alert({m})" autofocus="',
    "' onmouseover='alert({m})' x='",
    "x onmouseover=alert({m}) x=",
    "`><svg onload=alert({m})>`",
    # Breaking out of a <script> element (the JSON-LD) or into its comment state
    "</script><svg onload=alert({m})>",
    "</ScRiPt ><img src=x onerror=alert({m})>",
    "<!--<script>x{m}",
    "<script>alert({m})</script>",
    # Elements that run code without a click
    "<svg><animate onbegin=alert({m}) attributeName=x dur=1s>",
    "<details open ontoggle=alert({m})>",
    "<input autofocus onfocus=alert({m})>",
    "<body onload=alert({m})>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert({m})>",
    "<div onmouseover=alert({m})>hover</div>",
    # Dangerous URL schemes, plain and disguised
    "javascript:alert({m})",
    '<a href="javascript:alert({m})">x</a>',
    "<a href=JaVaScRiPt:alert({m})>x</a>",
    '<a href="java&#x09;script:alert({m})">x</a>',
    "data:text/html,<script>alert({m})</script>",
    "vbscript:msgbox({m})",
    # Embedded documents and page-wide elements
    '<iframe src="javascript:alert({m})"></iframe>',
    '<object data="javascript:alert({m})"></object>',
    '<embed src="javascript:alert({m})">',
    '<form action="javascript:alert({m})"><button formaction=javascript:alert({m})>x</button></form>',
    "<style>@import 'http://evil.example/{m}.css';</style>",
    "<base href=//evil.example/{m}/>",
    "<meta http-equiv=refresh content=0;url=javascript:alert({m})>",
    # Script-string breakers (inline JavaScript and JSON)
    "';alert({m})//",
    '";alert({m})//',
    "${{alert({m})}}",
    "\\u003cimg src=x onerror=alert({m})\\u003e",
    "\\x3cscript\\x3ealert({m})\\x3c/script\\x3e",
    # Entities, URL-encoding and look-alikes: printed literally, never decoded a second time
    "&lt;b&gt;ent{m}&lt;/b&gt;",
    "&#60;u&#62;num{m}&#60;/u&#62;",
    "%3Cscript%3Ealert({m})%3C/script%3E",
    "\uff1cscript\uff1ealert({m})\uff1c/script\uff1e",
    "<u>u{m}</u>",
    # Template injection: Jinja and friends must print it literally
    "tpl{{7*7}}{m}",
    "{% raw %}raw{m}",
    "{#c{m}",
    "{{ config }}cfg{m}",
    # Markdown: links, images, autolinks, reference links, raw HTML blocks
    "[md{m}](javascript:alert({m}))",
    '![x{m}](x" onerror="alert({m}))',
    "<javascript:alert({m})>",
    "[x{m}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "**bold{m}** _em_",
    # Spreadsheet formulas (OWASP CSV injection): the open data must not start a cell with them
    '=HYPERLINK("http://evil.example/{m}","x")',
    "+cmd|' /C calc'!A{m}",
    "-2+3+{m}",
    "@SUM(1+{m})",
    # iCalendar: text that must be escaped, not parsed
    "semi;colon,comma\\backslash:{m}",
    # YAML-looking text (safe_dump quotes it)
    "key: value # &anchor *alias !!python/object {m}",
    # Multi-line and control characters (a one-line field may refuse these)
    "x{m}\r\nBEGIN:VEVENT\r\nSUMMARY:evil\r\nEND:VEVENT",
    "\tleading tab {m}",
    "\u2028line{m}\u2029paragraph",
    "[ref{m}][r{m}]\n\n[r{m}]: javascript:alert({m})",
    "<div>\n<script>alert({m})</script>\n</div>",
]

# Vectors a one-line field may refuse (the one-line rule): line breaks and control characters.
CONTROL = {i for i, v in enumerate(VECTORS) if re.search(r"[\x00-\x1f\x7f\u2028\u2029]", v)}

# A Markdown field may refuse a vector with these ("check names it").
MARKDOWN_REFUSALS = {"H801", "H802", "H803", "H804", "H806", "F901", "F902", "F903", "F904"}
# Any field may refuse a value with these: S111 an invisible or control character (in a
# Markdown field: NUL, CR, U+2028, U+2029, bidi overrides), S112 a one-line text over 500
# characters. A refused value is left out of the record, so a required one takes the record
# with it and other rules fire for the gap (C401...): `accept` drops what check named and
# checks again until nothing more is named, and only the last check must be clean.
ANY_FIELD_REFUSALS = {"S111", "S112"}
# S112's limit. The test packs a one-line value below it, so that the vectors stay in the test;
# a vector with no room left in its field this round is counted as not tried (make test packs
# 59 vectors into the 3 guides' titles, say; audit-hostile puts every vector alone in a value).
MAX_LINE = 500

# Text that, if a page shows it, proves the vector was evaluated or decoded once too often.
FORBIDDEN_TEXT = {VECTORS.index("tpl{{7*7}}{m}"): "tpl49{m}",
                  VECTORS.index("{% raw %}raw{m}"): "(?<!%\\})raw{m}"}
FORBIDDEN_PLAIN = {VECTORS.index("&lt;b&gt;ent{m}&lt;/b&gt;"): "<b>ent{m}",
                   VECTORS.index("&#60;u&#62;num{m}&#60;/u&#62;"): "<u>num{m}"}

MARKER = r"(?<![0-9A-Za-z])7\d{6}(?![0-9A-Za-z])"

# --- The fields -----------------------------------------------------------------------------
# (name, files, path, Markdown?); "*" is every item of a list or map that is there.

FIELDS: list[tuple[str, str, tuple, bool]] = [
    ("course.title", "courses/*.yaml", ("title",), False),
    ("course.summary", "courses/*.yaml", ("summary",), False),
    ("course.description", "courses/*.yaml", ("description",), True),
    ("course.outcomes", "courses/*.yaml", ("outcomes", "*"), False),
    ("course.registration.note", "courses/*.yaml", ("registration", "note"), False),
    ("offering.room", "courses/*.yaml", ("offerings", "*", "room"), False),
    ("offering.note", "courses/*.yaml", ("offerings", "*", "note"), False),
    ("offering.status_note", "courses/*.yaml", ("offerings", "*", "status_note"), False),
    ("offering.registration.note", "courses/*.yaml",
     ("offerings", "*", "registration", "note"), False),
    ("session.topic", "courses/*.yaml", ("offerings", "*", "sessions", "*", "topic"), False),
    ("session.room", "courses/*.yaml", ("offerings", "*", "sessions", "*", "room"), False),
    ("teacher.name", "teachers/*.yaml", ("name",), False),
    ("teacher.title", "teachers/*.yaml", ("title",), False),
    ("teacher.bio", "teachers/*.yaml", ("bio",), True),
    ("school.name", "schools/*.yaml", ("name",), False),
    ("school.municipality", "schools/*.yaml", ("municipality",), False),
    ("school.about", "schools/*.yaml", ("about",), True),
    ("school.contact.address", "schools/*.yaml", ("contact", "address"), False),
    ("school.provider_note", "schools/*.yaml", ("provider_note",), False),
    ("school.registration.note", "schools/*.yaml", ("registration", "note"), False),
    ("venue.name", "schools/*.yaml", ("venues", "*", "name"), False),
    ("venue.address", "schools/*.yaml", ("venues", "*", "address"), False),
    ("venue.city", "schools/*.yaml", ("venues", "*", "city"), False),
    ("venue.accessibility", "schools/*.yaml", ("venues", "*", "accessibility"), False),
    ("venue.directions", "schools/*.yaml", ("venues", "*", "directions"), False),
    ("venue.rooms", "schools/*.yaml", ("venues", "*", "rooms", "*"), False),
    ("theme.name", "schools/*.yaml", ("themes", "*", "name"), False),
    ("theme.description", "schools/*.yaml", ("themes", "*", "description"), False),
    ("guide.title", "guides/*.md", ("title",), False),
    ("guide.summary", "guides/*.md", ("summary",), False),
    ("guide.license", "guides/*.md", ("license",), False),
    ("guide.body", "guides/*.md", ("body",), True),
    ("brand.name", "sites/*/brand.yaml", ("name",), False),
    ("brand.municipality", "sites/*/brand.yaml", ("municipality",), False),
    ("brand.footer", "sites/*/brand.yaml", ("footer",), False),
    ("brand.contact.address", "sites/*/brand.yaml", ("contact", "address"), False),
]
# Rooms are compared for double booking, so a room keeps a number of its own.
NUMBERED = {"offering.room", "session.room", "venue.rooms"}


def marker(field_no: int, vector_no: int) -> str:
    return f"7{field_no:03d}{vector_no:03d}"


def vector_text(field_no: int, vector_no: int) -> str:
    return VECTORS[vector_no].replace("{m}", marker(field_no, vector_no))


def describe(mark: str) -> str:
    field_no, vector_no = int(mark[1:4]), int(mark[4:])
    return f"{FIELDS[field_no][0]} ← vector {vector_no} {VECTORS[vector_no]!r}"


def markers_in(text: str) -> list[str]:
    return sorted(set(re.findall(MARKER, text)))


# --- Writing the hostile catalogue ----------------------------------------------------------


@dataclass
class Value:
    """One hostile value: which field, where it is, which vectors it holds."""
    field_no: int
    file: str
    container: object = field(repr=False)
    key: object = None
    prefix: str = ""  # a guide body keeps its own text (and its h1) before the vectors
    number: int = 0
    vectors: list[int] = field(default_factory=list)

    @property
    def markdown(self) -> bool:
        return FIELDS[self.field_no][3]

    def ordered(self) -> list[int]:
        # A formula vector leads its value, so that it would start a spreadsheet cell.
        formula = [v for v in self.vectors if VECTORS[v][:1] in "=+-@"]
        return formula + [v for v in self.vectors if v not in formula]

    @property
    def text(self) -> str:
        texts = [vector_text(self.field_no, v) for v in self.ordered()]
        if not texts:
            return self.prefix or f"Tekst {self.field_no} {self.number}"
        if self.markdown:
            return self.prefix + "\n\n".join(texts) + "\n"
        text = " · ".join(texts)
        return f"{text} {self.number}" if FIELDS[self.field_no][0] in NUMBERED else text

    def write(self) -> None:
        self.container[self.key] = self.text


def _line_length(field_no: int, vectors: list[int]) -> int:
    text = " · ".join(vector_text(field_no, v) for v in vectors)
    return len(text) + (5 if FIELDS[field_no][0] in NUMBERED else 0)


def fit(field_no: int, slots_: list[list[int]]) -> tuple[list[list[int]], list[int]]:
    """One-line values within S112's limit: what overflows an instance moves to one with room
    (a control vector only to control vectors, as in `slots`); what has no room is returned."""
    if FIELDS[field_no][3]:
        return slots_, []
    fitted: list[list[int]] = []
    overflow: list[int] = []
    for vectors in slots_:
        kept: list[int] = []
        for v in vectors:
            (kept if _line_length(field_no, kept + [v]) <= MAX_LINE else overflow).append(v)
        fitted.append(kept)
    untried = []
    for v in overflow:
        control = v in CONTROL
        home = next((kept for kept in fitted
                     if all((x in CONTROL) == control for x in kept)
                     and _line_length(field_no, kept + [v]) <= MAX_LINE), None)
        (home.append(v) if home is not None else untried.append(v))
    return fitted, untried


def slots(field_no: int, instances: int, round_no: int, rounds: int) -> list[list[int]]:
    """The vectors for each instance of a field in one round; every vector once over all rounds.

    In a one-line field, control vectors share a value only with each other, so that a refusal
    by the one-line rule leaves the other vectors in the test.
    """
    total = instances * rounds
    every = list(range(len(VECTORS)))
    groups = [every]
    if not FIELDS[field_no][3] and total > 1:
        groups = [sorted(CONTROL), [v for v in every if v not in CONTROL]]
    shares = [max(1, total * len(g) // len(VECTORS)) for g in groups]
    shares[-1] = max(1, total - sum(shares[:-1]))
    result: list[list[int]] = [[] for _ in range(total)]
    start = 0
    for group, share in zip(groups, shares):
        for i, vector in enumerate(group):
            result[start + (i + field_no) % share].append(vector)
        start += share
    return result[round_no * instances:(round_no + 1) * instances]


def places(data, path: tuple):
    """(container, key) for every place `path` names in `data`; '*' walks lists and maps.

    A missing optional field is created; a missing list is not (there is nothing to walk).
    """
    step, rest = path[0], path[1:]
    keys = (list(data) if isinstance(data, dict) else range(len(data))) if step == "*" else [step]
    for key in keys:
        if not rest:
            yield data, key
        elif isinstance(data.get(key) if isinstance(data, dict) else data[key], (dict, list)):
            yield from places(data[key], rest)
        elif rest[0] != "*" and isinstance(data, dict) and key not in data:
            data[key] = {}
            yield from places(data[key], rest)


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a | block, so that `check`'s line numbers map onto the vectors."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text.strip("\n") else None))


def read_source(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        _, front, body = text.split("---\n", 2)
        return {**yaml.safe_load(front), "body": body}
    return yaml.safe_load(text)


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def write_source(path: Path, data: dict) -> None:
    if path.suffix == ".md":
        front = {k: v for k, v in data.items() if k != "body"}
        path.write_text("---\n" + dump(front) + "---\n" + data["body"], encoding="utf-8")
    else:
        path.write_text(dump(data), encoding="utf-8")


class _Added(str):
    """A room name the test added to a venue's `rooms`, so that it can take it out again."""


_Dumper.add_representer(_Added, lambda dumper, text: dumper.represent_str(str(text)))


def sync_rooms(sources: dict) -> None:
    """Every room an offering or session names is in its venue's `rooms` (R307 refuses an
    unknown room), so that a hostile room reaches the pages instead of being refused. The names
    added last time come out first: a value that lost a vector has a new text."""
    venues = {vid: venue for data in sources.values() if isinstance(data.get("venues"), dict)
              for vid, venue in data["venues"].items() if isinstance(venue, dict)}
    for venue in venues.values():
        if isinstance(venue.get("rooms"), list):
            venue["rooms"][:] = [r for r in venue["rooms"] if not isinstance(r, _Added)]
    for data in sources.values():
        for offering in data.get("offerings") or []:
            rooms = venues.get(offering.get("venue"), {}).get("rooms")
            if not isinstance(rooms, list) or not rooms:
                continue  # a venue without `rooms` accepts any room
            named = [offering.get("room")] + [s.get("room") for s in offering.get("sessions", [])]
            for room in named:
                if isinstance(room, str) and room.strip() not in [str(r).strip() for r in rooms]:
                    rooms.append(_Added(room))


def write_all(root: Path, sources: dict) -> None:
    sync_rooms(sources)
    for name, data in sources.items():
        write_source(root / name, data)


def make_hostile(root: Path, round_no: int, rounds: int) -> tuple[list[Value], dict, list[str]]:
    """Write one round's hostile values into the catalogue at `root`; also the markers of the
    vectors that did not fit into a one-line field this round."""
    sources: dict[str, dict] = {}
    for path in sorted(root.glob("teachers/*.yaml")):
        data = read_source(path)
        consent = data.setdefault("consent", {})
        consent.pop("withdrawn", None)  # a name and bio are shown only with consent
        consent.setdefault("profile", TODAY_DEMO)
        sources[path.relative_to(root).as_posix()] = data
    values: list[Value] = []
    untried: list[str] = []
    for field_no, (_, pattern, path, markdown) in enumerate(FIELDS):
        found = []
        for file in sorted(root.glob(pattern)):
            name = file.relative_to(root).as_posix()
            data = sources.setdefault(name, read_source(file) if name not in sources else None)
            found += [(name, container, key) for container, key in places(data, path)]
        fitted, left = fit(field_no, slots(field_no, len(found), round_no, rounds))
        untried += [marker(field_no, v) for v in left]
        for number, ((name, container, key), vectors) in enumerate(zip(found, fitted)):
            if not vectors:
                continue
            prefix = container[key] + "\n" if path == ("body",) else ""
            value = Value(field_no, name, container, key, prefix, number, vectors)
            value.write()
            values.append(value)
    write_all(root, sources)
    return values, sources, untried


# --- Check: which vectors each field accepts ------------------------------------------------

def check(root: Path) -> list[dict]:
    done = subprocess.run([str(CATALOGUE), "check", "--format", "json", "--today", TODAY],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return [d for d in json.loads(done.stdout)["diagnostics"] if d["severity"] == "error"]


def spans(root: Path, value: Value) -> list[tuple[int, int, int]]:
    """(vector, first line, last line) of each vector of a value, as `check` counts lines:
    from where the text starts, plus the line breaks in the text before it."""
    text = (root / value.file).read_text(encoding="utf-8")
    guide = value.file.endswith(".md")
    if guide and value.key == "body":
        first = text.split("\n---\n", 1)[0].count("\n") + 3
    else:
        node = _node(yaml.compose(text.split("\n---\n", 1)[0] if guide else text), value.text)
        if not value.markdown:
            return [(v, node.start_mark.line + 1, node.end_mark.line + 1) for v in value.vectors]
        first = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
    result, offset = [], 0
    for v in value.ordered():
        vector = vector_text(value.field_no, v)
        offset = value.text.index(vector, offset)
        line = first + value.text.count("\n", 0, offset)
        result.append((v, line, line + vector.count("\n")))
    return result


def _node(root, text: str):
    """The YAML node holding `text` (each hostile value is unique)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode) and node.value == text:
            return node
        if isinstance(node, yaml.MappingNode):
            stack += [v for _, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    raise AssertionError(f"value not found in the written file: {text!r}")


def extent(root: Path, value: Value) -> tuple[int, int]:
    """The first and last line of a whole value (where S111 and S112 point)."""
    text = (root / value.file).read_text(encoding="utf-8")
    if value.file.endswith(".md") and value.key == "body":
        first = text.split("\n---\n", 1)[0].count("\n") + 3
        return first, first + value.text.count("\n")
    node = _node(yaml.compose(text.split("\n---\n", 1)[0] if value.file.endswith(".md")
                              else text), value.text)
    return node.start_mark.line + 1, node.end_mark.line + 1


def _s111_characters(message: str) -> str:
    """The character S111 names, from its message."""
    code = re.search(r"U\+([0-9A-F]{4,6})", message)
    if code:
        return chr(int(code[1], 16))
    if "linjeskift" in message:
        return "\r\n"
    return "\t" if "tabulator" in message else ""


def refused_vectors(root: Path, values: list[Value], d: dict) -> list[tuple[Value, int]]:
    """(value, vector) that diagnostic `d` refuses, among the hostile values of its file."""
    line, code = d["line"], d["code"]
    if code in ANY_FIELD_REFUSALS:
        hits = []
        for value in values:
            first, last = extent(root, value)
            if not first <= line <= last:
                continue
            if code == "S111":
                chars = _s111_characters(d["message"])
                hits += [(value, v) for v in value.vectors
                         if chars and any(c in vector_text(value.field_no, v) for c in chars)]
            elif not value.markdown:  # S112: the vectors at the end, until the rest fits
                kept = value.ordered()
                while kept and _line_length(value.field_no, kept) > MAX_LINE:
                    hits.append((value, kept.pop()))
        return hits
    markdown = code in MARKDOWN_REFUSALS
    return [(value, v) for value in values if value.markdown == markdown
            for v, first, last in spans(root, value) if first <= line <= last]


def accept(root: Path, values: list[Value], sources: dict) -> tuple[list[str], list[str]]:
    """Drop the vectors `check` is right to refuse, write the rest, check again, until `check`
    names no more hostile values; what it still reports then is wrong.

    A diagnostic away from every hostile value may be the consequence of a refusal (a teacher
    whose name was refused is missing from a course: C401), so it counts only if it is still
    there at the end. Returns (refusals `check` named, refusals or errors that are wrong).
    """
    named, wrong = [], []
    by_file = defaultdict(list)
    for value in values:
        by_file[value.file].append(value)
    for _ in range(12):
        diagnostics = check(root)
        refused: dict[int, set[int]] = defaultdict(set)
        for d in diagnostics:
            where = f"{d['file']}:{d['line']}: {d['code']} {d['message']}"
            for value, v in refused_vectors(root, by_file.get(d["file"], []), d):
                if v in refused[id(value)]:
                    continue
                what = f"{FIELDS[value.field_no][0]} ← vector {v} {VECTORS[v]!r}: {where}"
                right = d["code"] in ANY_FIELD_REFUSALS or (
                    value.markdown and d["code"] in MARKDOWN_REFUSALS)
                (named if right else wrong).append(f"[{marker(value.field_no, v)}] {what}")
                refused[id(value)].add(v)
        if not refused:
            break
        for value in values:
            if refused[id(value)]:
                value.vectors = [v for v in value.vectors if v not in refused[id(value)]]
                value.write()
        write_all(root, sources)
    wrong += [f"still refused after dropping what check named: {d['file']}:{d['line']}: "
              f"{d['code']} {d['message']}" for d in diagnostics]
    return named, wrong


# --- Build ----------------------------------------------------------------------------------

def build(root: Path) -> list[str]:
    """The default build and every brand (`--all-sites`), side by side; their errors."""
    commands = {"catalogue build": ["build", "--today", TODAY],
                "catalogue build --all-sites": ["build", "--all-sites", "--out", "out",
                                                "--today", TODAY]}
    running = {name: subprocess.Popen([str(CATALOGUE), *args], cwd=root, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
               for name, args in commands.items()}
    errors = []
    for name, process in running.items():
        output, _ = process.communicate(timeout=600)
        if process.returncode != 0:
            tail = "\n    ".join(output.strip().splitlines()[-6:])
            errors.append(f"{name} exits {process.returncode}:\n    {tail}")
    return errors


def sites(root: Path) -> dict[str, Path]:
    """Every site built: the default one and one per brand."""
    found = {"(default)": root / "site"} if (root / "site" / "index.html").is_file() else {}
    found |= {p.parent.name: p.parent for p in sorted((root / "out").glob("*/index.html"))}
    return found


def pages(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def one_of_each_kind(names: list[str]) -> list[str]:
    """The first page of each kind: kurser/a/index.html and kurser/b/index.html are one kind."""
    kinds: dict[str, str] = {}
    for name in names:
        parts = name.split("/")
        kind = "/".join(parts[:1] + ["*"] * (len(parts) - 2) + parts[-1:]) if len(parts) > 2 else name
        kinds.setdefault(kind, name)
    return sorted(kinds.values())


def _named(text: str) -> str:
    """The vectors and fields a piece of output holds, by their markers."""
    return "; ".join(describe(m) for m in markers_in(text)) or "no marker"


# --- Outputs read in Python -----------------------------------------------------------------

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld_problems(site: str, folder: Path) -> list[str]:
    found = []
    for name in pages(folder):
        for block in LD_JSON.findall((folder / name).read_text(encoding="utf-8")):
            try:
                json.loads(block)
            except ValueError as error:
                found.append(f"{site}/{name}: JSON-LD does not parse ({error}): {_named(block)}")
    return found


def _words(text: str) -> str:
    return " ".join(re.split(r"[\s\u2028\u2029]+", text)).strip()


def calendar_problems(site: str, folder: Path) -> list[str]:
    from icalendar import Calendar

    found = []
    for path in sorted(folder.rglob("*.ics")):
        name = f"{site}/{path.relative_to(folder).as_posix()}"
        try:
            calendar = Calendar.from_ical(path.read_bytes())
        except ValueError as error:
            found.append(f"{name}: does not parse: {error}")
            continue
        for event in calendar.walk("VEVENT"):
            if str(event.get("SUMMARY", "")).startswith("evil"):
                found.append(f"{name}: an injected event: {event.to_ical()[:200]!r}")
            for prop in ("SUMMARY", "LOCATION", "DESCRIPTION"):
                value = str(event.get(prop, ""))
                for mark in markers_in(value):
                    field_no, vector_no = int(mark[1:4]), int(mark[4:])
                    expected = _words(vector_text(field_no, vector_no))
                    if expected not in _words(value):
                        found.append(f"{name}: {prop} does not keep the text of "
                                     f"{describe(mark)}: {value[:160]!r}")
    return found


def open_data_problems(site: str, folder: Path) -> list[str]:
    from frictionless import validate

    found = []
    for path in sorted((folder / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            try:
                rows = list(csv.reader(handle))
            except csv.Error as error:
                found.append(f"{site}/data/{path.name}: does not parse: {error}")
                continue
        for number, row in enumerate(rows, start=1):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    found.append(f"{site}/data/{path.name}:{number}: a cell starts a formula: "
                                 f"{cell[:60]!r} ({_named(cell)})")
    package = folder / "data" / "datapackage.json"
    if package.is_file():
        report = validate(str(package))
        if not report.valid:
            errors = [e for task in report.tasks for e in task.errors][:5] + report.errors[:5]
            found.append(f"{site}/data/datapackage.json does not validate: "
                         + "; ".join(getattr(e, "message", str(e)) for e in errors))
    else:
        found.append(f"{site}/data/datapackage.json is missing")
    return found



TAG_START = re.compile(r"<[A-Za-z/!?][^\s>]*")


def _fragments(folder: Path):
    """(name, record) of every Pagefind fragment: gzip, Pagefind's signature, then JSON."""
    import gzip

    for path in sorted((folder / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        yield path.name, json.loads(raw.removeprefix(b"pagefind_dcd"))


def search_index_problems(site: str, folder: Path) -> list[str]:
    """Pagefind's default UI puts a result's excerpt (cut from `content`) and every filter value
    into the page with innerHTML, and the title with textContent; so `content` and the filters
    must hold escaped text, and raw markup there is live in the search results."""
    found = []
    try:
        records = list(_fragments(folder))
    except ValueError as error:  # a broken gzip or JSON, or a missing signature
        return [f"{site}/pagefind: a fragment does not parse: {error}"]
    if not records:
        return [f"{site}/pagefind: no fragments, so there is no search index"]
    for name, record in records:
        texts = [("content", record.get("content", ""))] + [
            (f"filter {key}", value) for key, values in record.get("filters", {}).items()
            for value in values]
        for key, text in texts:
            # What innerHTML reads as markup: a tag, an end tag, a comment or a declaration.
            # Escaped text keeps `onerror=` as words, which is right.
            for match in TAG_START.finditer(text):
                near = text[max(0, match.start() - 80):match.end() + 80]
                if markers_in(near):
                    found.append(f"{site}/pagefind/fragment/{name} ({record.get('url')}) {key}: "
                                 f"raw {match[0]!r}: {_named(near)}")
    return found


def pdf_problems(site: str, folder: Path) -> list[str]:
    from pypdf import PdfReader

    found = []
    for path in sorted(folder.rglob("*.pdf")):
        try:
            reader = PdfReader(path)
            assert len(reader.pages) > 0
            reader.pages[0].extract_text()
        except Exception as error:  # noqa: BLE001 - any failure to open is the finding
            found.append(f"{site}/{path.relative_to(folder)}: does not open: {error!r}")
    return found


# --- Pages in Chromium ----------------------------------------------------------------------

# Walks the whole DOM once the page has loaded; returns what injected text made live.
INSPECT = r"""([marker, forbidden]) => {
  const mark = new RegExp(marker);
  const found = {live: [], jsonld: [], text: [], markup: []};
  const bad = /^(javascript|vbscript|data:text\/html)/i;
  const urls = ["href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc"];
  const data = ["application/ld+json", "application/json"];
  const grab = (el) => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    for (const {name, value} of el.attributes) {
      if (name.startsWith("on") && mark.test(value)) found.live.push(`handler ${name}: ${grab(el)}`);
      // Pagefind's UI keeps its search form from submitting with this one, its own.
      const pagefindForm = tag === "form" && el.classList.contains("pagefind-ui__form")
        && value === "javascript:void(0);";
      if (urls.includes(name) && !pagefindForm && bad.test(value.replace(/[\s\x00-\x1f]/g, "")))
        found.live.push(`${name}=${value.slice(0, 80)}: ${grab(el)}`);
    }
    if (tag === "script" && !data.includes(el.type) && mark.test(el.textContent))
      found.live.push(`script: ${grab(el)}`);
    if (["iframe", "frame", "object", "embed", "base"].includes(tag))
      found.live.push(`<${tag}>: ${grab(el)}`);
    if (tag === "meta" && (el.httpEquiv || "").toLowerCase() === "refresh")
      found.live.push(`meta refresh: ${grab(el)}`);
    // A page's own canonical address may carry a marker as an id (kurser/by/<town id>/);
    // a stylesheet or any other <link> with one was injected.
    if ((tag === "style" && mark.test(el.textContent))
        || (tag === "link" && el.rel !== "canonical" && mark.test(el.href)))
      found.live.push(`style: ${grab(el)}`);
    // The site's own <img alt> and Pagefind's filter <input id name value> carry escaped
    // text; a marker there is the text, not an injected element.
    const text = ["alt", "title", "aria-label", "id", "name", "value", "for"];
    const own = [...el.attributes].some(a => !text.includes(a.name) && mark.test(a.value));
    if (["u", "img", "svg", "math", "mglyph", "input", "details", "form", "button", "animate",
         "strong"].includes(tag) && (own || /^(u|bold)7\d{6}$/.test(el.textContent.trim())))
      found.markup.push(grab(el));
  }
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try { JSON.parse(script.textContent); }
    catch (error) { found.jsonld.push(`${error.message}: ${script.textContent.slice(0, 160)}`); }
  }
  const text = document.body ? document.body.textContent : "";
  for (const [pattern, label] of forbidden)
    if (new RegExp(pattern).test(text)) found.text.push(label);
  found.h1 = document.querySelectorAll("h1").length;
  found.footer = !!document.querySelector("footer.md-footer .md-copyright");
  return found;
}"""


def forbidden_text(values: list[Value]) -> list[tuple[str, str]]:
    """(pattern, what it means) for text a page must not show, given the vectors placed."""
    result = []
    for value in values:
        for v in value.vectors:
            mark = marker(value.field_no, v)
            pattern = FORBIDDEN_TEXT.get(v) or (None if value.markdown else FORBIDDEN_PLAIN.get(v))
            if pattern:
                result.append((pattern.replace("{m}", mark),
                               f"shows {pattern.replace('{m}', mark)!r}, so it was evaluated "
                               f"or decoded again: {describe(mark)}"))
    return result


def browse(browser, site: str, folder: Path, viewport: str, forbidden, plain: set[str],
           findings: dict[str, list[str]], names: list[str]) -> None:
    """The pages `names` of one site at one size; what went wrong, into `findings`."""
    with serve(folder) as origin:
        context, page, where = _open(browser, origin, site, viewport, findings)
        for name in names:
            where["page"] = name
            page.goto(f"{origin}/{name}", wait_until="load")
            here = f"[{viewport}] {site}/{name}"
            result = _inspect(page, here, forbidden, plain, findings)
            if result["h1"] != 1 or not result["footer"]:
                findings["structure"].append(
                    f"{here}: {result['h1']} h1, footer {'there' if result['footer'] else 'gone'}")
        context.close()


def _open(browser, origin: str, site: str, viewport: str, findings: dict[str, list[str]]):
    """A page that records dialogs, errors and requests to other origins into `findings`."""
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    # Recorded below; refused here so that a page never waits for a name lookup.
    context.route(re.compile(rf"^(?!{re.escape(origin)}/)"), lambda route: route.abort())
    page = context.new_page()
    where = {"page": ""}
    page.on("dialog", lambda d: (findings["dialog"].append(
        f"[{viewport}] {site}/{where['page']}: {d.type}({d.message}) from "
        f"{_named(d.message)}"), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and findings["console"].append(
        f"[{viewport}] {site}/{where['page']}: {m.text[:200]}"))
    page.on("pageerror", lambda e: findings["console"].append(
        f"[{viewport}] {site}/{where['page']}: uncaught {e}"))
    page.on("request", lambda r: not r.url.startswith(origin) and findings["requests"].append(
        f"[{viewport}] {site}/{where['page']}: {r.url} ({_named(r.url)})"))
    return context, page, where


def _inspect(page, here: str, forbidden, plain: set[str], findings: dict[str, list[str]]):
    result = page.evaluate(INSPECT, [MARKER, forbidden])
    findings["live"] += [f"{here}: {item} ({_named(item)})" for item in result["live"]]
    findings["json-ld"] += [f"{here}: {item} ({_named(item)})" for item in result["jsonld"]]
    findings["text"] += [f"{here}: {item}" for item in result["text"]]
    findings["markup"] += [f"{here}: {item} ({_named(item)})" for item in result["markup"]
                           if set(markers_in(item)) & plain]
    return result


# Words most hostile records hold, so that the results and their excerpts show the vectors.
SEARCH_TERMS = ["alert", "onerror", "script", "hover"]

# Done once Pagefind has answered for `term` (its message names the term, and is not
# "Søger efter ..."), and every result shown has loaded its fragment.
SEARCHED = r"""(term) => {
  const message = document.querySelector(".pagefind-ui__message");
  return !!message && message.textContent.includes(term) && !/^Søger/.test(message.textContent)
    && !document.querySelector(".pagefind-ui__result .pagefind-ui__loading");
}"""


def search(browser, site: str, folder: Path, terms: list[str], forbidden, plain: set[str],
           findings: dict[str, list[str]]) -> None:
    """Type into the search box as a citizen does; the results, excerpts and filters Pagefind
    renders must hold no live markup and open no dialog. The real proof for the index."""
    with serve(folder) as origin:
        context, page, where = _open(browser, origin, site, "desktop", findings)
        where["page"] = "index.html (search)"
        page.goto(f"{origin}/index.html", wait_until="load")
        page.keyboard.press("/")
        box = page.wait_for_selector(".pagefind-ui__search-input", timeout=30_000)
        shown = 0
        for term in terms:
            where["page"] = f"index.html (search {term!r})"
            box.fill(term)
            page.wait_for_function(SEARCHED, arg=term, timeout=30_000)
            page.wait_for_timeout(500)  # time for an injected onerror or onload to fire
            shown += page.locator(".pagefind-ui__result").count()
            _inspect(page, f"[desktop] {site}/{where['page']}", forbidden, plain, findings)
        if not shown:  # the search has no filters since issue 25; the results are the proof
            findings["search"].append(f"{site}: searching {terms} showed no results, "
                                      f"so the search UI proved nothing")
        context.close()


# --- One round, and the tests ---------------------------------------------------------------

KINDS = ["check", "build", "dialog", "console", "requests", "live", "json-ld", "markup", "text",
         "structure", "calendar", "open data", "search", "pdf"]


@pytest.fixture(scope="module")
def findings(browser, tmp_path_factory) -> dict[str, list[str]]:
    """Every round: hostile values in, check, build, read every output; what went wrong."""
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    found["named by check"], found["sites"], found["untried"], found["tried"] = [], [], [], []
    for round_no in range(ROUNDS):
        root = copy_catalogue(REPO, tmp_path_factory.mktemp(f"hostile{round_no}") / "demo")
        values, sources, untried = make_hostile(root, round_no, ROUNDS)
        found["untried"] += untried
        clock = time.monotonic()
        named, wrong = accept(root, values, sources)
        timing = {"check": time.monotonic() - clock}
        found["named by check"] += named
        found["check"] += wrong
        found["tried"] += [marker(v.field_no, x) for v in values for x in v.vectors]
        found["named by check"] = sorted(set(found["named by check"]))
        if wrong:
            continue
        clock = time.monotonic()
        broken = build(root)
        if broken:
            # Name the failure, then build without line breaks and control characters (which
            # the one-line rule may refuse anyway), so the rest of the corpus is still read.
            found["build"] += broken
            for value in values:
                if set(value.vectors) & CONTROL:
                    value.vectors = [v for v in value.vectors if v not in CONTROL]
                    value.write()
            write_all(root, sources)
            found["build"] += [f"also without the control vectors: {e}" for e in build(root)]
        timing["build"] = time.monotonic() - clock
        found["sites"] += list(sites(root))
        plain = {marker(v.field_no, x) for v in values if not v.markdown for x in v.vectors}
        forbidden = forbidden_text(values)
        # make test: a page another brand showed at phone size is not shown again (its course,
        # teacher or guide is the same; what is the brand's own, one page of each kind shows).
        shown: set[str] = set()
        for site, folder in sites(root).items():
            clock = time.monotonic()
            found["json-ld"] += json_ld_problems(site, folder)
            found["calendar"] += calendar_problems(site, folder)
            found["open data"] += open_data_problems(site, folder)
            found["search"] += search_index_problems(site, folder)
            found["pdf"] += pdf_problems(site, folder)
            timing[f"{site} files"] = time.monotonic() - clock
            every = pages(folder)
            clock = time.monotonic()
            if site == BRANDS[0]:
                search(browser, site, folder, SEARCH_TERMS + sorted(plain)[:1], forbidden,
                       plain, found)
            for viewport, names in [("phone", [n for n in every if n not in shown]),
                                    ("desktop", one_of_each_kind(every))]:
                if FULL or site != "(default)":
                    browse(browser, site, folder, viewport, forbidden, plain, found,
                           every if FULL else names)
                    shown |= set(names) if viewport == "phone" else set()
            timing[f"{site} browser"] = time.monotonic() - clock
        print(f"\nhostile round {round_no}: " + ", ".join(f"{k} {v:.0f} s"
                                                          for k, v in timing.items()))
    return found


def coverage(found: dict[str, list[str]]) -> str:
    tried, untried = set(found["tried"]), set(found["untried"]) - set(found["tried"])
    named = {item[1:8] for item in found["named by check"]}
    return (f"{len(VECTORS)} vectors × {len(FIELDS)} fields over {ROUNDS} round(s): "
            f"{len(tried)} pairs built and read, {len(named)} refused by check (named), "
            f"{len(untried)} not tried (no room under S112 this round)")


def _report(items: list[str]) -> str:
    """One line per finding, with the pages it is on: 'what  [N pages: where, ...]'."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for item in items:
        where, _, what = item.partition(": ")
        grouped[what].append(where)
    lines = [f"{what}  [{len(wheres)}× {', '.join(sorted(set(wheres))[:3])}]"
             for what, wheres in sorted(grouped.items())]
    return f"{len(items)} findings, {len(lines)} distinct:\n" + "\n".join(lines[:150])


def test_check_accepts_hostile_plain_text_and_names_what_it_refuses_in_markdown(findings):
    assert findings["check"] == [], _report(findings["check"])


def test_every_accepted_vector_builds_the_default_site_and_every_brand(findings):
    assert findings["build"] == [], _report(findings["build"])
    assert len(findings["sites"]) == ROUNDS * (1 + len(BRANDS)), findings["sites"]


def _built(findings) -> None:
    assert findings["sites"], "nothing was built, so there is nothing to read"


def test_no_page_opens_a_dialog_or_logs_an_error(findings):
    _built(findings)
    assert findings["dialog"] + findings["console"] == [], _report(
        findings["dialog"] + findings["console"])


def test_no_injected_handler_url_script_or_element_is_live_in_the_dom(findings):
    _built(findings)
    assert findings["live"] == [], _report(findings["live"])


def test_no_page_asks_another_origin_for_anything(findings):
    _built(findings)
    assert findings["requests"] == [], _report(findings["requests"])


def test_plain_text_is_never_markup_and_never_evaluated_or_decoded_twice(findings):
    _built(findings)
    assert findings["markup"] + findings["text"] == [], _report(
        findings["markup"] + findings["text"])


def test_every_json_ld_block_parses_in_the_browser_and_in_python(findings):
    _built(findings)
    assert findings["json-ld"] == [], _report(findings["json-ld"])


def test_every_page_keeps_exactly_one_h1_and_its_footer(findings):
    _built(findings)
    assert findings["structure"] == [], _report(findings["structure"])


def test_calendars_parse_and_keep_every_summary_location_and_description(findings):
    _built(findings)
    assert findings["calendar"] == [], _report(findings["calendar"])


def test_open_data_validates_and_no_cell_can_start_a_spreadsheet_formula(findings):
    _built(findings)
    assert findings["open data"] == [], _report(findings["open data"])


def test_the_search_index_parses_and_holds_no_live_markup(findings):
    _built(findings)
    assert findings["search"] == [], _report(findings["search"])


def test_every_field_and_every_vector_reaches_a_build(findings):
    """The corpus is really in the build: no field lost all its vectors, and every vector
    was built in some field or refused by check by name."""
    tried = set(findings["tried"])
    print("\nhostile:", coverage(findings))
    named = {item[1:8] for item in findings["named by check"]}
    fields = {FIELDS[int(m[1:4])][0] for m in tried}
    assert [f[0] for f in FIELDS if f[0] not in fields] == [], coverage(findings)
    # A vector check refuses in every field (U+2028 is refused in one-line and Markdown text
    # alike) reaches no build, rightly; but check must have named it.
    vectors = {int(m[4:]) for m in tried | named}
    assert [VECTORS[v] for v in range(len(VECTORS)) if v not in vectors] == [], \
        coverage(findings)


def test_every_pdf_opens(findings):
    _built(findings)
    assert findings["pdf"] == [], _report(findings["pdf"])
