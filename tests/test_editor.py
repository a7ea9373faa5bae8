"""The browser editor (Decap CMS) against its local back end, in a copy of the demo catalogue."""

from __future__ import annotations

import contextlib
import http.client
import json
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

from conftest import CATALOGUE, REPO, TODAY_DEMO, copy_catalogue, run

TITLE = "Søvn og glæde i hverdagen"
# Decap's slug with clean_accents: ø→o and å→a (æ→ae), where generator/ids.make_id writes
# oe and aa. Both are valid ids; the file is named the way Decap names it.
SLUG = "sovn-og-glaede-i-hverdagen"


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """`catalogue editor --serve` on a free port in one copy of the demo, once per module.

    Each test works on its own files of that copy, so their order does not matter."""
    if shutil.which("node") is None or not (REPO / "node_modules" / "decap-cms").is_dir():
        pytest.fail("decap-cms is missing: `make test` runs `npm ci`")
    base = tmp_path_factory.mktemp("editor")
    demo = copy_catalogue(REPO, base / "demo")
    (demo / ".git" / "hooks").mkdir(parents=True)
    process = subprocess.Popen(
        [str(CATALOGUE), "editor", "--out", str(base / "admin"), "--serve", "--port", "0",
         "--today", TODAY_DEMO.isoformat()],
        cwd=demo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        origin = None
        for line in process.stdout:
            found = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            if line.startswith("Editoren:") and found:
                origin = found.group(1)
                break
        assert origin, process.stderr.read()
        yield origin, demo
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def _open(browser, origin: str, width: int = 1280, height: int = 1000):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(15_000)
    page.goto(origin + "/")
    page.get_by_role("button", name="Log ind").click()
    return page


def _publish(page) -> None:
    page.get_by_role("button", name="Publicer").first.click()
    page.get_by_text("Publicer nu").click()


def _wait_for(condition, what: str, page, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        page.wait_for_timeout(100)


def _field(page, label: str):
    """The form field with this label; an optional field's label ends in "(kan udelades)"."""
    return page.get_by_label(re.compile(f"^{re.escape(label)}( \\(kan udelades\\))?$"))


def _choose(page, label: str, text: str) -> None:
    """Pick an option in one of Decap's dropdowns (react-select) by typing, as a person would.
    The first field of that name: a date of a group may name its own teachers further down."""
    field = _field(page, label).first
    field.click()
    field.fill(text)
    # From its start: a venue's option in the form's own list says "Psykiatriens Hus
    # (Recoveryskolen Randers)" (a hidden native option, no dropdown choice), while a teacher's
    # says "Anne Sørensen – Peer (egen erfaring) – …".
    page.get_by_role("option", name=re.compile(f"^{re.escape(text)}( –.*)?$")).first.click()


def test_a_course_made_in_the_editor_is_checked_and_built_into_a_page(editor, browser):
    origin, demo = editor
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(15_000)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(origin + "/")
        page.get_by_role("button", name="Log ind").click()
        page.get_by_text("Indhold", exact=True).first.wait_for()
        # Nothing that does nothing: the media library (photos are file names) is hidden.
        assert page.get_by_text("Medier", exact=True).is_hidden()
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
        # The offering's own place; a date of it may name another place further down.
        venue = _field(page, "Sted").first
        offered = venue.locator("option").all_inner_texts()
        # Only the chosen school's venues (Aarhus has its own).
        assert "Psykiatriens Hus" in offered and len(offered) < 5, offered
        venue.select_option(label="Psykiatriens Hus")
        _choose(page, "Status", "Åben")
        _field(page, "Pladser").fill("12")
        for index, day in enumerate(["2027-03-03", "2027-03-10"]):
            page.get_by_role("button", name="Tilføj undervisningsgang").click()
            page.get_by_label("Dato", exact=True).nth(index).fill(day)
            # The Danish way with a full stop, as `catalogue check` accepts it.
            page.get_by_label("Start", exact=True).nth(index).fill(["10:00", "10.00"][index])
            page.get_by_label("Slut", exact=True).nth(index).fill("12:30")

        _publish(page)
        saved = demo / "courses" / f"{SLUG}.yaml"
        # The check's answer for the new file, in the form: no errors.
        page.get_by_role("heading", name="Gemt, og tjekket uden fejl.").wait_for()
        assert saved.is_file()
        # Decap moves from "new" to the saved entry by itself; that must not reload the form.
        assert page.get_by_label("Titel", exact=True).input_value() == TITLE
    finally:
        page.close()

    assert saved.is_file(), sorted(p.name for p in (demo / "courses").iterdir())
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/course.schema.json\n")
    data = yaml.safe_load(text)
    # In the form's order; "yes" booleans the form starts at yes are written out too.
    assert [k for k in data if k not in ("registration", "enrol_first")] == [
        "title", "summary", "description", "themes", "audience", "school", "teachers",
        "offerings"]
    assert data.get("registration", {}).get("required", True) is True
    assert data.get("enrol_first", True) is True
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
    page = _open(browser, origin)
    try:
        page.goto(origin + "/#/collections/schools/entries/recoveryskolen-randers")
        page.get_by_label("Kommune", exact=True).fill("Randers Kommune, Psykiatri")
        _publish(page)
        # The demo school already says "Psykiatriens Hus": wait for the new municipality line.
        _wait_for(lambda: "municipality: Randers Kommune, Psykiatri\n" in path.read_text(
            encoding="utf-8"), "the school was not saved", page)
    finally:
        page.close()

    text = path.read_text(encoding="utf-8")
    after = yaml.safe_load(text)
    assert text.startswith("# yaml-language-server: $schema=../schemas/school.schema.json\n")
    assert after["municipality"] == "Randers Kommune, Psykiatri"
    assert after["venues"] == before["venues"] and after.get("themes") == before.get("themes")
    assert list(after) == [key for key in before if key in after]


def test_moving_between_entries_by_address_after_a_save_shows_and_saves_the_right_file(
        editor, browser):
    """Decap's own bug: after a save, an entry reached by its address (bookmark, typed URL,
    back/forward) showed the previous entry's values, and Publicér wrote them into it."""
    origin, demo = editor
    viborg = demo / "schools" / "recoveryskolen-viborg.yaml"
    aarhus = demo / "schools" / "recoveryskolen-aarhus.yaml"
    aarhus_before = aarhus.read_bytes()
    page = _open(browser, origin)
    try:
        page.goto(origin + "/#/collections/schools/entries/recoveryskolen-viborg")
        page.get_by_label("Kommune", exact=True).fill("Viborg Kommune, Sundhed")
        _publish(page)
        _wait_for(lambda: "Viborg Kommune, Sundhed" in viborg.read_text(encoding="utf-8"),
                  "Viborg was not saved", page)
        page.get_by_role("heading", name="Gemt, og tjekket uden fejl.").wait_for()

        page.goto(origin + "/#/collections/schools/entries/recoveryskolen-aarhus")  # typed
        page.get_by_label("Navn", exact=True).first.wait_for()
        assert page.get_by_label("Kommune", exact=True).input_value() == "Aarhus Kommune"
        page.go_back()
        _wait_for(lambda: page.get_by_label("Kommune", exact=True).count() == 1
                  and page.get_by_label("Kommune", exact=True).input_value()
                  == "Viborg Kommune, Sundhed", "back did not show Viborg", page)
        page.go_forward()
        _wait_for(lambda: page.get_by_label("Kommune", exact=True).count() == 1
                  and page.get_by_label("Kommune", exact=True).input_value()
                  == "Aarhus Kommune", "forward did not show Aarhus", page)
        page.get_by_label("Kommune", exact=True).fill("Aarhus Kommune, Psykiatri")
        _publish(page)
        _wait_for(lambda: "Aarhus Kommune, Psykiatri" in aarhus.read_text(encoding="utf-8"),
                  "Aarhus was not saved", page)
    finally:
        page.close()
    assert "Viborg Kommune, Sundhed" in viborg.read_text(encoding="utf-8")
    assert "Viborg" not in yaml.safe_load(aarhus.read_text(encoding="utf-8"))["municipality"]
    assert aarhus.read_bytes() != aarhus_before
    assert yaml.safe_load(aarhus.read_text(encoding="utf-8"))["name"] == \
        yaml.safe_load(aarhus_before)["name"]


def test_a_breaking_save_is_named_in_the_forms_words_and_fixed_there(editor, browser):
    origin, demo = editor
    path = demo / "courses" / "bevaegelse-for-hovedet.yaml"
    page = _open(browser, origin, 390, 844)  # on a phone
    try:
        page.goto(origin + "/#/collections/courses/entries/bevaegelse-for-hovedet")
        _field(page, "Titel").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
        _choose(page, "Status", "Aflyst")
        _publish(page)
        alert = page.get_by_role("alert").filter(has_text="fejl")
        alert.wait_for()
        text = alert.inner_text()
        # The form's words: the field's path and label, the status as the dropdown shows it.
        assert "Hold 1 › Begrundelse for status" in text, text
        assert "«Aflyst»" in text and "«Begrundelse for status»" in text, text
        assert "status_note" not in text and "cancelled" not in text, text
        page.get_by_role("button", name="Gå til feltet «Begrundelse for status»").click()
        focused = page.evaluate("document.activeElement.id")
        reason = page.locator(f"[id='{focused}']")
        assert reason.get_attribute("aria-invalid") == "true"
        reason.fill("Underviseren er syg. Vi ringer til alle tilmeldte.")
        _publish(page)
        page.get_by_role("heading", name="Gemt, og tjekket uden fejl.").wait_for()
        # Decap's deploy-preview button would wait for a preview that never comes.
        assert page.get_by_text("Lav preview").count() == 1
        assert page.get_by_text("Lav preview").is_hidden()
    finally:
        page.close()
    offering = yaml.safe_load(path.read_text(encoding="utf-8"))["offerings"][0]
    assert offering["status"] == "cancelled"
    assert offering["status_note"].startswith("Underviseren er syg")
    checked = run(["check", "--today", TODAY_DEMO.isoformat(), "courses/bevaegelse-for-hovedet.yaml"],
                  demo)
    assert checked.returncode == 0, checked.stdout


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
    assert {"label": "Psykiatriens Hus", "value": "psykiatriens-hus",
            "school": "recoveryskolen-randers", "school_name": "Recoveryskolen Randers"} \
        in venue["venues"]
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


def _post(origin: str, path: str, body: object, headers: dict | None = None,
          host: str | None = None) -> tuple[int, dict]:
    """A raw request, with whatever Host and Origin a hostile page or rebound name would send."""
    parts = urlsplit(origin)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        sent = {"Host": host or parts.netloc, "Origin": origin,
                "Content-Type": "application/json", **(headers or {})}
        sent = {name: value for name, value in sent.items() if value is not None}
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        connection.request("POST", path, body=data, headers=sent)
        response = connection.getresponse()
        payload = response.read()
        return response.status, dict(response.getheaders()) | {
            "_json": json.loads(payload) if payload.startswith((b"{", b"[")) else None}
    finally:
        connection.close()


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and "site" not in p.relative_to(root).parts
            and ".cache" not in p.relative_to(root).parts}


def _save(path: str, raw: str = "evil: true\n") -> dict:
    return {"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"slug": "x", "path": path, "raw": raw}], "assets": [],
        "options": {"commitMessage": "x", "useWorkflow": False, "status": ""}}}


