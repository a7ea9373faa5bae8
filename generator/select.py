"""Select: what one build shows, given the catalogue, the schools it covers and "today".

Every output (pages, calendars, structured data) reads a Selection, never the whole catalogue,
so a branded build cannot show another school's offerings by accident.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property

from .ids import short_id
from .model import (Availability, Catalogue, Course, Offering, Session, Teacher, Theme, Venue,
                    Visibility)


# How far ahead a cancelled or postponed offering is news for the first screen of its course.
COMING_WEEKS = 8

# Short, frequent words of the languages a course's own text is likely written in. A course
# taught in English at a British college is described in English; one taught in Urdu at a
# Danish school is described in Danish. The text's language is the one whose words it uses.
_COMMON_WORDS = {
    "da": frozenset("og i at er det en du på til med af for som vi de kan har ikke om".split()),
    "en": frozenset("the and to of a in you is for with on this are be your we it how".split()),
    "de": frozenset("und der die das ist zu mit den sie nicht ein eine für wir ich auf".split()),
    "sv": frozenset("och att det som en på är för med av till vi du inte om har hur".split()),
    "no": frozenset("og i det som en på er for med av til vi du ikke om har hvordan".split()),
}


def text_language(course: Course) -> str:
    """The language the course's title, summary and description are written in: its teaching
    language when the words say so, else Danish (the site's)."""
    if course.language == "da" or course.language not in _COMMON_WORDS:
        return "da"
    words = " ".join((course.title, course.summary, course.description)).lower().split()
    score = {lang: sum(w.strip(".,:;!?()") in common for w in words)
             for lang, common in _COMMON_WORDS.items() if lang in ("da", course.language)}
    return course.language if score[course.language] > score["da"] else "da"


@dataclass(frozen=True)
class Dated:
    """One session with what it belongs to, for calendars and date lists."""

    session: Session
    offering: Offering
    course: Course
    index: int  # of the session in its offering

    @property
    def sort_key(self):
        return (self.session.starts_at, self.course.title, self.offering.key)


@dataclass(frozen=True)
class SiteFacts:
    """What may be said of the build's courses as a whole, counted from them.

    A sentence about "all courses" (free, open to all, co-taught ...) is true only of the courses
    this build shows; templates ask `share(n)` and choose their words ("alle", "de fleste",
    "nogle") or say nothing. Each field counts courses, except where it says otherwise. What
    courses are (free, open, who teaches) counts every course with a page; how one takes part
    (drop-in, sign-up, length, group size) counts only what is still ahead, of the `current`
    courses, with `share_current`.
    """

    courses: int = 0
    current: int = 0  # courses with an offering today or later
    free: int = 0  # no price (a stay whose price is 0 is free too)
    open_to_all: int = 0  # no eligibility: nobody is turned away by age, place or group
    no_referral: int = 0  # not only for a psychiatry's patients (that takes a referral)
    co_taught: int = 0  # every offering taught by one with lived experience and a professional
    peers: int = 0  # led by peers (a course, or one of its offerings)
    relatives: int = 0
    external: int = 0
    drop_in: int = 0  # has an offering one just comes to
    sign_up: int = 0  # has an offering one signs up for
    single_session: int = 0  # every offering is one session (not a stay, not a series)
    several_sessions: int = 0  # has an offering of several sessions or a recurring group
    three_hours: int = 0  # single-session courses of about three hours (2.5 to 3.5)
    capacity: tuple[int, int] | None = None  # smallest and largest group that names one
    channels: frozenset[str] = frozenset()  # "email", "phone", "url": how one signs up

    def share(self, n: int) -> str:
        """'all', 'most', 'some' or 'none': the word a sentence about n courses may use."""
        if n == 0 or self.courses == 0:
            return "none"
        if n == self.courses:
            return "all"
        return "most" if 2 * n > self.courses else "some"

    def share_current(self, n: int) -> str:
        """The same word for a count of current courses."""
        return replace(self, courses=self.current).share(n)

    @classmethod
    def of(cls, catalogue: Catalogue, courses, ahead=None) -> "SiteFacts":
        """`ahead(course)` gives its offerings still to come (default: all of them)."""
        count = dict.fromkeys(("free", "open_to_all", "no_referral", "co_taught", "peers",
                               "relatives", "external", "drop_in", "sign_up", "single_session",
                               "several_sessions", "three_hours"), 0)
        capacities: list[int] = []
        channels: set[str] = set()
        current = 0
        for course in courses:
            forms = {catalogue.led_by(course)} | {catalogue.led_by(course, o)
                                                   for o in course.offerings}
            offerings = ahead(course) if ahead else course.offerings
            current += bool(offerings)
            rule = course.eligibility
            seen = {
                "free": course.free,
                "open_to_all": rule is None,
                "no_referral": rule is None or "patients" not in rule.groups,
                "co_taught": forms == {"co-taught"},
                "peers": "peers" in forms,
                "relatives": "relatives" in forms,
                "external": "external" in forms,
                "drop_in": any(not o.registration.required for o in offerings),
                "sign_up": any(o.registration.required for o in offerings),
                "single_session": bool(offerings) and all(
                    len(o.sessions) == 1 and not o.recurrence and not o.sessions[0].multi_day
                    for o in offerings),
                "several_sessions": any(len(o.sessions) > 1 or o.recurrence for o in offerings),
            }
            if seen["single_session"]:
                hours = [(s.ends_at - s.starts_at).total_seconds() / 3600
                         for o in offerings for s in o.sessions]
                seen["three_hours"] = all(2.5 <= h <= 3.5 for h in hours)
            for key, true in seen.items():
                count[key] += bool(true)
            capacities += [o.capacity for o in offerings if o.capacity]
            for o in offerings:
                if o.registration.required:
                    r = o.registration
                    channels.update(k for k, v in (("email", r.email), ("phone", r.phone),
                                                   ("url", r.url)) if v)
        return cls(courses=len(courses), current=current, **count,
                   capacity=(min(capacities), max(capacities)) if capacities else None,
                   channels=frozenset(channels))


@dataclass(frozen=True)
class Selection:
    catalogue: Catalogue
    today: dt.date
    school_ids: frozenset[str] | None = None  # None (and no venue_ids): every school
    venue_ids: frozenset[str] = frozenset()  # offerings at these venues, of any school

    @classmethod
    def for_brand(cls, catalogue: Catalogue, today: dt.date, brand) -> "Selection":
        if brand is None or not (brand.school_ids or brand.venue_ids):
            return cls(catalogue, today)
        return cls(catalogue, today, frozenset(brand.school_ids), frozenset(brand.venue_ids))

    @property
    def everything(self) -> bool:
        return self.school_ids is None and not self.venue_ids

    # --- what is in this build -----------------------------------------------------------

    @cached_property
    def courses(self) -> tuple[Course, ...]:
        """Courses in this build, by title, each holding only this build's offerings."""
        chosen = []
        for course in self.catalogue.courses.values():
            # A course of several schools (issue 23: also_schools) is in each one's build.
            if self.everything or any(s in (self.school_ids or ()) for s in course.school_ids):
                chosen.append(course)
                continue
            offerings = tuple(o for o in course.offerings if o.venue_id in self.venue_ids)
            if offerings:
                chosen.append(replace(course, offerings=offerings))
        return tuple(sorted(chosen, key=lambda c: (c.title.casefold(), c.id)))

    @staticmethod
    def text_language(course: Course) -> str:
        return text_language(course)

    @cached_property
    def facts(self) -> SiteFacts:
        """What may be said of this build's courses as a whole (home page, PDF, about)."""
        return SiteFacts.of(self.catalogue, self.courses, self.upcoming)

    @cached_property
    def schools(self):
        ids = set(self.catalogue.schools) if self.everything else \
            set(self.school_ids or ()) | {c.school_id for c in self.courses}
        return tuple(self.catalogue.schools[s] for s in sorted(ids) if s in self.catalogue.schools)

    @cached_property
    def venues(self) -> tuple[Venue, ...]:
        used = {o.venue_id for c in self.courses for o in c.offerings}
        own = {s.id for s in self.schools} if self.everything else set(self.school_ids or ())
        return tuple(sorted((v for v in self.catalogue.venues.values()
                             if v.school_id in own or v.id in used),
                            key=lambda v: (v.city, v.name)))

    @cached_property
    def themes(self) -> tuple[Theme, ...]:
        """The five ways first, in their order, then the themes the courses use."""
        used = {t for c in self.courses for t in c.theme_ids}
        themes = self.catalogue.themes.values()
        return tuple(t for t in themes if t.builtin) + tuple(
            sorted((t for t in themes if not t.builtin and t.id in used), key=lambda t: t.name))

    # --- time ----------------------------------------------------------------------------

    def upcoming(self, course: Course) -> tuple[Offering, ...]:
        """Offerings that have a session today or later, cancelled ones included."""
        return tuple(o for o in course.offerings if o.last_date >= self.today)

    def past(self, course: Course) -> tuple[Offering, ...]:
        return tuple(o for o in course.offerings if o.last_date < self.today)

    def headline(self, course: Course) -> Offering | None:
        """The offering a card and the key facts put forward: the next by date of those one can
        sign up for, just come to, or sign up for later; else the next under way or past its
        deadline; else the next at all."""
        states = [(o, o.availability(self.today)) for o in self.upcoming(course)]
        for wanted in ((Availability.OPEN, Availability.FEW, Availability.FULL,
                        Availability.DROP_IN, Availability.NOT_YET),
                       (Availability.CLOSED, Availability.STARTED),
                       tuple(Availability)):
            found = [o for o, state in states if state in wanted]
            if found:
                return min(found, key=self.next_date)
        return None

    def choice(self, course: Course) -> tuple[Offering, ...]:
        """Upcoming offerings that take place, by their next session: what one can choose."""
        return tuple(sorted((o for o in self.upcoming(course) if o.takes_place),
                            key=lambda o: (self.next_date(o), o.key)))

    def called_off(self, course: Course) -> tuple[Offering, ...]:
        """Cancelled or postponed offerings in the coming weeks, or before the one the key facts
        put forward: whoever signed up for one must see it first, not a later date."""
        soon = self.today + dt.timedelta(weeks=COMING_WEEKS)
        lead = self.headline(course)
        if lead is None or not lead.takes_place:
            soon = dt.date.max  # nothing else to put forward: every one called off, first
        else:
            soon = max(soon, self.next_date(lead))
        return tuple(sorted((o for o in self.upcoming(course) if not o.takes_place
                             and self.next_date(o) <= soon),
                            key=lambda o: (self.next_date(o), o.key)))

    def next_date(self, offering: Offering) -> dt.date:
        """The offering's first session from today on (a stay under way: its arrival)."""
        return next((s.date for s in offering.sessions if s.last_day >= self.today),
                    offering.first_date)

    def next_start(self, course: Course) -> dt.date | None:
        dates = [s.date for o in self.upcoming(course) if o.takes_place
                 for s in o.sessions if s.date >= self.today]
        return min(dates) if dates else None

    @cached_property
    def upcoming_sessions(self) -> tuple[Dated, ...]:
        """Every session from today on, in time order; cancelled ones too (they say so)."""
        found = [Dated(s, o, c, i) for c in self.courses for o in c.offerings
                 for i, s in enumerate(o.sessions) if s.date >= self.today]
        return tuple(sorted(found, key=lambda d: d.sort_key))

    @cached_property
    def next_offerings(self) -> tuple[tuple[Offering, Course], ...]:
        """Offerings that take place, by their next session."""
        found = [(o, c) for c in self.courses for o in self.upcoming(c) if o.takes_place]
        return tuple(sorted(found, key=lambda pair: (pair[0].first_date, pair[1].title)))

    def months(self, course: Course) -> tuple[str, ...]:
        """'2027-02' for each month with an upcoming session of the course."""
        return tuple(sorted({s.date.strftime("%Y-%m") for o in self.upcoming(course)
                             if o.takes_place for s in o.sessions if s.date >= self.today}))

    def printable(self, course: Course) -> tuple[Offering, ...]:
        """Upcoming offerings that take place: what the printed catalogue lists."""
        return tuple(o for o in self.upcoming(course) if o.takes_place)

    @cached_property
    def term(self) -> tuple[tuple[str, int], tuple[str, int]] | None:
        """First and last half-year with sessions, as (("spring"|"autumn"), year)."""
        dates = [d.session.date for d in self.upcoming_sessions if d.offering.takes_place]
        if not dates:
            return None
        half = lambda day: ("spring" if day.month <= 6 else "autumn", day.year)  # noqa: E731
        return half(min(dates)), half(max(dates))

    def courses_by_theme(self, printable: bool = False) -> list[tuple[Theme, list[Course]]]:
        """Each course once, under its first theme; themes in their usual order."""
        sections = []
        for theme in self.themes:
            courses = [c for c in self.courses if c.theme_ids and c.theme_ids[0] == theme.id
                       and (not printable or self.printable(c))]
            if courses:
                sections.append((theme, courses))
        return sections

    @cached_property
    def guides(self):
        return tuple(sorted(self.catalogue.guides.values(), key=lambda g: g.title.casefold()))

    def guide_users(self, guide) -> tuple[Course, ...]:
        return tuple(c for c in self.courses if guide.id in c.guide_ids)

    # --- people --------------------------------------------------------------------------

    def team(self, course: Course, offering: Offering | None = None) -> tuple[Teacher, ...]:
        ids = offering.teacher_ids if offering else course.teacher_ids
        return tuple(self.catalogue.teachers[i] for i in ids if i in self.catalogue.teachers)

    def shown(self, teacher: Teacher) -> bool:
        return teacher.visibility(self.today) is not Visibility.ROLE

    @cached_property
    def teachers(self) -> tuple[Teacher, ...]:
        """Teachers who may be named and who teach in this build, by the name shown."""
        ids = {i for c in self.courses for i in c.teacher_ids} | {
            i for c in self.courses for o in c.offerings for i in o.teacher_ids}
        found = [self.catalogue.teachers[i] for i in ids if i in self.catalogue.teachers]
        return tuple(sorted((t for t in found if self.shown(t)),
                            key=lambda t: (t.public_name(self.today).casefold(), t.id)))

    def courses_of(self, teacher: Teacher) -> tuple[Course, ...]:
        return self._by_teacher.get(teacher.id, ())

    @cached_property
    def _by_teacher(self) -> dict[str, tuple[Course, ...]]:
        """Courses by teacher id, built once: a scan per teacher page grows with the square of
        the catalogue."""
        found: dict[str, list[Course]] = {}
        for course in self.courses:
            ids = dict.fromkeys(course.teacher_ids)
            for offering in course.offerings:
                ids.update(dict.fromkeys(offering.teacher_ids))
            for teacher_id in ids:
                found.setdefault(teacher_id, []).append(course)
        return {teacher_id: tuple(courses) for teacher_id, courses in found.items()}

    # --- grouping ------------------------------------------------------------------------

    @cached_property
    def _index(self) -> dict[tuple[str, str], list[Course]]:
        """Courses by (facet, value); built once, so every filter view costs its own size."""
        index: dict[tuple[str, str], list[Course]] = {}
        for course in self.courses:
            keys = [("tema", t) for t in course.theme_ids]
            keys += [("for", a) for a in course.audience]
            keys += [("form", f) for f in course.formats]
            keys += [("skole", s) for s in course.school_ids]
            venue_ids = sorted({o.venue_id for o in self.upcoming(course)
                                if o.venue_id is not None})
            keys += [("sted", v) for v in venue_ids]
            keys += [("by", t) for t in self.town_ids(course)]
            keys += [("maaned", m) for m in self.months(course)]
            keys += [(f, v) for f, values in self.shape_facets(course).items() for v in values]
            for key in keys:
                index.setdefault(key, []).append(course)
        return index

    def shape_facets(self, course: Course) -> dict[str, tuple[str, ...]]:
        """The course's values for the facets of course shapes: online, age and language."""
        keys = {}
        if any(o.online for o in self.upcoming(course)):
            keys["deltag"] = ("online",)
        age = course.eligibility.age_key if course.eligibility else None
        if age:
            keys["alder"] = (age,)
        # Issue 23: an offering may be taught in another language than its course.
        keys["sprog"] = tuple(dict.fromkeys(
            [course.language] + [o.language for o in self.upcoming(course) if o.language]))
        return keys

    def town_id(self, venue_id: str) -> str:
        """The town filter's value for a venue: 'randers' for Randers C and Randers NV."""
        venue = self.catalogue.venues.get(venue_id)
        return short_id(venue.town) if venue else ""

    def town_ids(self, course: Course) -> tuple[str, ...]:
        return tuple(sorted({self.town_id(o.venue_id) for o in self.upcoming(course)
                                  if o.venue_id is not None}))

    @cached_property
    def towns(self) -> dict[str, str]:
        """Town filter values and the names shown, from the venues this build uses."""
        return {short_id(v.town): v.town for v in self.venues}

    def with_facet(self, facet: str, value: str) -> tuple[Course, ...]:
        return tuple(self._index.get((facet, value), ()))

    def facet_values(self, facet: str) -> list[str]:
        return sorted(v for f, v in self._index if f == facet)
