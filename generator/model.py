"""Model: the one immutable catalogue that every output is made from.

Course, offering and session are three separate things (kursus, hold, undervisningsgang).
Teachers expose only what their consent allows; templates ask `visibility(today)` and never
read a name directly.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Mapping, NamedTuple

from .diagnostics import Pos
from .load import locate, tree_at
from .recurrence import Break, Recurrence


class Where(NamedTuple):
    """A value's address: the file it came from and the keys and indexes leading to it."""

    path: str  # absolute, to read the file again
    name: str  # relative to the catalogue root, as shown to coordinators
    steps: tuple = ()

    def __add__(self, more: tuple) -> "Where":
        return Where(self.path, self.name, self.steps + tuple(more))

    def find(self, *more) -> Pos | None:
        tree = tree_at(self.path, self.name)
        return locate(tree, *self.steps, *more) if tree is not None else None

    def pos(self, *more) -> Pos:
        """Position of the value (or of a field below it), else of the nearest found."""
        return self.find(*more) or self.find() or Pos(self.name, 1, 1)


@dataclass(frozen=True)
class Located:
    """Where an object was written, so rules can point at it. Not part of equality."""

    source: Where | None = field(default=None, compare=False, repr=False, kw_only=True)
    # The fields the source spells out, known from the parsed record, so that "was this
    # written here or inherited?" never re-reads the file. None: not recorded.
    written: frozenset[str] | None = field(default=None, compare=False, repr=False,
                                           kw_only=True)

    @property
    def pos(self) -> Pos:
        return self.source.pos() if self.source else Pos("", 1, 1)

    def at(self, *path) -> Pos:
        """Position of a field (or list item) as written, else of the object itself."""
        return self.source.pos(*path) if self.source else Pos("", 1, 1)

    def place(self, *path):
        """`at`, deferred: for a rule that passes a position on before it knows it reports."""
        return lambda: self.at(*path)

    def wrote(self, *path) -> bool:
        """Whether the source spells out this field (rather than inheriting it)."""
        if self.written is not None and (len(path) == 1 or path[0] not in self.written):
            return path[0] in self.written
        return self.source is not None and self.source.find(*path) is not None


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: str = ""
    builtin: bool = False
    school_id: str | None = None  # the school that added it, for school themes


# The five ways to wellbeing ("5 veje til et godt liv"), always present, in this order.
FIVE_WAYS = (
    Theme("oege-netvaerk", "Øge netværk",
          "Fællesskab og relationer: at række ud, styrke de bånd, du har, og knytte nye.", True),
    Theme("laere-noget-nyt", "Lære noget nyt",
          "Nysgerrighed og nye færdigheder giver selvtillid og lyst til mere.", True),
    Theme("leve-mere-aktivt", "Leve mere aktivt",
          "Bevægelse i hverdagen, i dit eget tempo, styrker både krop og humør.", True),
    Theme("vaere-mere-til-stede-i-nuet", "Være mere til stede i nuet",
          "At lægge mærke til her og nu: tanker, krop og omgivelser.", True),
    Theme("give-af-sig-selv", "Give af sig selv",
          "At gøre noget for andre giver mening og styrker fællesskabet.", True),
)


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Venue(Located):
    id: str
    school_id: str
    name: str
    address: str
    postal_code: str
    city: str
    accessibility: str
    directions: str = ""
    rooms: tuple[str, ...] = ()
    country: str = "DK"
    timezone: str = "Europe/Copenhagen"  # issue 23 (fields-a): default from `country`

    @property
    def town(self) -> str:
        """The town a citizen would name: 'Randers C' and 'Randers NV' are both Randers, so the
        postal district letters after the name are left out."""
        words = self.city.split()
        while len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 2:
            words.pop()
        return " ".join(words) or self.city


@dataclass(frozen=True)
class SignUpDefaults:
    """A school's default way to sign up."""

    email: str | None = None
    url: str | None = None
    phone: str | None = None
    note: str | None = None
    closed: str = ""  # issue 23: enrolment closed at the whole school, and why