def test_the_back_end_refuses_every_hostile_request_and_leaves_the_files(editor):
    origin, demo = editor
    port = urlsplit(origin).port
    (demo / "courses" / "link.yaml").symlink_to(demo / "Makefile")
    (demo / "guides" / "hook.md").symlink_to(demo / ".git" / "hooks" / "pre-commit")
    outside = demo.parent / "outside.yaml"
    outside.write_text("mine: true\n", encoding="utf-8")
    before = _tree(demo)
    course = "courses/bevaegelse-for-hovedet.yaml"
    good = _save(course, (demo / course).read_text(encoding="utf-8"))
    probes = {
        # DNS rebinding: a foreign name that resolves to 127.0.0.1 reaches the port.
        "rebound Host": dict(body=good, host=f"evil.example:{port}",
                             headers={"Origin": f"http://evil.example:{port}"}),
        "Host of another port": dict(body=good, host="127.0.0.1:8000"),
        "the preview's origin": dict(body=good, headers={"Origin": "http://127.0.0.1:8000"}),
        "localhost on another port": dict(body=good,
                                          headers={"Origin": f"http://localhost:{port + 1}"}),
        "a foreign site": dict(body=good, headers={"Origin": "https://evil.example"}),
        "null origin (sandboxed frame)": dict(body=good, headers={"Origin": "null"}),
        "no Origin": dict(body=good, headers={"Origin": None}),
        "cross-site fetch metadata": dict(body=good, headers={"Sec-Fetch-Site": "cross-site"}),
        "a form post (no preflight)": dict(body=json.dumps(good).encode(),
                                           headers={"Content-Type": "text/plain"}),
        "Makefile": dict(body=_save("Makefile")),
        "generator/x.py": dict(body=_save("generator/x.py")),
        "generator/cli.py": dict(body=_save("generator/cli.py")),
        ".git/hooks/pre-commit": dict(body=_save(".git/hooks/pre-commit", "#!/bin/sh\nid\n")),
        "traversal": dict(body=_save("courses/../Makefile")),
        "traversal out of the root": dict(body=_save("../outside.yaml")),
        "absolute path": dict(body=_save(str(outside))),
        "subfolder": dict(body=_save("courses/sub/x.yaml")),
        "dot file": dict(body=_save("courses/.x.yaml")),
        "wrong ending": dict(body=_save("courses/x.py")),
        "backslash": dict(body=_save("courses\\..\\Makefile")),
        "symlinked file": dict(body=_save("courses/link.yaml")),
        "symlink to a hook": dict(body=_save("guides/hook.md")),
        "the brand files": dict(body=_save("sites/randers/brand.yaml")),
        "rename into the Makefile": dict(body={**good, "params": {**good["params"], "dataFiles": [
            {"slug": "x", "path": course, "raw": "x: 1\n", "newPath": "Makefile"}]}}),
        "an upload": dict(body={**good, "params": {**good["params"], "assets": [
            {"path": "teachers/x.sh", "content": "aWQK", "encoding": "base64"}]}}),
        "persistMedia": dict(body={"action": "persistMedia", "params": {
            "branch": "main", "asset": {"path": ".git/hooks/pre-commit", "content": "aWQK",
                                        "encoding": "base64"}, "options": {"commitMessage": "x"}}}),
        "deleteFile": dict(body={"action": "deleteFile", "params": {
            "branch": "main", "path": course, "options": {"commitMessage": "x"}}}),
        "deleteFiles": dict(body={"action": "deleteFiles", "params": {
            "branch": "main", "paths": ["Makefile"], "options": {"commitMessage": "x"}}}),
        "reading the Makefile": dict(body={"action": "getEntry", "params": {
            "branch": "main", "path": "Makefile"}}),
        "listing .git": dict(body={"action": "entriesByFolder", "params": {
            "branch": "main", "folder": ".git/hooks", "extension": "", "depth": 1}}),
    }
    refused = {}
    for name, probe in probes.items():
        status, answer = _post(origin, "/api/v1", probe["body"], probe.get("headers"),
                               probe.get("host"))
        assert "Access-Control-Allow-Origin" not in answer, name
        data = answer["_json"]
        # A read outside the source folders gives nothing, as a missing file does.
        refused[name] = status >= 400 or (isinstance(data, dict) and data.get("data") is None
                                          and "getEntry" in json.dumps(probe["body"]))
    assert [name for name, ok in refused.items() if not ok] == []
    assert _tree(demo) == before
    assert outside.read_text(encoding="utf-8") == "mine: true\n"
    assert not (demo / "generator" / "x.py").exists()
    assert not (demo / ".git" / "hooks" / "pre-commit").exists()

    # A CORS preflight from the preview gets no permission; a page from a rebound name nothing.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("OPTIONS", "/api/v1", headers={
        "Origin": "http://127.0.0.1:8000", "Access-Control-Request-Method": "POST"})
    preflight = connection.getresponse()
    preflight.read()
    assert preflight.status == 403 and preflight.getheader("Access-Control-Allow-Origin") is None
    connection.request("GET", "/", headers={"Host": f"rebind.example:{port}"})
    page = connection.getresponse()
    assert page.status == 421 and b"decap" not in page.read()
    connection.close()

    # The same save from the editor's own origin is carried out.
    status, _ = _post(origin, "/api/v1", good)
    assert status == 200 and _tree(demo) == before  # same bytes back


