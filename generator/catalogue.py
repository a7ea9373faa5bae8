"""Read a catalogue: load every source, check it, and assemble the model.

    file bytes ──load──▶ located tree ──schema──▶ record     (per file: check_file, cached)
    records ──assemble──▶ Catalogue ──rules──▶ diagnostics  (the whole catalogue)

This is the one entry point the command line and the MkDocs plugin share.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from . import schema
from .diagnostics import Diagnostic, Pos, problem
from .ids import is_id, make_id
from .cache import FileCache
from .load import Mapping, load, read_bytes, tree_at
from .guides import check_guide
from .model import (FIVE_WAYS, Brand, Catalogue, Consent, Contact, Course, Guide, Offering,
                    Registration, School, Session, SignUpDefaults, Teacher, Theme, Venue, Where)

SOURCE_DIRS = ("schools", "teachers", "courses", "guides", "sites")
BRAND_FILE = "brand.yaml"
SUFFIXES = {"schools": (".yaml", ".yml"), "teachers": (".yaml", ".yml"),
            "courses": (".yaml", ".yml"), "guides": (".md",), "sites": ()}


@dataclass(frozen=True)
class Context:
    """What rules need besides the model."""

    root: Path
    today: dt.date
    declared: dict[str, set[str]]  # ids that have a file, even one that failed to load


@dataclass(frozen=True)
class Result:
    catalogue: Catalogue
    diagnostics: list[Diagnostic]
    context: Context
    files: int  # source files read

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


@dataclass(frozen=True)
class FileResult:
    """All that is learnt from one file on its own: a pure function of its bytes."""

    record: dict | None  # converted values, None if the file is unusable
    problems: tuple[Diagnostic, ...]
    declares: dict[str, tuple[str, ...]]  # venue and theme ids, read even from a broken school


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds courses/, teachers/ or schools/."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if folder.is_dir() and any((folder / d).is_dir() for d in SOURCE_DIRS):
            return folder
    return start if start.is_dir() else start.parent


def source_files(root: Path) -> dict[str, list[str]]:
    """Source file names (relative, sorted) by kind. A brand is sites/<name>/brand.yaml."""
    found = {}
    for kind in SOURCE_DIRS:
        folder = root / kind
        names = os.listdir(folder) if folder.is_dir() else []
        if kind == "sites":
            found[kind] = sorted(f"sites/{n}/{BRAND_FILE}" for n in names
                                 if (folder / n / BRAND_FILE).is_file())
            continue
        found[kind] = sorted(f"{kind}/{n}" for n in names
                             if n.endswith(SUFFIXES[kind]) and not n.startswith("."))
    return found


def file_id_of(kind: str, name: str) -> str:
    """The id a source file gives: its name, or for a brand its folder's name."""
    if kind == "sites":
        return name.split("/")[1]
    return name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def check_file(kind: str, name: str, data: bytes) -> FileResult:
    """Load one file and check it against the schema of its kind."""
    file_id = file_id_of(kind, name)
    if kind == "guides":
        record, problems = check_guide(name, data)
        if not is_id(file_id):
            problems.append(problem("N001", Pos(name, 1, 1), value=name.rsplit("/", 1)[-1],
                                    suggestion=make_id(file_id)))
        return FileResult(record, tuple(problems), {})
    tree, problems = load(data, name)
    if not is_id(file_id):
        problems.append(problem("N001", Pos(name, 1, 1), value=file_id + ".yaml",
                                suggestion=make_id(file_id)))
    declares = {}
    if kind == "schools" and isinstance(tree, Mapping):
        declares = {"venues": tuple(_keys(tree, "venues")), "themes": tuple(_keys(tree, "themes"))}
    record = None
    if tree is not None:
        record, more = schema.convert(kind, tree, schema.BRAND if kind == "sites" else None)
        problems.extend(more)
    return FileResult(record, tuple(problems), declares)


def read_catalogue(root: Path, today: dt.date, use_cache: bool = True) -> Result:
    root = root.resolve()
    # Loading makes hundreds of thousands of small objects and no reference cycles; the cyclic
    # collector would spend half the time looking for garbage that is not there.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(root, today, FileCache(root) if use_cache else None)
    finally:
        if collecting:
            gc.enable()


