"""`catalogue new`: start a course, teacher or school file, or a brand, from commented templates.

Texts the coordinator must replace are marked in the templates with the `placeholder` filter.
`catalogue new` writes them as they are; `placeholders()` reads the same marks back, so the rule
that finds template text left in a file (H805) knows exactly what the templates say today.

A brand (`catalogue new site NAME`) has no placeholders: the README promises that it builds as
written, so its values are working defaults, and its comments say which ones to change.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Undefined

from .catalogue import source_files
from .ids import make_id

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates" / "scaffold"


FOLDERS = {"course": "courses", "teacher": "teachers", "school": "schools"}
# The colours of a new brand: they pass every contrast check in colours.DRAWN.
PRIMARY, ACCENT = "#114b5f", "#9a3412"


def new_source(root: Path, kind: str, name: str) -> int:
    folder = FOLDERS[kind]
    name = _name(name)
    if not name:
        print("catalogue: skriv et navn, fx catalogue new course \"Sorg og savn\"", file=sys.stderr)
        return 2
    file_id = make_id(name)
    target = root / folder / f"{file_id}.yaml"
    if _exists(root, target):
        return 1
    text = _environment(StrictUndefined).get_template(f"{kind}.yaml.j2").render(
        name=name, id=file_id, municipality=_municipality(name), **_example_ids(root))
    _write(target, text)
    print(f"Skrev {target.relative_to(root)}. Udfyld felterne, og kør 'catalogue check'.")
    return 0


def new_site(root: Path, name: str, school_ids: list[str]) -> int:
    """sites/<id>/ with brand.yaml, mkdocs.yml and a placeholder logo, ready to build."""
    site_id = make_id(name.strip())
    if not site_id:
        print("catalogue: skriv brandets navn, fx catalogue new site favrskov", file=sys.stderr)
        return 2
    folder = root / "sites" / site_id
    if os.path.lexists(folder):
        _exists(root, folder)
        return 1
    schools = _school_names(root)
    unknown = [s for s in school_ids if s not in schools]
    if unknown:
        print(f"catalogue: ingen skole hedder {', '.join(unknown)}. Skolerne i schools/ er: "
              f"{', '.join(schools)}.", file=sys.stderr)
        return 1
    chosen = list(dict.fromkeys(school_ids)) or _matching(site_id, schools)
    first = schools[chosen[0]] if chosen else {}
    place = _name(name)
    place = place.title() if place.islower() else place  # "favrskov" -> "Favrskov"
    values = {
        "id": site_id, "schools": chosen, "known": list(schools),
        "name": _name(first.get("name") or f"Recoveryskolen {place}"),
        "municipality": _name(first.get("municipality") or f"{place} Kommune"),
        "email": first.get("email") or f"kontakt@{site_id}.example.org",
        "site_url": f"https://recoveryskolen.{site_id}.example.org/",
        "primary": PRIMARY, "accent": ACCENT}
    values["initials"] = _initials(values["name"])
    env = _environment(StrictUndefined)
    files = {name: env.get_template(template).render(**values) for name, template in
             (("brand.yaml", "brand.yaml.j2"), ("mkdocs.yml", "mkdocs.yml.j2"),
              ("logo.svg", "logo.svg.j2"))}
    folder.mkdir(parents=True)
    for file_name, text in files.items():
        _write(folder / file_name, text)
    print(f"Skrev sites/{site_id}/: brand.yaml, mkdocs.yml og logo.svg.")
    if chosen:
        print(f"Skoler med i brandet: {', '.join(chosen)}.")
    else:
        print(f"Ingen skole i schools/ passer til '{site_id}', så alle skoler er med. Skriv "
              f"jeres skoler under 'schools' i sites/{site_id}/brand.yaml.")
    print(f"Ret navn, kontakt og adresse i brand.yaml, og byg med "
          f"'catalogue build --site {site_id}'.")
    return 0


def mkdocs_config(site_id: str, name: str) -> str:
    """What `new site` writes as sites/<id>/mkdocs.yml; a test holds every brand's file to it."""
    return _environment(StrictUndefined).get_template("mkdocs.yml.j2").render(id=site_id,
                                                                              name=name)


