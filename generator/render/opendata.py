"""Open data: the build's selection as a Frictionless Data Package: CSV resources with Table
Schemas (types, constraints, primary and foreign keys), validated with frictionless before it
is published, and the page that describes it.

Teachers are published with consented, public fields only: a teacher without consent is not
in `teachers`, and offerings carry only the roles of their team ("peer professional").
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

from ..ids import ID_PATTERN, make_id
from ..schema import (ATTENDANCE, AUDIENCES, FORMATS, GROUPS, LEAD_FORMS, MATCHES, ROLES,
                      STATUSES)
from ..select import Selection
from ..templating import rhythm, strings
from ..model import zone
from .calendars import rrule_of
from . import Asset, Build, Page, Site

LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


def _field(name, kind="string", description="", required=False, **constraints):
    field = {"name": name, "type": kind, "description": description}
    if kind == "date":
        field["format"] = "%Y-%m-%d"
    if kind == "time":
        field["format"] = "%H:%M"
    if required:
        constraints["required"] = True
    if constraints:
        field["constraints"] = constraints
    return field


ID = {"pattern": ID_PATTERN}

SCHEMAS = {
    "themes": {
        "fields": [
            _field("id", description="Temaets id", required=True, unique=True, **ID),
            _field("name", description="Navn", required=True),
            _field("description", description="Kort forklaring"),
            _field("five_ways", "boolean", "En af de fem veje til et godt liv", required=True),
        ],
        "primaryKey": ["id"],
    },
    "schools": {
        "fields": [
            _field("id", description="Skolens id", required=True, unique=True, **ID),
            _field("name", description="Navn", required=True),
            _field("municipality", description="Kommune eller region", required=True),
            _field("email", description="Kontakt-e-mail"),
            _field("phone", description="Kontakttelefon"),
            _field("website", description="Hjemmeside"),
            _field("co_production_required", "boolean",
                   "Kurserne undervises af en peer og en fagprofessionel sammen", required=True),
            _field("led_by_allowed", description="Andre ledelsesformer, skolen tillader, "
                   "adskilt af mellemrum: " + ", ".join(LEAD_FORMS[1:])),
            _field("enrol_first", description="Sådan bliver man optaget som studerende, før "
                   "man kan melde sig til (tom: ingen optagelse)"),
            _field("enrol_first_url", description="Link til optagelse"),
        ],
        "primaryKey": ["id"],
    },
    "venues": {
        "fields": [
            _field("id", description="Stedets id", required=True, unique=True, **ID),
            _field("school_id", description="Skolen, stedet hører til", required=True),
            _field("name", description="Navn", required=True),
            _field("address", description="Vej og nummer", required=True),
            _field("postal_code", description="Postnummer; fire cifre i Danmark", required=True),
            _field("city", description="By", required=True),
            _field("country", description="Landekode (ISO 3166-1 alpha-2)", required=True,
                   pattern="^[A-Z]{2}$"),
            _field("accessibility", description="Adgangsforhold", required=True),
            _field("directions", description="Sådan kommer du derhen"),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["school_id"],
                         "reference": {"resource": "schools", "fields": ["id"]}}],
    },
    "teachers": {
        "fields": [
            _field("id", description="Underviserens id", required=True, unique=True, **ID),
            _field("name", description="Navn, som underviseren har sagt ja til at vise",
                   required=True),
            _field("title", description="Titel"),
            _field("roles", description="Roller, adskilt af mellemrum: peer, relative, "
                   "professional", required=True),
            _field("url", description="Profilside"),
        ],
        "primaryKey": ["id"],
    },
    "courses": {
        "fields": [
            _field("id", description="Kursets id", required=True, unique=True, **ID),
            _field("title", description="Titel", required=True),
            _field("summary", description="Kort beskrivelse", required=True),
            _field("school_id", description="Skolen, der udbyder kurset", required=True),
            _field("themes", description="Temaer (id), adskilt af mellemrum", required=True),
            _field("audience", description="Målgrupper: " + ", ".join(AUDIENCES),
                   required=True),
            _field("formats", description="Arbejdsformer: " + ", ".join(FORMATS)),
            _field("certificate", "boolean", "Kursisterne får kursusbevis", required=True),
            _field("co_produced", "boolean", "Undervises af en peer og en fagprofessionel",
                   required=True),
            _field("led_by", description="Hvem der leder: " + ", ".join(LEAD_FORMS),
                   required=True, enum=list(LEAD_FORMS)),
            _field("led_by_reason", description="Begrundelse, når kurset ikke er samskabt"),
            _field("language", description="Undervisningssprog (ISO 639-1)", required=True,
                   pattern="^[a-z]{2}$"),
            _field("price", "integer", "Pris i kroner; 0 = gratis", required=True, minimum=0),
            _field("cost_covers", description="Hvad prisen dækker, eller hvad der er med"),
            _field("min_age", "integer", "Laveste alder", minimum=0),
            _field("max_age", "integer", "Højeste alder", minimum=0),
            _field("residence", description="Bopæl, man skal have (kommune eller region)"),
            _field("eligible_groups", description="Grupper, der må komme, adskilt af "
                   "mellemrum: " + ", ".join(GROUPS)),
            _field("eligible_of", description="Hvis patienter, pårørende eller medarbejdere: "
                   "hvor"),
            _field("eligibility_note", description="Hvem der må komme, med egne ord"),
            # issue 23 (fields-b)
            _field("eligibility_match", description="all = alle betingelser skal være opfyldt; "
                   "any = én af dem er nok", enum=list(MATCHES)),
            _field("enrol_first", "boolean", "Skolens krav om at melde sig ind først gælder "
                   "kurset", required=True),
            _field("requires", description="Kurser (id), man skal have gået på først, adskilt "
                   "af mellemrum"),
            _field("partner_name", description="Organisation, kurset laves i samarbejde med"),
            _field("partner_url", description="Link til samarbejdspartneren"),
            _field("partner_note", description="Om samarbejdet"),
            _field("also_schools", description="Andre skoler (id), der også udbyder kurset, "
                   "adskilt af mellemrum"),
            _field("url", description="Kursets side"),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["school_id"],
                         "reference": {"resource": "schools", "fields": ["id"]}}],
    },
    "offerings": {
        "fields": [
            _field("id", description="Holdets id: kursus/nøgle", required=True, unique=True),
            _field("course_id", description="Kurset", required=True),
            _field("key", description="Holdets nøgle i kurset", required=True, **ID),
            _field("venue_id", description="Stedet; tomt, når holdet kun er online"),
            _field("attendance", description="Deltagelse: " + ", ".join(ATTENDANCE),
                   required=True, enum=list(ATTENDANCE)),
            _field("online_url", description="Offentligt link til at deltage online"),
            _field("online_note", description="Sådan får man linket"),
            _field("led_by", description="Hvem der leder holdet: " + ", ".join(LEAD_FORMS),
                   required=True, enum=list(LEAD_FORMS)),
            _field("recurrence", description="Gentagelsen som RRULE (RFC 5545), fx "
                   "FREQ=WEEKLY;BYDAY=MO; tom: enkelte datoer i sessions"),
            _field("rhythm", description="Gentagelsen i ord"),
            _field("ongoing", "boolean", "Fortløbende: ingen slutdato; sessions viser et halvt "
                   "år frem", required=True),
            _field("excluded_dates", description="Datoer uden undervisning, adskilt af "
                   "mellemrum"),
            _field("places_left", "integer", "Ledige pladser ved seneste opdatering",
                   minimum=0),
            _field("places_updated", "date", "Dato for 'places_left'"),
            _field("waitlist_email", description="E-mail til ventelisten"),
            _field("waitlist_phone", description="Telefon til ventelisten"),
            _field("waitlist_url", description="Link til ventelisten"),
            _field("quotas", description="Pladser til grupper, fx '15 borgere; 5 medarbejdere'"),
            _field("room", description="Lokale"),
            _field("capacity", "integer", "Antal pladser", minimum=1),
            _field("status", description="Status", required=True, enum=list(STATUSES)),
            _field("status_note", description="Begrundelse ved aflysning eller udsættelse"),
            _field("first_date", "date", "Første undervisningsgang", required=True),
            _field("last_date", "date", "Sidste undervisningsgang", required=True),
            _field("registration_required", "boolean", "Kræver tilmelding", required=True),
            _field("sign_up_url", description="Link til tilmelding"),
            _field("sign_up_email", description="E-mail til tilmelding"),
            _field("sign_up_phone", description="Telefon til tilmelding"),
            _field("registration_opens", "date", "Tilmeldingen åbner"),
            _field("registration_deadline", "date", "Sidste frist for tilmelding"),
            _field("registration_closed", description="Lukket for tilmelding: hvorfor, og til "
                   "hvornår; tom = ikke lukket"),
            _field("teachers", description="Undervisere, der vises med navn (id), adskilt af "
                   "mellemrum"),
            _field("team_roles", description="Hele teamets roller, adskilt af mellemrum: "
                   + ", ".join(ROLES)),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [
            {"fields": ["course_id"], "reference": {"resource": "courses", "fields": ["id"]}},
            {"fields": ["venue_id"], "reference": {"resource": "venues", "fields": ["id"]}},
        ],
    },
    "sessions": {
        "fields": [
            _field("offering_id", description="Holdet", required=True),
            _field("number", "integer", "Nummer i holdet, fra 1", required=True, minimum=1),
            _field("date", "date", "Dato", required=True),
            _field("start", "time", "Start, dansk tid", required=True),
            _field("end", "time", "Slut, dansk tid", required=True),
            _field("end_date", "date", "Afrejsedag, når en gang varer flere dage"),
            _field("topic", description="Emne"),
            _field("room", description="Lokale"),
        ],
        "primaryKey": ["offering_id", "number"],
        "foreignKeys": [{"fields": ["offering_id"],
                         "reference": {"resource": "offerings", "fields": ["id"]}}],
    },
}

# --- issue 23 (fields-a): columns a catalogue has only when it uses the field ------------
# A package of a catalogue without these fields stays byte for byte what it was; one that uses
# them gets the column, filled for every row, at the end of its table.
_SITE_ZONE = "Europe/Copenhagen"
OPTIONAL = {
    "schools": [
        _field("timezone", description="Tidszone (IANA) for skolens onlinehold"),
        _field("breaks", description="Pauser, som skolens gentagne hold holder: "
               "'fra/til navn', adskilt af semikolon"),
    ],
    "venues": [_field("timezone", description="Tidszone (IANA), fx Europe/London; tiderne på "
                      "stedet er lokal tid i den")],
    "offerings": [
        _field("name", description="Holdets navn, fx 'Temagruppe'"),
        _field("language", description="Holdets eget undervisningssprog (ISO 639-1); tomt: "
               "kursets", pattern="^[a-z]{2}$"),
        _field("timezone", description="Tidszone (IANA) for holdets tider"),
    ],
    "sessions": [
        _field("timezone", description="Tidszone (IANA): 'start' og 'end' er lokal tid i den"),
        _field("venue_id", description="Stedet netop denne gang, når det ikke er holdets"),
        _field("note", description="Kort besked om netop denne gang"),
    ],
}


def _used(value) -> bool:
    return value not in (None, "", _SITE_ZONE)


def schemas_for(tables: dict[str, list[dict]]) -> dict[str, dict]:
    """The Table Schemas, with each optional column that some row of its table uses."""
    found = {}
    for name, schema in SCHEMAS.items():
        extra = [f for f in OPTIONAL.get(name, ())
                 if any(_used(row.get(f["name"])) for row in tables.get(name, ()))]
        found[name] = {**schema, "fields": schema["fields"] + extra} if extra else schema
    return found


TITLES = {"themes": "Temaer", "schools": "Skoler", "venues": "Steder", "teachers": "Undervisere",
          "courses": "Kurser", "offerings": "Hold", "sessions": "Undervisningsgange"}


def _words(values) -> str:
    return " ".join(values)


def schools_of(selection: Selection) -> tuple:
    """The build's schools, and the owner of every venue it lists. An offering may be held
    at another school's venue (a borrowed room; docs/koordinator/ says so), and a brand may
    list venues of any school: the venue's row names its owner, so the owner has a row too,
    or the foreign key venues.school_id points at nothing."""
    ids = {s.id for s in selection.schools} | {v.school_id for v in selection.venues}
    return tuple(selection.catalogue.schools[s] for s in sorted(ids)
                 if s in selection.catalogue.schools)


def rows(selection: Selection, site: Site) -> dict[str, list[dict]]:
    """The tables of one build, in the order their foreign keys need."""
    sel, catalogue = selection, selection.catalogue
    url = site.url
    tables: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    for theme in sel.themes:
        tables["themes"].append({"id": theme.id, "name": theme.name,
                                 "description": theme.description, "five_ways": theme.builtin})
    for school in schools_of(sel):
        tables["schools"].append({
            "id": school.id, "name": school.name, "municipality": school.municipality,
            "email": school.contact.email, "phone": school.contact.phone,
            "website": school.website, "co_production_required": school.co_production_required,
            "led_by_allowed": _words(school.led_by_allowed),
            "enrol_first": school.enrol_first.how if school.enrol_first else None,
            "enrol_first_url": school.enrol_first.url if school.enrol_first else None,
            "timezone": school.timezone,
            "breaks": "; ".join(f"{b.start.isoformat()}/{b.until.isoformat()}"
                                + (f" {b.note}" if b.note else "") for b in school.breaks)})
    for venue in sel.venues:
        tables["venues"].append({
            "id": venue.id, "school_id": venue.school_id, "name": venue.name,
            "address": venue.address, "postal_code": venue.postal_code, "city": venue.city,
            "accessibility": venue.accessibility, "directions": venue.directions,
            "country": venue.country, "timezone": venue.timezone})
    shown = {t.id for t in sel.teachers}
    school_of = lambda course: catalogue.schools.get(course.school_id)  # noqa: E731
    for teacher in sel.teachers:
        tables["teachers"].append({
            "id": teacher.id, "name": teacher.public_name(sel.today), "title": teacher.title,
            "roles": _words(teacher.roles),
            "url": f"{url}undervisere/{teacher.id}/" if url else None})
    for course in sel.courses:
        tables["courses"].append({
            "id": course.id, "title": course.title, "summary": course.summary,
            "school_id": course.school_id, "themes": _words(course.theme_ids),
            "audience": _words(course.audience), "formats": _words(course.formats),
            "certificate": course.certificate, "co_produced": catalogue.co_produced(course),
            "led_by": catalogue.led_by(course),
            "led_by_reason": catalogue.led_by_reason(course)
            if catalogue.led_by(course) != "co-taught" else None,
            "language": course.language, "price": course.cost.price if course.cost else 0,
            "cost_covers": course.cost.covers if course.cost else None,
            **_eligibility(course.eligibility),
            "enrol_first": bool(course.enrol_first and school_of(course)
                                and school_of(course).enrol_first),
            "requires": _words(course.requires),
            "partner_name": course.partner.name if course.partner else None,
            "partner_url": course.partner.url if course.partner else None,
            "partner_note": course.partner.note if course.partner else None,
            "also_schools": _words(course.also_school_ids),
            "url": f"{url}kurser/{course.id}/" if url else None})
        for offering in course.offerings:
            offering_id = f"{course.id}/{offering.key}"
            sign_up = offering.registration
            team = sel.team(course, offering)
            tables["offerings"].append({
                "id": offering_id, "course_id": course.id, "key": offering.key,
                "venue_id": offering.venue_id, "room": offering.room,
                "capacity": offering.capacity, "status": offering.status,
                "status_note": offering.status_note, "first_date": offering.first_date,
                "last_date": offering.last_date, "registration_required": sign_up.required,
                "sign_up_url": sign_up.url, "sign_up_email": sign_up.email,
                "sign_up_phone": sign_up.phone, "registration_opens": sign_up.opens,
                "registration_deadline": sign_up.deadline,
                "registration_closed": sign_up.closed,
                "teachers": _words(t.id for t in team if t.id in shown),
                "team_roles": _words(t.main_role for t in team),
                "name": offering.name, "language": offering.language,
                "timezone": offering.timezone,
                **_shape(catalogue, course, offering, sel.today)})
            for number, session in enumerate(offering.sessions, start=1):
                tables["sessions"].append({
                    "offering_id": offering_id, "number": number, "date": session.date,
                    "start": session.start, "end": session.end, "end_date": session.end_date,
                    "topic": session.topic,
                    "room": session.room or offering.room,
                    "timezone": session.timezone, "note": session.note,
                    "venue_id": session.venue_id if session.venue_id != offering.venue_id
                    else None})
    return tables


def _eligibility(rule) -> dict:
    if rule is None:
        return {}
    return {"min_age": rule.min_age, "max_age": rule.max_age, "residence": rule.residence,
            "eligible_groups": _words(rule.groups), "eligible_of": rule.of,
            "eligibility_note": rule.note, "eligibility_match": rule.match}


def _excluded(rule, today) -> list:
    """Written exceptions, then cancelled dates, breaks and skipped holidays (issue 23)."""
    more = (set(rule.cancelled) | set(rule.skipped(today))) - set(rule.exceptions)
    return [*rule.exceptions, *sorted(more)]


def _shape(catalogue, course, offering, today) -> dict:
    rule, waitlist = offering.recurrence, offering.waitlist
    return {
        "attendance": offering.attendance, "online_url": offering.online_url,
        "online_note": offering.online_note, "led_by": catalogue.led_by(course, offering),
        "recurrence": rrule_of(rule, tz=zone(offering.timezone)).to_ical().decode()
        if rule else None,
        "rhythm": rhythm(rule) if rule else None, "ongoing": offering.ongoing,
        "excluded_dates": _words(d.isoformat() for d in _excluded(rule, today)) if rule
        else None,
        "places_left": offering.places_left, "places_updated": offering.places_updated,
        "waitlist_email": waitlist.email if waitlist else None,
        "waitlist_phone": waitlist.phone if waitlist else None,
        "waitlist_url": waitlist.url if waitlist else None,
        "quotas": "; ".join(f"{q.places} {q.group}" for q in offering.quotas)}


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection). OWASP's
# advice: prefix such a cell with a single quote, which spreadsheets show as text. Typed cells
# (dates, times, numbers, booleans) and ids never start with them, so only text is changed.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def to_csv(name: str, table: list[dict], schemas: dict | None = None) -> bytes:
    out = io.StringIO()
    fields = [f["name"] for f in (schemas or SCHEMAS)[name]["fields"]]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for row in table:
        writer.writerow([_cell(row.get(f)) for f in fields])
    return out.getvalue().encode("utf-8")


def _about(selection: Selection) -> str:
    """What the courses are, claiming "free" or "open to all" only when every course is."""
    facts, words = selection.facts, strings()["facts"]
    return words["description"].format(
        what=words["description_free" if facts.share(facts.free) == "all"
                   else "description_courses"].lower(),
        open=words["description_open"] if facts.share(facts.open_to_all) == "all" else "")


def descriptor(selection: Selection, site: Site, schemas: dict | None = None) -> dict:
    schemas = schemas or SCHEMAS
    publisher = {"title": site.name, "role": "publisher"}
    if site.url:
        publisher["path"] = site.url
    package = {
        "name": make_id(site.name) + "-kursuskatalog",
        "title": f"{site.name}: kursuskatalog",
        "description": ("Kurser, hold og undervisningsgange fra recoveryskolernes katalog: "
                        + _about(selection) + " Undervisere vises kun med deres samtykke. En tekst, der begynder med "
                        "=, +, -, @, tabulator eller linjeskift, har en ' foran, så et regneark "
                        "ikke læser den som en formel."),
        "licenses": [LICENSE],
        "contributors": [publisher],
        "created": dt.datetime.combine(selection.today, dt.time(), dt.timezone.utc)
                     .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "keywords": ["recovery", "recoveryskole", "kurser", "mental sundhed"],
        "language": site.language,
        "resources": [
            {"name": name, "path": f"{name}.csv", "title": TITLES[name], "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource",
             "schema": schemas[name]}
            for name in schemas],
    }
    if site.url:
        package["homepage"] = site.url
    return package


def package_files(selection: Selection, site: Site) -> dict[str, bytes]:
    """data/<name>.csv for every table, and data/datapackage.json."""
    tables = rows(selection, site)
    schemas = schemas_for(tables)
    files = {f"{name}.csv": to_csv(name, table, schemas) for name, table in tables.items()}
    files["datapackage.json"] = (json.dumps(descriptor(selection, site, schemas),
                                            ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


class PackageInvalid(Exception):
    """frictionless found problems; the message lists them, row by row."""


def validate_files(files: dict[str, bytes]) -> None:
    """Validate the package with frictionless; raise PackageInvalid with its own messages."""
    import tempfile

    from frictionless import validate

    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
        report = validate(str(Path(folder) / "datapackage.json"))
        if report.valid:
            return
        lines = []
        for task in report.tasks:
            for error in task.errors:
                where = f"data/{task.name}.csv"
                if getattr(error, "row_number", None):
                    where += f", række {error.row_number}"
                if getattr(error, "field_name", None):
                    where += f", felt {error.field_name}"
                lines.append(f"{where}: {_said_in_danish(error)}")
        for error in report.errors:
            lines.append(f"datapackage.json: {_said_in_danish(error)}")
        raise PackageInvalid("\n".join(lines))


def _said_in_danish(error) -> str:
    """frictionless' finding in Danish, with the values it is about."""
    if error.type == "foreign-key":
        row = ", ".join(c for c in getattr(error, "cells", [])[:2] if c)
        return (f"rækken '{row}' henviser til {', '.join(error.field_names)} "
                f"'{', '.join(error.field_cells)}', som ikke findes i "
                f"data/{error.reference_name}.csv i denne udgave (fx et sted, en underviser "
                f"eller en skole, som brandet ikke har med)")
    if error.type in ("primary-key", "unique-error"):
        return f"'{getattr(error, 'cell', '')}' står to gange, men skal være entydig"
    if error.type in ("missing-cell", "required-error") or (
            error.type == "constraint-error" and getattr(error, "cell", None) in ("", None)):
        return "mangler en værdi"
    if error.type in ("type-error", "constraint-error"):
        return f"'{getattr(error, 'cell', '')}' er ikke en gyldig værdi her"
    return f"de åbne data er ikke gyldige (frictionless: {error.type})"


