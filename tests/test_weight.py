"""Issue 25: the course page, cold on a phone, is 60 KB or less gzipped (the HTML and every
stylesheet and script it loads), measured as `make bench` measures it. A size, not a timing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIMIT = 60_000


def _weight():
    spec = importlib.util.spec_from_file_location("bench_weight", REPO / "benchmarks" / "weight.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_course_page_cold_load_is_60_kb_or_less(built):
    weight = _weight()
    total, page = weight.page_weight(built)
    parts = weight.weights(built / page)
    assert len(parts) >= 4, parts  # the page, Material's and our stylesheet, our scripts
    assert total <= LIMIT, f"{page}: {total} bytes gzipped > {LIMIT}: {parts}"


def test_course_page_loads_no_material_bundle_but_its_own_scripts(built):
    weight = _weight()
    page = sorted((built / "kurser").glob("*/index.html"))[0]
    scripts = [href for href in weight.linked(page) if href.endswith(".js")]
    assert not [s for s in scripts if "javascripts/bundle." in s], scripts
    for name in ("search.", "menu.", "filter."):
        assert any(f"/{name}" in s or s.startswith(name) for s in scripts), (name, scripts)
    for href in weight.linked(page):  # everything it links is there to load
        assert (page.parent / href.split("?")[0]).resolve().is_file(), href


def test_search_index_has_no_filters_for_its_ui_to_fetch(built):
    """Pagefind's UI fetches every filter file when it opens, a cost that grows with every
    course (81 KB of 264 at 10,000 courses); the course list filters instead (issue 25)."""
    import json

    from generator.render.search import _read

    bundle = built / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    for about in entry["languages"].values():
        meta = _read((bundle / f"pagefind.{about['hash']}.pf_meta").read_bytes())
        assert meta[1], "the index lists its pages"
        assert meta[3] == [], meta[3]
    assert not list(bundle.glob("filter/*.pf_filter"))


def test_the_open_data_is_validated_again_only_when_its_bytes_change(mini_catalogue, tmp_path,
                                                                   monkeypatch):
    """Issue 25: frictionless ran on every build; now once per distinct package, and an invalid
    package is never remembered as valid."""
    import dataclasses

    from generator.render import Build, Site, opendata
    from generator.select import Selection
    from conftest import TODAY

    calls = []
    real = opendata.validate_files
    monkeypatch.setattr(opendata, "validate_files", lambda files: (calls.append(1), real(files)))
    (tmp_path / ".cache").mkdir()
    site = Site("Test", "https://test.example.org/")
    build = Build(Selection(mini_catalogue, TODAY), site, tmp_path)
    opendata.plan(build)
    opendata.plan(build)
    assert len(calls) == 1
    other = Build(build.selection, dataclasses.replace(site, url="https://andet.example.org/"),
                  tmp_path)
    opendata.plan(other)  # another homepage: other bytes, validated again
    assert len(calls) == 2

    def invalid(files):
        calls.append(1)
        raise opendata.PackageInvalid("data/courses.csv, række 2: mangler en værdi")

    monkeypatch.setattr(opendata, "validate_files", invalid)
    (tmp_path / ".cache" / "opendata").rename(tmp_path / ".cache" / "old")
    for _ in range(2):  # a package found invalid is checked, and refused, every time
        with pytest.raises(opendata.PackageInvalid):
            opendata.plan(build)
    assert len(calls) == 4
