"""What a citizen on a phone sees, in headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, serve

PHONE = {"width": 390, "height": 844}
SHOTS = REPO / "tests" / "output"


@pytest.fixture(scope="module")
def server(built: Path):
    with serve(built) as origin:
        yield origin


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
    # The sticky count by the chips and the count above the cards say the same.
    assert page.locator("[data-count]").all_inner_texts() == [str(visible)] * 2
    assert link.get_attribute("aria-current") == "true"
    page.reload()  # a shared link opens with the same filter
    assert page.locator(".kk-cards > .kk-card:visible").count() == visible
    assert page.locator("[data-count]").all_inner_texts() == [str(visible)] * 2
    page.close()
