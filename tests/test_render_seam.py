"""The seam between the catalogue and its engine (issue 24): `catalogue render` writes every page
and file before any engine runs, and `catalogue assemble` builds a site from that folder
without MkDocs; its course pages say what the MkDocs build's say."""

from __future__ import annotations

import json
import posixpath
import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from conftest import REPO, TODAY_DEMO, copy_catalogue, run


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _body(soup: BeautifulSoup):
    """Our page body: what holds the h1 (Material's <article>, the plain shell's <main>)."""
    return soup.select_one("h1#indhold").parent


def _jsonld(soup: BeautifulSoup):
    return [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]


def test_the_site_assembled_without_mkdocs_says_what_the_mkdocs_build_says(built, tmp_path):
    # A copy of the demo the session built with MkDocs, with that build's PDFs (the shared
    # build is only read).
    root = copy_catalogue(REPO, tmp_path / "demo")
    shutil.copytree(built.parent / ".cache" / "pdf", root / ".cache" / "pdf")
    folder, plain = tmp_path / "rendered", tmp_path / "plain"
    done = run(["render", "--out", str(folder), "--today", TODAY_DEMO.isoformat()], root)
    assert done.returncode == 0, done.stderr
    done = run(["assemble", str(folder), "--out", str(plain)], tmp_path)
    assert done.returncode == 0, done.stderr

    course = folder / "docs" / "kurser" / "fem-veje-til-et-godt-liv.md"
    text = course.read_text(encoding="utf-8")
    head, _, body = text[4:].partition("\n---\n")
    meta = yaml.safe_load(head)
    assert meta["title"] == "Fem veje til et godt liv" and meta["structured_data"]["@type"]
    assert body.lstrip().startswith('<h1 id="indhold">')

    pages = [p for p in sorted((built / "kurser").glob("*/index.html")) if _jsonld(_soup(p))]
    assert len(pages) >= 5
    for page in pages:
        relative = page.relative_to(built)
        ours, theirs = _soup(page), _soup(plain / relative)
        assert _body(ours).decode_contents().strip() == _body(theirs).decode_contents().strip(), \
            relative
        assert _jsonld(ours) == _jsonld(theirs), relative
        assert ours.title.string == theirs.title.string
        assert ours.select_one('meta[name="description"]')["content"] == \
            theirs.select_one('meta[name="description"]')["content"]
        for link in _body(theirs).select("a[href]"):
            href = link["href"].split("#")[0]
            if not href or ":" in href.split("/")[0]:  # https:, mailto:, tel:
                continue
            target = plain / posixpath.normpath(posixpath.join(relative.parent.as_posix(), href))
            assert target.is_file() or (target / "index.html").is_file(), (relative, href)

    # Every file the renderers made is the same file in both sites.
    for path in sorted(built.rglob("*")):
        relative = path.relative_to(built).as_posix()
        if path.is_dir() or path.suffix in (".html", ".gz", ".xml") \
                or relative.startswith("assets/") or relative == ".catalogue-site":
            continue  # pages, and MkDocs' and Material's own files
        assert (plain / relative).read_bytes() == path.read_bytes(), relative


def test_render_refuses_to_write_over_the_catalogue(demo):
    done = run(["render", "--out", str(demo), "--today", TODAY_DEMO.isoformat()], demo)
    assert done.returncode == 2
    assert "Intet er skrevet" in done.stderr
    assert not (demo / "docs" / "kurser").exists() and not (demo / ".catalogue-render").exists()