def test_source_path_refuses_a_source_folder_that_is_a_link(tmp_path):
    from generator.editor_server import Refused, source_path

    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "courses").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(Refused):
        source_path(tmp_path, "courses/x.yaml", for_writing=True)
    (tmp_path / "teachers").mkdir()
    assert source_path(tmp_path, "teachers/anne-s.yaml", for_writing=True) == \
        tmp_path / "teachers" / "anne-s.yaml"


def _all_fields(fields):
    for field in fields:
        yield field
        yield from _all_fields(field.get("fields", []))
        if "field" in field:
            yield from _all_fields([field["field"]])


def test_the_form_speaks_like_the_guide_and_accepts_what_check_accepts(demo, tmp_path):
    from generator.schema import COURSE, GUIDE, SCHOOL, TEACHER

    keys = set()
    values = set()
    for spec in (COURSE, TEACHER, SCHOOL, GUIDE):
        stack = [spec]
        while stack:
            node = stack.pop()
            keys.add(node.name)
            values.update(node.choices)
            stack.extend(node.fields)
            if node.item is not None:
                stack.append(node.item)
                values.update(node.item.choices)
    done = run(["editor", "--out", str(tmp_path / "admin"), "--today", TODAY_DEMO.isoformat()],
               demo)
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((tmp_path / "admin" / "config.yml").read_text(encoding="utf-8"))
    speaks_yaml = []
    for collection in config["collections"]:
        for field in _all_fields(collection["fields"]):
            words = " ".join(str(field.get(k, "")) for k in ("label", "hint"))
            words += " " + " ".join(str(o.get("label", o)) if isinstance(o, dict) else str(o)
                                    for o in field.get("options", []))
            quoted = set(re.findall(r"'([a-z][a-z_-]*)'", words))
            if (quoted & (keys | values) or re.search(r"\b(true|false)\b|\w = |\(id\)|\bId\b|"
                                                      r"ÅÅÅÅ|Markdown|UTC", words)):
                speaks_yaml.append((collection["name"], field["name"], words))
            if field.get("widget") == "datetime":
                assert field["picker_utc"] is False and field["time_format"] is False
            if field["name"] in ("start", "end") and field.get("pattern"):
                pattern = re.compile(field["pattern"][0])
                assert all(pattern.match(t) for t in ("13.00", "13:00", "9.30", "09:30"))
                assert not any(pattern.match(t) for t in ("24:00", "13", "13.5", "kl. 13"))
    assert speaks_yaml == []

    courses = {c["name"]: c for c in config["collections"]}["courses"]
    offerings = next(f for f in courses["fields"] if f["name"] == "offerings")
    names = [f["name"] for f in offerings["fields"]]
    assert names.index("recurrence") < names.index("sessions")
    teachers = next(f for f in courses["fields"] if f["name"] == "teachers")
    labels = {o["value"]: o["label"] for o in teachers["options"]}
    assert labels["anne-s"] == "Anne Sørensen – Peer (egen erfaring) – navnet må vises"
    unnamed = [label for label in labels.values() if label.endswith("kun rollen vises")]
    assert unnamed, labels  # the demo has teachers without consent


