"""Publish (generator/publish.py): one build reads the catalogue once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import catalogue, plugin, publish

from conftest import MINI, REPO, TODAY, copy_catalogue


@pytest.mark.slow
def test_a_build_reads_the_catalogue_once_even_when_source_date_epoch_says_another_day(
        tmp_path: Path, monkeypatch):
    root = copy_catalogue(MINI, tmp_path / "mini")
    (root / "mkdocs.yml").write_text(
        f"site_name: Test\nsite_url: https://test.example.org/\ndocs_dir: {REPO / 'docs'}\n"
        f"theme:\n  name: material\n  custom_dir: {REPO / 'site_templates' / 'overrides'}\n"
        "plugins:\n  - catalogue\n", encoding="utf-8")
    reads = []
    real = catalogue.read_catalogue

    def counted(*args, **kwargs):
        reads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(publish, "read_catalogue", counted)
    monkeypatch.setattr(plugin, "read_catalogue", counted)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2020, 1, 1).timestamp())))
    assert publish.build_site(root, TODAY, out=tmp_path / "site") == 0
    assert len(reads) == 1
    assert plugin._preloaded is None, "the next build (a serve rebuild) reads again"
