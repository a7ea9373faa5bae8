"""`catalogue new` templates and the JSON Schema files editors use."""

from __future__ import annotations

import json
import re
import shlex
import shutil

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from generator.scaffold import mkdocs_config
from generator.schema import EDITOR_SCHEMAS, json_schema

from conftest import REPO, run


class _Yaml12Loader(yaml.SafeLoader):
    """Reads dates and times as text, as a YAML 1.2 editor plugin does."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


FILES = {"course": "courses/*.yaml", "teacher": "teachers/*.yaml", "school": "schools/*.yaml",
         "brand": "sites/*/brand.yaml"}


@pytest.mark.parametrize("name", sorted(EDITOR_SCHEMAS))
def test_committed_schemas_are_generated_from_the_validator(name):
    committed = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text())
    assert committed == json_schema(name), "run: make schemas"


@pytest.mark.parametrize("name", sorted(EDITOR_SCHEMAS))
def test_schemas_accept_the_demo(name):
    schema = json_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(REPO.glob(FILES[name]))
    assert files
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], f"{path.name}: {errors}"


def test_schemas_reject_what_the_checker_rejects():
    validator = jsonschema.Draft202012Validator(json_schema("teacher"))
    assert not validator.is_valid({"name": "X", "roles": ["peer"], "diagnose": "y"})
    assert not validator.is_valid({"name": "X", "roles": ["patient"]})
    assert not validator.is_valid({"roles": ["peer"]})


def test_new_course_writes_a_template_with_a_danish_id(demo):
    done = run(["new", "course", "Økonomi og gæld – for pårørende"], demo)
    assert done.returncode == 0, done.stderr
    path = demo / "courses" / "oekonomi-og-gaeld-for-paaroerende.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/course.schema.json\n")
    assert 'title: "Økonomi og gæld – for pårørende"' in text
    checked = run(["check", "--today", "2026-11-22", str(path)], demo)
    # The template is valid YAML and schema; the coordinator still has to write the texts
    # (H805) and name the team (C403).
    codes = {line.split()[2].rstrip(":") for line in checked.stdout.splitlines()
             if ": fejl " in line}
    assert codes == {"C403", "H805"}, checked.stdout


def test_the_new_course_templates_commented_fields_are_valid_once_uncommented(demo):
    assert run(["new", "course", "Peergruppe"], demo).returncode == 0
    text = (demo / "courses" / "peergruppe.yaml").read_text(encoding="utf-8")
    # A commented-out field is '# key: ...' (or '#   key: ...' inside one); prose starts in capitals.
    fields = re.compile(r"^(\s*)# ((?:  )?[a-z_]+:.*)$", re.M)
    shown = {m[2].split(":")[0].strip() for m in fields.finditer(text)}
    assert {"led_by", "led_by_reason", "eligibility", "language", "cost", "attendance",
            "online_note", "places_left", "places_updated", "waitlist", "recurrence",
            "frequency", "weekday", "from", "except"} <= shown
    uncommented = fields.sub(r"\1\2", text)
    data = yaml.load(uncommented, Loader=_Yaml12Loader)
    del data["offerings"][0]["sessions"]  # the template offers recurrence instead of sessions
    validator = jsonschema.Draft202012Validator(json_schema("course"))
    assert [e.message for e in validator.iter_errors(data)] == []
    assert data["offerings"][0]["recurrence"]["weekday"] == "mandag"
    assert data["eligibility"] == {"min_age": 16, "max_age": 25,
                                   "note": "For unge mellem 16 og 25 år."}


def test_new_teacher_is_valid_and_shows_no_name(demo):
    done = run(["new", "teacher", "Søren Ågård"], demo)
    assert done.returncode == 0, done.stderr
    path = demo / "teachers" / "soeren-aagaard.yaml"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    checked = run(["check", "--today", "2026-11-22", str(path)], demo)
    codes = {line.split()[2].rstrip(":") for line in checked.stdout.splitlines()
             if ": fejl " in line}
    assert codes == {"H805"}, checked.stdout  # only the bio is left to write


def test_new_refuses_to_overwrite(demo):
    path = demo / "courses" / "fem-veje-til-et-godt-liv.yaml"
    before = path.read_bytes()
    done = run(["new", "course", "Fem veje til et godt liv"], demo)
    assert done.returncode == 1 and "findes allerede" in done.stderr
    assert path.read_bytes() == before


def _error_codes(stdout: str) -> list[str]:
    return [line.split()[2].rstrip(":") for line in stdout.splitlines() if ": fejl " in line]


def test_new_school_has_one_venue_and_passes_once_its_texts_are_written(demo):
    done = run(["new", "school", "Recoveryskolen Favrskov"], demo)
    assert done.returncode == 0, done.stderr
    path = demo / "schools" / "recoveryskolen-favrskov.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/school.schema.json\n")
    data = yaml.load(text, Loader=_Yaml12Loader)
    assert data["name"] == "Recoveryskolen Favrskov"
    assert data["municipality"] == "Favrskov Kommune" and len(data["venues"]) == 1
    checked = run(["check", "--today", "2026-11-22", str(path)], demo)
    # Every text the coordinator must write is reported, and nothing else is wrong.
    assert set(_error_codes(checked.stdout)) == {"H805"}, checked.stdout
    assert len(_error_codes(checked.stdout)) == 7
    filled = {"Skriv et par linjer om skolen, og hvem der står bag den.": "Gratis kurser.",
              "skriv@jeres-e-mail.dk": "recoveryskolen@favrskov.example.org",
              "Skriv stedets navn": "Kulturhuset", "Skriv vej og husnummer": "Torvet 1",
              '"0000"': '"8450"', "Skriv byen": "Hammel",
              "Skriv, om der er trin eller elevator, handicaptoilet og teleslynge.":
                  "Niveaufri indgang og handicaptoilet."}
    for old, new in filled.items():
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    checked = run(["check", "--today", "2026-11-22", "--strict", str(path)], demo)
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize("args, existing", [
    (["new", "school", "Recoveryskolen Randers"], "schools/recoveryskolen-randers.yaml"),
    (["new", "site", "randers"], "sites/randers/brand.yaml")])
def test_new_school_and_site_refuse_to_overwrite(args, existing, demo):
    before = {p: p.read_bytes() for p in (demo / existing).parent.iterdir()}
    done = run(args, demo)
    assert done.returncode == 1 and "findes allerede" in done.stderr
    assert {p: p.read_bytes() for p in (demo / existing).parent.iterdir()} == before


def test_new_site_takes_the_schools_it_is_given_or_the_ones_named_like_it(demo):
    assert run(["new", "site", "randers-nord"], demo).returncode == 0
    brand = yaml.safe_load((demo / "sites/randers-nord/brand.yaml").read_text(encoding="utf-8"))
    assert "schools" not in brand  # no school is called "randers-nord": every school is in
    assert run(["new", "site", "viborg"], demo).returncode == 1  # exists
    assert run(["new", "site", "Aarhus Vest", "--school", "recoveryskolen-aarhus"],
               demo).returncode == 0
    brand = yaml.safe_load((demo / "sites/aarhus-vest/brand.yaml").read_text(encoding="utf-8"))
    assert brand["schools"] == ["recoveryskolen-aarhus"]
    assert brand["name"] == "Recoveryskolen Aarhus"  # the school's own name
    done = run(["new", "site", "x", "--school", "findes-ikke"], demo)
    assert done.returncode == 1 and "recoveryskolen-aarhus" in done.stderr
    assert not (demo / "sites/x").exists()
    checked = run(["check", "--today", "2026-11-22", "--strict"], demo)
    assert checked.returncode == 0, checked.stdout  # logos, colours, unique site_url


def test_new_site_matches_schools_by_municipality(demo):
    shutil.rmtree(demo / "sites" / "randers")
    assert run(["new", "site", "randers"], demo).returncode == 0
    brand = yaml.safe_load((demo / "sites/randers/brand.yaml").read_text(encoding="utf-8"))
    assert brand["schools"] == ["aftenskolen-lysglimt", "recoveryskolen-randers"]
    assert brand["municipality"] == "Randers Kommune"


@pytest.mark.parametrize("brand", sorted(p.parent.name for p in REPO.glob("sites/*/brand.yaml")))
def test_every_brand_has_the_mkdocs_yml_new_site_writes(brand):
    """One template holds the brands' MkDocs configuration: change it there, and here."""
    name = yaml.safe_load((REPO / "sites" / brand / "brand.yaml").read_text("utf-8"))["name"]
    assert (REPO / "sites" / brand / "mkdocs.yml").read_text("utf-8") == \
        mkdocs_config(brand, name), "render site_templates/scaffold/mkdocs.yml.j2 for it"


