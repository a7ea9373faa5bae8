"""The browser editor: a Decap CMS configuration made from the schema, and its admin page.

`catalogue editor --out DIR` writes DIR/config.yml, DIR/index.html, DIR/catalogue-editor.js and
a copy of the pinned decap-cms bundle from node_modules, so the page loads nothing from another
origin. The collections' fields come from schema.py, so the form cannot offer a field that
`catalogue check` refuses, nor miss one it accepts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .dates import resolve_today
from .ids import ID_PATTERN
from .model import FIVE_WAYS
from .schema import (COURSE, FIRST_YEAR, GUIDE, LAST_YEAR, MAX_LENGTH, MAX_LINE, SCHOOL, TEACHER,
                     Field, json_schema_date)
from .templating import TEMPLATES, strings

DECAP = Path("node_modules") / "decap-cms" / "dist"
BACKENDS = ("github", "gitlab", "gitea")
PKCE = ("gitlab", "gitea")  # GitHub's login needs an OAuth helper at --base-url instead
# Where each back end's API lives unless --api-root says otherwise; the page may talk to it.
API_ROOTS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4",
             "gitea": "https://gitea.com/api/v1"}
BASE_URLS = {"github": "https://github.com", "gitlab": "https://gitlab.com",
             "gitea": "https://gitea.com"}

# What `catalogue check` accepts (schema._TIME): 13.00, 13:00, 9.30.
_TIME_PATTERN = r"^\s*([01]?\d|2[0-3])[.:][0-5]\d\s*$"
_PATTERNS = {
    "id": [ID_PATTERN, "Kun små bogstaver a-z, tal og bindestreg, fx 'center-for-mestring'."],
    "time": [_TIME_PATTERN, "Skriv et klokkeslæt, fx 10.00 eller 10:00."],
    "email": [r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "Skriv en e-mailadresse, fx kontor@skolen.dk."],
    "url": [r"^https?://\S+$", "Skriv et link, der starter med https://."],
    "phone": [r"^\+?[0-9][0-9 ()-]{6,}[0-9]$", "Skriv et telefonnummer, fx 86 12 34 56."],
    "postal": [r"^[0-9]{4}$", "Skriv et postnummer med fire cifre, fx 8900."],
    # The bounds `check` holds every date and text to (S118, S112, S119), so the form says
    # so before a save rather than the check after it.
    "date": [json_schema_date(), f"Skriv en dato mellem {FIRST_YEAR} og {LAST_YEAR}."],
    "text": [rf"^[\s\S]{{0,{MAX_LINE}}}$", f"Højst {MAX_LINE} tegn."],
    "markdown": [rf"^[\s\S]{{0,{MAX_LENGTH['markdown']}}}$",
                 f"Højst {MAX_LENGTH['markdown']:,} tegn.".replace(",", ".")],
}
# Optional groups shown unfolded; the others (a recurrence, a cost, ...) start folded away.
_OPEN = {"registration", "consent", "recurrence"}
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
                  "roles": {"peer": "Peer (egen erfaring)", "relative": "Pårørende",
                            "professional": "Fagprofessionel"}}
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
           # issue 23 (fields-a)
           "timezone": "Tidszone", "breaks": "Pauser", "break": "pause",
           "changes": "Ændrede datoer", "change": "ændring", "cancelled": "Aflyst (hvorfor)",
           "skip_holidays": "Holder fri på helligdage",
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
# The form's hints, in the guide's plain Danish: no YAML keys, values or ids. A field that is
# not here gets its schema doc with quoted keys turned into the form's labels (see _hint); a
# test fails on a hint that still speaks YAML. Keyed by (the struct that holds it, field).
_HINTS = {
    ("course", "title"): "Kursets navn, som det står på siden.",
    ("course", "summary"): "En til to sætninger. De står på kortet i oversigten, i søgningen og "
                           "i det trykte katalog.",
    ("course", "description"): "Hvad der sker på kurset. Brug gerne fed skrift, lister og links.",
    ("course", "outcomes"): "Det, kursisterne får med sig. Ét punkt pr. linje.",
    ("course", "themes"): "De fem veje og skolernes egne temaer.",
    ("course", "formats"): "Hvordan I arbejder på kurset.",
    ("course", "audience"): "Hvem kurset er for.",
    ("course", "school"): "Skolen, der udbyder kurset. Stederne under Hold er denne skoles steder.",
    ("course", "teachers"): "Kursets faste undervisere. Listen viser hver undervisers rolle, og "
                            "om navnet må vises. Et hold kan have sine egne.",
    ("course", "guides"): "Materialer, der hører til kurset.",
    ("course", "certificate"): "Slå til, hvis kursisterne får et kursusbevis.",
    ("course", "led_by"): "Som standard er kurset samskabt: en underviser med egen erfaring og "
                          "en fagprofessionel sammen. Vælg noget andet kun, hvis skolen tillader "
                          "det.",
    ("course", "led_by_reason"): "Skal udfyldes, når kurset ikke er samskabt. Står på siden.",
    ("course", "eligibility"): "Udfyld kun, hvis kurset ikke er åbent for alle.",
    ("eligibility", "residence"): "Kommune eller region, fx Region Sjælland.",
    ("eligibility", "groups"): "Fx pårørende eller medarbejdere. Skriv hvor i feltet nedenunder.",
    ("eligibility", "of"): "Hvor gruppen hører til, fx regionens psykiatri.",
    ("eligibility", "match"): "Skal man opfylde alle betingelserne, eller er én af dem nok? Fx "
                              "bor i kommunen eller er medarbejder i kommunen.",
    ("course", "enrol_first"): "Slå fra, hvis skolens regel om at melde sig ind først ikke "
                               "gælder dette kursus, fx en gåtur, man bare møder op til.",
    ("recurrence", "skip_holidays"): "Slå til, hvis holdet holder fri på helligdage i det land, "
                                     "hvor stedet ligger.",
    ("course", "language"): "Kun hvis kurset ikke er på dansk: sprogkoden, fx en for engelsk "
                            "eller ur for urdu.",
    ("course", "cost"): "Udfyld kun, hvis kurset koster noget. Ellers står der gratis.",
    ("cost", "price"): "Pris i kroner. Skriv 0, hvis det er gratis, men der følger noget med.",
    ("cost", "covers"): "Hvad prisen dækker, fx ophold og forplejning i fire nætter.",
    ("course", "registration"): "Tilmelding til alle kursets hold. Et hold kan have sin egen.",
    ("registration", "required"): "Slå fra, hvis man bare kan møde op (drop-in).",
    ("registration", "email"): "E-mail, man tilmelder sig på.",
    ("registration", "url"): "Link til tilmelding. Det starter med https://.",
    ("registration", "phone"): "Telefonnummer til tilmelding.",
    ("registration", "opens"): "Dagen, tilmeldingen åbner.",
    ("registration", "deadline"): "Sidste dag for tilmelding. Senest dagen for første gang.",
    ("registration", "note"): "Kort besked om tilmelding, fx Ring gerne, hvis du er i tvivl.",
    ("course", "offerings"): "Holdene. Hvert hold har enten en gentagelse (fx hver tirsdag) "
                             "eller en liste af undervisningsgange.",
    ("offering", "key"): "Kan udelades: så bruges første dato.",
    ("offering", "venue"): "Et af den valgte skoles steder. Et nyt sted skrives i skolens fil; "
                           "start så editoren igen.",
    ("offering", "attendance"): "Fremmøde er standard. Vælg online eller hybrid, hvis man kan "
                                "deltage hjemmefra.",
    ("offering", "online_url"): "Et offentligt link til at deltage online, hvis der er et.",
    ("offering", "online_note"): "Sådan får man linket, fx Linket sendes, når du har meldt dig "
                                 "til.",
    ("offering", "capacity"): "Antal pladser på holdet.",
    ("offering", "places_left"): "Ledige pladser lige nu. Skriv datoen i feltet nedenunder.",
    ("offering", "places_updated"): "Dagen, du sidst talte de ledige pladser.",
    ("offering", "status"): "Vælg Aflyst eller Udsat, og skriv hvorfor i feltet nedenunder.",
    ("offering", "status_note"): "Skal udfyldes, når holdet er aflyst eller udsat: hvorfor, og "
                                 "hvad kursisterne kan gøre.",
    ("offering", "teachers"): "Kun hvis holdet har andre undervisere end kurset.",
    ("offering", "led_by"): "Kun hvis netop dette hold ledes anderledes end kurset.",
    ("offering", "led_by_reason"): "Skal udfyldes, når holdet ikke er samskabt.",
    ("offering", "registration"): "Kun hvis tilmeldingen til dette hold er anderledes end "
                                  "kursets.",
    ("offering", "sessions"): "Datoerne én for én, i rækkefølge. Brug den i stedet for "
                              "Gentagelse, når datoerne ikke følger et fast mønster.",
    ("offering", "recurrence"): "Et hold, der gentager sig, fx hver tirsdag eller første mandag "
                                "i måneden. Brug den i stedet for undervisningsgange.",
    ("quota", "group"): "Gruppen, fx borgere eller medarbejdere.",
    ("quota", "places"): "Omtrent hvor mange pladser gruppen har.",
    ("session", "start"): "Klokkeslæt, fx 10.00 eller 10:00.",
    ("session", "end"): "Klokkeslæt, fx 13.00 eller 13:00.",
    ("session", "end_date"): "Kun ved ophold over flere dage: afrejsedagen. Slut er så "
                             "klokkeslættet den dag.",
    ("recurrence", "frequency"): "Hver uge (eller hver anden, tredje ...) eller én gang om "
                                 "måneden.",
    ("recurrence", "interval"): "Skriv 2 for hver anden uge eller måned. Tomt betyder hver.",
    ("recurrence", "position"): "Kun ved én gang om måneden: fx første eller sidste mandag.",
    ("recurrence", "start"): "Klokkeslæt, fx 13.00 eller 13:00.",
    ("recurrence", "end"): "Klokkeslæt, fx 15.00 eller 15:00.",
    ("recurrence", "from"): "Første dag, holdet kan mødes.",
    ("recurrence", "until"): "Sidste dag. Tom, hvis holdet fortsætter.",
    ("teacher", "name"): "Fulde navn. Vises kun med samtykke.",
    ("teacher", "roles"): "Peer: egen erfaring med psykisk sygdom. Pårørende: erfaring som "
                          "pårørende. Fagprofessionel: uddannelse i faget. Rollen er en "
                          "helbredsoplysning: se Samtykke nedenfor.",
    ("teacher", "title"): "Fx Peer-underviser eller Sygeplejerske.",
    ("teacher", "bio"): "Kort præsentation. Vises kun med samtykke. Skriv aldrig om sygdom, "
                        "diagnoser, medicin eller indlæggelser.",
    ("teacher", "photo"): "Filnavnet på et foto, der ligger ved siden af underviserens fil "
                          "(jpg, png eller webp). Fotoet lægges dertil af den, der passer "
                          "kataloget.",
    ("consent", "profile"): "Dato for samtykke til at vise navn og tekst. Udfyld den først, når "
                            "underviseren har skrevet under.",
    ("consent", "photo"): "Dato for et særskilt samtykke til foto. Fotoet vises kun, når der "
                          "også er samtykke til navn og tekst.",
    ("consent", "withdrawn"): "Dato, samtykket blev trukket tilbage. Fra den dag vises kun "
                              "rollen. Slet ikke de andre datoer.",
    ("school", "about"): "Om skolen. Brug gerne fed skrift, lister og links.",
    ("school", "co_production_required"): "Slå kun fra for fx en ekstern udbyder. Siden "
                                          "fortæller så, at kurserne ikke er samskabt.",
    ("school", "led_by_allowed"): "Andre måder end samskabt, som skolens kurser må ledes på.",
    ("enrol_first", "how"): "Sådan bliver man optaget, fx Udfyld optagelsesskemaet.",
    ("school", "first_time"): "Hvad man kan vente sig første gang: hvor man skal gå hen, at "
                              "man ikke behøver sige noget, og at der er kaffe.",
    ("guide", "themes"): "Temaer, materialet hører til.",
    ("guide", "version"): "Dagen for denne udgave.",
    ("guide", "license"): "Fx CC BY 4.0.",
    ("guide", "formats"): "Papirformater til udskrift: A4 og/eller A5-hæfte.",
}

# Each collection's folder and file ending, for the page to name the file it just saved.
FILES = {"courses": ["courses", ".yaml"], "teachers": ["teachers", ".yaml"],
         "schools": ["schools", ".yaml"], "guides": ["guides", ".md"]}
_SCHEMA_FILES = {"course": "course", "teacher": "teacher", "school": "school"}


@dataclass(frozen=True)
class Backend:
    name: str = "github"
    repo: str = "OWNER/REPO"
    branch: str = "main"
    app_id: str | None = None
    base_url: str | None = None
    api_root: str | None = None
    # The local back end (`catalogue editor --serve`) answers on the page's own origin.
    local_url: str | None = "http://127.0.0.1:8080/api/v1"


def _choices(catalogue_root: Path, today: dt.date) -> tuple[list[dict], list[dict], list[dict]]:
    """Theme, venue and teacher options from the files as they are when the editor is made."""
    themes = [{"label": t.name, "value": t.id} for t in FIVE_WAYS]
    venues = []
    for path, data in _sources(catalogue_root, "schools"):
        school = str(data.get("name") or path.stem)
        for key, venue in (data.get("venues") or {}).items():
            name = venue.get("name", key) if isinstance(venue, dict) else key
            # The school's id, so the form can offer only the chosen school's venues.
            venues.append({"label": str(name), "value": str(key), "school": path.stem,
                           "school_name": school})
        for key, theme in (data.get("themes") or {}).items():
            name = theme.get("name", key) if isinstance(theme, dict) else key
            themes.append({"label": f"{name} ({school})", "value": str(key)})
    teachers = []
    for path, data in _sources(catalogue_root, "teachers"):
        teachers.append({"label": _teacher_label(path.stem, data, today), "value": path.stem})
    return themes, venues, teachers


def _sources(catalogue_root: Path, folder: str):
    for path in sorted((catalogue_root / folder).glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue  # `catalogue check` reports it; the editor still opens
        if isinstance(data, dict):
            yield path, data


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _teacher_label(key: str, data: dict, today: dt.date) -> str:
    """"Anne Sørensen – Peer – navnet må vises": the co-production rules need the role, and
    the coordinator must know whether the site may name the teacher."""
    roles = data.get("roles") if isinstance(data.get("roles"), list) else []
    names = _CHOICE_LABELS["roles"]
    role = " og ".join(names.get(str(r), str(r)) for r in roles) or "ingen rolle"
    consent = data.get("consent") if isinstance(data.get("consent"), dict) else {}
    profile, withdrawn = _date(consent.get("profile")), _date(consent.get("withdrawn"))
    named = profile is not None and profile <= today and not (withdrawn and withdrawn <= today)
    shown = ("navnet må vises" if named else "uden samtykke: kun rollen vises")
    return f"{data.get('name') or key} – {role} – {shown}"


def _form_order(fields) -> list[Field]:
    """The form's order: a weekly group's rhythm (Gentagelse) before its list of dates, so it
    is seen first; the file keeps the schema's order (catalogue-editor.js tidies it)."""
    fields = list(fields)
    names = [f.name for f in fields]
    if "recurrence" in names and "sessions" in names:
        recurrence = fields.pop(names.index("recurrence"))
        fields.insert([f.name for f in fields].index("sessions"), recurrence)
    return fields