@dataclass(frozen=True)
class School(Located):
    id: str
    name: str
    municipality: str
    contact: Contact
    about: str = ""
    website: str | None = None
    registration: SignUpDefaults = SignUpDefaults()
    co_production_required: bool = True
    provider_note: str = ""
    first_time: str = ""  # Markdown: what to expect the first time (where to go, coffee, ...)
    venue_ids: tuple[str, ...] = ()
    theme_ids: tuple[str, ...] = ()
    led_by_allowed: tuple[str, ...] = ()  # forms besides co-taught that the school allows
    enrol_first: "EnrolFirst | None" = None
    # --- issue 23 (fields-a) ---
    timezone: str | None = None  # for online offerings; None: the first venue's zone
    breaks: tuple[Break, ...] = ()

    # issue 23 (fields-b): what every course of the school inherits unless it says otherwise.
    defaults: "SchoolDefaults | None" = None


@dataclass(frozen=True)
class SchoolDefaults:
    """A school's `defaults`: written once, inherited by each course that does not say
    otherwise. `registration` is a layer below the course's; the others are whole values."""

    registration: tuple[tuple[str, object], ...] = ()  # (field, value) pairs, hashable
    eligibility: "Eligibility | None" = None
    cost: "Cost | None" = None
    language: str | None = None


@dataclass(frozen=True)
class EnrolFirst:
    """A school (a college) where one enrols as a student before booking courses."""

    how: str
    url: str | None = None


class Visibility(enum.Enum):
    """What may be published about a teacher."""

    ROLE = "role"  # no consent: the role only, never the name
    FIRST_NAME = "first-name"
    FULL = "full"


@dataclass(frozen=True)
class Consent:
    profile: dt.date | None = None
    photo: dt.date | None = None
    display: str = "full"
    withdrawn: dt.date | None = None


@dataclass(frozen=True)
class Teacher(Located):
    id: str
    name: str
    roles: tuple[str, ...]
    title: str = ""
    bio: str = ""
    photo: str | None = None  # path relative to the catalogue root
    consent: Consent = Consent()

    @property
    def has_lived_experience(self) -> bool:
        return "peer" in self.roles or "relative" in self.roles

    @property
    def is_professional(self) -> bool:
        return "professional" in self.roles

    @property
    def main_role(self) -> str:
        """The one role shown when the teacher has not consented to a profile."""
        return next(r for r in ("peer", "relative", "professional") if r in self.roles)

    def visibility(self, today: dt.date) -> Visibility:
        consent = self.consent
        if consent.profile is None or consent.profile > today:
            return Visibility.ROLE
        if consent.withdrawn is not None and consent.withdrawn <= today:
            return Visibility.ROLE
        return Visibility.FIRST_NAME if consent.display == "first-name" else Visibility.FULL

    def public_name(self, today: dt.date) -> str | None:
        """The name that may be published, or None: then show the role (`main_role`) only."""
        shown = self.visibility(today)
        if shown is Visibility.ROLE:
            return None
        return self.name.split()[0] if shown is Visibility.FIRST_NAME else self.name

    def photo_visible(self, today: dt.date) -> bool:
        return (self.photo is not None and self.consent.photo is not None
                and self.consent.photo <= today
                and self.visibility(today) is not Visibility.ROLE)


@dataclass(frozen=True)
class Registration:
    """How to sign up for one offering, after course and school defaults are applied."""

    required: bool = True
    email: str | None = None
    url: str | None = None
    phone: str | None = None
    opens: dt.date | None = None
    deadline: dt.date | None = None
    note: str | None = None
    # The note is the course's or the offering's own, not the school's general sign-up note
    # (which speaks of e-mail and would be wrong beside "mød bare op").
    own_note: bool = False
    closed: str = ""  # issue 23: enrolment is closed, and why (offering, course or school)

    @property
    def has_channel(self) -> bool:
        return bool(self.email or self.url or self.phone)