def _readme_brand_commands() -> list[list[str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Brand a build\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)[1]
    commands = [shlex.split(line.split("#", 1)[0]) for line in block.splitlines()
                if line.strip()]
    assert all(c[0] == ".venv/bin/catalogue" for c in commands), commands
    return [c[1:] for c in commands]


def test_the_readme_brand_section_makes_and_builds_a_brand(demo):
    commands = _readme_brand_commands()
    assert [c[:2] for c in commands] == [["new", "site"], ["build", "--site"]]
    for command in commands:
        done = run([*command, "--today", "2026-11-22"] if command[0] == "build" else command,
                   demo)
        assert done.returncode == 0, done.stdout + done.stderr
    brand = yaml.safe_load((demo / "sites" / commands[0][2] / "brand.yaml").read_text("utf-8"))
    page = BeautifulSoup((demo / "site" / "index.html").read_text("utf-8"), "html.parser")
    assert page.title.string.endswith(brand["name"])
    assert page.select_one(".md-header__topic").get_text(strip=True) == brand["name"]
    styles = " ".join(style.get_text() for style in page.find_all("style"))
    colour = re.search(r"--md-primary-fg-color:\s*(#[0-9a-fA-F]{6})", styles)
    assert colour and colour[1].lower() == brand["colors"]["primary"].lower()
    assert brand["colors"]["accent"].lower() in styles.lower()
    logo = page.select_one(".md-header__button.md-logo img")
    assert (demo / "site" / logo["src"]).read_bytes() == \
        (demo / "sites" / commands[0][2] / "logo.svg").read_bytes()
