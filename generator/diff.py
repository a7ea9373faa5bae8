"""Diff: what changes for citizens between two versions of the catalogue.

A coordinator's pull request is a YAML diff; the person who merges it needs to know what a
citizen will see change: a new course, a cancelled offering, a moved date, a place that is now
full. Both versions are read with the same pipeline as a build, on the same "today", and only
what the site would show is compared, so a reworded comment or a past offering says nothing.

A version is a folder (a catalogue checkout) or a git revision of the repository at hand.
Teachers are named only where they consented to be; otherwise by role, as on the site.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .catalogue import SOURCE_DIRS, find_root, read_catalogue
from .model import Availability, Catalogue, Course, Offering
from .select import Selection
from .templating import danish_date, danish_time, make_environment, rhythm, strings


class VersionError(Exception):
    """A version that cannot be read: not a folder, and not a revision git knows."""


@dataclass(frozen=True)
class Change:
    """One thing a citizen will see differently. `kind` names its sentence in strings.da.yaml
    (diff.*); `values` fill it in."""

    kind: str
    values: tuple[tuple[str, str], ...] = ()

    def sentence(self) -> str:
        return strings()["diff"][self.kind].format(**dict(self.values))


@dataclass(frozen=True)
class CourseChanges:
    """The changes of one course, under the heading a citizen knows it by."""

    title: str
    course_id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Report:
    before: str
    after: str
    today: dt.date
    courses: tuple[CourseChanges, ...]
    problems: tuple[str, ...] = ()  # versions that would not build

    @property
    def count(self) -> int:
        return sum(len(c.changes) for c in self.courses)


def checkout(version: str, repo: Path, into: Path) -> Path:
    """The catalogue root of `version`: a folder as it is, or a git revision's sources."""
    folder = Path(version)
    if folder.is_dir():
        return find_root(folder)
    try:
        commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet",
                                 f"{version}^{{commit}}"], capture_output=True, text=True,
                                check=True).stdout.strip()
        listed = subprocess.run(["git", "-C", str(repo), "ls-tree", "--name-only", commit],
                                capture_output=True, text=True, check=True).stdout.split()
        wanted = [name for name in listed if name in SOURCE_DIRS]
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit,
                                  "--", *wanted], capture_output=True, check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        raise VersionError(version) from None
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")  # no links out, no absolute paths
    return into


def compare(before: Path, after: Path, today: dt.date, brand: str | None = None,
            names: tuple[str, str] = ("A", "B")) -> Report:
    old, new = read_catalogue(before, today, use_cache=False), \
        read_catalogue(after, today, use_cache=False)
    problems = tuple(strings()["diff"]["broken"].format(version=name, n=errors)
                     for name, result in zip(names, (old, new))
                     if (errors := sum(1 for d in result.diagnostics if d.severity == "error")))
    a = _selection(old.catalogue, today, brand)
    b = _selection(new.catalogue, today, brand)
    shown_a = {c.id: c for c in a.courses} if a else {}
    shown_b = {c.id: c for c in b.courses} if b else {}
    courses = []
    for course_id in sorted(shown_a.keys() | shown_b.keys()):
        was, now = shown_a.get(course_id), shown_b.get(course_id)
        if now is None:
            found = (Change("course_removed"),)
        elif was is None:
            found = _new_course(b, now)
        else:
            found = tuple(_course_changes(a, was, b, now))
        if found:
            courses.append(CourseChanges((now or was).title, course_id, found))
    return Report(names[0], names[1], today, tuple(courses), problems)


def _selection(catalogue: Catalogue | None, today: dt.date, brand: str | None):
    if catalogue is None:
        return None
    return Selection.for_brand(catalogue, today, catalogue.brands.get(brand) if brand else None)


def _when(offering: Offering) -> str:
    if offering.recurrence is not None:
        return rhythm(offering.recurrence)
    if not offering.sessions:
        return ""
    first = offering.sessions[0]
    return f"{danish_date(first.date)} kl. {danish_time(first.start)}"