def _hint(owner: str, spec: Field) -> str:
    if (owner, spec.name) in _HINTS:
        return _HINTS[(owner, spec.name)]
    return _plain(spec.doc)


def _plain(text: str) -> str:
    """A schema doc in the form's words: 'status_note' becomes «Begrundelse for status»."""
    text = text.replace(" (Markdown)", "").replace(" (ÅÅÅÅ-MM-DD)", "").replace(" (id)", "")

    def swap(match: re.Match) -> str:
        word = match.group(1)
        if word in _LABELS:
            return f"«{_LABELS[word]}»"
        for table in _CHOICE_LABELS.values():
            if word in table:
                return f"«{table[word]}»"
        return match.group(0)

    return re.sub(r"'([a-z][a-z_-]*)'", swap, text)


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
                                     f"«{field['label']}» bruges.").strip()
        field.update(widget="object", collapsed=not spec.required and spec.name not in _OPEN,
                     fields=children)
        if spec.name == "consent":
            field.update(hint=CONSENT_HINT, label="Samtykke (helbredsoplysning)")
    elif kind == "list" and spec.item.kind == "struct":
        field.update(widget="list", fields=[widget(f, spec.item.name, options)
                                            for f in _form_order(spec.item.fields)],
                     label_singular=_LABELS.get(spec.item.name, spec.item.name),
                     collapsed=False, summary=_SUMMARIES.get(spec.item.name, ""))
        # No `min`, and no default inside an item: either makes Decap add an item to every new
        # entry at once (an offering before its school is chosen, whose venue list then cannot
        # follow the school). The check after a save names a missing item in the form's words.
        _drop_defaults(field["fields"])
        field["max"] = spec.most
    elif kind == "list" and spec.item.kind == "enum":
        field.update(widget="select", multiple=True, options=_options(spec.item))
        if spec.minimum:
            field["min"] = spec.minimum
    elif kind == "list":
        field.update(widget="list", field=widget(spec.item, owner, options) | {"label": field["label"]},
                     max=spec.most)
    elif kind == "enum":
        field.update(widget="select", options=_options(spec))
    elif kind == "markdown":
        # Images would need a media library; the site shows none in these texts. One mode: the
        # rich/raw switch had no name or state for a screen reader, and raw is the YAML file.
        # No headings menu: a course's text sits under the page's own headings, and Decap's
        # menu is a focusable span around a button (axe: nested-interactive).
        field.update(widget="markdown", buttons=["bold", "italic", "link", "bulleted-list",
                                                 "numbered-list", "quote"],
                     editor_components=[], modes=["rich_text"],
                     pattern=_PATTERNS["markdown"])
    elif kind == "date":
        # A date is a day, not a moment: no time, no "UTC" beside the picker.
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="DD-MM-YYYY",
                     time_format=False, picker_utc=False, pattern=_PATTERNS["date"])
    elif kind == "int":
        field.update(widget="number", value_type="int")
        if spec.minimum is not None:
            field["min"] = spec.minimum
        if spec.most is not None:
            field["max"] = spec.most
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
              "change": "{{fields.date}} {{fields.topic}}{{fields.cancelled}}",
              "break": "{{fields.from}} – {{fields.until}} {{fields.note}}",
              "session": "{{fields.date}} {{fields.start}}-{{fields.end}}"}