def write_package(selection: Selection, site: Site, out: Path) -> list[Path]:
    files = package_files(selection, site)
    validate_files(files)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


def _validated_once(root: Path, files: dict[str, bytes]) -> None:
    """validate_files, skipped when these very bytes were found valid before (issue 25: it was
    5.7 % of every build). A valid package leaves an empty marker in .cache/opendata/ named by
    a hash of every file's name and bytes and of frictionless' version; an invalid one leaves
    nothing, so it is reported on every build until it is fixed."""
    from importlib.metadata import version

    if not (root / ".cache").is_dir():  # no build cache here (reading made none): no marker
        validate_files(files)
        return
    digest = hashlib.sha256(version("frictionless").encode())
    for name in sorted(files):
        digest.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    marker = root / ".cache" / "opendata" / f"{digest.hexdigest()}.valid"
    if marker.is_file():
        return
    validate_files(files)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only checkout validates every time


def plan(build: Build) -> list[Page | Asset]:
    """data/<name>.csv, data/datapackage.json and the page about them; raises PackageInvalid."""
    files = package_files(build.selection, build.site)
    _validated_once(build.root, files)
    t = strings()["opendata"]
    schemas = json.loads(files["datapackage.json"])["resources"]
    return [Page("data/index.md", "opendata.html", t["title"], t["lead"],
                 {"schemas": {r["name"]: r["schema"] for r in schemas}, "titles": TITLES}),
            *(Asset(f"data/{name}", data) for name, data in files.items())]
