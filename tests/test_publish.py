"""Publish (generator/publish.py): one build reads the catalogue once; brands build side by
side as they would one by one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import catalogue, plugin, publish

from conftest import BRANDS, MINI, REPO, TODAY, copy_catalogue, run


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


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_brands_built_side_by_side_are_byte_identical_to_brands_built_one_by_one(demo: Path):
    one = run(["build", "--all-sites", "--out", str(demo / "one"), "--today", "2026-11-22"],
              demo)
    assert one.returncode == 0, one.stderr
    two = run(["build", "--all-sites", "--jobs", "2", "--out", str(demo / "two"),
               "--today", "2026-11-22"], demo)
    assert two.returncode == 0, two.stderr
    assert [line.split()[:2] for line in two.stdout.splitlines() if line.startswith("[")] \
        == [[f"[{n}/{len(BRANDS)}]", name] for n, name in enumerate(BRANDS, start=1)], \
        "each brand is reported in name order, whichever finished first"
    assert two.stdout.count("Bygget til") == len(BRANDS)
    first, second = _tree(demo / "one"), _tree(demo / "two")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.slow
def test_one_broken_brand_among_parallel_builds_makes_the_exit_code_1(demo: Path):
    broken = BRANDS[0]
    config = demo / "sites" / broken / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nextra_css: 7\n", encoding="utf-8")
    done = run(["build", "--all-sites", "--jobs", "2", "--out", str(demo / "out"),
                "--today", "2026-11-22"], demo)
    assert done.returncode == 1
    assert "udgaver blev ikke bygget" in done.stderr and f"\n  {broken} (" in done.stderr
    assert not (demo / "out" / broken).exists()
    for name in BRANDS[1:]:
        assert (demo / "out" / name / "index.html").is_file(), "the other brands still build"


def test_jobs_belongs_to_all_sites(demo: Path):
    done = run(["build", "--jobs", "2"], demo)
    assert done.returncode == 2
    assert "--all-sites" in done.stderr