def _options(spec: Field) -> list:
    labels = _CHOICE_LABELS.get(spec.name, {})
    return [{"label": labels.get(c, c), "value": c} for c in spec.choices]


def _drop_defaults(fields: list[dict]) -> None:
    for field in fields:
        field.pop("default", None)
        _drop_defaults(field.get("fields", []))


def _relations(themes: list[dict], venues: list[dict], teachers: list[dict]) -> dict:
    def to(collection: str, label: str) -> dict:
        return {"widget": "relation", "collection": collection, "value_field": "{{slug}}",
                "search_fields": [label], "display_fields": [label]}

    theme_select = {"widget": "select", "options": themes}
    # Teachers as a list made when the editor starts, so each shows role and consent (Decap's
    # relation widget can show fields, not a judgement on dates); restart for a new teacher.
    teacher_select = ({"widget": "select", "options": teachers} if teachers
                      else to("teachers", "name"))
    return {
        ("course", "school"): to("schools", "name"),
        ("course", "teachers"): teacher_select,
        ("offering", "teachers"): teacher_select,
        ("course", "guides"): to("guides", "title"),
        ("course", "requires"): to("courses", "title"),
        ("course", "also_schools"): to("schools", "name"),
        ("course", "themes"): theme_select,
        ("guide", "themes"): theme_select,
        # catalogue-editor.js: a drop-down of the chosen school's venues only.
        ("offering", "venue"): ({"widget": "venue", "venues": venues} if venues
                                else {"widget": "string", "pattern": _PATTERNS["id"]}),
        # issue 23 (fields-a): a changed date or one session with its own team or place
        ("change", "teachers"): to("teachers", "name"),
        ("session", "teachers"): to("teachers", "name"),
        ("change", "venue"): ({"widget": "select", "options": venues} if venues
                              else {"widget": "string", "pattern": _PATTERNS["id"]}),
        ("session", "venue"): ({"widget": "select", "options": venues} if venues
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


def decap_config(catalogue_root: Path, backend: Backend, today: dt.date | None = None) -> dict:
    themes, venues, teachers = _choices(catalogue_root, today or resolve_today())
    options = {"relations": _relations(themes, venues, teachers)}
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
        # Hosted, a save is a branch and a pull (merge) request that CI checks; only
        # "Publicér" in the editor's Workflow merges it. The local back end offers only
        # "simple", and Decap switches to that by itself: a save there writes the file.
        "publish_mode": "editorial_workflow",
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
                  "buttons": ["bold", "italic", "link", "heading-two", "heading-three",
                              "bulleted-list", "numbered-list", "quote"],
                  "editor_components": [],
                  "hint": "Selve materialet. Brug gerne overskrifter, lister og links."}]},
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
        if not parts.scheme:
            continue  # the page's own origin: 'self' already allows it
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