def test_the_editor_is_never_written_over_someone_elses_files(demo, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.html").write_text("my page", encoding="utf-8")
    before = _tree(demo)
    for out in (".", "courses", "teachers/admin", ".git", "generator", "..", str(mine)):
        done = run(["editor", "--out", out], demo)
        assert done.returncode == 2, (out, done.stdout, done.stderr)
        assert ("Vælg en anden mappe" in done.stderr or "Vælg en ny eller tom mappe" in done.stderr) \
            and "Traceback" not in done.stderr
    assert _tree(demo) == before
    assert (mine / "index.html").read_text(encoding="utf-8") == "my page"
    # Its own folder can be rewritten, again and again.
    for _ in range(2):
        assert run(["editor", "--out", str(tmp_path / "admin")], demo).returncode == 0


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_the_course_form_passes_axe_and_the_keyboard_reaches_it_on_a_phone(editor, browser):
    origin, _ = editor
    violations = []
    for width, height in ((390, 844), (1280, 900)):
        # Our own CSP forbids the injected axe script; the page is the same without it.
        context = browser.new_context(viewport={"width": width, "height": height},
                                      bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            page.goto(origin + "/")
            page.get_by_role("button", name="Log ind").click()
            page.goto(origin + "/#/collections/courses/entries/bevaegelse-for-hovedet")
            title = _field(page, "Titel")
            title.wait_for()
            page.wait_for_timeout(500)  # the observer names Decap's icon buttons
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', "
                                   "values: tags}})", WCAG)
            violations += [f"{v['id']} ({width}px): {' '.join(n['target'])}"
                           for v in result["violations"] for n in v["nodes"]]
            # From the top of the page, Tab reaches the first field in a few presses ...
            page.evaluate("document.activeElement && document.activeElement.blur()")
            for presses in range(1, 15):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.id") == title.get_attribute("id"):
                    break
            else:
                pytest.fail(f"Tab never reached Titel at {width}px")
            # ... and after a change, Shift+Tab goes back to "Publicer", on screen.
            page.keyboard.type(" i hverdagen")
            for _ in range(10):
                page.keyboard.press("Shift+Tab")
                if page.evaluate("document.activeElement.textContent.trim()") == "Publicer":
                    break
            else:
                pytest.fail(f"Shift+Tab never reached Publicer at {width}px")
            box = page.evaluate("(() => { const r = document.activeElement"
                                ".getBoundingClientRect(); return [r.left, r.right]; })()")
            assert 0 <= box[0] and box[1] <= width, box
        finally:
            context.close()
    assert violations == []
