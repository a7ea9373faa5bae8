"""Property: whatever `catalogue check` accepts, every brand builds (issue 19 §2, issue 20 §2).

Hypothesis writes whole catalogues generated over the schema (generator/schema.py): every field
of every kind of file gets a value of its kind, from the ordinary to the edge (the largest
number and the longest list the bounds allow, the first and last year, 02:30 on the nights the
clocks change, hostile but legal text), and ids point across schools: an offering at another
school's venue, a teacher in two schools, a brand of one school's venues. A field this file has
never heard of (added to the schema later) is generated from its kind all the same.

Each catalogue is checked; one without errors is built for the regional site and for every
brand, through the same pipeline the MkDocs plugin drives (every renderer's plan, every asset
read, every page template rendered, JSON-LD, open data validated by frictionless), with PDFs
stubbed as in benchmarks/stubbed.py. Nothing may raise.

`make test` runs a short, derandomised run (PROPERTY_EXAMPLES, default 12): the same cases every
time, so CI is deterministic. `make audit-property` (part of `make audit`) runs 300 more cases,
then 40 with PROPERTY_MKDOCS=1, which validates the open data with frictionless and builds each
accepted catalogue with MkDocs itself, brand by brand, as `catalogue build --site` does
(PROPERTY_SEED picks other cases than the derandomised ones; PROPERTY_NO_SHRINK=1 skips
shrinking a failure, for a quick look).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from generator import schema as S
from generator.brands import site_for, site_for_build
from generator.catalogue import read_catalogue
from generator.model import FIVE_WAYS
from generator.render import Build, Page
from generator.render import opendata
from generator.render import print as printing
from generator.render.rendered import APPENDICES, Rendered
from generator.scaffold import mkdocs_config
from generator.select import Selection
from generator.templating import make_environment, strings

from conftest import MINI, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import stubbed  # noqa: E402  (the one-page PDF the benchmarks use)

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "12"))
MKDOCS = os.environ.get("PROPERTY_MKDOCS") == "1"
FRICTIONLESS = MKDOCS or os.environ.get("PROPERTY_FRICTIONLESS") == "1"
# A fixed seed: the same cases every run, wherever the checkout is (derandomize alone seeds
# from the test's location, so a fresh clone drew other cases than the working tree).
SEED = os.environ.get("PROPERTY_SEED", "2026")
TODAY = dt.date(2026, 12, 1)

# --- values ------------------------------------------------------------------------------

# Legal one-line texts that every output context treats specially.
HOSTILE = ['<b>fed</b> </p>', 'a & b "c" \'d\'', '{{ 7*7 }} {% raw %}', "=1+1",
           "; DROP TABLE", "a,b;c\\d", "Søvn & hvile – æøå ÆØÅ", "@SUM(A1)", "ﷺ 𝔘𝔫𝔦 😀",
           "#anker", "[link](https://example.org/)", "x" * S.MAX_LINE, "  luft  ", "null",
           "Ünïcødé ¼ ½", "https://example.org/?a=1&b=2", "-", "SUMMARY:x"]
# Every category but controls, surrogates, format characters and line separators (S111).
TEXT = st.one_of(st.sampled_from(HOSTILE),
                 st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co",
                                                             "Cn")),
                         min_size=1, max_size=40))
MARKDOWN = st.one_of(st.sampled_from([
    "Tekst med **fed** og [et link](https://example.org/).", "# Overskrift\n\n- et\n- to\n",
    "<b>html</b> & <i>x</i>", "Æ" * 3000, "> citat\n\n1. et\n2. to\n",
    "[[kurser: oege-netvaerk]]", "`kode` og ~~streg~~"]), TEXT)
# Ordinary dates near "today", the bounds, and the nights the clocks change.
EDGE_DATES = [dt.date(S.FIRST_YEAR, 1, 1), dt.date(S.LAST_YEAR, 12, 31),
              dt.date(S.LAST_YEAR, 12, 25), dt.date(2027, 3, 28), dt.date(2027, 10, 31),
              dt.date(2026, 10, 25), dt.date(2027, 2, 28), dt.date(2028, 2, 29)]
DATES = st.one_of(st.dates(TODAY - dt.timedelta(days=400), TODAY + dt.timedelta(days=500)),
                  st.sampled_from(EDGE_DATES))
TIMES = st.sampled_from(["00:00", "02:00", "02:30", "02:59", "03:00", "09:30", "10:00", "13:00",
                         "17.15", "23:59"])
EMAIL = st.sampled_from(["a@b.dk", "kontakt+x@example.org", "x" * 60 + "@example.org"])
URL = st.sampled_from(["https://example.org/", "http://a.dk", "https://example.org/<x>\"&'?q=1",
                       "https://example.org/" + "a" * 1900])
PHONE = st.sampled_from(["00 00 00 00", "+45 12 34 56 78", "+44 20-7946-0000"])
ID = st.sampled_from(["a", "x-y", "a" * S.MAX_ID, "ukendt-id"])


def ints(spec: S.Field):
    low = spec.minimum if spec.minimum is not None else 0
    high = spec.most if spec.most is not None else low + 1000
    return st.one_of(st.sampled_from([low, high]), st.integers(low, min(high, low + 30)))


def generic(spec: S.Field, ids: dict[str, list[str]]):
    """A value of the field's kind; the strategy for a field nobody taught this file."""
    kind = spec.kind
    # Texts that name something from a fixed list (issue 23): mostly real names, so that
    # check accepts enough cases to build; any other text is what S120/S113 report.
    if spec.name == "timezone":
        return st.sampled_from(["Europe/Copenhagen", "Europe/London", "America/New_York"])
    if spec.name == "language":
        return st.sampled_from(["da", "en", "ur"])
    if kind == "text":
        return TEXT
    if kind == "markdown":
        return MARKDOWN
    if kind == "int":
        return ints(spec)
    if kind == "bool":
        return st.booleans()
    if kind == "date":
        return DATES.map(dt.date.isoformat)
    if kind == "time":
        return TIMES
    if kind == "email":
        return EMAIL
    if kind == "url":
        return URL
    if kind == "phone":
        return PHONE
    if kind == "postal":
        return st.just("8000")
    if kind == "enum":
        return st.sampled_from(spec.choices)
    if kind == "path":
        return st.just("logo.svg")
    if kind == "id":
        return st.sampled_from(ids.get(spec.name) or ids["any"])
    if kind == "list" and spec.item.kind == "id":
        # Ids of the list's own kind (a changed date's teachers are teachers); a course of
        # two schools now and then, since its own school among them is refused (R316).
        known = ids.get(spec.name) or ids["any"]
        least = spec.minimum or 0
        chosen = st.lists(st.sampled_from(known), min_size=least,
                          max_size=max(least, min(2, spec.most or 2)), unique=True)
        return st.one_of(st.just([]), chosen) if spec.name == "also_schools" else chosen
    if kind == "list":
        most = min(3, spec.most or 3)
        least = spec.minimum or 0
        return st.lists(generic(spec.item, ids), min_size=least, max_size=max(least, most),
                        unique_by=(lambda x: repr(x)) if spec.unique else None)
    if kind == "map":
        return st.dictionaries(ID, generic(spec.item, ids), min_size=spec.minimum or 0,
                               max_size=2)
    if kind == "struct":
        return record(spec, ids, {})
    raise AssertionError(kind)