@dataclass(frozen=True)
class Session(Located):
    date: dt.date
    start: dt.time
    end: dt.time
    topic: str = ""
    room: str | None = None
    end_date: dt.date | None = None  # a stay over several days: departure
    # --- issue 23 (fields-a): a session's own team, place, zone; a changed date's note ---
    teacher_ids: tuple[str, ...] | None = None  # None: the offering's team
    venue_id: str | None = None  # None: the offering's venue
    timezone: str = "Europe/Copenhagen"  # of the session's venue (or the offering's zone)
    note: str = ""
    changed: bool = False  # a date of a recurring group that differs from the pattern

    @property
    def last_day(self) -> dt.date:
        return self.end_date or self.date

    @property
    def multi_day(self) -> bool:
        return self.end_date is not None and self.end_date > self.date

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.last_day, self.end)

    @property
    def starts_utc(self) -> dt.datetime:
        """The start as an absolute time, so sessions in two zones compare correctly."""
        return dt.datetime.combine(self.date, self.start, zone(self.timezone)).astimezone(
            dt.timezone.utc)

    @property
    def ends_utc(self) -> dt.datetime:
        return dt.datetime.combine(self.last_day, self.end, zone(self.timezone)).astimezone(
            dt.timezone.utc)


SITE_ZONE = "Europe/Copenhagen"  # the zone the site's own times are in (issue 23)


def zone(name: str):
    """A zone by IANA name; Copenhagen for a name `check` reports as unknown (S120), so the
    rules that run after it can still compare times."""
    from zoneinfo import ZoneInfo
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo(SITE_ZONE)


@dataclass(frozen=True)
class Waitlist:
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    note: str = ""

    @property
    def has_channel(self) -> bool:
        return bool(self.email or self.phone or self.url)


@dataclass(frozen=True)
class Quota:
    group: str
    places: int


# How long a count of places left is shown as current after it was updated.
PLACES_FRESH_DAYS = 14


TAKES_PLACE = frozenset({"open", "few-places", "full", "waitlist"})


class Availability(enum.Enum):
    """What a citizen can do about an offering on a given day: the status the site shows.

    The coordinator's `status` is one input; the sign-up dates and the day decide the rest, so
    the site never says "Ledige pladser" where nobody can sign up.
    """

    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    PAST = "past"
    DROP_IN = "drop-in"  # no sign-up: just come
    NOT_YET = "not-yet"  # sign-up opens later
    SUSPENDED = "enrolment-closed"  # `registration.closed`: closed for now, for a reason
    CLOSED = "closed"  # the deadline has passed
    STARTED = "started"  # under way, and no deadline says one may still join
    FULL = "full"  # full: the waiting list is what is left
    FEW = "few-places"
    OPEN = "open"

    @property
    def can_sign_up(self) -> bool:
        return self in (Availability.OPEN, Availability.FEW, Availability.FULL)


