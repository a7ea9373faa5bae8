"""The source format: one declarative definition per kind of file.

The same definitions drive the validator (`convert`) and the JSON Schema files for editors
(`json_schema`), so the two cannot drift apart. The `doc` strings are Danish because editors
show them to coordinators.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, Pos, problem
from .ids import ID_PATTERN, MAX_ID, is_id, make_id, nearest, short_id
from .load import Mapping, Node, Scalar, Sequence

ROLES = ("peer", "relative", "professional")
FORMATS = ("teoretisk", "praktisk", "fysisk", "kreativ")
AUDIENCES = ("alle", "borgere", "paaroerende", "fagprofessionelle", "studerende")
STATUSES = ("open", "few-places", "full", "waitlist", "cancelled", "postponed")
DISPLAYS = ("full", "first-name")
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")
IMAGE_TYPES = PHOTO_TYPES + (".svg",)
PAPER = ("a4", "a5-booklet")
# Course shapes beyond the co-taught, in-person series (issue 12).
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
FREQUENCIES = ("weekly", "monthly")
POSITIONS = ("første", "anden", "tredje", "fjerde", "sidste")
ATTENDANCE = ("in-person", "online", "hybrid")
LEAD_FORMS = ("co-taught", "peers", "relatives", "external")
GROUPS = ("patients", "relatives", "staff", "students")

# The Danish words a coordinator may write for a status, and what they mean.
DANISH_VALUES = {"åben": "open", "aaben": "open", "ledig": "open", "ledige pladser": "open",
                 "få pladser": "few-places", "faa pladser": "few-places", "fuldt": "full",
                 "fuld": "full", "venteliste": "waitlist", "aflyst": "cancelled",
                 "udsat": "postponed"}

# Keys a well-meaning coordinator might add to a teacher file. They are unknown keys like any
# other, but the hint says why they must never exist.
HEALTH_KEYS = {"diagnose", "diagnoser", "diagnosis", "diagnoses", "sygdom", "medicin",
               "helbred", "health", "illness", "condition"}


# Bounds on every number, list and date the format takes (issue 19): far beyond any real
# catalogue, well inside what every output can hold (RFC 5545 integers, years before 10000, a
# page that lists every date). `check`, the JSON Schemas and the editor all read these.
MAX_PLACES = 1_000  # capacity, places_left, a quota: a hall, not a stadium
MAX_INTERVAL = 52  # "every 52nd week" is once a year
MAX_AGE = 120
MAX_PRICE = 100_000  # kroner; a residential stay costs a few thousand
MAX_SESSIONS = 400  # dated sessions of one offering, or dates one recurrence expands to
MAX_ITEMS = 100  # any other list or map: offerings, teachers, except, extra, venues ...
MAX_OUTCOMES = 20  # "Det får du med dig" is a short list a reader takes in at a glance
MAX_NUMBER = 10_000  # a number field added without a bound of its own
FIRST_YEAR, LAST_YEAR = 2000, 2099  # every date; RFC 5545 and Python stop at 9999
# The longest text of each kind: a one-line text has MAX_LINE (below).
MAX_LENGTH = {"markdown": 20_000, "url": 2_000, "email": 254, "phone": 40, "path": 200}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text markdown id int bool date time email url phone postal enum path list struct map
    doc: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    item: "Field | None" = None  # for list and map
    fields: tuple["Field", ...] = ()  # for struct
    minimum: int | None = None  # int value, or list length
    unique: bool = False  # list items must differ
    maximum: int | None = None  # int value, or list length (default MAX_ITEMS for lists)

    @property
    def most(self) -> int | None:
        """The largest value, or the most items: every number and list has a bound."""
        if self.maximum is not None:
            return self.maximum
        if self.kind == "int":
            return MAX_NUMBER
        return MAX_ITEMS if self.kind in ("list", "map") else None

    @functools.cached_property
    def _by_name(self) -> dict[str, "Field"]:
        return {f.name: f for f in self.fields}

    def child(self, name: str) -> "Field | None":
        return self._by_name.get(name)


def struct(name: str, doc: str, *fields: Field, required: bool = False) -> Field:
    return Field(name, "struct", doc, required, fields=fields)


def ids(name: str, doc: str, required: bool = False, minimum: int | None = None) -> Field:
    return Field(name, "list", doc, required, item=Field(name, "id"), minimum=minimum, unique=True)


def enums(name: str, doc: str, choices, required: bool = False) -> Field:
    return Field(name, "list", doc, required, item=Field(name, "enum", choices=choices),
                 minimum=1 if required else None, unique=True)


def registration(doc: str) -> Field:
    return struct(
        "registration", doc,
        Field("required", "bool", "true = tilmelding kræves (standard); false = drop-in uden "
              "tilmelding."),
        Field("email", "email", "E-mail, man tilmelder sig på."),
        Field("url", "url", "Link til tilmelding (https://...)."),
        Field("phone", "phone", "Telefonnummer til tilmelding."),
        Field("opens", "date", "Dato, tilmeldingen åbner (ÅÅÅÅ-MM-DD)."),
        Field("deadline", "date", "Sidste dag for tilmelding; senest dagen for første gang."),
        Field("note", "text", "Kort besked om tilmelding, fx 'Ring gerne, hvis du er i tvivl'."),
        CLOSED,
    )


# --- issue 23 (fields-b): closed enrolment, exemptions, prerequisites, partners, defaults ---
CLOSED = Field("closed", "text", "Lukket for tilmelding: kort tekst om hvorfor, og gerne til "
               "hvornår, fx 'Vi åbner igen til sommer'. Siden siger så 'Lukket for tilmelding' "
               "og viser ingen tilmelding.")
MATCHES = ("all", "any")
PARTNER = struct(
    "partner", "En organisation, der er med til at lave kurset; vises som 'I samarbejde "
    "med ...' og ændrer ikke 'led_by'.",
    Field("name", "text", "Organisationens navn.", required=True),
    Field("url", "url", "Link til organisationen."),
    Field("note", "text", "Kort om samarbejdet, fx 'Instruktør fra Dansk Førstehjælp'."),
)


SESSION = struct(
    "session", "Én undervisningsgang.",
    Field("date", "date", "Dato (ÅÅÅÅ-MM-DD).", required=True),
    Field("start", "time", "Starttidspunkt, fx \"10:00\".", required=True),
    Field("end", "time", "Sluttidspunkt, fx \"13:00\".", required=True),
    Field("topic", "text", "Emnet for netop denne gang."),
    Field("room", "text", "Lokale, hvis det er et andet end holdets."),
    Field("end_date", "date", "Sidste dag, når en gang varer flere dage (ophold): afrejse "
          "på denne dato kl. 'end'; 'date' og 'start' er ankomsten."),
    # issue 23 (fields-a): one session may have its own team and place
    ids("teachers", "Underviserne netop denne gang, hvis de er andre end holdets."),
    Field("venue", "id", "Stedet netop denne gang, hvis det er et andet end holdets."),
)

# --- issue 23 (fields-a): changes on one date, breaks, time zones ---------------------------
CHANGE = struct(
    "change", "Én dato, der er anderledes end mønsteret: andet emne, andre undervisere, andet "
    "sted, lokale eller tidspunkt, eller aflyst.",
    Field("date", "date", "Datoen i mønsteret, der ændres (ÅÅÅÅ-MM-DD).", required=True),
    Field("topic", "text", "Emnet netop denne gang, fx en gæst."),
    ids("teachers", "Underviserne netop denne gang, fx en vikar."),
    Field("venue", "id", "Stedet netop denne gang, hvis det er et andet end holdets."),
    Field("room", "text", "Lokalet netop denne gang."),
    Field("start", "time", "Andet starttidspunkt netop denne gang, fx \"14:00\"."),
    Field("end", "time", "Andet sluttidspunkt netop denne gang, fx \"16:00\"."),
    Field("cancelled", "text", "Aflyst denne dato: skriv hvorfor, fx 'Underviseren er syg'."),
    Field("note", "text", "Kort besked om netop denne gang."),
)

BREAK = struct(
    "break", "En pause, som alle skolens gentagne hold holder.",
    Field("from", "date", "Første dag i pausen (ÅÅÅÅ-MM-DD).", required=True),
    Field("until", "date", "Sidste dag i pausen (ÅÅÅÅ-MM-DD).", required=True),
    Field("note", "text", "Hvad pausen hedder, fx 'Juleferie'."),
)

TIMEZONE_DOC = ("Tidszone (IANA-navn), fx 'Europe/London'. Standard efter 'country' (DK: "
                "Europe/Copenhagen).")

RECURRENCE = struct(
    "recurrence", "Et hold, der gentager sig: ugentligt, hver N. uge eller månedligt. "
    "Bruges i stedet for 'sessions'.",
    Field("frequency", "enum", "weekly = hver uge (eller hver N. uge); monthly = én gang om "
          "måneden.", required=True, choices=FREQUENCIES),
    Field("interval", "int", "Hver hvilken uge eller måned; 2 = hver anden. Standard 1.",
          minimum=1, maximum=MAX_INTERVAL),
    Field("weekday", "enum", "Ugedagen, fx mandag.", required=True, choices=WEEKDAYS),
    Field("position", "enum", "Kun ved monthly: hvilken af månedens ugedage, fx første eller "
          "sidste.", choices=POSITIONS),
    Field("start", "time", "Starttidspunkt, fx \"13:00\".", required=True),
    Field("end", "time", "Sluttidspunkt, fx \"15:00\".", required=True),
    Field("from", "date", "Første mulige dato (ÅÅÅÅ-MM-DD).", required=True),
    Field("until", "date", "Sidste mulige dato. Udelades den, er holdet fortløbende."),
    Field("except", "list", "Datoer uden undervisning, fx langfredag.",
          item=Field("except", "date"), unique=True),
    Field("extra", "list", "Ekstra datoer uden for mønsteret, samme tidspunkt.",
          item=Field("extra", "date"), unique=True),
    # issue 23 (fields-a)
    Field("changes", "list", "Datoer, der er anderledes end mønsteret: én pr. dato.",
          item=CHANGE),
    Field("skip_holidays", "bool", "true = holdet holder fri på helligdage i stedets land."),
)

WAITLIST = struct(
    "waitlist", "Venteliste: hvor man skriver sig op, når holdet er fuldt.",
    Field("email", "email", "E-mail til ventelisten."),
    Field("phone", "phone", "Telefon til ventelisten."),
    Field("url", "url", "Link til ventelisten."),
    Field("note", "text", "Kort besked, fx 'Vi ringer, når der bliver en plads'."),
)

QUOTA = struct(
    "quota", "Pladser forbeholdt én gruppe inden for holdets pladser.",
    Field("group", "text", "Gruppen, fx 'borgere' eller 'medarbejdere'.", required=True),
    Field("places", "int", "Antal pladser til gruppen (cirka).", required=True, minimum=1,
          maximum=MAX_PLACES),
)

OFFERING = struct(
    "offering", "Ét hold af kurset: sted, pladser, status og undervisningsgange.",
    Field("key", "id", "Holdets nøgle, unik i kurset. Udelades den, bruges første dato."),
    # issue 23 (fields-a)
    Field("name", "text", "Holdets navn, når kurset har flere slags hold, fx 'Temagruppe' "
          "eller 'Åben café'."),
    Field("language", "text", "Undervisningssproget på netop dette hold (ISO 639-1), fx 'en'; "
          "overskriver kursets."),
    Field("venue", "id", "Id på stedet (fra skolens 'venues'). Kan udelades, når holdet kun "
          "er online."),
    Field("attendance", "enum", "in-person = fremmøde (standard); online; hybrid = på stedet "
          "og online.", choices=ATTENDANCE),
    Field("online_url", "url", "Offentligt link til at deltage online, hvis der er et."),
    Field("online_note", "text", "Sådan får man linket, fx 'Linket sendes, når du har meldt "
          "dig til'."),
    Field("room", "text", "Lokale på stedet."),
    Field("capacity", "int", "Antal pladser.", minimum=1, maximum=MAX_PLACES),
    Field("places_left", "int", "Antal ledige pladser lige nu; skriv datoen i "
          "'places_updated'.", minimum=0, maximum=MAX_PLACES),
    Field("places_updated", "date", "Dato, 'places_left' sidst blev opdateret."),
    WAITLIST,
    Field("quotas", "list", "Pladser forbeholdt grupper, fx 15 til borgere og 5 til "
          "medarbejdere.", item=QUOTA),
    Field("status", "enum", "Holdets status.", required=True, choices=STATUSES),
    Field("status_note", "text", "Begrundelse; skal udfyldes ved 'cancelled' og 'postponed'."),
    ids("teachers", "Holdets undervisere, hvis de er andre end kursets."),
    Field("led_by", "enum", "Hvem der leder netop dette hold, hvis det er anderledes end "
          "kurset.", choices=LEAD_FORMS),
    Field("led_by_reason", "text", "Kort begrundelse, når holdet ikke er samskabt."),
    registration("Tilmelding for netop dette hold; overskriver kursets."),
    Field("note", "text", "Kort besked om holdet."),
    Field("sessions", "list", "Undervisningsgangene i tidsrækkefølge. Et hold har enten "
          "'sessions' eller 'recurrence'.", item=SESSION, minimum=1, maximum=MAX_SESSIONS),
    RECURRENCE,
)

ELIGIBILITY = struct(
    "eligibility", "Hvem der må komme, når kurset ikke er åbent for alle.",
    Field("min_age", "int", "Laveste alder, fx 16.", minimum=0, maximum=MAX_AGE),
    Field("max_age", "int", "Højeste alder, fx 25.", minimum=0, maximum=MAX_AGE),
    Field("residence", "text", "Bopæl: kommune eller region, fx 'Region Sjælland'."),
    enums("groups", "patients = patienter, relatives = pårørende, staff = medarbejdere, "
          "students = studerende; sammen med 'of'.", GROUPS),
    Field("of", "text", "Hvis patienter, pårørende eller medarbejdere: hvor, fx 'regionens "
          "psykiatri'."),
    Field("note", "text", "Kort forklaring med egne ord."),
    Field("match", "enum", "all = man skal opfylde alle betingelserne (standard); any = det er "
          "nok at opfylde én af dem (fx bor i kommunen ELLER er medarbejder).", choices=MATCHES),
)

COST = struct(
    "cost", "Pris, når kurset ikke er gratis uden videre. Udelades det, er kurset gratis.",
    Field("price", "int", "Pris i kroner; 0 = gratis.", required=True, minimum=0,
          maximum=MAX_PRICE),
    Field("covers", "text", "Hvad prisen dækker, eller hvad der er med, når det er gratis, "
          "fx 'Ophold og forplejning i fire nætter'.", required=True),
)

COURSE = struct(
    "course", "Et kursus: beskrivelsen, der er den samme fra semester til semester.",
    Field("title", "text", "Kursets titel.", required=True),
    Field("summary", "text", "En til to sætninger til kort, søgning og det trykte katalog.",
          required=True),
    Field("description", "markdown", "Hvad der sker på kurset (Markdown).", required=True),
    Field("outcomes", "list", "'Det får du med dig': en linje pr. punkt.",
          item=Field("outcome", "text"), maximum=MAX_OUTCOMES),
    ids("themes", "Temaer (id). De fem veje er indbygget.", required=True, minimum=1),
    enums("formats", "Arbejdsform.", FORMATS),
    enums("audience", "Hvem kurset er for.", AUDIENCES, required=True),
    Field("school", "id", "Id på skolen, der udbyder kurset.", required=True),
    ids("teachers", "Det faste underviserteam (id); et hold kan have sit eget."),
    ids("guides", "Materialer (id), der hører til kurset."),
    Field("certificate", "bool", "true = kursisterne får kursusbevis."),
    Field("led_by", "enum", "co-taught = samskabt af en med egen erfaring og en "
          "fagprofessionel (standard); peers = ledet af peers; relatives = ledet af pårørende; "
          "external = ekstern udbyder.", choices=LEAD_FORMS),
    Field("led_by_reason", "text", "Kort begrundelse, når kurset ikke er samskabt; vises på "
          "siden."),
    ELIGIBILITY,
    Field("language", "text", "Undervisningssproget som sprogkode (ISO 639-1), fx 'en' eller "
          "'ur'. Standard 'da'."),
    COST,
    registration("Tilmelding for alle hold; et hold kan overskrive den."),
    Field("offerings", "list", "Holdene.", required=True, item=OFFERING, minimum=1),
    # issue 23 (fields-b)
    Field("enrol_first", "bool", "false = skolens 'meld dig ind først' gælder ikke dette "
          "kursus, fx en gåtur, man bare møder op til."),
    ids("requires", "Kurser (id), man skal have gået på først."),
    PARTNER,
    ids("also_schools", "Andre skoler (id), der også udbyder kurset; det vises så hos dem "
        "alle."),
)

CONSENT = struct(
    "consent", "Samtykke til at vise navn, tekst og foto. Uden samtykke vises kun rollen.",
    Field("profile", "date", "Dato for samtykke til at vise navn og tekst."),
    Field("photo", "date", "Dato for særskilt samtykke til at vise foto."),
    Field("display", "enum", "Vis fulde navn eller kun fornavn.", choices=DISPLAYS),
    Field("withdrawn", "date", "Dato, samtykket blev trukket tilbage."),
)

TEACHER = struct(
    "teacher", "En underviser. Der må aldrig stå diagnoser eller helbredsoplysninger.",
    Field("name", "text", "Fulde navn. Vises kun med samtykke.", required=True),
    enums("roles", "peer = erfaringskompetence, relative = pårørende, professional = "
          "fagprofessionel.", ROLES, required=True),
    Field("title", "text", "Titel, fx 'Peer-underviser' eller 'Sygeplejerske'."),
    Field("bio", "markdown", "Kort præsentation (Markdown). Vises kun med samtykke."),
    Field("photo", "path", "Filnavn på foto ved siden af filen (jpg, png eller webp)."),
    CONSENT,
)

VENUE = struct(
    "venue", "Et sted, hvor der undervises.",
    Field("name", "text", "Stedets navn.", required=True),
    Field("address", "text", "Vej og nummer.", required=True),
    Field("postal_code", "text", "Postnummer, fx \"8900\". I Danmark fire cifre.",
          required=True),
    Field("city", "text", "By.", required=True),
    Field("country", "text", "Landekode (ISO 3166), fx 'GB'. Standard 'DK'."),
    Field("timezone", "text", TIMEZONE_DOC),  # issue 23 (fields-a)
    Field("accessibility", "text", "Adgangsforhold: trin, elevator, toilet, teleslynge.",
          required=True),
    Field("directions", "text", "Sådan kommer du derhen: bus, parkering."),
    Field("rooms", "list", "Lokaler på stedet.", item=Field("room", "text")),
)

THEME = struct(
    "theme", "Et tema, skolen selv tilføjer.",
    Field("name", "text", "Temaets navn.", required=True),
    Field("description", "text", "Kort forklaring."),
)

SCHOOL = struct(
    "school", "En skole med sine steder og kontaktoplysninger.",
    Field("name", "text", "Skolens navn.", required=True),
    Field("municipality", "text", "Kommune eller region.", required=True),
    Field("about", "markdown", "Om skolen (Markdown)."),
    Field("website", "url", "Skolens hjemmeside."),
    struct("contact", "Kontakt.",
           Field("email", "email", "E-mail."),
           Field("phone", "phone", "Telefon."),
           Field("address", "text", "Postadresse."),
           required=True),
    struct("registration", "Standard for tilmelding til skolens kurser.",
           Field("email", "email", "E-mail til tilmelding."),
           Field("url", "url", "Link til tilmelding."),
           Field("phone", "phone", "Telefon til tilmelding."),
           Field("note", "text", "Kort besked om tilmelding."),
           CLOSED),
    Field("co_production_required", "bool", "false kun for fx eksterne udbydere; siden "
          "fortæller så, at kurset ikke er samskabt."),
    Field("provider_note", "text", "Hvem der står for kurserne, når det er en ekstern udbyder."),
    enums("led_by_allowed", "Andre former end samskabt, som skolen tillader: peers, relatives, "
          "external.", LEAD_FORMS[1:]),
    struct("enrol_first", "Når man skal optages som studerende på skolen, før man kan melde "
           "sig til et kursus.",
           Field("how", "text", "Sådan bliver man optaget, fx 'Udfyld optagelsesskemaet'.",
                 required=True),
           Field("url", "url", "Link til optagelse.")),
    struct("defaults", "Det, alle skolens kurser arver, medmindre kurset selv skriver det.",
           registration("Tilmelding for alle skolens kurser; et kursus eller hold kan "
                        "overskrive den."),
           ELIGIBILITY,
           COST,
           Field("language", "text", "Undervisningssproget (ISO 639-1), fx 'en'.")),
    Field("first_time", "markdown", "Din første gang: hvad man kan vente sig første gang, fx hvor "
          "man skal gå hen, at man ikke behøver sige noget, og at der er kaffe (Markdown)."),
    # issue 23 (fields-a)
    Field("timezone", "text", "Tidszone for skolens onlinehold (IANA-navn), fx 'Europe/London'. "
          "Standard: det første steds tidszone."),
    Field("breaks", "list", "Pauser, som alle skolens gentagne hold holder, fx juleferie.",
          item=BREAK),
    Field("venues", "map", "Stederne (id: sted).", required=True, item=VENUE, minimum=1),
    Field("themes", "map", "Skolens egne temaer (id: tema).", item=THEME),
)

GUIDE = struct(
    "guide", "Et materiale (front matter øverst i en Markdown-fil i guides/).",
    Field("title", "text", "Materialets titel.", required=True),
    Field("summary", "text", "En til to sætninger om materialet.", required=True),
    enums("audience", "Hvem materialet er for.", AUDIENCES, required=True),
    ids("themes", "Temaer (id), materialet hører til."),
    Field("version", "date", "Dato for denne udgave (ÅÅÅÅ-MM-DD).", required=True),
    Field("license", "text", "Licens, fx 'CC BY 4.0'.", required=True),
    enums("formats", "Papirformater: a4 og/eller a5-booklet.", PAPER, required=True),
)

LANGUAGES = ("da",)  # the UI strings that exist (site_templates/strings.<language>.yaml)
LOGO_TYPES = (".svg", ".png")

BRAND = struct(
    "brand", "Et brand: en kommunes eller regions egen udgave af kataloget (sites/<navn>/brand.yaml).",
    Field("name", "text", "Navnet øverst på siden, fx 'Recoveryskolen Randers'.", required=True),
    Field("municipality", "text", "Kommune eller region, fx 'Randers Kommune'.", required=True),
    Field("logo", "path", "Logo ved siden af filen (SVG eller PNG).", required=True),
    Field("favicon", "path", "Lille ikon til browserfanen (SVG eller PNG); ellers bruges logoet."),
    struct("colors", "Farver som #rrggbb.",
           Field("primary", "text", "Hovedfarve: sidehoved og links.", required=True),
           Field("accent", "text", "Accentfarve: fremhævninger og fokus.", required=True),
           required=True),
    struct("contact", "Kontakt til den, der står bag denne udgave.",
           Field("email", "email", "E-mail."),
           Field("phone", "phone", "Telefon."),
           Field("address", "text", "Adresse."),
           required=True),
    Field("footer", "text", "Tekst nederst på hver side."),
    Field("site_url", "url", "Sidens adresse, https://... med / til sidst.", required=True),
    Field("language", "enum", "Sprog.", choices=LANGUAGES),
    ids("schools", "Skoler, hvis kurser er med (id). Udelades både schools og venues, er alle "
        "skoler med."),
    ids("venues", "Steder, hvis hold er med (id), for en finere afgrænsning."),
    Field("privacy_url", "url", "Link til jeres egen side om privatliv, hvis I har en."),
    Field("accessibility_url", "url", "Link til jeres egen tilgængelighedserklæring, hvis I har "
          "en."),
    Field("calendar_reminder", "bool", "Kalenderfilerne minder om hver undervisningsgang dagen "
          "før. Skriv false for at slå påmindelsen fra."),
    Field("teacher_guides", "bool", "Vis materialer til undervisere og fagfolk på siden "
          "Materialer (under deres egen overskrift). Skriv false for kun at vise borgernes."),
)

KINDS = {"courses": COURSE, "teachers": TEACHER, "schools": SCHOOL}


# ASCII digits only: `\d` and date.fromisoformat also take other scripts' digits, 20270201 and
# week dates, which the JSON Schemas (and so the editors) refuse.
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# The same, for editors, with the years FIRST_YEAR-LAST_YEAR (S118) in the pattern itself.
_BOUNDED_DATE = r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"
assert (FIRST_YEAR, LAST_YEAR) == (2000, 2099), "_BOUNDED_DATE spells out these years"
_TIME = re.compile(r"^([0-9]{1,2})[:.]([0-9]{2})$")
# What a one-line text cannot hold: line breaks break the .ics, JSON-LD and page titles, and the
# rest are invisible (control characters; bidirectional controls that make a text read
# differently from how it is stored). Markdown may hold line breaks and tabs, and the three
# direction marks that mixed Danish and Arabic or Hebrew text needs; embeddings, overrides and
# isolates can reorder what a reader sees, so they are refused there too.
_BIDI = r"\u202a-\u202e\u2066-\u2069"
_MARKS = r"\u200e\u200f\u061c"
ONE_LINE_BAD = rf"\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}{_MARKS}"
_ONE_LINE_BAD = re.compile(f"[{ONE_LINE_BAD}]")
# A one-line text is a title, a name or a note; the longest in the demo has about 200
# characters. Far longer ones are pasted by mistake, and they stall the PDFs, whose running
# heads repeat them on every page.
MAX_LINE = 500
_MARKDOWN_BAD = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{6,}[0-9]$")
_POSTAL = re.compile(r"^[0-9]{4}$")
_TRUE = {"true", "True", "TRUE", "yes", "Yes", "YES", "ja", "Ja", "on", "On"}
_FALSE = {"false", "False", "FALSE", "no", "No", "NO", "nej", "Nej", "off", "Off"}
_DESCRIBE = {"text": "en tekst", "markdown": "en tekst", "id": "et id", "int": "et helt tal",
             "bool": "true eller false", "date": "en dato (ÅÅÅÅ-MM-DD)",
             "time": "et klokkeslæt (TT:MM)", "email": "en e-mailadresse",
             "url": "et link", "phone": "et telefonnummer", "postal": "et postnummer",
             "enum": "en af de tilladte værdier", "path": "et filnavn",
             "list": "en liste", "struct": "en gruppe af felter", "map": "en gruppe af felter"}


def describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "en gruppe af felter"
    if isinstance(node, Sequence):
        return "en liste"
    if node.is_null:
        return "tom"
    return f"'{node.text}'"


class Converter:
    """Checks a located tree against a Field definition and converts it to plain values."""

    def __init__(self):
        self.problems: list[Diagnostic] = []

    def report(self, code: str, pos: Pos, **values) -> None:
        self.problems.append(problem(code, pos, **values))

    def convert(self, spec: Field, node: Node, label: str) -> Any:
        """Return the converted value, or None if it is unusable (after reporting why)."""
        kind = spec.kind
        if kind == "struct":
            return self.struct(spec, node, label)
        if kind in ("list", "map"):
            return self.collection(spec, node, label)
        if not isinstance(node, Scalar):
            self.report("S102", node.pos, field=label, expected=_DESCRIBE[kind],
                        found=describe(node), hint=_type_hint(kind, node))
            return None
        if node.is_null:
            return None
        return self.scalar(spec, node, label)

    def scalar(self, spec: Field, node: Scalar, label: str) -> Any:
        text, kind, pos = node.text, spec.kind, node.pos
        bad = bad_character(text if kind == "markdown" else text.strip(), kind == "markdown")
        if bad is not None:
            self.report("S111", pos, **bad_character_values(label, *bad, block=node.block,
                                                             markdown=kind == "markdown"))
            return None
        if kind in ("text", "markdown") and spec.required and not text.strip():
            # A name of only spaces is no name: every output that shows one would be blank.
            self.report("S102", pos, field=label, expected=_DESCRIBE[kind], found="tom",
                        hint="Skriv en tekst, eller ret feltet til det, det skal være.")
            return None
        if kind == "text" and len(text.strip()) > MAX_LINE:
            length = f"{len(text.strip()):,}".replace(",", ".")
            self.report("S112", pos, field=label, length=length, limit=MAX_LINE)
            return None
        longest = MAX_LENGTH.get(kind)
        if longest is not None and len(text.strip()) > longest:
            length = f"{len(text.strip()):,}".replace(",", ".")
            self.report("S119", pos, field=label, length=length,
                        limit=f"{longest:,}".replace(",", "."))
            return None
        if kind in ("text", "markdown", "path"):
            return text if kind == "markdown" else text.strip()
        if kind == "id":
            if is_id(text):
                return text
            self.report("S105", pos, value=text, suggestion=short_id(text))
            return None
        if kind == "enum":
            if text in spec.choices:
                return text
            guess = DANISH_VALUES.get(text.strip().lower())
            guess = guess if guess in spec.choices else nearest(text, spec.choices)
            self.report("S103", pos, value=text, field=label, allowed=", ".join(spec.choices),
                        hint=f"Mente du '{guess}'?" if guess else "")
            return None
        if kind == "int":
            try:
                value = int(text.replace("_", ""))
            except ValueError:
                self.report("S102", pos, field=label, expected="et helt tal",
                            found=describe(node), hint="Skriv tallet med cifre, fx 12.")
                return None
            if spec.minimum is not None and value < spec.minimum:
                self.report("S109", pos, field=label, minimum=spec.minimum, value=value)
                return None
            if spec.most is not None and value > spec.most:
                self.report("S116", pos, field=label, maximum=f"{spec.most:,}".replace(",", "."),
                            value=f"{value:,}".replace(",", "."))
                return None
            return value
        if kind == "bool":
            if node.plain and text in _TRUE:
                return True
            if node.plain and text in _FALSE:
                return False
            self.report("S102", pos, field=label, expected="true eller false",
                        found=describe(node), hint="Skriv true eller false uden anførselstegn.")
            return None
        if kind == "date":
            return self.date(node)
        if kind == "time":
            match = _TIME.match(text.strip())
            if match and int(match[1]) < 24 and int(match[2]) < 60:
                return dt.time(int(match[1]), int(match[2]))
            self.report("T202", pos, value=text)
            return None
        if kind == "email":
            if _EMAIL.match(text.strip()):
                return text.strip()
            self.report("S107", pos, value=text, expected="en e-mailadresse",
                        hint="Skriv den som navn@domæne.dk.")
            return None
        if kind == "url":
            if _URL.match(text.strip()):
                return text.strip()
            self.report("S107", pos, value=text, expected="et link",
                        hint="Et link skal starte med https://.")
            return None
        if kind == "phone":
            if _PHONE.match(text.strip()):
                return text.strip()
            self.report("S107", pos, value=text, expected="et telefonnummer",
                        hint="Skriv kun cifre og mellemrum, fx 00 00 00 00.")
            return None
        if kind == "postal":
            if _POSTAL.match(text.strip()):
                return text.strip()
            self.report("S107", pos, value=text, expected="et dansk postnummer",
                        hint="Et postnummer har fire cifre, fx \"8900\".")
            return None
        raise AssertionError(f"unknown field kind {kind}")

    def date(self, node: Scalar) -> dt.date | None:
        text = node.text.strip()
        try:
            day = dt.date.fromisoformat(text) if _DATE.match(text) else None
        except ValueError:
            day = None
        if day is None:
            self.report("T201", node.pos, value=node.text)
        elif not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.report("S118", node.pos, value=text, first=FIRST_YEAR, last=LAST_YEAR)
            return None
        return day

    def struct(self, spec: Field, node: Node, label: str) -> dict | None:
        if not isinstance(node, Mapping):
            self.report("S102", node.pos, field=label, expected="en gruppe af felter",
                        found=describe(node),
                        hint="Skriv felterne rykket ind på linjerne under, fx '  email: ...'.")
            return None
        record = {}
        usable = True
        names = [f.name for f in spec.fields]
        missing = [f.name for f in spec.fields if f.required and f.name not in node.items]
        for key, value in node.items.items():
            child = spec.child(key)
            if child is None:
                guess = self.unknown_key(key, node.key_pos[key], names, spec)
                if guess in missing:  # 'tittle': the unknown key already says what is missing
                    missing.remove(guess)
                    usable = False
                continue
            converted = self.convert(child, value, key)
            if converted is None:
                if child.required:
                    usable = False
                continue
            record[key] = converted
        if missing:
            where = "" if spec.name in KINDS_BY_SPEC else f" i {_SPEC_LABEL.get(spec.name, spec.name)}"
            docs = {f.name: f.doc for f in spec.fields}
            hint = "Tilføj " + "; ".join(f"'{name}:' ({docs[name].rstrip('.')})" for name in missing) + "."
            self.report("S101", node.pos, fields=_and(missing), where=where,
                        s="erne" if len(missing) > 1 else "et", hint=hint)
            usable = False
        return record if usable else None

    def unknown_key(self, key: str, pos: Pos, names: list[str], spec: Field) -> str | None:
        guess = None
        if key.lower() in HEALTH_KEYS:
            hint = ("Helbredsoplysninger og diagnoser må aldrig stå i kataloget. Slet feltet. "
                    "Rollen 'peer' fortæller alt, siden behøver.")
        else:
            guess = nearest(key, names)
            hint = f"Mente du '{guess}'?" if guess else f"Gyldige felter: {', '.join(names)}."
        where = "" if spec.name in KINDS_BY_SPEC else f" i {_SPEC_LABEL.get(spec.name, spec.name)}"
        self.report("S104", pos, field=key, where=where, hint=hint)
        return guess

    def collection(self, spec: Field, node: Node, label: str):
        item = spec.item
        if spec.kind == "map":
            if not isinstance(node, Mapping):
                self.report("S102", node.pos, field=label, expected="en gruppe af felter",
                            found=describe(node), hint="Skriv hvert id på sin egen linje med "
                            "kolon efter, og felterne rykket ind under.")
                return None
            result = {}
            for key, value in node.items.items():
                key_pos = node.key_pos[key]
                if not is_id(key):
                    self.report("S105", key_pos, value=key, suggestion=short_id(key))
                    continue
                converted = self.convert(item, value, key)
                if converted is not None:
                    result[key] = converted
            self.check_minimum(spec, len(node.items), node, label)
            return result
        if not isinstance(node, Sequence):
            if isinstance(node, Scalar) and not node.is_null and item.kind != "struct":
                # `themes: oege-netvaerk` for a list of one is common and unambiguous.
                node = _as_sequence(node)
            else:
                self.report("S102", node.pos, field=label, expected="en liste",
                            found=describe(node),
                            hint=f"Skriv fx '{label}: [a, b]' eller ét punkt pr. linje med '- '.")
                return None
        result = []
        seen: dict[Any, Pos] = {}
        for index, value in enumerate(node.items):
            converted = self.convert(item, value, label)
            if converted is None:
                continue
            if spec.unique:
                if converted in seen:
                    self.report("S108", value.pos, value=converted, field=label)
                    continue
                seen[converted] = value.pos
            result.append(converted)
        self.check_minimum(spec, len(node.items), node, label)
        return result

    def check_minimum(self, spec: Field, length: int, node: Node, label: str) -> None:
        if spec.minimum and length < spec.minimum:
            self.report("S106", node.pos, field=label, minimum=spec.minimum,
                        hint=f"Tilføj mindst ét punkt under '{label}'.")
        if spec.most is not None and length > spec.most:
            self.report("S117", node.pos, field=label, length=length, maximum=spec.most)


def bad_character(text: str, markdown: bool = False) -> tuple[str, str] | None:
    """The first character `text` cannot hold, and the text before it; None if all is well.

    `text` is what is used: a one-line field's text without the spaces and line breaks around
    it (a '|' block with one line ends in a line break that is never shown).
    """
    match = (_MARKDOWN_BAD if markdown else _ONE_LINE_BAD).search(text)
    return (match[0], text[:match.start()]) if match else None


def character_name(char: str) -> str:
    """A character a coordinator cannot see, in words."""
    code = f"U+{ord(char):04X}"
    if char in "\n\r":
        return "et linjeskift"
    if char == "\t":
        return "en tabulator"
    if char == "\0":
        return f"et nul-tegn ({code})"
    if char in "\u2028\u2029":
        return f"et usynligt linjeskift ({code})"
    if re.match(f"[{_BIDI}{_MARKS}]", char):
        return f"et usynligt retningstegn ({code})"
    return f"et usynligt styretegn ({code})"


def bad_character_values(label: str | None, char: str, before: str, block: bool = False,
                         markdown: bool = False) -> dict:
    """The values of an S111 message: which field, which character, where, and what to do."""
    line = before.rsplit("\n", 1)[-1]  # a coordinator finds the spot by the words before it
    if line.strip():
        where = f" efter '{'…' if len(line) > 30 else ''}{line[-30:]}'"
    else:
        where = " i starten af en linje" if markdown else " i starten af teksten"
    name = character_name(char)
    if markdown and char in "\r\u2028\u2029":  # a line break that Markdown does not see
        name = f"et usynligt linjeskift (U+{ord(char):04X})"
        hint = "Skriv et almindeligt linjeskift (Enter) i stedet."
    elif char in "\n\r" and block:
        hint = ("Skriv '>-' efter feltnavnet i stedet for '|', og ingen tomme linjer i "
                "teksten; så bliver linjerne lagt sammen til én. Eller skriv teksten på én "
                "linje.")
    elif char in "\n\r":
        hint = ("Skriv teksten på én linje (uden \\n). Er den lang, kan du skrive '>-' efter "
                "feltnavnet og fortsætte på linjerne under; de bliver lagt sammen til én.")
    elif char == "\t":
        hint = "Skriv et mellemrum i stedet for tabulatoren (\\t)."
    else:
        hint = ("Tegnet kan ikke ses og kommer ofte med, når tekst kopieres fra et andet "
                "program. Slet det, fx ved at skrive ordene omkring det igen, eller slet koden "
                f"\\u{ord(char):04x}, hvis den står i teksten.")
    return {"field": f"'{label}'" if label else "Teksten", "character": name, "where": where,
            "hint": hint}


def _and(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " og " + quoted[-1]


def _as_sequence(node: Scalar) -> Sequence:
    sequence = Sequence(node.pos)
    sequence.items.append(node)
    return sequence


def _type_hint(kind: str, node: Node) -> str:
    if isinstance(node, Sequence):
        return "Skriv én værdi, ikke en liste."
    if isinstance(node, Mapping):
        return "Skriv værdien på samme linje som feltnavnet."
    return ""


KINDS_BY_SPEC = {spec.name for spec in KINDS.values()} | {GUIDE.name, BRAND.name}
_SPEC_LABEL = {"offering": "et hold", "session": "en undervisningsgang", "venue": "et sted",
               "theme": "et tema", "consent": "'consent'", "contact": "'contact'",
               "registration": "'registration'", "colors": "'colors'",
               "recurrence": "'recurrence'", "waitlist": "'waitlist'", "quota": "en kvote",
               "eligibility": "'eligibility'", "cost": "'cost'", "enrol_first": "'enrol_first'",
               "change": "en ændring", "break": "en pause",
               "partner": "'partner'", "defaults": "'defaults'"}


def convert(kind: str, tree: Mapping, spec: Field | None = None) -> tuple[dict | None, list[Diagnostic]]:
    """Check a file's tree against its kind's definition; return plain values and problems.

    The values hold no positions (see load.tree_at), so they are cheap to cache and copy.
    """
    converter = Converter()
    record = converter.convert(spec or KINDS[kind], tree, kind)
    return record, converter.problems


# --- JSON Schema for editors -------------------------------------------------------------

_SCALAR_SCHEMAS = {
    "text": {"type": "string", "pattern": rf"^\s*[^{ONE_LINE_BAD}]*\s*$",
             "maxLength": MAX_LINE},
    "markdown": {"type": "string", "maxLength": MAX_LENGTH["markdown"]},
    "path": {"type": "string", "pattern": rf"^\s*[^{ONE_LINE_BAD}]*\s*$",
             "maxLength": MAX_LENGTH["path"]},
    "id": {"type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID},
    "int": {"type": "integer"},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date", "pattern": _BOUNDED_DATE},
    "time": {"type": "string", "pattern": r"^([01]?[0-9]|2[0-3])[:.][0-5][0-9]$"},
    "email": {"type": "string", "format": "email", "maxLength": MAX_LENGTH["email"]},
    "url": {"type": "string", "pattern": r"^https?://", "maxLength": MAX_LENGTH["url"]},
    "phone": {"type": "string", "maxLength": MAX_LENGTH["phone"]},
    "postal": {"type": "string", "pattern": r"^[0-9]{4}$"},
}


def field_schema(spec: Field) -> dict:
    if spec.kind == "struct":
        schema = {
            "type": "object",
            "properties": {f.name: field_schema(f) for f in spec.fields},
            "additionalProperties": False,
        }
        required = [f.name for f in spec.fields if f.required]
        if required:
            schema["required"] = required
    elif spec.kind == "list":
        schema = {"type": "array", "items": field_schema(spec.item)}
        if spec.minimum:
            schema["minItems"] = spec.minimum
        schema["maxItems"] = spec.most
        if spec.unique:
            schema["uniqueItems"] = True
    elif spec.kind == "map":
        schema = {"type": "object", "propertyNames": {"pattern": ID_PATTERN},
                  "additionalProperties": field_schema(spec.item)}
        if spec.minimum:
            schema["minProperties"] = spec.minimum
        schema["maxProperties"] = spec.most
    elif spec.kind == "enum":
        schema = {"enum": list(spec.choices)}
    else:
        schema = dict(_SCALAR_SCHEMAS[spec.kind])
        if spec.kind == "int" and spec.minimum is not None:
            schema["minimum"] = spec.minimum
        if spec.kind == "int" and spec.most is not None:
            schema["maximum"] = spec.most
    if spec.doc:
        schema["description"] = spec.doc
    return schema


def json_schema_date() -> str:
    """The pattern a date must match in the JSON Schemas and the editor: the years S118 takes."""
    return _BOUNDED_DATE


EDITOR_SCHEMAS = {"course": COURSE, "teacher": TEACHER, "school": SCHOOL, "brand": BRAND}


def json_schema(name: str) -> dict:
    """The JSON Schema for one kind of file: 'course', 'teacher', 'school' or 'brand'."""
    spec = EDITOR_SCHEMAS[name]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{name}.schema.json", "title": spec.doc, **field_schema(spec)}