def record(spec: S.Field, ids, given: dict):
    """A struct: the fields in `given` from their own strategies (None = leave it out), the
    required rest from their kind, and each optional field present or not."""
    parts = {}
    for field in spec.fields:
        if field.name in given:
            if given[field.name] is not None:
                parts[field.name] = given[field.name]
        elif field.required:
            parts[field.name] = generic(field, ids)
        else:
            parts[field.name] = st.one_of(st.none(), generic(field, ids))
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items()
                                                       if v is not None})


# --- the shapes that must hang together -----------------------------------------------------

@st.composite
def sessions(draw):
    first = draw(DATES)
    count = draw(st.integers(1, 3))
    gaps = draw(st.lists(st.integers(1, 60), min_size=count - 1, max_size=count - 1))
    days = [first]
    for gap in gaps:
        days.append(days[-1] + dt.timedelta(days=gap))
    start, end = sorted(draw(st.lists(TIMES, min_size=2, max_size=2, unique=True)),
                        key=lambda t: tuple(map(int, t.replace(".", ":").split(":"))))
    out = []
    for day in days:
        session = {"date": day.isoformat(), "start": start, "end": end}
        extra = draw(record(S.SESSION, {"any": ["x"]}, {"date": None, "start": None,
                                                        "end": None, "end_date": None,
                                                        "room": None, "venue": None,
                                                        "teachers": None}))
        if draw(st.booleans()) and day == days[-1]:
            session["end_date"] = (day + dt.timedelta(days=draw(st.integers(0, 4)))).isoformat()
        out.append({**session, **extra})
    return out


