"""The preview (`catalogue serve`, generator/serve.py): it never hangs and never speaks English
(issue 21), and an edit re-renders only what it touches, exactly as a full build would write it
(issue 24)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import CATALOGUE, MINI, REPO, TODAY, copy_catalogue

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import use_demo_site  # noqa: E402  (the demo's site set-up the benchmarks use)

ENGLISH = ("Aborted", "error happened", "appear stuck", "end of life", "WARNING", "INFO",
           "Traceback", "Serving on", "Building documentation")


def _mini_site(tmp_path: Path) -> Path:
    """The small catalogue with the demo's site configuration (nav, theme, hand-written pages)."""
    root = copy_catalogue(MINI, tmp_path / "mini")
    use_demo_site(root)
    return root


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_an_edit_writes_what_a_full_build_would_and_only_the_pages_it_touches(tmp_path, capsys):
    from generator.serve import Preview

    root = _mini_site(tmp_path)
    url = "http://127.0.0.1:9/"
    live = Preview(root, TODAY, root / "mkdocs.yml", url)
    try:
        live.update()
        assert live.error_page is None
        first = _tree(live.site_dir)
        _edit(root / "courses" / "kursus-a.yaml", "title: Kursus A\n", "title: Kursus Aa\n")
        live.update()
        assert live.error_page is None
        assert "Opdateret på" in capsys.readouterr().out, "the edit was not limited"
        change = live.plugin.refresh(live.config, _read(root))  # the same catalogue again
        assert change is not None and "kurser/kursus-a.md" not in change.pages, \
            "a course no edit touched is not rendered again"
        live.pending_later = True
        live._later()
        edited = _tree(live.site_dir)
    finally:
        live.close()
    assert edited["kurser/kursus-a/index.html"] != first["kurser/kursus-a/index.html"]
    assert edited["kurser/kursus-b/index.html"] == first["kurser/kursus-b/index.html"]

    full = Preview(root, TODAY, root / "mkdocs.yml", url)
    try:
        full.update()
        rebuilt = _tree(full.site_dir)
    finally:
        full.close()
    assert edited.keys() == rebuilt.keys()
    differ = sorted(path for path in rebuilt if edited[path] != rebuilt[path])
    assert differ == [], "the preview after an edit differs from a full build"


def _read(root):
    from generator.catalogue import read_catalogue

    return read_catalogue(root, TODAY)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _settled(page, script: str):
    """What `script` finds once the page has stopped reloading (two equal answers in a row)."""
    from playwright.sync_api import Error

    last = None
    for _ in range(100):
        try:
            page.wait_for_load_state("load")
            found = page.evaluate(script)
        except Error:  # navigating
            continue
        if found == last:
            return found
        last = found
        page.wait_for_timeout(500)
    raise AssertionError(f"the page kept changing: {last}")


class _Serve:
    """A real `catalogue serve` in its own process; what it prints is kept."""

    def __init__(self, root: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [str(CATALOGUE), "serve", "--today", TODAY.isoformat(), "--dev-addr",
             f"127.0.0.1:{self.port}"], cwd=root, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.ready.wait(120), "".join(self.lines)

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith("Viser kataloget"):
                self.ready.set()

    def stop(self) -> str:
        self.process.terminate()
        # A stop waits for the files written after the browser reloaded (search, open data,
        # feeds); on a loaded machine that can take a while, and the process must still end.
        self.process.wait(180)
        return "".join(self.lines)


def test_the_preview_shows_the_errors_in_danish_and_comes_back_when_they_are_fixed(
        tmp_path, browser):
    root = _mini_site(tmp_path)
    made = subprocess.run([str(CATALOGUE), "new", "course", "Nyt kursus"], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    new = next(p for p in (root / "courses").glob("*.yaml")
               if p.name not in {f"kursus-{x}.yaml" for x in "abc"})
    serve = _Serve(root)  # the new file still has template text: it starts even so
    page = browser.new_page()
    try:
        with urllib.request.urlopen(serve.url + "kurser/kursus-a/", timeout=30) as answer:
            body = answer.read().decode("utf-8")
        assert "Kataloget har fejl" in body and f"courses/{new.name}:" in body
        forged = urllib.request.Request(serve.url, headers={"Host": "evil.example:80"})
        with pytest.raises(urllib.error.HTTPError) as refused:  # no DNS rebinding
            urllib.request.urlopen(forged, timeout=30)
        assert refused.value.code == 403

        new.unlink()  # the coordinator gives up the new course: the site comes back
        page.goto(serve.url + "kurser/kursus-a/", timeout=300_000)
        page.wait_for_selector("h1#indhold >> text=Kursus A", timeout=300_000)

        source = root / "courses" / "kursus-b.yaml"
        good = source.read_text(encoding="utf-8")
        source.write_text(good + "title: [\n", encoding="utf-8")  # a breaking save
        page.wait_for_selector("li[data-file]", timeout=300_000)
        # The save may reach the watcher as two events, so the page may reload once more.
        shown = _settled(page, """() => [document.documentElement.lang, document.title,
            ...[...document.querySelectorAll('li[data-file]')].map(li => [li.dataset.file,
            li.dataset.line, li.querySelector('code').textContent, li.textContent])]""")
        lang, title, (file, line, where, text), *_ = shown
        assert lang == "da" and title == "Kataloget har fejl"
        assert file == "courses/kursus-b.yaml" and where.startswith(f"{file}:{line}:")
        assert "Tip:" in text

        source.write_text(good, encoding="utf-8")  # fixed: the page is back by itself
        page.wait_for_selector("h1#indhold >> text=Kursus A", timeout=300_000)
        assert page.title() and "fejl" not in page.title()
    finally:
        page.close()
        output = serve.stop()
    assert "Forhåndsvisningen viser fejlene" in output
    for english in ENGLISH:
        assert english not in output, output


def test_a_build_a_plugin_stops_says_so_in_danish_only(tmp_path):
    import shutil

    root = _mini_site(tmp_path)
    docs = shutil.copytree(REPO / "docs", tmp_path / "docs")
    (docs / "kurser").mkdir()
    (docs / "kurser" / "index.md").write_text("# Mine kurser\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(REPO / "docs"), str(docs)),
                      encoding="utf-8")
    done = subprocess.run([str(CATALOGUE), "build", "--today", TODAY.isoformat()], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "docs/kurser/index.md findes både" in done.stderr
    for english in ENGLISH:
        assert english not in done.stdout + done.stderr, done.stderr


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
