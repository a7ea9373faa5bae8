"""The coordinator guide is tested like code: every error code and every field is in it."""

from __future__ import annotations

import re

import pytest

from generator import docs
from generator.diagnostics import CODES
from generator.schema import KINDS, Field

from conftest import REPO

GUIDE = REPO / "docs" / "koordinator"


def test_every_code_has_a_section_with_its_title():
    text = (GUIDE / "fejlkoder.md").read_text(encoding="utf-8")
    headings = dict(re.findall(r"^### ([A-Z]\d{3}) – (.+)$", text, re.M))
    assert headings.keys() == CODES.keys()
    for code, rule in CODES.items():
        assert headings[code] == rule.title, code


def _fields(spec: Field):
    for field in spec.fields:
        yield field.name
        if field.kind == "struct":
            yield from _fields(field)
        if field.item is not None and field.item.kind == "struct":
            yield from _fields(field.item)


@pytest.mark.parametrize("folder", sorted(KINDS))
def test_every_field_is_explained(folder):
    text = (GUIDE / "index.md").read_text(encoding="utf-8")
    missing = [name for name in _fields(KINDS[folder]) if f"`{name}" not in text]
    assert missing == []


def test_readme_starts_with_the_two_commands():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    block = "\n".join(lines[:8])
    assert "make site" in block and "make test" in block


@pytest.mark.parametrize("page", [*docs.DOCS, docs.README], ids=lambda p: p.name)
def test_every_output_region_is_the_programs_real_output(page):
    """Error lines and --help in the docs are generated; a stale one fails until regenerated."""
    fresh = docs.regenerate(page).splitlines()
    current = page.read_text(encoding="utf-8").splitlines()
    stale = [f"{page.name}:{n}: {old!r} should be {new!r}"
             for n, (old, new) in enumerate(zip(current, fresh), 1) if old != new]
    assert fresh == current, "the docs are stale; kør make docs:\n" + "\n".join(stale[:10])
