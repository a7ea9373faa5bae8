"""`catalogue build` and the MkDocs plugin: a broken catalogue never replaces a good site."""

from __future__ import annotations

import os
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
import subprocess

import pytest

from generator.publish import MARKER

from conftest import CATALOGUE, run

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

MKDOCS = Path(sys.executable).with_name("mkdocs")


class _Lang(HTMLParser):
    lang = None

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")


def _break(root: Path) -> None:
    path = root / "courses" / "fem-veje-til-et-godt-liv.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "tittle:", 1),
                    encoding="utf-8")


def test_build_makes_a_danish_site(demo: Path):
    done = run(["build", "--today", "2026-11-22"], demo)
    assert done.returncode == 0, done.stderr
    page = _Lang()
    page.feed((demo / "site" / "index.html").read_text(encoding="utf-8"))
    assert page.lang == "da"
    assert not list(demo.glob(".site-build-*")) and not list(demo.glob(".site-old"))


def test_failed_build_leaves_the_last_good_site(demo: Path):
    assert run(["build", "--today", "2026-11-22"], demo).returncode == 0
    marker = demo / "site" / "last-good.txt"
    marker.write_text("still here")
    _break(demo)
    done = run(["build", "--today", "2026-11-22"], demo)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "courses/fem-veje-til-et-godt-liv.yaml:1:1: fejl S104" in done.stderr
    assert "site/ er uændret" in done.stderr
    assert marker.read_text() == "still here"
    assert not list(demo.glob(".site-build-*"))


def test_mkdocs_build_stops_on_the_same_errors(demo: Path):
    _break(demo)
    done = subprocess.run([str(MKDOCS), "build", "--site-dir", str(demo / "out")], cwd=demo,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "courses/fem-veje-til-et-godt-liv.yaml:1:1: fejl S104" in done.stdout + done.stderr
    assert not (demo / "out" / "index.html").exists()


def _age(folder: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(folder, (then, then))


@pytest.mark.skipif(fcntl is None, reason="a running build is told by its flock")
def test_a_build_removes_what_killed_builds_left_but_not_a_running_build(demo: Path):
    (demo / "site").mkdir()
    (demo / "site" / "index.html").write_text("the last good site")
    (demo / "site" / MARKER).write_text("")  # as every build leaves in the site it publishes
    dead, young, running, old = (demo / name for name in (
        ".site-build-dead", ".site-build-young", ".site-build-running", ".site-old"))
    for folder in (dead, young, running, old):
        folder.mkdir()
        (folder / "index.html").write_text("half a site")
    (old / MARKER).write_text("")
    for folder in (dead, running, old):
        _age(folder, 3600)
    held = os.open(running, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)  # as the build that runs in it does
    try:
        done = run(["build", "--today", "2026-11-22"], demo)
    finally:
        os.close(held)
    assert done.returncode == 0, done.stderr
    assert not dead.exists() and not old.exists()
    assert running.is_dir(), "a running build's folder is never removed"
    assert young.is_dir(), "a folder that may not be locked yet is left alone"
    assert "<html" in (demo / "site" / "index.html").read_text(encoding="utf-8")


def test_a_site_lost_in_the_middle_of_a_swap_comes_back_even_if_the_next_build_fails(demo: Path):
    (demo / ".site-old").mkdir()
    (demo / ".site-old" / "last-good.txt").write_text("still here")
    (demo / ".site-old" / MARKER).write_text("")
    _break(demo)
    done = run(["build", "--today", "2026-11-22"], demo)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (demo / "site" / "last-good.txt").read_text() == "still here"
    assert not (demo / ".site-old").exists()


def test_a_killed_build_leaves_the_last_good_site_and_the_next_build_tidies_up(demo: Path):
    """What README.md promises under Deploy: a killed `catalogue build` harms nothing."""
    assert run(["build", "--today", "2026-11-22"], demo).returncode == 0
    marker = demo / "site" / "last-good.txt"
    marker.write_text("still here")
    build = subprocess.Popen([str(CATALOGUE), "build", "--today", "2026-11-22"], cwd=demo,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while not any(any(p.iterdir()) for p in demo.glob(".site-build-*") if p.is_dir()):
            assert build.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.05)
    finally:
        build.kill()
        build.wait(timeout=60)
    assert marker.read_text() == "still here"
    leftovers = [p for p in demo.glob(".site-build-*") if p.is_dir()]
    assert leftovers
    for folder in leftovers:
        _age(folder, 120)  # past the grace a build has to lock its new folder
    assert run(["build", "--today", "2026-11-22"], demo).returncode == 0
    assert not list(demo.glob(".site-build-*")) and not marker.exists()
