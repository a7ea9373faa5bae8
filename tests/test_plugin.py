"""The MkDocs plugin's contract: its module docstring lists every event it handles."""

from __future__ import annotations

from mkdocs.plugins import EVENTS

from generator import plugin


def _table() -> list[str]:
    """The events in the docstring's table: the lines that start with four spaces and on_."""
    return [line.split()[0] for line in plugin.__doc__.splitlines() if line.startswith("    on_")]


def _handlers() -> set[str]:
    return {name for name, value in vars(plugin.CataloguePlugin).items()
            if name.startswith("on_") and callable(value)}


def test_every_event_the_plugin_handles_is_in_its_docstring():
    assert _handlers() - set(_table()) == set()


def test_every_event_in_the_docstring_is_handled_once_and_is_a_mkdocs_event():
    table = _table()
    assert len(table) == len(set(table)) >= 8
    assert set(table) - _handlers() == set()
    assert [name for name in table if name.removeprefix("on_") not in EVENTS] == []
