"""Read a catalogue: load every source, check it, and assemble the model.

    sources ──load──▶ located trees ──schema──▶ records ──assemble──▶ Catalogue ──rules──▶ diagnostics

This is the one entry point the command line and the MkDocs plugin share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from . import schema
from .diagnostics import Diagnostic, Pos, problem
from .ids import is_id, make_id
from .load import Mapping, Source, load_file
from .model import (FIVE_WAYS, Catalogue, Consent, Contact, Course, Offering, Registration,
                    School, Session, SignUpDefaults, Teacher, Theme, Venue)

SOURCE_DIRS = ("schools", "teachers", "courses")
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Context:
    """What rules need besides the model."""

    root: Path
    today: dt.date
    declared: dict[str, set[str]]  # ids that have a file, even one that failed to load
    sources: dict[str, Source]  # by relative file name


@dataclass(frozen=True)
class Result:
    catalogue: Catalogue
    diagnostics: list[Diagnostic]
    context: Context

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds courses/, schools/ or mkdocs.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if folder.is_dir() and any((folder / d).is_dir() for d in SOURCE_DIRS):
            return folder
    return start if start.is_dir() else start.parent


def source_files(root: Path) -> dict[str, list[Path]]:
    found = {}
    for kind in SOURCE_DIRS:
        folder = root / kind
        found[kind] = sorted(p for p in folder.iterdir()
                             if p.suffix in SUFFIXES and p.is_file()) if folder.is_dir() else []
    return found


def read_catalogue(root: Path, today: dt.date) -> Result:
    from .rules import run_rules  # rules import the model; keep the import graph one-way

    root = root.resolve()
    files = source_files(root)
    diagnostics: list[Diagnostic] = []
    records: dict[str, dict[str, schema.Record]] = {kind: {} for kind in SOURCE_DIRS}
    sources: dict[str, Source] = {}
    declared: dict[str, set[str]] = {kind: set() for kind in SOURCE_DIRS}
    for kind, paths in files.items():
        for path in paths:
            source = load_file(path, root)
            sources[source.name] = source
            diagnostics.extend(source.problems)
            file_id = path.stem
            declared[kind].add(file_id)
            if not is_id(file_id):
                diagnostics.append(problem("N001", Pos(source.name, 1, 1), value=path.name,
                                           suggestion=make_id(file_id)))
            if source.tree is None:
                continue
            record, problems = schema.convert(kind, source.tree)
            diagnostics.extend(problems)
            if record is not None:
                records[kind][file_id] = record
    # Venue and theme ids live inside school files; declare them even if the school is broken.
    declared["venues"] = {v for s in sources.values() if s.name.startswith("schools/")
                          for v in _keys(s.tree, "venues")}
    declared["themes"] = {t.id for t in FIVE_WAYS} | {
        t for s in sources.values() if s.name.startswith("schools/") for t in _keys(s.tree, "themes")}
    guides = root / "guides"
    declared["guides"] = {p.stem for p in guides.glob("*.md")} if guides.is_dir() else set()

    catalogue, assembly_problems = assemble(records, root, frozenset(declared["guides"]))
    diagnostics.extend(assembly_problems)
    context = Context(root, today, declared, sources)
    diagnostics.extend(run_rules(catalogue, context))
    diagnostics.sort(key=Diagnostic.sort_key)
    return Result(catalogue, diagnostics, context)


def _keys(tree, name: str) -> list[str]:
    node = tree.items.get(name) if isinstance(tree, Mapping) else None
    return list(node.items) if isinstance(node, Mapping) else []


def _tuple(values) -> tuple:
    return tuple(values or ())


def assemble(records: dict[str, dict[str, schema.Record]], root: Path,
             guide_ids: frozenset[str]) -> tuple[Catalogue, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    schools: dict[str, School] = {}
    venues: dict[str, Venue] = {}
    themes: dict[str, Theme] = {t.id: t for t in FIVE_WAYS}
    for school_id, r in records["schools"].items():
        for venue_id, v in r.get("venues", {}).items():
            if venue_id in venues:
                problems.append(problem("R306", r.at("venues", venue_id), kind="Stedet",
                                        value=venue_id, other=venues[venue_id].pos.file))
                continue
            venues[venue_id] = Venue(
                venue_id, school_id, v["name"], v["address"], v["postal_code"], v["city"],
                v["accessibility"], v.get("directions", ""), _tuple(v.get("rooms")),
                pos=r.at("venues", venue_id), spots=v.spots)
        school_themes = []
        for theme_id, t in r.get("themes", {}).items():
            if theme_id in themes:
                other = "de indbyggede fem veje" if themes[theme_id].builtin else \
                    f"schools/{themes[theme_id].school_id}.yaml"
                problems.append(problem("R306", r.at("themes", theme_id), kind="Temaet",
                                        value=theme_id, other=other))
                continue
            themes[theme_id] = Theme(theme_id, t["name"], t.get("description", ""), False,
                                     school_id)
            school_themes.append(theme_id)
        contact = r["contact"]
        sign_up = r.get("registration", {})
        schools[school_id] = School(
            school_id, r["name"], r["municipality"],
            Contact(contact.get("email"), contact.get("phone"), contact.get("address")),
            about=r.get("about", ""), website=r.get("website"),
            registration=SignUpDefaults(sign_up.get("email"), sign_up.get("url"),
                                        sign_up.get("phone"), sign_up.get("note")),
            co_production_required=r.get("co_production_required", True),
            provider_note=r.get("provider_note", ""),
            venue_ids=tuple(v for v in r.get("venues", {}) if venues.get(v) and
                            venues[v].school_id == school_id),
            theme_ids=tuple(school_themes), pos=r.pos, spots=r.spots)

    teachers = {}
    for teacher_id, r in records["teachers"].items():
        c = r.get("consent", {})
        photo = r.get("photo")
        teachers[teacher_id] = Teacher(
            teacher_id, r["name"], tuple(r["roles"]), r.get("title", ""), r.get("bio", ""),
            (Path("teachers") / photo).as_posix() if photo else None,
            Consent(c.get("profile"), c.get("photo"), c.get("display", "full"),
                    c.get("withdrawn")),
            pos=r.pos, spots=r.spots)

    courses = {}
    for course_id, r in records["courses"].items():
        school = schools.get(r["school"])
        offerings = []
        used_keys: dict[str, Pos] = {}
        for index, o in enumerate(r["offerings"]):
            sessions = tuple(Session(s["date"], s["start"], s["end"], s.get("topic", ""),
                                     s.get("room"), pos=s.pos, spots=s.spots)
                             for s in o["sessions"])
            if not sessions:
                continue
            key = o.get("key") or sessions[0].date.isoformat()
            if key in used_keys:
                problems.append(problem("O603", o.at("key") if "key" in o else o.pos,
                                        value=key, other=used_keys[key].line))
                continue
            used_keys[key] = o.pos
            offerings.append(Offering(
                key, course_id, o["venue"], o["status"], sessions,
                _registration(o.get("registration", {}), r.get("registration", {}), school),
                _tuple(o.get("teachers") or r.get("teachers")),
                room=o.get("room"), capacity=o.get("capacity"),
                status_note=o.get("status_note", ""), note=o.get("note", ""),
                pos=o.pos, spots=o.spots))
        courses[course_id] = Course(
            course_id, r["title"], r["summary"], r["description"], _tuple(r["themes"]),
            _tuple(r["audience"]), r["school"], tuple(offerings),
            outcomes=_tuple(r.get("outcomes")), formats=_tuple(r.get("formats")),
            teacher_ids=_tuple(r.get("teachers")), guide_ids=_tuple(r.get("guides")),
            certificate=r.get("certificate", False), pos=r.pos, spots=r.spots)

    frozen = MappingProxyType
    return Catalogue(frozen(schools), frozen(venues), frozen(themes), frozen(teachers),
                     frozen(courses), guide_ids), problems


def _registration(offering: dict, course: dict, school: School | None) -> Registration:
    """Offering fields win over course fields; the school supplies the contact channels."""

    def pick(name):
        for layer in (offering, course):
            if layer.get(name) is not None:
                return layer[name]
        return None

    defaults = school.registration if school else SignUpDefaults()
    channels_given = any(pick(n) for n in ("email", "url", "phone"))
    required = pick("required")
    return Registration(
        required=True if required is None else required,
        email=pick("email") if channels_given else defaults.email,
        url=pick("url") if channels_given else defaults.url,
        phone=pick("phone") if channels_given else defaults.phone,
        opens=pick("opens"), deadline=pick("deadline"),
        note=pick("note") or defaults.note)
