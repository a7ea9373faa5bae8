"""The build's "today" (fixed by --today or SOURCE_DATE_EPOCH so builds are reproducible), and
times of day written the way the site writes them, for pages and messages alike."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


# "Today" must leave room for every date a build computes from it (18 months ahead, 18 back)
# inside the years a catalogue may hold (schema.FIRST_YEAR-LAST_YEAR).
FIRST_TODAY, LAST_TODAY = dt.date(2002, 1, 1), dt.date(2097, 12, 31)


def resolve_today(given: str | None = None) -> dt.date:
    if given:
        try:
            day = dt.date.fromisoformat(given)
        except ValueError:
            raise ValueError(f"--today skal være en dato som 2027-02-03, ikke '{given}'") from None
        if not FIRST_TODAY <= day <= LAST_TODAY:
            raise ValueError(f"--today skal ligge mellem {FIRST_TODAY.isoformat()} og "
                             f"{LAST_TODAY.isoformat()}, ikke '{given}'")
        return day
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), COPENHAGEN).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH skal være et antal sekunder, ikke '{epoch}'") from None
    return dt.datetime.now(COPENHAGEN).date()


def clock(value: dt.time) -> str:
    """10.00: Danish style, the same on the site and in the checker's messages."""
    return f"{value.hour:02d}.{value.minute:02d}"


def clock_span(start: dt.time, end: dt.time) -> str:
    """10.00–13.00, with an en dash as the site writes a span."""
    return f"{clock(start)}–{clock(end)}"
