"""Search with Pagefind: what the index holds, what it must never hold, and the search box in a
real browser (phone and desktop), which fetches nothing of the index until someone searches."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from generator.catalogue import read_catalogue
from generator.select import Selection

from conftest import REPO, TODAY_DEMO, serve

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
INDEX_FILES = re.compile(r"/pagefind/.*\.(pf_index|pf_fragment)$")


@pytest.fixture(scope="module")
def sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue, TODAY_DEMO)


def _decompressed(site: Path) -> dict[str, str]:
    """Every file under pagefind/ as text, gzip-compressed ones (fragments, index) opened."""
    found = {}
    for path in sorted((site / "pagefind").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            found[str(path.relative_to(site))] = data.decode("utf-8", errors="replace")
    return found


def test_the_index_holds_one_record_per_course_and_guide(built: Path, sel: Selection):
    entry = json.loads((built / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["da"]
    assert entry["languages"]["da"]["page_count"] == len(sel.courses) + len(sel.guides)
    fragments = "\n".join(text for name, text in _decompressed(built).items()
                          if name.endswith(".pf_fragment"))
    for course in sel.courses:
        assert f"/kurser/{course.id}/" in fragments, course.id
    for guide in sel.guides:
        assert f"/materialer/{guide.id}/" in fragments, guide.id


def test_material_search_and_its_lunr_index_are_gone(built: Path):
    assert not (built / "search" / "search_index.json").exists()
    page = (built / "kurser" / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' not in page
    assert "pagefind/" in page


def test_no_unconsented_teacher_is_in_any_search_file(built: Path, sel: Selection):
    files = _decompressed(built)
    hidden = [t for t in sel.catalogue.teachers.values() if not sel.shown(t)]
    assert len(hidden) >= 3
    for name, text in files.items():
        for teacher in hidden:
            assert teacher.name not in text, (teacher.id, name)
            assert not re.search(rf"\b{re.escape(teacher.id)}\b", text), (teacher.id, name)


# --- in the browser -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def origin(built: Path):
    with serve(built) as address:
        yield address


def _open(browser, origin: str, viewport: dict, path: str = "kurser/"):
    page = browser.new_page(viewport=viewport)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{origin}/{path}", wait_until="load")
    return page, requests


def _titles(page) -> list[str]:
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
    return [t.strip() for t in page.locator(".pagefind-ui__result-link").all_inner_texts()]


@pytest.mark.parametrize("size", VIEWPORTS)
def test_typing_finds_courses_and_fetches_nothing_before(browser, origin, size, sel):
    page, requests = _open(browser, origin, VIEWPORTS[size])
    page.wait_for_timeout(300)
    assert [u for u in requests if "/pagefind/" in u] == [], "a page load fetches no search file"
    page.locator("[data-kk-search-open]").click()
    assert page.locator("dialog[data-kk-search]").is_visible()
    page.wait_for_selector(".pagefind-ui__search-input", timeout=15_000)
    page.wait_for_timeout(300)
    assert [u for u in requests if INDEX_FILES.search(u)] == [], "nothing of the index yet"

    page.keyboard.type("angst")
    page.wait_for_function("() => [...document.querySelectorAll('.pagefind-ui__result-link')]"
                           ".some(a => a.textContent.includes('Når angsten fylder'))",
                           timeout=15_000)
    assert [u for u in requests if INDEX_FILES.search(u)], "the index is fetched on search"

    page.fill(".pagefind-ui__search-input", "mindfulness")
    wanted = {c.title for c in sel.courses if "mindfulness" in
              f"{c.title} {c.summary}".lower()}
    assert wanted
    page.wait_for_function("wanted => wanted.every(w => [...document.querySelectorAll("
                           "'.pagefind-ui__result-link')].some(a => a.textContent.trim() === w))",
                           arg=sorted(wanted), timeout=15_000)
    assert wanted <= set(_titles(page))
    assert [u for u in requests if not u.startswith(origin + "/")] == []
    page.close()


def test_a_result_summary_is_short_and_links_to_the_course(browser, origin):
    page, _ = _open(browser, origin, VIEWPORTS["desktop"], "")
    page.keyboard.press("s")
    page.keyboard.type("angst")
    link = page.locator(".pagefind-ui__result-link", has_text="Når angsten fylder").first
    link.wait_for(timeout=15_000)
    excerpt = page.locator(".pagefind-ui__result-excerpt").first.inner_text()
    assert 0 < len(excerpt.split()) <= 40
    with page.expect_navigation():
        link.click()
    assert page.url == f"{origin}/kurser/naar-angsten-fylder/"
    page.close()


@pytest.mark.parametrize("key", ["s", "/"])
def test_the_keyboard_shortcut_opens_search_and_keeps_what_is_typed(browser, origin, key):
    page, _ = _open(browser, origin, VIEWPORTS["desktop"], "")
    page.keyboard.press(key)
    page.keyboard.type("mindfulness")  # at once, while Pagefind's UI is still loading
    page.wait_for_function("() => document.activeElement.matches('.pagefind-ui__search-input')"
                           " && document.activeElement.value === 'mindfulness'",
                           timeout=15_000)
    assert "Introduktion til mindfulness" in _titles(page)
    page.keyboard.press("Escape")
    assert not page.locator("dialog[data-kk-search]").is_visible()
    page.close()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_axe_finds_no_violations_with_search_open(browser, origin, size):
    page, requests = _open(browser, origin, VIEWPORTS[size])
    page.locator("[data-kk-search-open]").click()
    page.wait_for_selector(".pagefind-ui__search-input", timeout=15_000)
    page.keyboard.type("kursus")
    _titles(page)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG)
    violations = [f"{v['id']}: {' '.join(n['target'])}" for v in result["violations"]
                  for n in v["nodes"]]
    assert violations == []
    assert [u for u in requests if not u.startswith(origin + "/")] == []
    page.close()


def test_without_javascript_the_search_button_links_to_the_courses(browser, origin):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(f"{origin}/temaer/")
    with page.expect_navigation():
        page.locator("[data-kk-search-open]").click()
    assert page.url == f"{origin}/kurser/"
    context.close()