@st.composite
def recurrence(draw, ids):
    first = draw(DATES)
    until = draw(st.one_of(st.none(), DATES.filter(lambda d: d >= first),
                           st.just(first + dt.timedelta(days=draw(st.integers(3, 60))))))
    start, end = sorted(draw(st.lists(TIMES, min_size=2, max_size=2, unique=True)),
                        key=lambda t: tuple(map(int, t.replace(".", ":").split(":"))))
    frequency = draw(st.sampled_from(S.FREQUENCIES))
    rule = {"frequency": frequency, "weekday": draw(st.sampled_from(S.WEEKDAYS)),
            "start": start, "end": end, "from": first.isoformat()}
    if frequency == "monthly":
        rule["position"] = draw(st.sampled_from(S.POSITIONS))
    if draw(st.booleans()):
        rule["interval"] = draw(ints(S.RECURRENCE.child("interval")))
    if until is not None:
        rule["until"] = until.isoformat()
    if draw(st.booleans()):
        rule["extra"] = sorted({d.isoformat() for d in draw(st.lists(DATES, max_size=3))})
    if draw(st.booleans()):
        # An exception must be on the pattern (T210): take one of the pattern's own dates.
        from generator.recurrence import from_record

        parsed = from_record({**rule, "from": first, "until": until,
                              "start": dt.time(), "end": dt.time(1), "extra": ()})
        days = parsed.pattern_dates(TODAY)[:5]
        if days:
            rule["except"] = [draw(st.sampled_from(days)).isoformat()]
    # A changed date must be one of the pattern's (T230): tests/test_dates_and_zones.py.
    known = {"frequency", "weekday", "start", "end", "from", "until", "position", "interval",
             "extra", "except", "changes"}
    # Fields added to recurrences later (changes, skip_holidays ...) from their kind.
    rest = {f.name: None for f in S.RECURRENCE.fields if f.name in known}
    return {**rule, **draw(record(S.RECURRENCE, ids, rest))}


@st.composite
def offering(draw, ids, venue_rooms):
    venue = draw(st.one_of(st.none(), st.sampled_from(sorted(venue_rooms))))
    attendance = "online" if venue is None else draw(st.sampled_from(S.ATTENDANCE))
    capacity = draw(st.one_of(st.none(), ints(S.OFFERING.child("capacity"))))
    status = draw(st.sampled_from(S.STATUSES))
    given = {
        "key": None, "venue": st.just(venue) if venue else None,
        "attendance": st.just(attendance),
        "room": st.sampled_from(venue_rooms[venue]) if venue and venue_rooms[venue] else None,
        "capacity": st.just(capacity) if capacity else None,
        "places_left": st.integers(0, capacity) if capacity else None,
        "places_updated": DATES.filter(lambda d: d <= TODAY).map(dt.date.isoformat),
        "status": st.just(status),
        "status_note": TEXT if status in ("cancelled", "postponed") else None,
        "online_url": URL if attendance != "in-person" else None,
        "online_note": TEXT if attendance != "in-person" else None,
        "registration": None, "quotas": None, "teachers": None,
        "led_by": st.one_of(st.none(), st.none(), st.none(), st.sampled_from(S.LEAD_FORMS)),
        "led_by_reason": TEXT,
        "sessions": None, "recurrence": None,
    }
    data = draw(record(S.OFFERING, ids, given))
    if draw(st.booleans()):
        data["sessions"] = draw(sessions())
    else:
        data["recurrence"] = draw(recurrence(ids))
    if draw(st.booleans()):
        data["registration"] = {"required": draw(st.booleans()), "email": draw(EMAIL)}
        if draw(st.booleans()):
            data["registration"]["opens"] = (TODAY - dt.timedelta(days=30)).isoformat()
    if capacity and draw(st.booleans()):
        data["quotas"] = [{"group": draw(TEXT), "places": draw(st.integers(1, capacity))}]
    return data


