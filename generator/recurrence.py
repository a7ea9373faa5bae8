"""Recurrence: an offering that repeats ("hver mandag", "første torsdag i måneden").

The rule is kept as written (for the .ics RRULE and for the words on the page) and expanded
into dated sessions for everything that lists dates. An ongoing group has no end, so it is
expanded to a horizon that depends only on the build's "today": HORIZON_MONTHS after today (or
after its first date, if that is later). A rule with an end is expanded to that end, but never
beyond LIMIT_MONTHS after today, the same limit as T208's "far in the future".
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from dateutil import rrule
from dateutil.relativedelta import relativedelta

HORIZON_MONTHS = 6
LIMIT_MONTHS = 18
_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
POSITIONS = {"første": 1, "anden": 2, "tredje": 3, "fjerde": 4, "sidste": -1}
WEEKDAY_NUMBERS = {name: n for n, name in enumerate(
    ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"))}


@dataclass(frozen=True)
class Recurrence:
    frequency: str  # "weekly" or "monthly"
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time
    first: dt.date  # 'from'
    until: dt.date | None = None  # None: ongoing
    interval: int = 1
    position: int | None = None  # monthly: 1-4, or -1 for the last
    exceptions: tuple[dt.date, ...] = ()
    extras: tuple[dt.date, ...] = ()
    # --- issue 23 (fields-a): changes on one date, breaks, public holidays ----------------
    changes: tuple["Change", ...] = ()
    breaks: tuple["Break", ...] = ()  # the school's, copied here when the model is built
    skip_holidays: bool = False
    country: str = "DK"  # whose public holidays `skip_holidays` skips: the venue's country

    @property
    def ongoing(self) -> bool:
        return self.until is None

    def _rule(self, until: dt.date | None = None, count: int | None = None) -> rrule.rrule:
        day = _WEEKDAYS[self.weekday]
        return rrule.rrule(
            rrule.WEEKLY if self.frequency == "weekly" else rrule.MONTHLY,
            interval=self.interval,
            byweekday=day(self.position) if self.frequency == "monthly" and self.position else day,
            dtstart=dt.datetime.combine(self.first, dt.time()),
            until=dt.datetime.combine(until, dt.time()) if until else None, count=count)

    def pattern_start(self) -> dt.date | None:
        """The first date of the pattern itself, before exceptions; None if the pattern has
        no date up to 'until'."""
        first = next(iter(self._rule(self.until)), None)  # lazy: one step
        return first.date() if first is not None else None

    def first_date(self) -> dt.date | None:
        """The first day the group really meets: the pattern's first date that is not an
        exception, or an earlier extra. What the page says it starts with."""
        skip = set(self.exceptions)
        # Lazy: at most len(exceptions) + 1 steps, even for an ongoing group.
        first = next((d.date() for d in self._rule(self.until) if d.date() not in skip), None)
        return min((d for d in (first, *self.extras) if d is not None), default=None)

    def next_on_pattern(self, day: dt.date) -> dt.date | None:
        """The first date of the pattern (before exceptions) on or after this day."""
        found = self._rule(self.until).after(dt.datetime.combine(day, dt.time()), inc=True)
        return found.date() if found else None

    def last_date(self) -> dt.date | None:
        """The last date of a rule with an end (its 'until' need not be on the pattern)."""
        if self.until is None:
            return None
        days = [d.date() for d in self._rule(self.until)]
        left_out = set(self.exceptions) | set(self.cancelled) | set(self.skipped(self.first))
        found = (set(days) - left_out) | set(self.extras)
        return max(found) if found else None

    def on_pattern(self, day: dt.date) -> bool:
        """Whether the pattern itself (before exceptions) falls on this day."""
        stamp = dt.datetime.combine(day, dt.time())
        return self._rule(day).after(stamp, inc=True) == stamp if day >= self.first else False

    def horizon(self, today: dt.date) -> dt.date:
        """The last day expanded: the end, the limit, or the ongoing horizon."""
        limit = today + relativedelta(months=LIMIT_MONTHS)
        if self.until is not None:
            return min(self.until, limit)
        return max(today, self.first) + relativedelta(months=HORIZON_MONTHS)

    def pattern_dates(self, today: dt.date) -> tuple[dt.date, ...]:
        """The pattern's dates up to the horizon, without the exceptions, the school's breaks,
        public holidays (skip_holidays) and cancelled dates (changes)."""
        skip = set(self.exceptions) | set(self.skipped(today)) | set(self.cancelled)
        return tuple(d.date() for d in self._rule(self.horizon(today)) if d.date() not in skip)

    def extra_dates(self, today: dt.date) -> tuple[dt.date, ...]:
        """The extras that are published. An extra may lie after 'until' (a date made up
        for), so a rule with an end takes them up to the limit; an ongoing group, like its
        pattern, up to the horizon. The page, the open data and the .ics (RDATE) all take
        exactly these."""
        last = self.horizon(today) if self.ongoing else today + relativedelta(months=LIMIT_MONTHS)
        return tuple(sorted(d for d in set(self.extras) if d <= last))

    def dates(self, today: dt.date) -> tuple[dt.date, ...]:
        """Every date up to the horizon: the pattern (less exceptions, breaks, holidays and
        cancelled dates), plus the extras."""
        return tuple(sorted(set(self.pattern_dates(today)) | set(self.extra_dates(today))))

    # --- issue 23 (fields-a) -------------------------------------------------------------

    @property
    def cancelled(self) -> tuple[dt.date, ...]:
        return tuple(c.date for c in self.changes if c.cancelled)

    def change_on(self, day: dt.date) -> "Change | None":
        return next((c for c in self.changes if c.date == day), None)

    def skip_until(self, today: dt.date) -> dt.date:
        """How far skipped dates are listed: the end, or for an ongoing group as far as T208's
        limit, so the .ics (whose RRULE goes on) leaves out every holiday a reader may plan for."""
        limit = today + relativedelta(months=LIMIT_MONTHS)
        return min(self.until, limit) if self.until is not None else limit

    def skipped(self, today: dt.date) -> dict[dt.date, str]:
        """Pattern dates left out for a school break or a public holiday, with why: the break's
        note (or '') or the holiday's name. Exceptions and changes are not in it."""
        if not self.breaks and not self.skip_holidays:
            return {}  # the common case costs nothing
        return dict(_skipped(self, today))

    def _skipped(self, today: dt.date) -> tuple[tuple[dt.date, str], ...]:
        last = self.skip_until(today)
        pattern = [d.date() for d in self._rule(last)]
        if not pattern:
            return ()
        found: dict[dt.date, str] = {}
        for day in pattern:
            for pause in self.breaks:
                if pause.start <= day <= pause.until:
                    found[day] = pause.note
                    break
        if self.skip_holidays:
            names = holidays_of(self.country, pattern[0].year, last.year)
            for day in pattern:
                if day in names and day not in found:
                    found[day] = names[day]
        return tuple(sorted(found.items()))

    def breaks_ahead(self, today: dt.date) -> tuple["Break", ...]:
        """The school breaks that take out at least one date of this pattern from today on."""
        skipped = [d for d in self.skipped(today) if d >= today]
        return tuple(b for b in self.breaks if any(b.start <= d <= b.until for d in skipped))

    def holidays_ahead(self, today: dt.date) -> dict[dt.date, str]:
        """Public holidays skipped from today to the horizon (what the page lists)."""
        if not self.skip_holidays:
            return {}
        last = self.horizon(today)
        skipped = self.skipped(today)
        in_break = {d for b in self.breaks for d in skipped if b.start <= d <= b.until}
        return {d: n for d, n in skipped.items() if today <= d <= last and d not in in_break}