def _read(root: Path, today: dt.date, cache: FileCache | None) -> Result:
    from .rules import run_rules  # rules import the model; keep the import graph one-way

    tree_at.cache_clear()  # files may have changed since the last read (mkdocs serve)
    files = source_files(root)
    diagnostics: list[Diagnostic] = []
    records: dict[str, dict[str, tuple[str, dict]]] = {kind: {} for kind in SOURCE_DIRS}
    declared: dict[str, set[str]] = {kind: set() for kind in SOURCE_DIRS}
    declared["venues"] = set()
    declared["themes"] = {t.id for t in FIVE_WAYS}
    root_text = str(root)
    for kind, names in files.items():
        first_file: dict[str, str] = {}
        for name in names:
            path = os.path.join(root_text, name)
            data, problems = read_bytes(path, name)
            if data is None:
                diagnostics.extend(problems)
                continue
            result = cache.get(name, data) if cache else None
            if result is None:
                result = check_file(kind, name, data)
                if cache:
                    cache.put(name, data, result)
            file_id = file_id_of(kind, name)
            if file_id in first_file:  # x.yaml and x.yml
                diagnostics.append(problem("N002", Pos(name, 1, 1), value=name,
                                           other=first_file[file_id]))
                continue
            first_file[file_id] = name
            declared[kind].add(file_id)
            for what, ids in result.declares.items():
                declared[what].update(ids)
            diagnostics.extend(result.problems)
            if result.record is not None:
                records[kind][file_id] = (path, result.record)
    if cache:
        cache.save()

    catalogue, assembly_problems = assemble(records, root)
    diagnostics.extend(assembly_problems)
    context = Context(root, today, declared)
    diagnostics.extend(run_rules(catalogue, context))
    # A rule may meet the same mistake twice (a course team shared by two offerings).
    diagnostics = sorted(set(diagnostics), key=Diagnostic.sort_key)
    return Result(catalogue, diagnostics, context, sum(len(n) for n in files.values()))


def _keys(tree, name: str) -> list[str]:
    node = tree.items.get(name) if isinstance(tree, Mapping) else None
    return list(node.items) if isinstance(node, Mapping) else []


def _tuple(values) -> tuple:
    return tuple(values or ())


