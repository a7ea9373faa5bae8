"""Templating: the Jinja2 environment for generated pages, with Danish dates and safe Markdown.

Templates live in site_templates/; the Danish text they show lives in strings.da.yaml. Python
here only formats values (dates, times, Markdown) and never writes markup of its own.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import markdown as markdown_lib
import nh3
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .dates import clock

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"

# What coordinator Markdown may produce. Links only to the web, e-mail and phone.
_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4",
         "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td"}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


@functools.lru_cache(maxsize=1)
def strings() -> dict:
    with open(TEMPLATES / "strings.da.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class _Strings:
    """Dot access for templates: t.course.title. A missing key is an error, not a blank, and
    (unlike a dict) no key can be shadowed by a method: t.courses.clear is a string."""

    __slots__ = ("_data",)

    def __init__(self, data: dict):
        self._data = data

    def __getitem__(self, name):
        value = self._data[name]
        return _Strings(value) if isinstance(value, dict) else value

    def __contains__(self, name) -> bool:
        # A group of variants may leave one out on purpose (t.facts.*: "say nothing").
        return name in self._data

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def render_markdown(text: str, shift: int = 1) -> Markup:
    """Coordinator Markdown as sanitised HTML; headings shifted so the page keeps one h1."""
    if not text:
        return Markup("")
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    for level in range(6, 0, -1):
        new = min(level + shift, 6)
        html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES,
                      url_schemes={"https", "http", "mailto", "tel"}, link_rel="noopener")
    return Markup(clean)


def danish_date(day: dt.date, weekday: bool = True, year: bool = True) -> str:
    t = strings()
    text = f"{day.day}. {t['months'][day.month - 1]}"
    if year:
        text += f" {day.year}"
    return f"{t['weekdays'][day.weekday()]} {text}" if weekday else text


def danish_time(value: dt.time) -> str:
    return clock(value)


def month_name(key: str) -> str:
    """'2027-02' -> 'februar 2027'."""
    year, month = key.split("-")
    return f"{strings()['months'][int(month) - 1]} {year}"


def make_environment(*folders: str) -> Environment:
    """Templates from site_templates/<folder> (default: pages), first folder first."""
    env = Environment(
        loader=FileSystemLoader([TEMPLATES / f for f in (folders or ("pages",))]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    env.globals["t"] = _Strings(strings())
    env.filters["markdown"] = render_markdown
    env.filters["date"] = danish_date
    env.filters["time"] = danish_time
    env.filters["month"] = month_name
    env.filters["isoweek"] = lambda day: day.isocalendar()[1]
    env.filters["rhythm"] = rhythm
    env.filters["language_name"] = language_name
    env.filters["country_name"] = country_name
    env.filters["address"] = postal_address
    env.filters["who_may_come"] = who_may_come
    env.filters["dates_list"] = dates_list
    env.filters["zone_note"] = zone_note  # issue 23 (fields-a)
    env.filters["break_span"] = break_span
    return env


# --- words for course shapes (issue 12): the page, the card, the PDF and the .ics say them --

_POSITION_WORDS = {1: "første", 2: "anden", 3: "tredje", 4: "fjerde", -1: "sidste"}


def rhythm(rule, year: bool = True, period: bool = True, zone: str | None = None) -> str:
    """'Hver mandag kl. 13.00–15.00, fortløbende' or 'Første torsdag i måneden kl. 17.00–19.00,
    4. februar til 24. juni 2027'; without its period, only 'Hver mandag kl. 13.00–15.00'."""
    t = strings()["shape"]
    weekday = strings()["weekdays"][rule.weekday]
    if rule.frequency == "weekly":
        words = t["weekly" if rule.interval == 1 else "every_n_weeks"].format(
            weekday=weekday, n=rule.interval)
    else:
        words = t["monthly" if rule.interval == 1 else "every_n_months"].format(
            position=_POSITION_WORDS.get(rule.position, ""), weekday=weekday, n=rule.interval)
    words = words[0].upper() + words[1:]
    words += " " + t["at"].format(start=danish_time(rule.start), end=danish_time(rule.end))
    words += zone_note(zone)  # issue 23: " (britisk tid)" right after the time
    if not period:
        return words
    if rule.until is None:
        return f"{words}, {t['ongoing']}"
    start, end = rule.first_date() or rule.first, rule.last_date() or rule.until
    first = danish_date(start, weekday=False, year=start.year != end.year)
    last = danish_date(end, weekday=False, year=year)
    return f"{words}, {t['period'].format(first=first, last=last)}"


