"""Recurrence: an offering that repeats ("hver mandag", "første torsdag i måneden").

The rule is kept as written (for the .ics RRULE and for the words on the page) and expanded
into dated sessions for everything that lists dates. An ongoing group has no end, so it is
expanded to a horizon that depends only on the build's "today": HORIZON_MONTHS after today (or
after its first date, if that is later). A rule with an end is expanded to that end, but never
beyond LIMIT_MONTHS after today, the same limit as T208's "far in the future".
"""

from __future__ import annotations

import datetime as dt
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
        days = self._rule(self.until, count=1)
        return days[0].date() if days else None

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
        found = (set(days) - set(self.exceptions)) | set(self.extras)
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
        """The pattern's dates up to the horizon, without the exceptions."""
        skip = set(self.exceptions)
        return tuple(d.date() for d in self._rule(self.horizon(today)) if d.date() not in skip)

    def extra_dates(self, today: dt.date) -> tuple[dt.date, ...]:
        """The extras that are published. An extra may lie after 'until' (a date made up
        for), so a rule with an end takes them up to the limit; an ongoing group, like its
        pattern, up to the horizon. The page, the open data and the .ics (RDATE) all take
        exactly these."""
        last = self.horizon(today) if self.ongoing else today + relativedelta(months=LIMIT_MONTHS)
        return tuple(sorted(d for d in set(self.extras) if d <= last))

    def dates(self, today: dt.date) -> tuple[dt.date, ...]:
        """Every date up to the horizon: the pattern, minus exceptions, plus extras."""
        return tuple(sorted(set(self.pattern_dates(today)) | set(self.extra_dates(today))))


def from_record(r: dict) -> Recurrence:
    return Recurrence(
        r["frequency"], WEEKDAY_NUMBERS[r["weekday"]], r["start"], r["end"], r["from"],
        r.get("until"), r.get("interval", 1), POSITIONS.get(r.get("position")),
        tuple(r.get("except") or ()), tuple(r.get("extra") or ()))
