"""`catalogue new`: start a course or teacher file from a commented template."""

from __future__ import annotations

import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

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
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    text = env.get_template(f"{kind}.yaml.j2").render(
        name=name.replace('"', "'"), id=file_id, **_example_ids(root))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    print(f"Skrev {target.relative_to(root)}. Udfyld felterne, og kør 'catalogue check'.")
    return 0


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
