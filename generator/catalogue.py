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

from . import schema, texts
from .diagnostics import Diagnostic, Pos, problem
from .ids import is_id, make_id, short_id
from .cache import FileCache
from .load import Mapping, load, read_bytes, tree_at
from .guides import check_guide
from .model import (FIVE_WAYS, Brand, Catalogue, Consent, Contact, Cost, Course, EnrolFirst,
                    Eligibility, Guide, Offering, Partner, Quota, Registration, School,
                    SchoolDefaults, Session, SignUpDefaults, Teacher, Theme, Venue, Waitlist,
                    Where)
from .recurrence import Break, zone_of_country
from .recurrence import from_record as recurrence_from

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
            # lexists, not is_file: a brand file that is a pipe or a broken link is reported
            # (Y011) when it is read, not skipped.
            found[kind] = sorted(f"sites/{n}/{BRAND_FILE}" for n in names
                                 if os.path.lexists(folder / n / BRAND_FILE))
            continue
        found[kind] = sorted(f"{kind}/{n}" for n in names
                             if n.endswith(SUFFIXES[kind]) and not n.startswith("."))
    return found


# Files a source folder holds besides its sources: photos next to the teachers, images next to
# the guides, in subfolders too. They are read when a source names them (rules/files.py).
COMPANIONS = {"teachers": schema.PHOTO_TYPES, "guides": schema.IMAGE_TYPES}
# Left by the operating system, not by a person; like files whose name starts with a dot
# (.DS_Store, .git, an editor's .x.yaml.swp), nobody needs to hear that they are not read.
SYSTEM_FILES = {"thumbs.db", "desktop.ini", "icon\r"}
_LEFTOVERS = ("~", ".bak", ".orig", ".tmp", ".swp", ".old")


def _quiet(name: str) -> bool:
    return name.startswith(".") or name.lower() in SYSTEM_FILES


def unread_files(root: Path) -> list[Diagnostic]:
    """A warning (N004) for every file in a source folder that nothing will read, and why.

    A course saved as x.yaml.txt or put in courses/2027/ would otherwise just be missing from
    the site, and a green check would say nothing.
    """
    found = []
    for kind in ("courses", "teachers", "schools", "guides"):
        top = os.path.join(root, kind)
        for folder, subfolders, names in os.walk(top):
            nested = folder != top
            # A folder named like a source is reported as unreadable (Y011) by itself.
            subfolders[:] = sorted(d for d in subfolders if not _quiet(d)
                                   and (nested or not d.endswith(SUFFIXES[kind])))
            relative = os.path.relpath(folder, root).replace(os.sep, "/")
            for name in sorted(names):
                if _quiet(name):
                    continue
                why = _why_unread(kind, name, nested)
                if why:
                    found.append(problem("N004", Pos(f"{relative}/{name}", 1, 1),
                                         reason=why[0], hint=why[1]))
    sites = root / "sites"
    for name in sorted(os.listdir(sites)) if sites.is_dir() else []:
        if _quiet(name):
            continue
        path = sites / name
        if not path.is_dir():
            found.append(problem("N004", Pos(f"sites/{name}", 1, 1),
                                 reason="filer direkte i sites/ bliver ikke læst",
                                 hint=f"Hver udgave har sin egen mappe med en {BRAND_FILE}, "
                                      f"fx sites/{name.split('.')[0]}/{BRAND_FILE}."))
        elif not os.path.lexists(path / BRAND_FILE):
            for inner in sorted(n for n in os.listdir(path) if not _quiet(n)):
                hint = (f"Omdøb filen til '{BRAND_FILE}'." if inner.lower() in
                        ("brand.yaml", "brand.yml") else
                        f"Læg en {BRAND_FILE} i mappen, eller slet mappen.")
                found.append(problem("N004", Pos(f"sites/{name}/{inner}", 1, 1),
                                     reason=f"mappen sites/{name}/ har ingen {BRAND_FILE}",
                                     hint=hint))
    return found


