"""`catalogue build` and the MkDocs plugin: a broken catalogue never replaces a good site."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
import subprocess

from conftest import run

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
