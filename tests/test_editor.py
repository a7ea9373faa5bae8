"""The browser editor (Decap CMS) against its local back end, in a copy of the demo catalogue."""

from __future__ import annotations

import contextlib
import re
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, TODAY_DEMO, run, serve

DECAP_SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"
TITLE = "Søvn og glæde i hverdagen"
# Decap's slug with clean_accents: ø→o and å→a (æ→ae), where generator/ids.make_id writes
# oe and aa. Both are valid ids; the file is named the way Decap names it.
SLUG = "sovn-og-glaede-i-hverdagen"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def decap_server(cwd: Path, port: int):
    """decap-server on 127.0.0.1 only, writing into cwd; stopped however the test ends."""
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "LOG_LEVEL": "warn"}
    process = subprocess.Popen(["node", str(DECAP_SERVER)], cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "decap-server did not start"
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


@pytest.fixture
def editor(demo, tmp_path):
    """The generated admin page, served, with decap-server on a free port in the demo copy."""
    if not DECAP_SERVER.is_file() or shutil.which("node") is None:
        pytest.fail("decap-server is missing: `make test` runs `npm ci`")
    port = _free_port()
    admin = tmp_path / "admin"
    done = run(["editor", "--out", str(admin), "--local-url",
                f"http://127.0.0.1:{port}/api/v1"], demo)
    assert done.returncode == 0, done.stderr
    with decap_server(demo, port), serve(admin) as origin:
        yield origin, demo


def _field(page, label: str):
    """The form field with this label; an optional field's label ends in "(kan udelades)"."""
    return page.get_by_label(re.compile(f"^{re.escape(label)}( \\(kan udelades\\))?$"))


def _choose(page, label: str, text: str) -> None:
    """Pick an option in one of Decap's dropdowns (react-select) by typing, as a person would."""
    field = _field(page, label)
    field.click()
    field.fill(text)
    page.get_by_role("option", name=text).first.click()


def test_a_course_made_in_the_editor_is_checked_and_built_into_a_page(editor, browser):
    origin, demo = editor
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(15_000)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(origin + "/")
        page.get_by_role("button", name="Log ind").click()
        page.goto(origin + "/#/collections/courses/new")

        page.get_by_label("Titel", exact=True).fill(TITLE)
        page.get_by_label("Kort beskrivelse", exact=True).fill(
            "Et kursus om søvn, hvile og små glæder i hverdagen.")
        page.locator("[contenteditable=true]").first.click()
        page.keyboard.type("Vi taler om, hvad der giver ro, og prøver enkle øvelser.")
        _choose(page, "Temaer", "Lære noget nyt")
        _choose(page, "Målgruppe", "alle")
        _choose(page, "Skole", "Recoveryskolen Randers")
        _choose(page, "Undervisere", "Anne Sørensen")
        _choose(page, "Undervisere", "Jens Mikkelsen")

        page.get_by_role("button", name="Tilføj hold").click()
        _choose(page, "Sted", "Psykiatriens Hus (Recoveryskolen Randers)")
        _choose(page, "Status", "Åben")
        _field(page, "Pladser").fill("12")
        for index, day in enumerate(["2027-03-03", "2027-03-10"]):
            page.get_by_role("button", name="Tilføj undervisningsgang").click()
            page.get_by_label("Dato", exact=True).nth(index).fill(day)
            page.get_by_label("Start", exact=True).nth(index).fill("10:00")
            page.get_by_label("Slut", exact=True).nth(index).fill("12:30")

        page.get_by_role("button", name="Publicer").first.click()
        page.get_by_text("Publicer nu").click()
        saved = demo / "courses" / f"{SLUG}.yaml"
        deadline = time.monotonic() + 20
        while not saved.is_file() and time.monotonic() < deadline:
            page.wait_for_timeout(200)
    finally:
        page.close()

    assert saved.is_file(), sorted(p.name for p in (demo / "courses").iterdir())
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/course.schema.json\n")
    data = yaml.safe_load(text)
    assert list(data) == ["title", "summary", "description", "themes", "audience", "school",
                          "teachers", "offerings"]
    assert data["teachers"] == ["anne-s", "jens-m"]
    offering = data["offerings"][0]
    assert list(offering) == ["venue", "capacity", "status", "sessions"]
    assert offering["status"] == "open" and offering["capacity"] == 12
    assert [list(s) for s in offering["sessions"]] == [["date", "start", "end"]] * 2
    assert [str(s["date"]) for s in offering["sessions"]] == ["2027-03-03", "2027-03-10"]

    checked = run(["check", "--today", TODAY_DEMO.isoformat(), f"courses/{SLUG}.yaml"], demo)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.splitlines()[-1] == "0 fejl, 0 advarsler i 1 fil", checked.stdout
    built = run(["build", "--today", TODAY_DEMO.isoformat()], demo)
    assert built.returncode == 0, built.stdout + built.stderr
    course_page = demo / "site" / "kurser" / SLUG / "index.html"
    soup = BeautifulSoup(course_page.read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text(strip=True) == TITLE
    assert "Psykiatriens Hus" in soup.get_text()

    own = urlsplit(origin).netloc
    others = [url for url in requests
              if urlsplit(url).scheme in ("http", "https")
              and urlsplit(url).hostname != "127.0.0.1"]
    assert not others, others
    assert any(urlsplit(url).netloc == own for url in requests)


def test_saving_a_school_in_the_editor_keeps_its_venues_and_themes(editor, browser):
    origin, demo = editor
    path = demo / "schools" / "recoveryskolen-randers.yaml"
    before = yaml.safe_load(path.read_text(encoding="utf-8"))
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(15_000)
    try:
        page.goto(origin + "/")
        page.get_by_role("button", name="Log ind").click()
        page.goto(origin + "/#/collections/schools/entries/recoveryskolen-randers")
        page.get_by_label("Kommune", exact=True).fill("Randers Kommune, Psykiatri")
        page.get_by_role("button", name="Publicer").first.click()
        page.get_by_text("Publicer nu").click()
        deadline = time.monotonic() + 20
        # The demo school already says "Psykiatriens Hus": wait for the new municipality line.
        while "municipality: Randers Kommune, Psykiatri\n" not in path.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the school was not saved"
            page.wait_for_timeout(200)
    finally:
        page.close()

    text = path.read_text(encoding="utf-8")
    after = yaml.safe_load(text)
    assert text.startswith("# yaml-language-server: $schema=../schemas/school.schema.json\n")
    assert after["municipality"] == "Randers Kommune, Psykiatri"
    assert after["venues"] == before["venues"] and after.get("themes") == before.get("themes")
    assert list(after) == [key for key in before if key in after]
    checked = run(["check", "--today", TODAY_DEMO.isoformat()], demo)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_editor_config_offers_exactly_the_schemas_fields(demo, tmp_path):
    from generator.schema import COURSE, TEACHER

    done = run(["editor", "--out", str(tmp_path / "admin")], demo)
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((tmp_path / "admin" / "config.yml").read_text(encoding="utf-8"))
    collections = {c["name"]: c for c in config["collections"]}
    assert [f["name"] for f in collections["courses"]["fields"]] == [f.name for f in COURSE.fields]
    assert [f["name"] for f in collections["teachers"]["fields"]] == [f.name for f in TEACHER.fields]
    offerings = next(f for f in collections["courses"]["fields"] if f["name"] == "offerings")
    venue = next(f for f in offerings["fields"] if f["name"] == "venue")
    assert "psykiatriens-hus" in [option["value"] for option in venue["options"]]
    assert venue["required"] is False  # an online offering has no venue
    fields = {f["name"]: f for f in offerings["fields"]}
    assert fields["sessions"]["required"] is False  # a recurrence instead
    recurrence = fields["recurrence"]
    assert recurrence["widget"] == "object" and recurrence["required"] is False
    # Decap would demand these in every offering, used or not; `catalogue check` still does.
    assert [f["required"] for f in recurrence["fields"]] == [False] * len(recurrence["fields"])
    assert "Skal udfyldes" in next(f for f in recurrence["fields"] if f["name"] == "weekday")["hint"]
    assert [o["value"] for o in fields["attendance"]["options"]] == ["in-person", "online", "hybrid"]
    course = {f["name"]: f for f in collections["courses"]["fields"]}
    assert course["led_by"]["widget"] == "select"
    assert {o["value"] for o in course["led_by"]["options"]} == {"co-taught", "peers",
                                                                  "relatives", "external"}
    consent = next(f for f in collections["teachers"]["fields"] if f["name"] == "consent")
    assert "GDPR artikel 9" in consent["hint"]
    html = (tmp_path / "admin" / "index.html").read_text(encoding="utf-8")
    scripts = [s["src"] for s in BeautifulSoup(html, "html.parser").find_all("script")]
    assert scripts == ["catalogue-editor.js", "decap-cms.js"]
    assert (tmp_path / "admin" / "decap-cms.js").stat().st_size > 1_000_000
