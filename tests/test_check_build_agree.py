"""A green check means a green build: what `catalogue check` accepts, `catalogue build` builds.

Every one-line text field of every kind of source gets each hostile value in turn. Either the
check refuses it with S111, in that file, or the value goes into a catalogue that is then built
for every brand and as the regional site; the build must not fail. Checking is fast, so it runs
once per field and value; building is slow, so every accepted value is built at once: one
catalogue copy per "round", where round n holds the n-th accepted value of each field.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.catalogue import read_catalogue
from generator.guides import split
from generator.schema import json_schema

from conftest import REPO, TODAY_DEMO, copy_catalogue, run

COURSE = "courses/soevn-og-hvile.yaml"  # offering 0 is cancelled (status_note), 1 is open
TEACHER = "teachers/anne-s.yaml"  # consent to show the name
SCHOOL = "schools/recoveryskolen-randers.yaml"
EXTERNAL = "schools/aftenskolen-lysglimt.yaml"
THEMED = "schools/recoveryskolen-aarhus.yaml"
GUIDE = "guides/fem-veje-til-et-godt-liv.md"
BRAND = "sites/randers/brand.yaml"

OPEN = ("offerings", 1)
VENUE = ("venues", "psykiatriens-hus")
NEW = "new"  # as the last step of a path: add the value to that list

# (file, path to the value): missing keys at the end of a path are added.
FIELDS = [
    (COURSE, ("title",)),
    (COURSE, ("summary",)),
    (COURSE, ("outcomes", 0)),
    (COURSE, (*OPEN, "sessions", 0, "topic")),
    (COURSE, (*OPEN, "sessions", 0, "room")),
    (COURSE, (*OPEN, "room")),
    (COURSE, ("offerings", 0, "status_note")),
    (COURSE, (*OPEN, "note")),
    (COURSE, (*OPEN, "registration", "note")),
    (TEACHER, ("name",)),
    (TEACHER, ("title",)),
    (SCHOOL, ("name",)),
    (SCHOOL, ("municipality",)),
    (SCHOOL, ("contact", "address")),
    (SCHOOL, ("registration", "note")),
    (EXTERNAL, ("provider_note",)),
    (SCHOOL, (*VENUE, "name")),
    (SCHOOL, (*VENUE, "address")),
    (SCHOOL, (*VENUE, "city")),
    (SCHOOL, (*VENUE, "accessibility")),
    (SCHOOL, (*VENUE, "directions")),
    (SCHOOL, (*VENUE, "rooms", NEW)),
    (THEMED, ("themes", "recovery", "name")),
    (THEMED, ("themes", "recovery", "description")),
    (GUIDE, ("title",)),
    (GUIDE, ("summary",)),
    (GUIDE, ("license",)),
    (BRAND, ("name",)),
    (BRAND, ("municipality",)),
    (BRAND, ("footer",)),
    (BRAND, ("contact", "address")),
]

_LONG = ("Søvn, hvile og gode aftenvaner for alle " * 250)[:9_999] + "."
# As long as a one-line text may be (S112: 500 characters), full of what HTML, YAML, Jinja and
# iCalendar treat specially: check accepts it, so every output must cope with it.
_LIMIT = ('Søvn & "hvile" <b>kl. 10:00</b>; a,b\\c {{ x }} # 50 % ' * 20)[:500]
HOSTILE = {
    "linjeskift": "Søvn\nog hvile",
    "tabulator": "Søvn\tog hvile",
    "nul-tegn": "Søvn\0og hvile",
    "U+2028": "Søvn\u2028og hvile",
    "10.000 tegn": _LONG,
    "U+202E": "Pris: \u202e05 kr.",
    "500 særlige tegn": _LIMIT,
}
assert len(_LONG) == 10_000


def _read(root: Path, name: str):
    """(the file's values, how to write them back) for a YAML file or a guide's front matter."""
    text = (root / name).read_text(encoding="utf-8")
    if name.endswith(".md"):
        front, body, _ = split(text)
        return yaml.safe_load(front), lambda data: "---\n" + _dump(data) + "---\n" + body
    return yaml.safe_load(text), _dump


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _set(data, path, value) -> None:
    for step in path[:-1]:
        data = data.setdefault(step, {}) if isinstance(data, dict) else data[step]
    if path[-1] == NEW:
        data.append(value)
    else:
        data[path[-1]] = value


def _write(root: Path, changes: list[tuple[str, tuple, str]]) -> None:
    """Put every (file, path, value) into the catalogue at `root`, a file at a time.

    A room an offering or session names must be one of its venue's rooms (R307), so the venue
    gets the same name as a room of its own: the room is then tested, not refused.
    """
    changes = changes + [(SCHOOL, (*VENUE, "rooms", NEW), value)
                         for name, path, value in changes if name == COURSE and path[-1] == "room"]
    for name in sorted({name for name, _, _ in changes}):
        data, render = _read(root, name)
        for _, path, value in (c for c in changes if c[0] == name):
            _set(data, path, value)
        (root / name).write_text(render(data), encoding="utf-8")


def _errors(root: Path):
    result = read_catalogue(root, TODAY_DEMO, use_cache=False)
    return [d for d in result.diagnostics if d.severity == "error"]


def _label(name: str, path: tuple) -> str:
    return f"{name}:{'.'.join(map(str, path))}"


@pytest.fixture
def catalogue(tmp_path) -> Path:
    """The demo catalogue with the files this test changes written the way it writes them."""
    root = copy_catalogue(REPO, tmp_path / "demo")
    for name in {name for name, _ in FIELDS}:
        data, render = _read(root, name)
        (root / name).write_text(render(data), encoding="utf-8")
    assert _errors(root) == [], "the demo, written back by this test, must be valid"
    return root


def test_check_refuses_or_build_builds_every_hostile_one_line_text(catalogue: Path, tmp_path):
    disagreements: list[str] = []
    accepted: dict[tuple[str, tuple], list[str]] = {}
    originals = {name: (catalogue / name).read_bytes() for name, _ in FIELDS}
    for name, path in FIELDS:
        for what, value in HOSTILE.items():
            _write(catalogue, [(name, path, value)])
            try:
                errors = _errors(catalogue)
            finally:
                for original, data in originals.items():
                    (catalogue / original).write_bytes(data)
            if not errors:
                accepted.setdefault((name, path), []).append(what)
            elif not any(d.code in ("S111", "S112") and d.pos.file == name for d in errors):
                disagreements.append(f"{_label(name, path)} = {what}: check says "
                                     f"{[f'{d.code} {d.pos} {d.message}' for d in errors]}")
    matrix = len(FIELDS) * len(HOSTILE)
    print(f"{matrix} field values checked, {sum(map(len, accepted.values()))} accepted")

    rounds = max(map(len, accepted.values()), default=0)
    for number in range(rounds):
        root = copy_catalogue(catalogue, tmp_path / f"round-{number}")
        changes = [(name, path, HOSTILE[values[number]])
                   for (name, path), values in accepted.items() if len(values) > number]
        _write(root, changes)
        labels = [f"{_label(name, path)} = {values[number]}"
                  for (name, path), values in accepted.items() if len(values) > number]
        together = _errors(root)
        if together:
            disagreements.append(f"accepted one at a time, refused together: {labels}: "
                                 f"{[str(d.pos) + ' ' + d.message for d in together]}")
            continue
        for args in (["build", "--all-sites", "--out", str(root / "out")], ["build"]):
            done = run([*args, "--today", TODAY_DEMO.isoformat()], root)
            if done.returncode != 0 or "Traceback" in done.stderr:
                disagreements.append(f"check accepts {labels}, but `catalogue "
                                     f"{' '.join(args[:2])}` exits {done.returncode}: "
                                     f"{done.stderr.strip()[-500:]}")
                break
        if disagreements:  # one failed build says enough; the next rounds would take minutes
            break
    assert disagreements == [], "\n".join(disagreements)


def test_check_refuses_a_hostile_text_with_a_message_not_a_traceback(catalogue: Path):
    _write(catalogue, [(COURSE, ("title",), HOSTILE["linjeskift"])])
    done = run(["check", "--today", TODAY_DEMO.isoformat()], catalogue)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "intern fejl" not in done.stderr
    assert f"{COURSE}:1:8: fejl S111: 'title' indeholder et linjeskift efter 'Søvn'." \
        in done.stdout


def _course(title="Søvn og hvile", date="2027-04-22", start="10:00") -> dict:
    """A course as a YAML 1.2 editor reads it: dates and times are text."""
    return {"title": title, "summary": "Kort.", "description": "Tekst.", "themes": ["recovery"],
            "audience": ["alle"], "school": "recoveryskolen-randers",
            "offerings": [{"venue": "psykiatriens-hus", "status": "open",
                           "sessions": [{"date": date, "start": start, "end": "13:00"}]}]}


def test_editor_schemas_refuse_what_check_refuses():
    validator = jsonschema.Draft202012Validator(json_schema("course"))
    assert validator.is_valid(_course())
    assert validator.is_valid(_course(title="Søvn og hvile ", start="9.30"))
    for title in ("Søvn\nog hvile", "Søvn\tog hvile", "Pris \u202e05", "a\u2028b", "a\0b"):
        assert not validator.is_valid(_course(title=title)), repr(title)
    for date in ("20270422", "2027W164", "\u0662\u0660\u0662\u0667-\u0660\u0664-\u0662\u0662"):
        assert not validator.is_valid(_course(date=date)), date
    assert not validator.is_valid(_course(start="\u0661\u0660:\u0660\u0660"))