def _why_unread(kind: str, name: str, nested: bool) -> tuple[str, str] | None:
    """Why a file in a source folder is not read, and what to do; None if it is used."""
    lower = name.lower()
    suffixes = SUFFIXES[kind]
    if lower.endswith(COMPANIONS.get(kind, ())):
        return None
    if nested:
        return (f"mapper inde i {kind}/ bliver ikke læst",
                f"Læg filen direkte i {kind}/, hvis den skal med.")
    if name.endswith(suffixes):
        return None
    wanted = suffixes[0]
    if lower.endswith(suffixes):
        stem, suffix = name.rsplit(".", 1)
        return (f"endelsen .{suffix} skal skrives med små bogstaver",
                f"Omdøb filen til '{stem}.{suffix.lower()}'.")
    if lower.endswith(_LEFTOVERS) or name.startswith("#"):
        return ("det ligner en sikkerhedskopi fra et tekstprogram",
                "Slet filen, hvis du ikke skal bruge den.")
    for suffix in suffixes:
        if suffix + "." in lower:
            stem = name[:lower.index(suffix + ".")]
            return (f"filnavnet skal ende på {suffix}, men ender på .{name.rsplit('.', 1)[1]}",
                    f"Omdøb filen til '{stem}{suffix}'. Windows skjuler måske den sidste "
                    f"endelse; slå 'Filtypenavne' til under 'Vis' i Stifinder.")
    if kind in COMPANIONS:
        other = "fotos" if kind == "teachers" else "billeder"
        return (f"kun filer, der ender på {wanted}, og {other} "
                f"({', '.join(COMPANIONS[kind])}) bliver brugt",
                f"Flyt filen ud af {kind}/, hvis den ikke hører til her.")
    return (f"kun filer, der ender på {wanted}, bliver læst",
            f"Omdøb filen til '{name.rsplit('.', 1)[0]}{wanted}', hvis den skal med, eller flyt "
            f"den ud af {kind}/.")


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
                                    suggestion=short_id(file_id)))
        return FileResult(record, tuple(problems), {})
    tree, problems = load(data, name)
    if not is_id(file_id):
        problems.append(problem("N001", Pos(name, 1, 1), value=file_id + ".yaml",
                                suggestion=short_id(file_id)))
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
            data, problems = read_bytes(path, name, root_text)
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
    diagnostics.extend(unread_files(root))

    catalogue, assembly_problems = assemble(records, root, today)
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