MARKER = "# Lavet af 'catalogue editor' ud fra generator/schema.py. Ret ikke i hånden."
# Folders whose files are the catalogue or the program: the editor is never written into them.
_KEEP = ("courses", "teachers", "schools", "guides", "sites", "docs", "generator",
         "site_templates", ".git", "schemas", "examples")


def _unsafe_out(root: Path, out: Path) -> str | None:
    """Why writing the editor to `out` could overwrite someone's files, or None."""
    root, target = root.resolve(), out.resolve()
    if target == root or root.is_relative_to(target):
        return f"{out} er kataloget selv eller en mappe over det."
    for name in _KEEP:
        if target.is_relative_to(root / name):
            return f"{out} ligger i {name}/, som editoren ikke skriver i."
    if target.is_dir() and any(target.iterdir()):
        config = target / "config.yml"
        try:
            ours = config.read_text(encoding="utf-8").startswith(MARKER)
        except (OSError, UnicodeDecodeError):
            ours = False
        if not ours:
            return f"{out} er ikke tom og er ikke en editor, som 'catalogue editor' har lavet."
    elif target.exists() and not target.is_dir():
        return f"{out} er en fil, ikke en mappe."
    return None


def write_editor(root: Path, out: Path, backend: Backend, today: dt.date | None = None) -> int:
    decap = find_decap(root)
    if decap is None:
        print("catalogue: decap-cms mangler i node_modules. Kør 'npm ci' i mappen med "
              "package.json, og prøv igen.", file=sys.stderr)
        return 2
    refusal = _unsafe_out(root, out)
    if refusal:
        print(f"catalogue: {refusal} Vælg en anden mappe med --out, fx .cache/editor.",
              file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    config = decap_config(root, backend, today)
    (out / "config.yml").write_text(
        MARKER + "\n"
        + yaml.dump(config, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8")
    env = Environment(loader=FileSystemLoader(TEMPLATES / "editor"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    order = {"courses": _order(COURSE), "teachers": _order(TEACHER),
             "schools": _order(SCHOOL), "guides": _order(GUIDE)}
    (out / "catalogue-editor.js").write_text(
        env.get_template("catalogue-editor.js.j2").render(
            order=json.dumps(order, ensure_ascii=False), t=strings(),
            files=json.dumps(FILES, ensure_ascii=False)), encoding="utf-8")
    shutil.copyfile(TEMPLATES / "editor" / "catalogue-editor.css", out / "catalogue-editor.css")
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