def assemble(records: dict[str, dict[str, tuple[str, dict]]],
             root: Path) -> tuple[Catalogue, list[Diagnostic]]:
    """Build the model from the records that passed the schema; report clashing ids."""
    root_text = str(root) + os.sep
    problems: list[Diagnostic] = []

    def where(path: str) -> Where:
        return Where(path, path.removeprefix(root_text).replace(os.sep, "/"))

    schools: dict[str, School] = {}
    venues: dict[str, Venue] = {}
    themes: dict[str, Theme] = {t.id: t for t in FIVE_WAYS}
    for school_id, (path, r) in records["schools"].items():
        here = where(path)
        for venue_id, v in r.get("venues", {}).items():
            if venue_id in venues:
                problems.append(problem("R306", here.pos("venues", venue_id), kind="Stedet",
                                        value=venue_id, other=venues[venue_id].source.name))
                continue
            venues[venue_id] = Venue(
                venue_id, school_id, v["name"], v["address"], v["postal_code"], v["city"],
                v["accessibility"], v.get("directions", ""), _tuple(v.get("rooms")),
                source=here + ("venues", venue_id))
        school_themes = []
        for theme_id, t in r.get("themes", {}).items():
            if theme_id in themes:
                other = "de indbyggede fem veje" if themes[theme_id].builtin else \
                    f"schools/{themes[theme_id].school_id}.yaml"
                problems.append(problem("R306", here.pos("themes", theme_id), kind="Temaet",
                                        value=theme_id, other=other))
                continue
            themes[theme_id] = Theme(theme_id, t["name"], t.get("description", ""), False,
                                     school_id)
            school_themes.append(theme_id)
        contact = r["contact"]
        if not (contact.get("email") or contact.get("phone")):
            problems.append(problem("S110", here.pos("contact")))
        sign_up = r.get("registration", {})
        schools[school_id] = School(
            school_id, r["name"], r["municipality"],
            Contact(contact.get("email"), contact.get("phone"), contact.get("address")),
            about=r.get("about", ""), website=r.get("website"),
            registration=SignUpDefaults(sign_up.get("email"), sign_up.get("url"),
                                        sign_up.get("phone"), sign_up.get("note")),
            co_production_required=r.get("co_production_required", True),
            provider_note=r.get("provider_note", ""), first_time=r.get("first_time", ""),
            venue_ids=tuple(v for v in r.get("venues", {}) if venues[v].school_id == school_id),
            theme_ids=tuple(school_themes), source=here)

    teachers = {}
    for teacher_id, (path, r) in records["teachers"].items():
        c = r.get("consent", {})
        photo = r.get("photo")
        teachers[teacher_id] = Teacher(
            teacher_id, r["name"], tuple(r["roles"]), r.get("title", ""), r.get("bio", ""),
            (Path("teachers") / photo).as_posix() if photo else None,
            Consent(c.get("profile"), c.get("photo"), c.get("display", "full"),
                    c.get("withdrawn")),
            source=where(path))

    courses = {}
    for course_id, (path, r) in records["courses"].items():
        here = where(path)
        school = schools.get(r["school"])
        offerings = []
        used_keys: dict[str, int] = {}
        for index, o in enumerate(r["offerings"]):
            at = here + ("offerings", index)
            sessions = tuple(Session(s["date"], s["start"], s["end"], s.get("topic", ""),
                                     s.get("room"), source=at + ("sessions", number))
                             for number, s in enumerate(o["sessions"]))
            if not sessions:
                continue
            key = o.get("key") or sessions[0].date.isoformat()
            if key in used_keys:
                hint = ("Giv holdene hver sin 'key', fx 'foraar' og 'foraar-2'." if "key" not in o
                        else "Giv holdene forskellige 'key'.")
                problems.append(problem("O603", at.pos("key"), value=key, hint=hint,
                                        other=(here + ("offerings", used_keys[key])).pos().line))
                continue
            used_keys[key] = index
            offerings.append(Offering(
                key, course_id, o["venue"], o["status"], sessions,
                _registration(o.get("registration", {}), r.get("registration", {}), school),
                _tuple(o["teachers"] if "teachers" in o else r.get("teachers")),
                room=o.get("room"), capacity=o.get("capacity"),
                status_note=o.get("status_note", ""), note=o.get("note", ""),
                own_team="teachers" in o, source=at))
        courses[course_id] = Course(
            course_id, r["title"], r["summary"], r["description"], _tuple(r["themes"]),
            _tuple(r["audience"]), r["school"], tuple(offerings),
            outcomes=_tuple(r.get("outcomes")), formats=_tuple(r.get("formats")),
            teacher_ids=_tuple(r.get("teachers")), guide_ids=_tuple(r.get("guides")),
            certificate=r.get("certificate", False), source=here)

    guides = {}
    for guide_id, (path, r) in records["guides"].items():
        guides[guide_id] = Guide(
            guide_id, r["title"], r["summary"], _tuple(r["audience"]), _tuple(r.get("themes")),
            r["version"], r["license"], _tuple(r["formats"]), r["body"], r["body_line"],
            tuple(r["shortcodes"]), tuple(r["images"]), source=where(path))

    brands = {}
    for brand_id, (path, r) in records["sites"].items():
        folder = f"sites/{brand_id}"
        contact = r["contact"]
        brands[brand_id] = Brand(
            brand_id, r["name"], r["municipality"], f"{folder}/{r['logo']}",
            r["colors"]["primary"], r["colors"]["accent"],
            Contact(contact.get("email"), contact.get("phone"), contact.get("address")),
            r["site_url"], favicon=f"{folder}/{r['favicon']}" if r.get("favicon") else None,
            footer=r.get("footer", ""), language=r.get("language", "da"),
            school_ids=_tuple(r.get("schools")), venue_ids=_tuple(r.get("venues")),
            privacy_url=r.get("privacy_url"), accessibility_url=r.get("accessibility_url"),
            calendar_reminder=r.get("calendar_reminder", True),
            teacher_guides=r.get("teacher_guides", True), source=where(path))

    frozen = MappingProxyType
    return Catalogue(frozen(schools), frozen(venues), frozen(themes), frozen(teachers),
                     frozen(courses), frozen(guides), frozen(brands)), problems


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