def assemble(records: dict[str, dict[str, tuple[str, dict]]], root: Path,
             today: dt.date | None = None) -> tuple[Catalogue, list[Diagnostic]]:
    """Build the model from the records that passed the schema; report clashing ids.

    `today` bounds the expansion of ongoing groups (recurrence.py); without it (a brand read
    on its own) recurring offerings are expanded from their first date.
    """
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
                country=(v.get("country") or "DK").upper(),
                timezone=_venue_zone(v), source=here + ("venues", venue_id), written=frozenset(v))
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
                                        sign_up.get("phone"), sign_up.get("note"),
                                        sign_up.get("closed", "")),
            defaults=_school_defaults(r.get("defaults")),
            co_production_required=r.get("co_production_required", True),
            provider_note=r.get("provider_note", ""),
            led_by_allowed=_tuple(r.get("led_by_allowed")),
            enrol_first=EnrolFirst(r["enrol_first"]["how"], r["enrol_first"].get("url"))
            if r.get("enrol_first") else None,
            first_time=r.get("first_time", ""),
            venue_ids=tuple(v for v in r.get("venues", {}) if venues[v].school_id == school_id),
            theme_ids=tuple(school_themes),
            timezone=r.get("timezone"),
            breaks=tuple(Break(b["from"], b["until"], b.get("note", ""))
                         for b in r.get("breaks") or ()),
            source=here)

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
        own, r = r, _inherit(r, school)  # `own`: what the file itself says
        offerings = []
        used_keys: dict[str, int] = {}
        for index, o in enumerate(r["offerings"]):
            at = here + ("offerings", index)
            recurrence = None
            offering_zone = _offering_zone(o.get("venue"), school, venues)

            def session_zone(venue_id):
                venue = venues.get(venue_id) if venue_id else None
                return venue.timezone if venue is not None else offering_zone

            if "sessions" in o:
                sessions = tuple(Session(s["date"], s["start"], s["end"], s.get("topic", ""),
                                         s.get("room"), s.get("end_date"),
                                         teacher_ids=_tuple(s["teachers"])
                                         if "teachers" in s else None,
                                         venue_id=s.get("venue"),
                                         timezone=session_zone(s.get("venue") or o.get("venue")),
                                         source=at + ("sessions", number))
                                 for number, s in enumerate(o["sessions"]))
                if "recurrence" in o:
                    problems.append(problem("T212", at.pos("recurrence")))
            elif "recurrence" in o:
                venue = venues.get(o.get("venue")) if o.get("venue") else None
                country = venue.country if venue is not None else (
                    venues[school.venue_ids[0]].country if school and school.venue_ids else "DK")
                recurrence = recurrence_from(o["recurrence"], school.breaks if school else (),
                                             country)
                rule_at = at + ("recurrence",)
                sessions = tuple(_recurring_session(recurrence, day, rule_at, session_zone)
                                 for day in recurrence.dates(today or recurrence.first))
                if not sessions:
                    if recurrence.until is not None and recurrence.until < recurrence.first:
                        problems.append(problem("T209", rule_at.pos("until"),
                                                until=recurrence.until.isoformat(),
                                                first=recurrence.first.isoformat()))
                    else:
                        problems.append(problem("T211", rule_at.pos()))
                    continue
            elif at.find("recurrence") is not None or at.find("sessions") is not None:
                continue  # written but unusable: the schema has said why (S118, T201 ...)
            else:
                problems.append(problem(
                    "S101", at.pos(), fields="'sessions'", where=" i et hold", s="et",
                    hint="Skriv undervisningsgangene under 'sessions:', eller et mønster under "
                         "'recurrence:' for et hold, der gentager sig."))
                continue
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
                key, course_id, o.get("venue"), o["status"], sessions,
                _registration(o.get("registration", {}), r.get("registration", {}), school,
                              own_note="note" in (o.get("registration") or {})
                              or "note" in (own.get("registration") or {})),
                _tuple(o["teachers"] if "teachers" in o else r.get("teachers")),
                room=o.get("room"), capacity=o.get("capacity"),
                status_note=o.get("status_note", ""), note=o.get("note", ""),
                own_team="teachers" in o, recurrence=recurrence,
                attendance=o.get("attendance", "in-person"), online_url=o.get("online_url"),
                online_note=o.get("online_note", ""),
                led_by=o.get("led_by") or r.get("led_by", "co-taught"),
                led_by_reason=o.get("led_by_reason", ""),
                places_left=o.get("places_left"), places_updated=o.get("places_updated"),
                waitlist=_waitlist(o.get("waitlist")),
                quotas=tuple(Quota(q["group"], q["places"]) for q in o.get("quotas") or ()),
                name=o.get("name", ""),
                language=o["language"].lower() if o.get("language") else None,
                timezone=offering_zone, source=at, written=frozenset(o)))
        courses[course_id] = Course(
            course_id, r["title"], r["summary"], r["description"], _tuple(r["themes"]),
            _tuple(r["audience"]), r["school"], tuple(offerings),
            outcomes=_tuple(r.get("outcomes")), formats=_tuple(r.get("formats")),
            teacher_ids=_tuple(r.get("teachers")), guide_ids=_tuple(r.get("guides")),
            certificate=r.get("certificate", False), led_by=r.get("led_by", "co-taught"),
            led_by_reason=r.get("led_by_reason", ""), eligibility=_eligibility(r.get("eligibility")),
            language=(r.get("language") or "da").lower(),
            cost=Cost(r["cost"]["price"], r["cost"]["covers"]) if r.get("cost") else None,
            enrol_first=r.get("enrol_first", True), requires=_tuple(r.get("requires")),
            partner=_partner(r.get("partner")), also_school_ids=_tuple(r.get("also_schools")),
            defaults_source=school.source + ("defaults",)
            if school is not None and school.defaults is not None and school.source else None,
            source=here, written=frozenset(own))

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
            teacher_guides=r.get("teacher_guides", True), texts=texts.read(root, brand_id),
            source=where(path))

    frozen = MappingProxyType
    return Catalogue(frozen(schools), frozen(venues), frozen(themes), frozen(teachers),
                     frozen(courses), frozen(guides), frozen(brands)), problems