def _name(text: str) -> str:
    # A double quote would end the quoted YAML value the templates write the name into.
    return " ".join(text.split()).replace('"', "'")


def _municipality(name: str) -> str:
    """'Recoveryskolen Favrskov' -> 'Favrskov Kommune': the usual way schools are named."""
    first, _, rest = name.partition(" ")
    return f"{rest} Kommune" if first.casefold().startswith("recovery") and rest else \
        "Skriv kommunens navn"


def _initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalnum()]
    return "".join(w[0].upper() for w in words[:2]) or "?"


def _exists(root: Path, target: Path) -> bool:
    if not os.path.lexists(target):  # lexists: a broken link is a name taken too
        return False
    print(f"catalogue: {target.relative_to(root)} findes allerede; den bliver ikke "
          f"overskrevet. Vælg et andet navn, eller ret den eksisterende fil.", file=sys.stderr)
    return True


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)


def _school_names(root: Path) -> dict[str, dict]:
    """Each school's id with its name, municipality and e-mail as written (read leniently)."""
    from .load import Mapping, tree_at

    found = {}
    for name in source_files(root)["schools"]:
        tree = tree_at(str(root / name), name)
        items = tree.items if isinstance(tree, Mapping) else {}
        contact = items.get("contact")
        email = contact.items.get("email") if isinstance(contact, Mapping) else None
        found[Path(name).stem] = {key: getattr(value, "text", None) for key, value in
                                  (("name", items.get("name")),
                                   ("municipality", items.get("municipality")),
                                   ("email", email))}
    return found


def _matching(site_id: str, schools: dict[str, dict]) -> list[str]:
    """Schools whose id, name or municipality has the brand's name as a word."""
    def words(*texts):
        return {w for text in texts if text for w in make_id(text).split("-")}

    return [school for school, info in schools.items()
            if site_id in words(school, info["name"], info["municipality"])]


def _environment(undefined, placeholder=lambda text: text) -> Environment:
    # trim_blocks: an {% if %} on its own line leaves no empty line in the YAML it writes.
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=undefined,
                      keep_trailing_newline=True, autoescape=False, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["placeholder"] = placeholder
    return env


class Placeholder(NamedTuple):
    field: str  # the top-level field the text stands in
    text: str  # as the template writes it
    guidance: str  # the template's comment above the field: what to write instead


_FIELD = re.compile(r"^([a-z_]+):")
_KEY = re.compile(r"^\s*([a-z_]+):")


@functools.cache
def placeholders(kind: str) -> tuple[Placeholder, ...]:
    """The texts marked as placeholders in the template for `kind` ("course", "teacher" or
    "school"). `field` is the top-level field; the guidance is the comment above the nearest
    field, so a venue's field inside `venues` gets its own comment."""
    marked: list[str] = []

    def record(text):
        marked.append(str(text))
        return text

    # Lenient about variables: a new template variable must not break the checker.
    lines = _environment(Undefined, record).get_template(f"{kind}.yaml.j2").render(
        name="", id="").splitlines()
    found = []
    for text in marked:
        at = next(i for i, line in enumerate(lines)  # an example in a comment is not it
                  if text in line and not line.lstrip().startswith("#"))
        while not _KEY.match(lines[at]):  # a list item or block text: find its field
            at -= 1
        above = at
        while above > 0 and lines[above - 1].lstrip().startswith("#"):
            above -= 1
        guidance = " ".join(line.strip().lstrip("# ").strip() for line in lines[above:at])
        while not _FIELD.match(lines[at]):  # a field inside another: find the top-level one
            at -= 1
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