@functools.lru_cache(maxsize=4096)
def _skipped(rule: Recurrence, today: dt.date):
    """Cached: pages, the .ics, JSON-LD and open data all ask for the same rule and day."""
    return rule._skipped(today)


@dataclass(frozen=True)
class Change:
    """One date of a recurring group that differs from the pattern (`changes`)."""

    date: dt.date
    topic: str = ""
    teacher_ids: tuple[str, ...] | None = None  # None: the offering's team
    venue_id: str | None = None  # None: the offering's venue
    room: str | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    cancelled: str = ""  # the reason; non-empty = no session that day
    note: str = ""


@dataclass(frozen=True)
class Break:
    """A school's break (`breaks`): every recurring group of the school skips it."""

    start: dt.date  # 'from'
    until: dt.date
    note: str = ""


# A country's default zone. A country not here (several zones, such as the US, or simply not
# listed) must name its venue's `timezone` (T231): a fixed table keeps builds the same on
# every machine, whatever tz files it has.
COUNTRY_ZONES = {"DK": "Europe/Copenhagen", "GB": "Europe/London", "IE": "Europe/Dublin",
                 "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "DE": "Europe/Berlin",
                 "FI": "Europe/Helsinki", "IS": "Atlantic/Reykjavik", "NL": "Europe/Amsterdam",
                 "BE": "Europe/Brussels", "FO": "Atlantic/Faroe", "FR": "Europe/Paris",
                 "PL": "Europe/Warsaw", "IT": "Europe/Rome", "ES": "Europe/Madrid",
                 "PK": "Asia/Karachi", "IN": "Asia/Kolkata"}


def zone_of_country(country: str) -> str | None:
    """The IANA zone a country's venues use by default; None when the venue must name one."""
    return COUNTRY_ZONES.get(country)


_HOLIDAYS: dict[tuple[str, int, int], dict[dt.date, str]] = {}


def holidays_of(country: str, first_year: int, last_year: int) -> dict[dt.date, str]:
    """Public holidays of a country, in Danish where the `holidays` package has Danish names."""
    key = (country, first_year, last_year)
    if key not in _HOLIDAYS:
        import holidays
        try:
            calendar = holidays.country_holidays(country, years=range(first_year, last_year + 1))
        except NotImplementedError:
            _HOLIDAYS[key] = {}
            return {}
        language = "da" if "da" in calendar.supported_languages else None
        if language:
            calendar = holidays.country_holidays(country, language=language,
                                                 years=range(first_year, last_year + 1))
        _HOLIDAYS[key] = {day: name for day, name in sorted(calendar.items())}
    return _HOLIDAYS[key]


def has_holidays(country: str) -> bool:
    import holidays
    try:
        holidays.country_holidays(country)
    except NotImplementedError:
        return False
    return True


def from_record(r: dict, breaks: tuple[Break, ...] = (), country: str = "DK") -> Recurrence:
    return Recurrence(
        r["frequency"], WEEKDAY_NUMBERS[r["weekday"]], r["start"], r["end"], r["from"],
        r.get("until"), r.get("interval", 1), POSITIONS.get(r.get("position")),
        tuple(r.get("except") or ()), tuple(r.get("extra") or ()),
        changes=tuple(change_from(c) for c in r.get("changes") or ()),
        breaks=breaks, skip_holidays=r.get("skip_holidays", False), country=country)


def change_from(c: dict) -> Change:
    teachers = c.get("teachers")
    return Change(c["date"], c.get("topic", ""),
                  tuple(teachers) if teachers is not None else None, c.get("venue"),
                  c.get("room"), c.get("start"), c.get("end"), c.get("cancelled", ""),
                  c.get("note", ""))
