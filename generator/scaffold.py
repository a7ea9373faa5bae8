"""`catalogue new`: start a course or teacher file from a commented template.

Texts the coordinator must replace are marked in the templates with the `placeholder` filter.
`catalogue new` writes them as they are; `placeholders()` reads the same marks back, so the rule
that finds template text left in a file (H805) knows exactly what the templates say today.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path
from typing import NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Undefined

from .catalogue import source_files
from .ids import make_id

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates" / "scaffold"


def new_source(root: Path, kind: str, name: str) -> int:
    folder = {"course": "courses", "teacher": "teachers"}[kind]
    name = name.strip()
    if not name:
        print("catalogue: skriv et navn, fx catalogue new course \"Søvn og hvile\"", file=sys.stderr)
        return 2
    file_id = make_id(name)
    target = root / folder / f"{file_id}.yaml"
    if target.exists():
        print(f"catalogue: {target.relative_to(root)} findes allerede; den bliver ikke "
              f"overskrevet. Vælg et andet navn, eller ret den eksisterende fil.", file=sys.stderr)
        return 1
    text = _environment(StrictUndefined).get_template(f"{kind}.yaml.j2").render(
        name=name.replace('"', "'"), id=file_id, **_example_ids(root))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    print(f"Skrev {target.relative_to(root)}. Udfyld felterne, og kør 'catalogue check'.")
    return 0


def _environment(undefined, placeholder=lambda text: text) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=undefined,
                      keep_trailing_newline=True, autoescape=False)
    env.filters["placeholder"] = placeholder
    return env


class Placeholder(NamedTuple):
    field: str  # the top-level field the text stands in
    text: str  # as the template writes it
    guidance: str  # the template's comment above the field: what to write instead


_FIELD = re.compile(r"^([a-z_]+):")


@functools.cache
def placeholders(kind: str) -> tuple[Placeholder, ...]:
    """The texts marked as placeholders in the template for `kind` ("course" or "teacher")."""
    marked: list[str] = []

    def record(text):
        marked.append(str(text))
        return text

    # Lenient about variables: a new template variable must not break the checker.
    lines = _environment(Undefined, record).get_template(f"{kind}.yaml.j2").render(
        name="", id="").splitlines()
    found = []
    for text in marked:
        at = next(i for i, line in enumerate(lines) if text in line)
        while not _FIELD.match(lines[at]):  # a list item or block text: find its field
            at -= 1
        above = at
        while above > 0 and lines[above - 1].startswith("#"):
            above -= 1
        guidance = " ".join(line.lstrip("# ").strip() for line in lines[above:at])
        found.append(Placeholder(_FIELD.match(lines[at])[1], text, guidance))
    return tuple(found)


def _example_ids(root: Path) -> dict:
    """Real ids from the catalogue, so the template points at things that exist."""
    from .load import Mapping, tree_at

    school_id, venue_id = "din-skole", "dit-sted"
    for name in source_files(root)["schools"]:
        tree = tree_at(str(root / name), name)
        if not isinstance(tree, Mapping):
            continue
        venues = tree.items.get("venues")
        external = getattr(tree.items.get("co_production_required"), "text", "") == "false"
        if isinstance(venues, Mapping) and venues.items and not external:
            school_id, venue_id = Path(name).stem, next(iter(venues.items))
            break
    return {"school_id": school_id, "venue_id": venue_id}