# --- issue 23 (fields-a): time zones and changed dates ---------------------------------------

def _venue_zone(v: dict) -> str:
    """The venue's zone as written, else its country's; a country with no default is
    reported by T231 and meanwhile reads as Danish time."""
    return v.get("timezone") or zone_of_country((v.get("country") or "DK").upper()) \
        or "Europe/Copenhagen"


def _offering_zone(venue_id: str | None, school: School | None, venues: dict) -> str:
    """The venue's zone; for an online offering the school's `timezone`, else its first
    venue's zone, else Danish time."""
    if venue_id and venue_id in venues:
        return venues[venue_id].timezone
    if school is not None and school.timezone:
        return school.timezone
    if school is not None and school.venue_ids:
        return venues[school.venue_ids[0]].timezone
    return "Europe/Copenhagen"


def _recurring_session(rule, day: dt.date, rule_at: Where, session_zone) -> Session:
    """One date of a pattern, with its change (`changes`) if it has one."""
    for number, change in enumerate(rule.changes):
        if change.date == day and not change.cancelled:
            return Session(day, change.start or rule.start, change.end or rule.end,
                           change.topic, change.room, teacher_ids=change.teacher_ids,
                           venue_id=change.venue_id, timezone=session_zone(change.venue_id),
                           note=change.note, changed=True,
                           source=rule_at + ("changes", number))
    return Session(day, rule.start, rule.end, timezone=session_zone(None), source=rule_at)

# --- issue 23 (fields-b): school defaults and partners ------------------------------------

def _school_defaults(d: dict | None) -> SchoolDefaults | None:
    if d is None:
        return None
    return SchoolDefaults(tuple(sorted((d.get("registration") or {}).items())),
                          _eligibility(d.get("eligibility")),
                          Cost(d["cost"]["price"], d["cost"]["covers"]) if d.get("cost") else None,
                          d.get("language"))


def _inherit(course: dict, school: School | None) -> dict:
    """The course's record with what it does not say taken from its school's `defaults`.

    Eligibility, cost and language are whole values: a course that writes its own replaces
    the school's (`eligibility: {}` = open to everyone). Registration is one more layer under
    the course's, field by field, as the course's is under the offering's.
    """
    defaults = school.defaults if school is not None else None
    if defaults is None:
        return course
    merged = dict(course)
    if defaults.registration:
        merged["registration"] = {**dict(defaults.registration), **course.get("registration", {})}
    for name, value in (("eligibility", defaults.eligibility), ("cost", defaults.cost),
                        ("language", defaults.language)):
        if name not in course and value is not None:
            merged[name] = _record_of(value)
    return merged


def _record_of(value):
    """A model value back as the record the schema gives, for `_inherit`."""
    if isinstance(value, Cost):
        return {"price": value.price, "covers": value.covers}
    if isinstance(value, Eligibility):
        return {k: v for k, v in (("min_age", value.min_age), ("max_age", value.max_age),
                                  ("residence", value.residence), ("groups", value.groups),
                                  ("of", value.of), ("note", value.note),
                                  ("match", value.match)) if v not in (None, "", ())}
    return value


def _partner(p: dict | None) -> Partner | None:
    if not p:
        return None
    return Partner(p["name"], p.get("url"), p.get("note", ""))


def _waitlist(w: dict | None) -> Waitlist | None:
    if not w:
        return None
    return Waitlist(w.get("email"), w.get("phone"), w.get("url"), w.get("note", ""))


def _eligibility(e: dict | None) -> Eligibility | None:
    if not e:
        return None
    return Eligibility(e.get("min_age"), e.get("max_age"), e.get("residence", ""),
                       _tuple(e.get("groups")), e.get("of", ""), e.get("note", ""),
                       e.get("match", "all"))


def _registration(offering: dict, course: dict, school: School | None,
                  own_note: bool = False) -> Registration:
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
        note=pick("note") or defaults.note, own_note=own_note,
        closed=pick("closed") or defaults.closed)