def _offering_label(offering: Offering) -> str:
    return danish_date(offering.first_date) if offering.sessions else offering.key


def _new_course(selection: Selection, course: Course) -> tuple[Change, ...]:
    upcoming = selection.upcoming(course)
    if not upcoming:
        return (Change("course_added_no_offering"),)
    return (Change("course_added", (("when", _when(upcoming[0])),
                                    ("n", str(len(upcoming))))),)


def _course_changes(a: Selection, was: Course, b: Selection, now: Course):
    if was.title != now.title:
        yield Change("title", (("old", was.title), ("new", now.title)))
    old = {o.key: o for o in was.offerings if not o.is_past(a.today)}
    new = {o.key: o for o in now.offerings if not o.is_past(b.today)}
    # An offering is known by its key, which is its first date unless it names one; a group
    # whose first date moved is the same group, so what is left over is paired in order.
    left_old = [k for k in old if k not in new]
    left_new = [k for k in new if k not in old]
    pairs = [(old[k], new[k]) for k in old if k in new]
    pairs += [(old[x], new[y]) for x, y in zip(left_old, left_new)]
    for offering in (old[k] for k in left_old[len(left_new):]):
        yield Change("offering_removed", (("offering", _offering_label(offering)),))
    for offering in (new[k] for k in left_new[len(left_old):]):
        yield Change("offering_added", (("offering", _offering_label(offering)),
                                        ("when", _when(offering))))
    for before, after in sorted(pairs, key=lambda p: (p[1].first_date, p[1].key)):
        yield from _offering_changes(a, was, before, b, now, after)


def _offering_changes(a: Selection, was: Course, before: Offering, b: Selection, now: Course,
                      after: Offering):
    label = (("offering", _offering_label(after)),)
    yield from _status_changes(a.today, before, after, label)
    if before.recurrence is not None or after.recurrence is not None:
        old_rhythm = rhythm(before.recurrence) if before.recurrence else _when(before)
        new_rhythm = rhythm(after.recurrence) if after.recurrence else _when(after)
        if old_rhythm != new_rhythm:
            yield Change("rhythm", label + (("old", old_rhythm), ("new", new_rhythm)))
        else:
            yield from _dates_dropped_or_added(before, after, label)
    else:
        yield from _sessions_moved(before, after, label)
    if before.venue_id != after.venue_id or before.attendance != after.attendance:
        yield Change("place", label + (("old", _place(a, before)), ("new", _place(b, after))))
    elif (before.room or "") != (after.room or ""):
        yield Change("room", label + (("new", after.room or "–"),))
    old_team, new_team = _team(a, was, before), _team(b, now, after)
    if old_team != new_team:
        yield Change("teachers", label + (("new", new_team),))
    for field in ("opens", "deadline"):
        old_day = getattr(before.registration, field)
        new_day = getattr(after.registration, field)
        if old_day != new_day and new_day is not None:
            yield Change(field, label + (("date", danish_date(new_day)),))


def _status_changes(today: dt.date, before: Offering, after: Offering, label):
    old, new = before.availability(today), after.availability(today)
    if new is Availability.CANCELLED and old is not Availability.CANCELLED:
        yield Change("cancelled", label + (("reason", after.status_note or "–"),))
    elif new is Availability.POSTPONED and old is not Availability.POSTPONED:
        yield Change("postponed", label + (("reason", after.status_note or "–"),))
    elif old in (Availability.CANCELLED, Availability.POSTPONED) and new != old:
        yield Change("reinstated", label + (("status", _status_words(after, today)),))
    elif old != new:
        yield Change("status", label + (("status", _status_words(after, today)),))
    elif before.status != after.status and after.status in _STATUS_SHOWN:
        # Not visible today (sign-up has not opened, say), but it will be once it is.
        words = strings()["availability"][_STATUS_SHOWN[after.status].value]
        yield Change("status", label + (("status", words),))


