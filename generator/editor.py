"""The browser editor: a Decap CMS configuration made from the schema, and its admin page.

`catalogue editor --out DIR` writes DIR/config.yml, DIR/index.html, DIR/catalogue-editor.js and
a copy of the pinned decap-cms bundle from node_modules, so the page loads nothing from another
origin. The collections' fields come from schema.py, so the form cannot offer a field that
`catalogue check` refuses, nor miss one it accepts.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .ids import ID_PATTERN
from .model import FIVE_WAYS
from .schema import COURSE, GUIDE, SCHOOL, TEACHER, Field
from .templating import TEMPLATES

DECAP = Path("node_modules") / "decap-cms" / "dist"
BACKENDS = ("github", "gitlab", "gitea")
PKCE = ("gitlab", "gitea")  # GitHub's login needs an OAuth helper at --base-url instead
# Where each back end's API lives unless --api-root says otherwise; the page may talk to it.
API_ROOTS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4",
             "gitea": "https://gitea.com/api/v1"}
BASE_URLS = {"github": "https://github.com", "gitlab": "https://gitlab.com",
             "gitea": "https://gitea.com"}

_TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
_PATTERNS = {
    "id": [ID_PATTERN, "Kun små bogstaver a-z, tal og bindestreg, fx 'center-for-mestring'."],
    "time": [_TIME_PATTERN, "Skriv klokkeslættet som TT:MM, fx 10:00."],
    "email": [r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "Skriv en e-mailadresse, fx kontor@skolen.dk."],
    "url": [r"^https?://\S+$", "Skriv et link, der starter med https://."],
    "phone": [r"^\+?[0-9][0-9 ()-]{6,}[0-9]$", "Skriv et telefonnummer, fx 86 12 34 56."],
    "postal": [r"^[0-9]{4}$", "Skriv et postnummer med fire cifre, fx 8900."],
}
# Optional groups shown unfolded; the others (a recurrence, a cost, ...) start folded away.
_OPEN = {"registration", "consent"}
# Text fields that hold a sentence or more get a bigger box.
_LONG = {"summary", "accessibility", "directions", "provider_note", "status_note", "note",
         "description", "address", "led_by_reason", "online_note", "covers", "how", "closed"}
_STATUS_LABELS = {"open": "Åben", "few-places": "Få pladser", "full": "Fuldt",
                  "waitlist": "Venteliste", "cancelled": "Aflyst", "postponed": "Udsat"}
_CHOICE_LABELS = {"status": _STATUS_LABELS,
                  "display": {"full": "Fulde navn", "first-name": "Kun fornavn"},
                  "audience": {"paaroerende": "pårørende"},
                  "attendance": {"in-person": "Fremmøde", "online": "Online",
                                 "hybrid": "Hybrid (fremmøde og online)"},
                  "led_by": {"co-taught": "Samskabt (erfaring og fag)", "peers": "Peers",
                             "relatives": "Pårørende", "external": "Ekstern udbyder"},
                  "led_by_allowed": {"peers": "Peers", "relatives": "Pårørende",
                                     "external": "Ekstern udbyder"},
                  "frequency": {"weekly": "Hver uge (eller hver N. uge)",
                                "monthly": "Én gang om måneden"},
                  "groups": {"patients": "patienter", "relatives": "pårørende",
                             "staff": "medarbejdere", "students": "studerende"},
                  "match": {"all": "Alle skal være opfyldt", "any": "Én af dem er nok"},
                  "roles": {"peer": "peer (erfaringskompetence)", "relative": "relative (pårørende)",
                            "professional": "professional (fagprofessionel)"}}
_LABELS = {"title": "Titel", "summary": "Kort beskrivelse", "description": "Beskrivelse",
           "outcomes": "Det får du med dig", "themes": "Temaer", "formats": "Arbejdsform",
           "audience": "Målgruppe", "school": "Skole", "teachers": "Undervisere",
           "guides": "Materialer", "certificate": "Kursusbevis", "registration": "Tilmelding",
           "offerings": "Hold", "key": "Holdets nøgle", "venue": "Sted", "room": "Lokale",
           "capacity": "Pladser", "status": "Status", "status_note": "Begrundelse for status",
           "note": "Besked", "sessions": "Undervisningsgange", "date": "Dato",
           "start": "Start", "end": "Slut", "topic": "Emne", "required": "Tilmelding kræves",
           "email": "E-mail", "url": "Link", "phone": "Telefon", "opens": "Tilmelding åbner",
           "deadline": "Sidste frist", "name": "Navn", "roles": "Roller", "bio": "Præsentation",
           "photo": "Foto", "consent": "Samtykke", "profile": "Samtykke til navn og tekst",
           "display": "Visning af navn", "withdrawn": "Samtykket trukket tilbage",
           "municipality": "Kommune", "about": "Om skolen", "website": "Hjemmeside",
           "contact": "Kontakt", "address": "Adresse",
           "co_production_required": "Samskabelse kræves",
           "provider_note": "Om udbyderen", "version": "Udgave", "license": "Licens",
           "body": "Tekst", "offering": "hold", "session": "undervisningsgang",
           "end_date": "Slutdato (ophold)", "recurrence": "Gentagelse", "frequency": "Hyppighed", "interval": "Hver N. uge/måned",
           "weekday": "Ugedag", "position": "Hvilken i måneden", "from": "Fra dato",
           "until": "Til dato", "except": "Aflyste datoer", "extra": "Ekstra datoer",
           "attendance": "Fremmøde eller online", "online_url": "Link til online deltagelse",
           "online_note": "Om online deltagelse", "places_left": "Ledige pladser",
           "places_updated": "Ledige pladser opdateret", "waitlist": "Venteliste",
           "quotas": "Forbeholdte pladser", "quota": "kvote", "group": "Gruppe",
           "places": "Pladser", "led_by": "Ledes af", "led_by_reason": "Begrundelse for "
           "ledelsesform", "eligibility": "Hvem må komme", "min_age": "Mindste alder",
           "max_age": "Højeste alder", "residence": "Bopæl", "groups": "Grupper",
           "of": "Hvor (gruppen)", "language": "Sprog", "cost": "Pris", "price": "Pris (kr.)",
           "covers": "Prisen dækker", "led_by_allowed": "Tilladte ledelsesformer",
           "enrol_first": "Optagelse først", "how": "Sådan bliver man optaget",
           "first_time": "Din første gang",
           # issue 23 (fields-b)
           "closed": "Lukket for tilmelding", "match": "Betingelserne",
           "requires": "Kræver først", "partner": "Samarbejdspartner",
           "also_schools": "Også udbudt af", "defaults": "Standard for skolens kurser"}

# Why a teacher's profile needs dated consent, shown where the dates are filled in.
CONSENT_HINT = (
    "At stå som peer-underviser fortæller, at man selv har haft psykisk sygdom; som "
    "pårørende-underviser, at en i familien har. Det er helbredsoplysninger, som loven beskytter "
    "særligt (GDPR artikel 9). Derfor vises navn, tekst og foto kun med et samtykke med dato, og "
    "foto kræver sit eget. Gem selve erklæringen der, hvor skolen gemmer den slags; her står "
    "kun datoen. Uden samtykke vises kun rollen.")
_HINTS = {
    ("teacher", "roles"): "peer = erfaringskompetence, relative = pårørende, professional = "
                          "fagprofessionel. Rollen er en helbredsoplysning: se Samtykke nedenfor.",
    ("teacher", "bio"): "Kort præsentation. Vises kun med samtykke. Skriv aldrig om sygdom, "
                        "diagnoser, medicin eller indlæggelser.",
    ("consent", "profile"): "Dato for samtykke til at vise navn og tekst. Udfyld den først, når "
                            "underviseren har skrevet under.",
    ("consent", "photo"): "Dato for et særskilt samtykke til foto. Fotoet vises kun, når der "
                          "også er samtykke til navn og tekst.",
    ("consent", "withdrawn"): "Dato, samtykket blev trukket tilbage. Fra den dag vises kun "
                              "rollen. Slet ikke de andre datoer.",
    ("offering", "venue"): "Stedet på skolen. Listen er stederne i skolefilerne, da editoren "
                           "blev lavet; et nyt sted skrives i skolens fil.",
    ("course", "themes"): "De fem veje og skolernes egne temaer.",
}
_SCHEMA_FILES = {"course": "course", "teacher": "teacher", "school": "school"}


@dataclass(frozen=True)
class Backend:
    name: str = "github"
    repo: str = "OWNER/REPO"
    branch: str = "main"
    app_id: str | None = None
    base_url: str | None = None
    api_root: str | None = None
    local_url: str | None = "http://127.0.0.1:8081/api/v1"


def _choices(catalogue_root: Path) -> tuple[list[dict], list[dict]]:
    """Theme and venue options from the school files as they are now."""
    themes = [{"label": t.name, "value": t.id} for t in FIVE_WAYS]
    venues = []
    for path in sorted((catalogue_root / "schools").glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue  # `catalogue check` reports it; the editor still opens
        if not isinstance(data, dict):
            continue
        school = str(data.get("name") or path.stem)
        for key, venue in (data.get("venues") or {}).items():
            name = venue.get("name", key) if isinstance(venue, dict) else key
            venues.append({"label": f"{name} ({school})", "value": str(key)})
        for key, theme in (data.get("themes") or {}).items():
            name = theme.get("name", key) if isinstance(theme, dict) else key
            themes.append({"label": f"{name} ({school})", "value": str(key)})
    return themes, venues


def _hint(owner: str, spec: Field) -> str:
    return _HINTS.get((owner, spec.name), spec.doc)


def widget(spec: Field, owner: str, options: dict) -> dict:
    """One schema field as a Decap field."""
    field = {"name": spec.name, "label": _LABELS.get(spec.name, spec.name),
             "required": spec.required}
    hint = _hint(owner, spec)
    if hint:
        field["hint"] = hint
    kind = spec.kind
    relation = options["relations"].get((owner, spec.name))
    if relation:
        field.update(relation)
        if kind == "list":
            field.update(multiple=True, min=spec.minimum or 0)
        return field
    if kind == "struct":
        children = [widget(f, spec.name, options) for f in spec.fields]
        if not spec.required:
            # Decap checks an optional group's required fields even when the group is left
            # empty, so no course could be saved without a recurrence or a cost. In the form
            # they are optional; `catalogue check` still wants them once the group is used.
            for child in children:
                if child["required"]:
                    child["required"] = False
                    child["hint"] = (child.get("hint", "") + " Skal udfyldes, når "
                                     f"'{field['label']}' bruges.").strip()
        field.update(widget="object", collapsed=not spec.required and spec.name not in _OPEN,
                     fields=children)
        if spec.name == "consent":
            field.update(hint=CONSENT_HINT, label="Samtykke (helbredsoplysning)")
    elif kind == "list" and spec.item.kind == "struct":
        field.update(widget="list", fields=[widget(f, spec.item.name, options)
                                            for f in spec.item.fields],
                     label_singular=_LABELS.get(spec.item.name, spec.item.name),
                     collapsed=False, summary=_SUMMARIES.get(spec.item.name, ""))
        if spec.minimum:
            field["min"] = spec.minimum
    elif kind == "list" and spec.item.kind == "enum":
        field.update(widget="select", multiple=True, options=_options(spec.item))
        if spec.minimum:
            field["min"] = spec.minimum
    elif kind == "list":
        field.update(widget="list", field=widget(spec.item, owner, options) | {"label": field["label"]})
    elif kind == "enum":
        field.update(widget="select", options=_options(spec))
    elif kind == "markdown":
        # Images would need a media library; the site shows none in these texts.
        field.update(widget="markdown", buttons=["bold", "italic", "link", "heading-two",
                                                 "heading-three", "bulleted-list",
                                                 "numbered-list", "quote"],
                     editor_components=[], modes=["rich_text", "raw"])
    elif kind == "date":
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="DD-MM-YYYY",
                     time_format=False, picker_utc=True)
    elif kind == "int":
        field.update(widget="number", value_type="int")
        if spec.minimum is not None:
            field["min"] = spec.minimum
    elif kind == "bool":
        field.update(widget="boolean")
        if (owner, spec.name) in (("course", "enrol_first"), ("registration", "required")):
            # Decap starts a boolean at false; these mean "yes" when absent, and a school's
            # `defaults` must not make every course drop-in because a group was opened.
            field["default"] = True
    else:
        field["widget"] = "text" if kind == "text" and spec.name in _LONG else "string"
        if kind in _PATTERNS:
            field["pattern"] = _PATTERNS[kind]
    return field


_SUMMARIES = {"offering": "{{fields.venue}} – {{fields.status}}",
              "session": "{{fields.date}} {{fields.start}}-{{fields.end}}"}


def _options(spec: Field) -> list:
    labels = _CHOICE_LABELS.get(spec.name, {})
    return [{"label": labels.get(c, c), "value": c} for c in spec.choices]


def _relations(themes: list[dict], venues: list[dict]) -> dict:
    def to(collection: str, label: str) -> dict:
        return {"widget": "relation", "collection": collection, "value_field": "{{slug}}",
                "search_fields": [label], "display_fields": [label]}

    theme_select = {"widget": "select", "options": themes}
    return {
        ("course", "school"): to("schools", "name"),
        ("course", "teachers"): to("teachers", "name"),
        ("offering", "teachers"): to("teachers", "name"),
        ("course", "guides"): to("guides", "title"),
        ("course", "requires"): to("courses", "title"),
        ("course", "also_schools"): to("schools", "name"),
        ("course", "themes"): theme_select,
        ("guide", "themes"): theme_select,
        ("offering", "venue"): ({"widget": "select", "options": venues} if venues
                                else {"widget": "string", "pattern": _PATTERNS["id"]}),
    }


def _fields(spec: Field, options: dict, skip=()) -> list[dict]:
    fields = [widget(f, spec.name, options) for f in spec.fields if f.name not in skip]
    schema = _SCHEMA_FILES.get(spec.name)
    if schema:
        # Decap drops comments when it reads a file but writes a field's `comment` above it:
        # on the first field that puts the schema modeline back on line 1.
        fields[0]["comment"] = f"yaml-language-server: $schema=../schemas/{schema}.schema.json"
    return fields


SLUG = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}


def decap_config(catalogue_root: Path, backend: Backend) -> dict:
    themes, venues = _choices(catalogue_root)
    options = {"relations": _relations(themes, venues)}
    back = {"name": backend.name, "repo": backend.repo, "branch": backend.branch,
            "commit_messages": {"create": "Nyt: {{collection}} {{slug}}",
                                "update": "Ret: {{collection}} {{slug}}",
                                "delete": "Slet: {{collection}} {{slug}}",
                                "uploadMedia": "Upload {{path}}",
                                "deleteMedia": "Slet {{path}}"}}
    if backend.name in PKCE:
        # The browser logs in by itself (PKCE): no OAuth server of one's own is needed.
        back["auth_type"] = "pkce"
    if backend.app_id:
        back["app_id"] = backend.app_id
    if backend.base_url:
        back["base_url"] = backend.base_url
    if backend.api_root:
        back["api_root"] = backend.api_root
    if backend.name == "gitea" and not backend.api_root:
        back["api_root"] = API_ROOTS["gitea"]
    collection = {"extension": "yaml", "format": "yaml", "create": True, "delete": False,
                  "editor": {"preview": False}}
    config = {
        "backend": back,
        "locale": "da",
        "publish_mode": "simple",
        "media_folder": "teachers",
        "public_folder": "",
        "slug": SLUG,
        "collections": [
            {**collection, "name": "courses", "label": "Kurser", "label_singular": "kursus",
             "description": COURSE.doc, "folder": "courses", "slug": "{{title}}",
             "identifier_field": "title", "summary": "{{title}}",
             "fields": _fields(COURSE, options)},
            {**collection, "name": "teachers", "label": "Undervisere",
             "label_singular": "underviser", "description": TEACHER.doc + " " + CONSENT_HINT,
             "folder": "teachers", "slug": "{{name}}", "identifier_field": "name",
             "summary": "{{name}}", "fields": _fields(TEACHER, options)},
            # Venues and a school's own themes are maps (id: details), which Decap's widgets
            # cannot write; they stay in the file untouched and are edited there.
            {**collection, "name": "schools", "label": "Skoler", "label_singular": "skole",
             "description": SCHOOL.doc + " Steder og skolens egne temaer rettes i skolens fil.",
             "folder": "schools", "slug": "{{name}}", "identifier_field": "name",
             "create": False, "summary": "{{name}}",
             "fields": _fields(SCHOOL, options, skip=("venues", "themes"))},
            {**collection, "name": "guides", "label": "Materialer", "label_singular": "materiale",
             "description": GUIDE.doc, "folder": "guides", "extension": "md",
             "format": "frontmatter", "slug": "{{title}}", "identifier_field": "title",
             "summary": "{{title}}",
             "fields": _fields(GUIDE, options) + [
                 {"name": "body", "label": "Tekst", "widget": "markdown",
                  "hint": "Selve materialet (Markdown)."}]},
        ],
    }
    if backend.local_url:
        config["local_backend"] = {"url": backend.local_url}
    return config


def _order(spec: Field) -> dict:
    """The key order of a kind of file, nested, for the script that tidies a save."""
    if spec.kind == "struct":
        return {"keys": [f.name for f in spec.fields],
                "fields": {f.name: _order(f) for f in spec.fields
                           if f.kind in ("struct", "list", "map")}}
    if spec.kind == "list" and spec.item.kind == "struct":
        return {"items": _order(spec.item)}
    return {}


def connect_sources(backend: Backend) -> list[str]:
    """The origins the page may fetch from: the back end's API and the local proxy."""
    urls = [backend.api_root or API_ROOTS[backend.name]]
    if backend.name in PKCE:
        urls.append(backend.base_url or BASE_URLS[backend.name])  # the PKCE token exchange
    if backend.local_url:
        urls.append(backend.local_url)
    origins = []
    for url in urls:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


