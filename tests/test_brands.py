"""Branded builds: every brand builds, looks like itself, and shows no other school's courses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from generator import colours
from generator.catalogue import read_catalogue
from generator.select import Selection

from conftest import BRANDS, REPO, TODAY_DEMO, copy_catalogue, run

TEXT_SUFFIXES = {".html", ".json", ".xml", ".ics", ".js", ".txt"}


@pytest.fixture(scope="module")
def catalogue():
    return read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue


def test_demo_brands_exist():
    assert {"randers", "aarhus", "viborg"} <= set(BRANDS)
    assert "midtjylland" in BRANDS  # the regional catalogue, every school


def test_all_sites_builds_exactly_the_brands(all_sites: Path, all_sites_output: str):
    assert [line.split()[0] for line in all_sites_output.splitlines() if line.startswith("[")] \
        == [f"[{n}/{len(BRANDS)}]" for n in range(1, len(BRANDS) + 1)], "progress is shown"
    assert sorted(p.name for p in all_sites.iterdir()) == BRANDS
    for name in BRANDS:
        assert (all_sites / name / "index.html").is_file()
        assert (all_sites / name / "kursuskatalog.pdf").is_file()


@pytest.mark.parametrize("name", BRANDS)
def test_brand_shows_its_own_name_logo_and_colours(all_sites: Path, catalogue, name: str):
    brand = catalogue.brands[name]
    site = all_sites / name
    page = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.title.string.endswith(brand.name)
    assert page.find("meta", property="og:site_name")["content"] == brand.name
    logo = page.select_one(".md-header__button.md-logo img")
    assert (site / logo["src"]).read_bytes() == (REPO / brand.logo).read_bytes()
    favicon = page.find("link", rel="icon")["href"]
    assert (site / favicon).is_file()
    style = " ".join(s.get_text() for s in page.find_all("style"))
    assert f"--md-primary-fg-color: {brand.primary}" in style
    assert brand.footer in page.select_one(".md-copyright").get_text()
    assert f"X-WR-CALNAME:{brand.name}" in (site / "kalender.ics").read_text(encoding="utf-8")
    pdf = PdfReader(site / "kursuskatalog.pdf")
    assert brand.name in " ".join(pdf.pages[0].extract_text().split())
    assert pdf.metadata.author == brand.name
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{brand.site_url}" in sitemap


def _everything(site: Path) -> str:
    parts = []
    for path in site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".pdf":
            parts.append(" ".join(p.extract_text() for p in PdfReader(path).pages))
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("name", BRANDS)
def test_no_other_schools_courses_leak_in(all_sites: Path, catalogue, name: str):
    brand = catalogue.brands[name]
    selection = Selection.for_brand(catalogue, TODAY_DEMO, brand)
    shown = {c.id for c in selection.courses}
    others = [c for c in catalogue.courses.values() if c.id not in shown]
    site = all_sites / name
    if selection.everything:
        assert others == []
        return
    assert others, "a brand of some schools leaves the others out"
    text = _everything(site)
    files = {p.relative_to(site).as_posix() for p in site.rglob("*")}
    # A title like "Fem veje til et godt liv" is also a guide's name; the summary, the URL and
    # the calendar UID belong to the course alone.
    for course in others:
        summary = " ".join(course.summary.split())
        assert summary not in text, (name, course.id)
        assert not any(f"kurser/{course.id}" in f for f in files), (name, course.id)
        assert f"kurser/{course.id}/" not in text, (name, course.id)
        assert f"UID:{course.id}." not in text, (name, course.id)
    for course in selection.courses:
        assert " ".join(course.summary.split()) in text


def test_shared_teacher_shows_only_this_sites_courses(all_sites: Path, catalogue):
    shared = "anne-s"  # teaches in Randers and in Aarhus
    schools = {c.school_id for c in catalogue.courses.values()
               if shared in c.teacher_ids or any(shared in o.teacher_ids for o in c.offerings)}
    assert {"recoveryskolen-randers", "recoveryskolen-aarhus"} <= schools
    for name in ("randers", "aarhus"):
        brand = catalogue.brands[name]
        page = BeautifulSoup((all_sites / name / "undervisere" / shared / "index.html")
                             .read_text(encoding="utf-8"), "html.parser")
        titles = {a.get_text() for a in page.select("article .kk-card__title a")}
        expected = {c.title for c in Selection.for_brand(catalogue, TODAY_DEMO, brand).courses
                    if shared in c.teacher_ids
                    or any(shared in o.teacher_ids for o in c.offerings)}
        assert titles == expected and titles


def test_contrast_is_measured_like_wcag():
    assert round(colours.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(colours.contrast("#777777", "#ffffff"), 2) == 4.48  # the classic near miss
    passing = colours.nearest_passing("#777777")
    assert colours.contrast(passing, "#ffffff") >= 4.5
    assert colours.contrast(colours.nearest_passing("#4aa3b5"), "#ffffff") >= 4.5


def test_single_brand_commands(tmp_path: Path):
    root = copy_catalogue(REPO, tmp_path / "demo")
    done = run(["build", "--site", "viborg", "--today", TODAY_DEMO.isoformat()], root)
    assert done.returncode == 0, done.stderr
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Recoveryskolen Viborg" in page
    unknown = run(["build", "--site", "odense"], root)
    assert unknown.returncode == 2 and "Brands:" in unknown.stderr
    mkdocs = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-f",
                             "sites/aarhus/mkdocs.yml"], cwd=root, capture_output=True,
                            text=True, timeout=600,
                            env={"PATH": str(Path(sys.executable).parent),
                                 "SOURCE_DATE_EPOCH": "1795305600", "NO_MKDOCS_2_WARNING": "1"})
    assert mkdocs.returncode == 0, mkdocs.stderr[-2000:]
    built = (root / "sites" / "aarhus" / "site" / "index.html").read_text(encoding="utf-8")
    assert "Recoveryskolen Aarhus" in built


def test_a_broken_brand_stops_its_build(tmp_path: Path):
    root = copy_catalogue(REPO, tmp_path / "demo")
    brand = root / "sites" / "randers" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace('"#1d4e89"', '"#6fa0d8"'),
                     encoding="utf-8")
    done = run(["build", "--site", "randers", "--today", TODAY_DEMO.isoformat()], root)
    assert done.returncode == 1
    assert "sites/randers/brand.yaml:" in done.stderr and "M002" in done.stderr
    assert "4,5:1" in done.stderr