@st.composite
def catalogues(draw):
    """{relative path: file content} for a whole catalogue."""
    files: dict[str, str] = {}
    schools = [f"skole-{n}" for n in range(draw(st.integers(1, 3)))]
    teachers = [f"underviser-{n}" for n in range(draw(st.integers(2, 3)))]
    guides = ["fem-veje-til-et-godt-liv"] if draw(st.booleans()) else []
    themes = [t.id for t in FIVE_WAYS]
    venue_rooms: dict[str, list[str]] = {}
    venue_of: dict[str, str] = {}
    for school in schools:
        for number in range(draw(st.integers(1, 2))):
            venue = f"sted-{school[-1]}-{number}"
            venue_rooms[venue] = draw(st.lists(TEXT.map(str.strip).filter(bool), max_size=2,
                                               unique=True))
            venue_of[venue] = school
    ids = {"school": schools, "schools": schools, "teachers": teachers, "themes": themes,
           "guides": guides or ["ukendt"], "venue": sorted(venue_rooms),
           "venues": sorted(venue_rooms), "any": schools + teachers,
           "also_schools": schools, "requires": ["kursus-0", "kursus-1"]}

    for school in schools:
        venues = {}
        for venue, school_of in venue_of.items():
            if school_of != school:
                continue
            country = draw(st.sampled_from(["DK", "GB"]))
            venues[venue] = draw(record(S.VENUE, ids, {
                "country": st.just(country),
                "postal_code": st.just("8000") if country == "DK" else st.sampled_from(
                    ["NE8 1AA", "EH1 1YZ"]),
                "rooms": st.just(venue_rooms[venue]) if venue_rooms[venue] else None}))
        data = draw(record(S.SCHOOL, ids, {
            "venues": st.just(venues),
            "themes": st.one_of(st.none(), st.dictionaries(
                st.sampled_from([f"tema-{school[-1]}", "a"]), record(S.THEME, ids, {}),
                max_size=1)),
            "contact": st.fixed_dictionaries({"email": EMAIL}),
            # Breaks in order (T234 is tested in tests/test_dates_and_zones.py), and every form
            # of leading allowed, so that a course led by peers is not refused for it (C405).
            "breaks": None,
            "led_by_allowed": st.one_of(st.none(), st.just(sorted(set(S.LEAD_FORMS) - {"co-taught"}))),
            "registration": record(S.SCHOOL.child("registration"), ids, {"email": EMAIL})}))
        files[f"schools/{school}.yaml"] = data
        themes += [t for t in data.get("themes", {}) if t not in themes]

    for number, teacher in enumerate(teachers):
        # A peer and a professional always exist, so a team can be co-produced (C401-C403).
        roles = [["peer"], ["professional"]][number] if number < 2 else None
        files[f"teachers/{teacher}.yaml"] = draw(record(S.TEACHER, ids, {
            "roles": st.just(roles) if roles else generic(S.TEACHER.child("roles"), ids),
            "photo": None, "consent": record(S.CONSENT, ids, {
                "profile": DATES.filter(lambda d: d <= TODAY).map(dt.date.isoformat),
                "photo": None, "withdrawn": st.dates(TODAY, TODAY + dt.timedelta(days=100)).map(
                    dt.date.isoformat)})}))

    for number in range(draw(st.integers(1, 3))):
        data = draw(record(S.COURSE, ids, {
            "school": st.sampled_from(schools),
            "teachers": st.lists(st.sampled_from(teachers[1:]), max_size=1).map(
                lambda more: sorted(set(teachers[:2] + more))),
            "guides": st.just(guides) if guides else None,
            "themes": st.lists(st.sampled_from(themes), min_size=1, max_size=3, unique=True),
            "language": st.sampled_from(["da", "en", "ur"]),
            # Prerequisites that may not form a circle (R314): tests/test_enrolment_fields.py.
            "requires": st.just([]) if number == 0 else st.lists(
                st.sampled_from([f"kursus-{n}" for n in range(number)]), max_size=1),
            # Led by others than a co-taught team now and then, with its reason (C404).
            "led_by": st.one_of(st.none(), st.none(), st.sampled_from(S.LEAD_FORMS)),
            "led_by_reason": TEXT,
            "registration": st.one_of(st.none(), record(S.COURSE.child("registration"), ids, {
                "opens": None, "deadline": None})),
            "eligibility": record(S.ELIGIBILITY, ids, {"min_age": st.integers(0, 30),
                                                      "max_age": st.integers(30, S.MAX_AGE)}),
            "offerings": st.lists(offering(ids, venue_rooms), min_size=1, max_size=2)}))
        files[f"courses/kursus-{number}.yaml"] = data

    brands = ["alle"] + [f"brand-{n}" for n in range(draw(st.integers(1, 2)))]
    for number, brand in enumerate(brands):
        scope = {} if brand == "alle" else draw(st.one_of(
            st.fixed_dictionaries({"schools": st.lists(st.sampled_from(schools), min_size=1,
                                                       unique=True)}),
            st.fixed_dictionaries({"venues": st.lists(st.sampled_from(sorted(venue_rooms)),
                                                      min_size=1, unique=True)})))
        data = draw(record(S.BRAND, ids, {
            "logo": st.just("logo.svg"), "favicon": st.one_of(st.none(), st.just("logo.svg")),
            "colors": st.just({"primary": "#0b5560", "accent": "#8a3b12"}),
            "site_url": st.just(f"https://{brand}.example.org/"),
            "schools": None, "venues": None, "privacy_url": URL, "accessibility_url": URL}))
        files[f"sites/{brand}/brand.yaml"] = {**data, **scope}
    return {"files": files, "guides": guides}