class _NoAliases(yaml.SafeDumper):
    """Writes shared option lists out in full: a coordinator reading config.yml meets no &id001."""

    def ignore_aliases(self, data):
        return True


def find_decap(root: Path) -> Path | None:
    for base in (root, Path(__file__).resolve().parent.parent):
        if (base / DECAP / "decap-cms.js").is_file():
            return base / DECAP
    return None


def write_editor(root: Path, out: Path, backend: Backend) -> int:
    decap = find_decap(root)
    if decap is None:
        print("catalogue: decap-cms mangler i node_modules. Kør 'npm ci' i mappen med "
              "package.json, og prøv igen.", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    config = decap_config(root, backend)
    (out / "config.yml").write_text(
        "# Lavet af 'catalogue editor' ud fra generator/schema.py. Ret ikke i hånden.\n"
        + yaml.dump(config, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8")
    env = Environment(loader=FileSystemLoader(TEMPLATES / "editor"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    order = {"courses": _order(COURSE), "teachers": _order(TEACHER),
             "schools": _order(SCHOOL), "guides": _order(GUIDE)}
    (out / "catalogue-editor.js").write_text(
        env.get_template("catalogue-editor.js.j2").render(
            order=json.dumps(order, ensure_ascii=False)), encoding="utf-8")
    (out / "index.html").write_text(
        env.get_template("index.html.j2").render(connect=" ".join(connect_sources(backend))),
        encoding="utf-8")
    # The bundle loads its chunks from beside itself; source maps stay behind.
    copied = 0
    for source in sorted(decap.iterdir()):
        if source.name == "decap-cms.js" or source.name.endswith(
                (".decap-cms.js", "decap-cms.js.LICENSE.txt")):
            shutil.copyfile(source, out / source.name)
            copied += source.stat().st_size
    print(f"Skrev editoren til {out} ({copied // 1024} KB Decap CMS). Backend: {backend.name}"
          + (f", lokalt: {backend.local_url}" if backend.local_url else "") + ".")
    return 0