@dataclass(frozen=True)
class Offering(Located):
    key: str
    course_id: str
    venue_id: str | None  # None: online only
    status: str
    sessions: tuple[Session, ...]
    registration: Registration
    teacher_ids: tuple[str, ...]
    room: str | None = None
    capacity: int | None = None
    status_note: str = ""
    note: str = ""
    own_team: bool = False  # the offering names its teachers instead of the course's team
    recurrence: Recurrence | None = None  # the rule `sessions` were expanded from
    attendance: str = "in-person"  # "in-person", "online" or "hybrid"
    online_url: str | None = None
    online_note: str = ""
    led_by: str = "co-taught"  # the course's form unless the offering says otherwise
    led_by_reason: str = ""
    places_left: int | None = None
    places_updated: dt.date | None = None
    waitlist: Waitlist | None = None
    quotas: tuple[Quota, ...] = ()
    # --- issue 23 (fields-a) ---
    name: str = ""  # "Temagruppe", "Åben café"
    language: str | None = None  # None: the course's
    timezone: str = "Europe/Copenhagen"  # the venue's, or for online the school's

    def team_of(self, session: Session) -> tuple[str, ...]:
        """Who teaches one session: its own team (a change, a substitute), else the offering's."""
        return session.teacher_ids if session.teacher_ids is not None else self.teacher_ids

    def venue_of(self, session: Session) -> str | None:
        return session.venue_id if session.venue_id is not None else self.venue_id

    @property
    def first_date(self) -> dt.date:
        return self.sessions[0].date if self.sessions else dt.date.min

    @property
    def last_date(self) -> dt.date:
        return self.sessions[-1].last_day if self.sessions else dt.date.min

    @property
    def ongoing(self) -> bool:
        """A group without an end: one joins when one likes, and it is never over."""
        return self.recurrence is not None and self.recurrence.ongoing

    @property
    def online(self) -> bool:
        """One can take part online (online or hybrid)."""
        return self.attendance in ("online", "hybrid")

    @property
    def on_site(self) -> bool:
        return self.attendance in ("in-person", "hybrid")

    def places_left_on(self, today: dt.date) -> int | None:
        """Places left, only while the count is fresh; a stale count is never shown."""
        if self.places_left is None or self.places_updated is None:
            return None
        if (today - self.places_updated).days > PLACES_FRESH_DAYS:
            return None
        return self.places_left

    @property
    def takes_place(self) -> bool:
        """Not cancelled or postponed: its sessions occupy teachers and rooms."""
        return self.status in TAKES_PLACE

    def is_past(self, today: dt.date) -> bool:
        return self.last_date < today

    def availability(self, today: dt.date) -> Availability:
        """The most decisive fact first: cancelled, over, no sign-up, not yet, too late, full."""
        if self.status == "cancelled":
            return Availability.CANCELLED
        if self.status == "postponed":
            return Availability.POSTPONED
        if self.is_past(today):
            return Availability.PAST
        sign_up = self.registration
        if sign_up.closed:
            return Availability.SUSPENDED
        if not sign_up.required:
            return Availability.DROP_IN
        if sign_up.opens is not None and sign_up.opens > today:
            return Availability.NOT_YET
        if sign_up.deadline is not None and sign_up.deadline < today:
            return Availability.CLOSED
        if sign_up.deadline is None and self.first_date < today and not self.ongoing:
            return Availability.STARTED
        if self.status in ("full", "waitlist"):
            return Availability.FULL
        return Availability.FEW if self.status == "few-places" else Availability.OPEN


@dataclass(frozen=True)
class Course(Located):
    id: str
    title: str
    summary: str
    description: str
    theme_ids: tuple[str, ...]
    audience: tuple[str, ...]
    school_id: str
    offerings: tuple[Offering, ...]
    outcomes: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    teacher_ids: tuple[str, ...] = ()
    guide_ids: tuple[str, ...] = ()
    certificate: bool = False
    led_by: str = "co-taught"
    led_by_reason: str = ""
    eligibility: "Eligibility | None" = None
    language: str = "da"
    cost: "Cost | None" = None  # None: free, as always
    # --- issue 23 (fields-b) ---
    enrol_first: bool = True  # false: the school's "meld dig ind først" does not apply
    requires: tuple[str, ...] = ()  # ids of courses to have taken first
    partner: "Partner | None" = None
    also_school_ids: tuple[str, ...] = ()  # other schools that run the course too
    # Where the school's `defaults` are written: an inherited value is reported there.
    defaults_source: Where | None = field(default=None, compare=False, repr=False)

    @property
    def free(self) -> bool:
        return self.cost is None or self.cost.price == 0

    def language_of(self, offering: "Offering | None") -> str:
        """The offering's teaching language, else the course's (issue 23)."""
        return offering.language if offering is not None and offering.language else self.language

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language the course is taught in: its own, then its offerings' (filters)."""
        found = [self.language] + [o.language for o in self.offerings if o.language]
        return tuple(dict.fromkeys(found))

    @property
    def school_ids(self) -> tuple[str, ...]:
        """The school that wrote the course first, then those in `also_schools`."""
        return (self.school_id, *self.also_school_ids)

    def at(self, *path) -> Pos:
        """As Located.at, but a value the course inherits from its school's `defaults` is
        reported on the school file's line."""
        if path and path[0] in INHERITED and self.inherits(*path):
            return self.defaults_source.pos(*path)
        return super().at(*path)

    def inherits(self, *path) -> bool:
        """Whether the value at `path` comes from the school's `defaults`."""
        return (self.defaults_source is not None and not self.wrote(path[0])
                and self.defaults_source.find(*path) is not None)


# The course fields a school's `defaults` may give.
INHERITED = ("registration", "eligibility", "cost", "language")