# --- writing and building --------------------------------------------------------------------

def write(case: dict, root: Path) -> Path:
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root)  # the regional build's configuration
    shutil.copytree(REPO / "docs", root / "docs")  # the hand-written pages MkDocs builds
    (root / "site_templates").symlink_to(REPO / "site_templates")  # the theme's overrides
    # Each brand's mkdocs.yml watches guides/, and MkDocs refuses a watched folder that is
    # missing (even with no guides); `new site` makes brands that way.
    (root / "guides").mkdir()
    for name in case["guides"]:
        shutil.copy(MINI / "guides" / f"{name}.md", root / "guides")
        shutil.copy(MINI / "guides" / "sol.svg", root / "guides")
    for name, data in case["files"].items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000),
                        encoding="utf-8")
        if name.startswith("sites/"):
            shutil.copy(MINI / "sites" / "testby" / "logo.svg", path.parent / "logo.svg")
            (path.parent / "mkdocs.yml").write_text(mkdocs_config(path.parent.name, "x"),
                                                    encoding="utf-8")
    return root


def _url(path: str) -> str:
    """The page's address as MkDocs gives it: kurser/x.md -> kurser/x/, index.md -> ''."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


class _Page:
    def __init__(self, spec: Page):
        self.title, self.url = spec.title, _url(spec.path)


@functools.lru_cache(maxsize=1)
def _pages_environment():
    return make_environment()


def render_everything(result, root: Path, brand_id: str | None) -> int:
    """What the plugin does for one build, without MkDocs: every output made and read.
    Returns the number of pages and files made."""
    catalogue = result.catalogue
    brand = catalogue.brands.get(brand_id) if brand_id else None
    site = site_for(brand, root) if brand else site_for_build(root, None)
    selection = Selection.for_brand(catalogue, TODAY, brand)
    build = Build(selection, site, root)
    # The same seam the plugin and `catalogue render` use: every page body and file.
    rendered = Rendered(build, env=_pages_environment())  # open data: frictionless validates
    for asset in rendered.assets.values():
        asset.read()
    for path, spec in rendered.pages.items():
        rendered.body(path, _Page(spec))
        rendered.jsonld(path)
    for path in APPENDICES:
        rendered.own_page(path)
        rendered.appendix(path)
    return len(rendered.pages) + len(rendered.assets)


def mkdocs_build(result, root: Path, brand_id: str | None) -> None:
    from generator import publish

    out = root / "out" / (brand_id or "regional")
    out.parent.mkdir(exist_ok=True)
    assert publish.build_site(root, TODAY, out=out, brand=brand_id, result=result) == 0


def keys_hold(files: dict[str, bytes]) -> None:
    """The open data's primary and foreign keys and required cells, checked directly: what
    frictionless finds in a package of this pipeline, in a hundredth of its time. The audit
    run validates with frictionless itself."""
    import csv
    import io

    package = json.loads(files["datapackage.json"])
    tables = {r["name"]: list(csv.DictReader(io.StringIO(files[r["path"]].decode("utf-8-sig"))))
              for r in package["resources"]}
    problems = []
    for resource in package["resources"]:
        name, table, schema = resource["name"], tables[resource["name"]], resource["schema"]
        for field in schema["fields"]:
            if field.get("constraints", {}).get("required"):
                problems += [f"{name}: {field['name']} tom" for row in table
                             if not row[field["name"]]]
        primary = schema.get("primaryKey") or []
        keys = [tuple(row[f] for f in primary) for row in table]
        if primary and len(keys) != len(set(keys)):
            problems.append(f"{name}: primærnøglen {primary} er ikke unik")
        for foreign in schema.get("foreignKeys", []):
            target = foreign["reference"]
            known = {tuple(row[f] for f in target["fields"])
                     for row in tables[target["resource"] or name]}
            for row in table:
                value = tuple(row[f] for f in foreign["fields"])
                if all(value) and value not in known:
                    problems.append(f"{name}: {foreign['fields']} = {value} findes ikke i "
                                    f"{target['resource']}")
    if problems:
        raise opendata.PackageInvalid("\n".join(problems))


@pytest.fixture(scope="module")
def stub_pdfs():
    environments = {}

    def environment(*folders):  # compiled once for the whole run, not once per build
        if folders not in environments:
            environments[folders] = make_environment(*folders)
        return environments[folders]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(printing.Printer, "pdf", stubbed._stub)
        patch.setattr(printing, "join_pdfs", lambda parts: stubbed.STUB)
        patch.setattr(printing, "make_environment", environment)
        if not FRICTIONLESS:
            patch.setattr(opendata, "validate_files", keys_hold)
        yield


def test_whatever_check_accepts_every_brand_builds(tmp_path, stub_pdfs, capsys):
    counts: Counter = Counter()
    refusals: Counter = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=SEED is None, database=None,
              phases=(Phase.explicit, Phase.generate) if os.environ.get("PROPERTY_NO_SHRINK")
              else (Phase.explicit, Phase.generate, Phase.shrink),
              suppress_health_check=list(HealthCheck))
    @given(catalogues())
    def check_then_build(case):
        counts["cases"] += 1
        root = write(case, tmp_path / f"case-{counts['cases']}")
        try:
            result = read_catalogue(root, TODAY, use_cache=False)
            errors = [d for d in result.diagnostics if d.severity == "error"]
            if errors:
                counts["refused"] += 1
                refusals.update({d.code for d in errors})
                if os.environ.get("PROPERTY_DEBUG"):
                    print(*(f"{d.code} {d.pos} {d.message}" for d in errors), sep="\n", file=sys.__stderr__)
                return
            counts["accepted"] += 1
            for brand in [None, *sorted(result.catalogue.brands)]:
                counts["outputs"] += render_everything(result, root, brand)
                counts["builds"] += 1
                if MKDOCS:
                    mkdocs_build(result, root, brand)
                    counts["mkdocs builds"] += 1
        finally:
            shutil.rmtree(root, ignore_errors=True)

    if SEED is not None:
        check_then_build = seed(int(SEED))(check_then_build)
    check_then_build()
    with capsys.disabled():
        print(f"\nHypothesis: {counts['cases']} catalogues generated, {counts['accepted']} "
              f"accepted by check and built ({counts['builds']} brand builds, "
              f"{counts['outputs']} pages and files"
              + (f", {counts['mkdocs builds']} with MkDocs" if MKDOCS else "")
              + f"), {counts['refused']} refused ({', '.join(sorted(refusals))}).")
    # A generator whose catalogues check always refuses would test nothing.
    assert counts["accepted"] >= max(1, counts["cases"] // 4), dict(refusals)
