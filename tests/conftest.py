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


@contextlib.contextmanager
def shared_folder(tmp_path_factory, name: str):
    """A folder that every pytest-xdist worker of this run shares, held under a lock: the
    first worker to get here fills it (the body sees it empty), the others find it filled.
    Without xdist it is simply a fresh folder."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / f"shared-{name}"
    with open(base / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The demo site, built once for every test that only reads it (and shared by workers)."""
    with shared_folder(tmp_path_factory, "built") as folder:
        root = folder / "demo"
        if not (root / "site").is_dir():
            copy_catalogue(REPO, root)
            done = run(["build", "--today", TODAY_DEMO.isoformat()], root)
            assert done.returncode == 0, done.stderr
    return root / "site"


BRANDS = sorted(p.parent.name for p in (REPO / "sites").glob("*/brand.yaml"))


@pytest.fixture(scope="session")
def all_sites_build(tmp_path_factory):
    """Every brand, built once by `catalogue build --all-sites` (its output, and the folder)."""
    with shared_folder(tmp_path_factory, "brands") as folder:
        root, said = folder / "demo", folder / "stdout.txt"
        if not said.is_file():
            copy_catalogue(REPO, root)
            done = run(["build", "--all-sites", "--out", str(root / "out"), "--today",
                        TODAY_DEMO.isoformat()], root)
            assert done.returncode == 0, done.stderr
            said.write_text(done.stdout, encoding="utf-8")
    return said.read_text(encoding="utf-8"), root / "out"


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