def dates_list(days, year: bool = False) -> str:
    """'26. marts og 14. maj'."""
    words = [danish_date(d, weekday=False, year=year) for d in days]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def country_name(code: str) -> str:
    return strings()["countries"].get(code, code)


# Countries that write the town before the postcode ("Gateshead NE8 1AA").
_TOWN_FIRST = frozenset({"GB", "IE", "US", "CA"})


def postal_address(venue) -> str:
    """'Hørhavevej 14, 8900 Randers C'; abroad as that country writes it, with the country
    named: 'Church Street 2, Gateshead NE8 1AA, Storbritannien'."""
    town = f"{venue.city} {venue.postal_code}" if venue.country in _TOWN_FIRST \
        else f"{venue.postal_code} {venue.city}"
    line = f"{venue.address}, {town.strip()}"
    return line if venue.country == "DK" else f"{line}, {country_name(venue.country)}"


def language_name(code: str) -> str:
    return strings()["languages"].get(code, code)


def who_may_come(rule, plain: bool = False) -> list[str]:
    """The eligibility as short phrases: '16–25 år', 'Bor i Region Sjælland', ...

    With `match: any` the conditions are alternatives, so they become one phrase joined by
    'eller' (issue 23); `plain` gives the separate conditions all the same."""
    t = strings()["shape"]
    words = []
    if rule.min_age is not None and rule.max_age is not None:
        words.append(t["age_range"].format(low=rule.min_age, high=rule.max_age))
    elif rule.min_age is not None:
        words.append(t["age_from"].format(low=rule.min_age))
    elif rule.max_age is not None:
        words.append(t["age_to"].format(high=rule.max_age))
    if rule.residence:
        words.append(t["residence"].format(place=rule.residence))
    if rule.groups:
        names = [t["groups"][g] for g in rule.groups]
        names = [names[0]] + [n.lower() for n in names[1:]]
        groups = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]
        words.append(t["groups_of"].format(groups=groups, of=rule.of) if rule.of else groups)
    if getattr(rule, "match", "all") == "any" and len(words) > 1 and not plain:
        rest = [w[0].lower() + w[1:] for w in words[1:]]
        return [f" {t['or']} ".join([words[0], *rest])]
    return words


# --- issue 23 (fields-a): a time outside the site's zone says its zone; a break in words --

def zone_note(timezone: str | None, site_zone: str = "Europe/Copenhagen") -> str:
    """' (britisk tid)' after a time not in the site's own zone, else nothing."""
    if not timezone or timezone == site_zone:
        return ""
    t = strings()["shape"]
    name = t["zones"].get(timezone) or t["zone_fallback"].format(
        zone=timezone.rsplit("/", 1)[-1].replace("_", " "))
    return f" ({name})"


def break_span(pause, today: dt.date | None = None) -> str:
    """'Holder pause 22. december – 3. januar', with the year when it is not this year's."""
    t = strings()["shape"]
    # The year only for a break that is not the next of its kind (more than ~10 months away).
    year = today is not None and (pause.start - today).days > 300
    first = danish_date(pause.start, weekday=False,
                        year=year and pause.start.year != pause.until.year)
    last = danish_date(pause.until, weekday=False, year=year)
    words = t["pause"].format(first=first, last=last)
    return f"{words} ({pause.note})" if pause.note else words