_STATUS_SHOWN = {"open": Availability.OPEN, "few-places": Availability.FEW,
                 "full": Availability.FULL, "waitlist": Availability.FULL}


def _status_words(offering: Offering, today: dt.date) -> str:
    state = offering.availability(today)
    words = strings()["availability"][state.value]
    if state is Availability.NOT_YET:
        words = words.format(date=danish_date(offering.registration.opens))
    return words


def _sessions_moved(before: Offering, after: Offering, label):
    old = [(s.date, s.start, s.end) for s in before.sessions]
    new = [(s.date, s.start, s.end) for s in after.sessions]
    if old == new:
        return
    if len(old) == len(new):
        for (d0, s0, e0), (d1, s1, e1) in zip(old, new):
            if (d0, s0, e0) != (d1, s1, e1):
                yield Change("moved", label + (("old", _moment(d0, s0, e0)),
                                               ("new", _moment(d1, s1, e1))))
        return
    for day, start, end in sorted(set(old) - set(new)):
        yield Change("date_removed", label + (("date", _moment(day, start, end)),))
    for day, start, end in sorted(set(new) - set(old)):
        yield Change("date_added", label + (("date", _moment(day, start, end)),))


def _dates_dropped_or_added(before: Offering, after: Offering, label):
    old = {s.date for s in before.sessions}
    new = {s.date for s in after.sessions}
    horizon = min(before.last_date, after.last_date)  # an ongoing group's window moves on
    for day in sorted(d for d in old - new if d <= horizon):
        yield Change("date_removed", label + (("date", danish_date(day)),))
    for day in sorted(d for d in new - old if d <= horizon):
        yield Change("date_added", label + (("date", danish_date(day)),))


def _moment(day: dt.date, start: dt.time, end: dt.time) -> str:
    return f"{danish_date(day)} kl. {danish_time(start)}–{danish_time(end)}"


def _place(selection: Selection, offering: Offering) -> str:
    t = strings()["diff"]
    venue = selection.catalogue.venues.get(offering.venue_id) if offering.venue_id else None
    where = f"{venue.name}, {venue.town}" if venue else ""
    if offering.attendance == "online":
        return t["online"]
    if offering.attendance == "hybrid":
        return f"{where} {t['and_online']}".strip()
    return where


def _team(selection: Selection, course: Course, offering: Offering) -> str:
    """The team as the site shows it: consented names, otherwise roles."""
    roles = strings()["roles"]
    shown = []
    for teacher in selection.team(course, offering):
        name = teacher.public_name(selection.today)
        shown.append(name if name else roles[teacher.main_role])
    return ", ".join(sorted(shown))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#!|~])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_text(text: str) -> str:
    """Plain text that Markdown (CommonMark, as GitHub and GitLab read it) shows as written: a
    title such as '<img …>' or '**' in a pull-request comment stays text."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return re.sub(r"[&<>]", lambda m: _HTML_SPECIAL[m.group()], escaped)


def render(report: Report, form: str = "text") -> str:
    env = make_environment("diff")
    env.autoescape = False  # plain text and Markdown; the Markdown template escapes itself
    env.filters["md"] = markdown_text
    name = "changes.md" if form == "markdown" else "changes.txt"
    return env.get_template(name).render(report=report, today=danish_date(report.today)) \
        .rstrip() + "\n"


def diff_versions(repo: Path, before: str, after: str | None, today: dt.date,
                  brand: str | None = None) -> Report:
    """`after` None: the catalogue as it is on disk now."""
    with tempfile.TemporaryDirectory(prefix="catalogue-diff-") as scratch:
        old = checkout(before, repo, Path(scratch) / "a")
        new = find_root(repo) if after is None else checkout(after, repo, Path(scratch) / "b")
        names = (before, after or strings()["diff"]["working_tree"])
        return compare(old, new, today, brand, names)
