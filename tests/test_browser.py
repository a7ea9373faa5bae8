"""What a citizen on a phone sees, in headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from conftest import REPO

PHONE = {"width": 390, "height": 844}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = REPO / "tests" / "output"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built: Path):
    handler = functools.partial(_Quiet, directory=str(built))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        yield browser
        browser.close()


def test_phone_pages_make_no_outside_requests(browser, server):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for name, path in [("forside", "/"), ("kurser", "/kurser/"),
                       ("kursus", "/kurser/fem-veje-til-et-godt-liv/"),
                       ("kalender", "/kalender/")]:
        response = page.goto(server + path)
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=True)
        assert page.locator("h1").count() == 1
    outside = [url for url in requested if not url.startswith(server + "/")]
    assert requested and outside == []
    assert context.cookies() == []
    context.close()


def test_filter_is_instant_with_javascript_and_kept_in_the_url(browser, server):
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/kurser/")
    total = page.locator(".kk-cards > .kk-card").count()
    page.locator(".kk-filter summary").click()
    link = page.locator('.kk-facet[data-facet="tema"] a[data-value="oege-netvaerk"]')
    link.click()
    assert page.url.endswith("/kurser/?tema=oege-netvaerk")
    visible = page.locator(".kk-cards > .kk-card:visible").count()
    assert 0 < visible < total
    assert page.locator("[data-count]").inner_text() == str(visible)
    assert link.get_attribute("aria-current") == "true"
    page.reload()  # a shared link opens with the same filter
    assert page.locator(".kk-cards > .kk-card:visible").count() == visible
    page.close()
