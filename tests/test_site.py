"""The built demo site as a whole: every contract URL, nothing unconsented in any output,
builds that repeat byte for byte, and both runners. What one renderer makes is tested beside
it, in tests/render/."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.catalogue import read_catalogue
from generator.render import offering_ics_path
from generator.select import Selection

from conftest import REPO, TODAY_DEMO as TODAY, copy_catalogue, run

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY, use_cache=False).catalogue, TODAY)


CONTRACT = ["", "kurser/", "kurser/fem-veje-til-et-godt-liv/", "kalender/", "kalender.ics",
            "kalender/recoveryskolen-randers.ics", "undervisere/", "undervisere/anne-s/",
            "temaer/oege-netvaerk/", "steder/psykiatriens-hus/", "om/", "tilgaengelighed/",
            "privatliv/"]


@pytest.mark.parametrize("url", CONTRACT)
def test_every_contract_url_exists(built: Path, url: str):
    path = built / url / "index.html" if url.endswith("/") or not url else built / url
    assert path.is_file()


def _all_text(site: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*")
                     if p.is_file())


def test_unconsented_teachers_appear_nowhere_by_name(built: Path, sel: Selection):
    everything = _all_text(built)
    hidden = [t for t in sel.catalogue.teachers.values() if not sel.shown(t)]
    assert len(hidden) >= 3
    for teacher in hidden:
        for form in {teacher.name, json.dumps(teacher.name)[1:-1],
                     json.dumps(teacher.name, ensure_ascii=True)[1:-1]}:
            assert form not in everything, teacher.id
        # Ids are made from names too, so no URL or file may carry them.
        assert not re.search(rf"\b{re.escape(teacher.id)}\b", everything), teacher.id
    first_name_only = [t for t in sel.teachers if t.consent.display == "first-name"]
    for teacher in first_name_only:
        assert teacher.name not in everything


# --- builds -------------------------------------------------------------------------------

def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path):
    root = copy_catalogue(REPO, tmp_path / "again")
    assert run(["build", "--today", TODAY.isoformat()], root).returncode == 0
    first, second = _tree(built), _tree(root / "site")
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []


@pytest.mark.parametrize("runner", ["mkdocs", "properdocs"])
def test_both_runners_build_strictly(runner: str, tmp_path: Path):
    root = copy_catalogue(REPO, tmp_path / "demo")
    done = subprocess.run([str(BIN / runner), "build", "--strict", "--site-dir", "out"],
                          cwd=root, capture_output=True, text=True, timeout=600,
                          env={"SOURCE_DATE_EPOCH": "1795305600", "PATH": str(BIN),
                               "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert (root / "out" / "kurser" / "fem-veje-til-et-godt-liv" / "index.html").is_file()
    assert not (root / "docs" / "kurser").exists(), "nothing is written into the sources"