@dataclass(frozen=True)
class Partner:
    """An organisation that takes part in a course (co-taught or peer-led) besides the
    school; shown as "I samarbejde med ..." and never changing `led_by`."""

    name: str
    url: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Eligibility:
    """Who may come, when not everyone may."""

    min_age: int | None = None
    max_age: int | None = None
    residence: str = ""
    groups: tuple[str, ...] = ()  # "patients", "relatives", "staff", "students"
    of: str = ""  # whose patients, relatives or staff
    note: str = ""
    match: str = "all"  # issue 23: "any" = the conditions are alternatives

    @property
    def age_key(self) -> str | None:
        """The age filter's value: '16-25', 'fra-18' or 'til-30'."""
        if self.min_age is not None and self.max_age is not None:
            return f"{self.min_age}-{self.max_age}"
        if self.min_age is not None:
            return f"fra-{self.min_age}"
        return f"til-{self.max_age}" if self.max_age is not None else None


@dataclass(frozen=True)
class Cost:
    price: int  # DKK
    covers: str


@dataclass(frozen=True)
class Guide(Located):
    """A downloadable guide: Markdown with shortcodes, published as a page and as PDFs."""

    id: str
    title: str
    summary: str
    audience: tuple[str, ...]
    themes: tuple[str, ...]
    version: dt.date
    license: str
    formats: tuple[str, ...]  # "a4", "a5-booklet"
    body: str
    body_line: int  # where the body starts in the file, for positions in it
    shortcodes: tuple[tuple[str, str, int], ...] = ()  # (name, argument, line)
    images: tuple[tuple[str, int], ...] = ()  # (path as written, line)


WAS_TOOL = "https://was.digst.dk/"  # Digitaliseringsstyrelsen's accessibility statements


@dataclass(frozen=True)
class Brand(Located):
    """A municipality's or region's own build: its name, look, address and schools."""

    id: str  # the folder in sites/
    name: str
    municipality: str
    logo: str  # path relative to the catalogue root
    primary: str
    accent: str
    contact: Contact
    site_url: str
    favicon: str | None = None
    footer: str = ""
    language: str = "da"
    school_ids: tuple[str, ...] = ()  # with venue_ids empty too: every school
    venue_ids: tuple[str, ...] = ()
    privacy_url: str | None = None
    accessibility_url: str | None = None
    calendar_reminder: bool = True  # a VALARM one day before each session in .ics files
    teacher_guides: bool = True  # list guides for teachers (apart from the citizens')
    texts: tuple[tuple[str, str], ...] = ()  # (name, Markdown): sites/<id>/tekster/ (texts.py)


@dataclass(frozen=True)
class Catalogue:
    schools: Mapping[str, School]
    venues: Mapping[str, Venue]
    themes: Mapping[str, Theme]
    teachers: Mapping[str, Teacher]
    courses: Mapping[str, Course]
    guides: Mapping[str, Guide] = field(default_factory=dict)
    brands: Mapping[str, Brand] = field(default_factory=dict)

    def team(self, offering: Offering) -> tuple[Teacher, ...]:
        return tuple(self.teachers[i] for i in offering.teacher_ids if i in self.teachers)

    def teachers_by_id(self, ids) -> tuple[Teacher, ...]:
        """Known teachers among ids (a changed date's own team, issue 23)."""
        return tuple(self.teachers[i] for i in ids or () if i in self.teachers)

    def co_produced(self, course: Course) -> bool:
        """Whether the course is co-taught: not led by peers, relatives or an outside provider,
        and not at a school that says it does not co-produce."""
        return self.led_by(course) == "co-taught"

    def led_by(self, course: Course, offering: Offering | None = None) -> str:
        """Who leads: the offering's form, else the course's. A school with
        `co_production_required: false` makes its co-taught courses external, as it always did."""
        form = offering.led_by if offering is not None else course.led_by
        school = self.schools.get(course.school_id)
        if form == "co-taught" and school is not None and not school.co_production_required:
            return "external"
        return form

    def led_by_reason(self, course: Course, offering: Offering | None = None) -> str:
        if offering is not None and offering.led_by_reason:
            return offering.led_by_reason
        if course.led_by_reason:
            return course.led_by_reason
        school = self.schools.get(course.school_id)
        return school.provider_note if school is not None else ""
