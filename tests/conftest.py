from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
TODAY = dt.date(2026, 12, 1)  # for the small catalogue in tests/fixtures/mini
TODAY_DEMO = dt.date(2026, 11, 22)  # for the demo catalogue
CATALOGUE = Path(sys.executable).with_name("catalogue")

_IGNORE = shutil.ignore_patterns(".cache", "site", ".venv", ".git", "__pycache__", "node_modules",
                                 "tests", "benchmarks", ".site-*")


def copy_catalogue(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=_IGNORE)
    return target


@pytest.fixture
def mini(tmp_path) -> Path:
    """A fresh copy of the small valid catalogue the rule tests mutate."""
    return copy_catalogue(MINI, tmp_path / "mini")


@pytest.fixture(scope="session")
def mini_catalogue():
    """The small catalogue, read once; a test that needs it different makes a changed copy."""
    from generator.catalogue import read_catalogue

    return read_catalogue(MINI, TODAY, use_cache=False).catalogue


def changed(catalogue, course_id: str, offering: dict | None = None, **course):
    """The catalogue with one course changed, and with `offering`, its first offering too."""
    new = dataclasses.replace(catalogue.courses[course_id], **course)
    if offering:
        first = dataclasses.replace(new.offerings[0], **offering)
        new = dataclasses.replace(new, offerings=(first, *new.offerings[1:]))
    return dataclasses.replace(catalogue, courses={**catalogue.courses, course_id: new})


def soup(site: Path, url: str):
    """A built page, parsed; `url` as the site links it ("kurser/" or "kalender.ics")."""
    from bs4 import BeautifulSoup

    path = site / url / "index.html" if url.endswith("/") or not url else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def demo(tmp_path) -> Path:
    """A fresh copy of the repository's demo catalogue (sources and config only)."""
    return copy_catalogue(REPO, tmp_path / "demo")


def run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `catalogue` command, as a coordinator would."""
    return subprocess.run([str(CATALOGUE), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The demo site, built once for every test that only reads it."""
    root = copy_catalogue(REPO, tmp_path_factory.mktemp("built") / "demo")
    done = run(["build", "--today", TODAY_DEMO.isoformat()], root)
    assert done.returncode == 0, done.stderr
    return root / "site"


BRANDS = sorted(p.parent.name for p in (REPO / "sites").glob("*/brand.yaml"))


@pytest.fixture(scope="session")
def all_sites_build(tmp_path_factory):
    """Every brand, built once by `catalogue build --all-sites` (its output, and the folder)."""
    root = copy_catalogue(REPO, tmp_path_factory.mktemp("brands") / "demo")
    done = run(["build", "--all-sites", "--out", str(root / "out"), "--today",
                TODAY_DEMO.isoformat()], root)
    assert done.returncode == 0, done.stderr
    return done.stdout, root / "out"


@pytest.fixture(scope="session")
def all_sites(all_sites_build) -> Path:
    return all_sites_build[1]


@pytest.fixture(scope="session")
def all_sites_output(all_sites_build) -> str:
    return all_sites_build[0]


FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """A built site on 127.0.0.1, on a free port; yields its origin."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; it never downloads a browser of its own."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        yield launched
        launched.close()
