"""`catalogue new` templates and the JSON Schema files editors use."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

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
