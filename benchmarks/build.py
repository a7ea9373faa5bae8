"""Time site builds of synthetic catalogues, and a plain MkDocs build of as many pages.

    make bench            (or: .venv/bin/python benchmarks/build.py [N ...])

The plain build is the baseline: Material and its search, the same number of pages with the
same median amount of content, out of the navigation, no plugin. The overhead is what the
catalogue adds to that: reading and checking the sources, rendering its templates, and the
calendar files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {"PATH": str(BIN), "SOURCE_DATE_EPOCH": "1795305600", "NO_MKDOCS_2_WARNING": "1"}

CONFIG = """site_name: Benchmark
site_url: https://bench.example.org/
docs_dir: {docs}
theme:
  name: material
  language: da
  font: false
{overrides}plugins:
  - search:
      lang: da
{plugin}
"""


def timed(command: list[str], cwd: Path) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return seconds


def catalogue_build(n: int) -> tuple[float, list[Path]]:
    root = generate(n, HERE / "out" / f"site-{n}")
    (root / "mkdocs.yml").write_text(CONFIG.format(
        docs=REPO / "docs", overrides=f"  custom_dir: {REPO / 'site_templates' / 'overrides'}\n",
        plugin="  - catalogue"), encoding="utf-8")  # no nav: the plugin keeps courses out
    seconds = timed([str(BIN / "catalogue"), "build", "--today", "2026-12-01"], root)
    return seconds, sorted((root / "site").rglob("*.html"))


def median_article_bytes(pages: list[Path]) -> int:
    """How much content a page of ours carries, measured between <article> and </article>."""
    sizes = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        start, end = text.find("<article"), text.find("</article>")
        if start >= 0 and end > start:
            sizes.append(end - start)
    return sorted(sizes)[len(sizes) // 2]


def plain_build(pages: int, article_bytes: int) -> float:
    """MkDocs alone: as many pages, out of the nav, with articles of the same median size."""
    root = HERE / "out" / f"plain-{pages}"
    shutil.rmtree(root, ignore_errors=True)
    docs = root / "docs"
    (docs / "kurser").mkdir(parents=True)
    (docs / "index.md").write_text("# Forside\n", encoding="utf-8")
    section = ("## Om kurset\n\nVi arbejder med håb, mestring og fællesskab, og hver gang "
               "starter med en kop kaffe og en runde.\n\n"
               + "".join(f"- onsdag {d}. februar 2027, kl. 10.00-13.00\n" for d in range(1, 7))
               + "\n")
    body = section * max(1, round(article_bytes / len(section.encode()) * 0.8))
    for i in range(pages - 1):
        (docs / "kurser" / f"kursus-{i}.md").write_text(f"# Kursus nummer {i}\n\n{body}",
                                                        encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG.format(docs="docs", overrides="", plugin="")
                                     + "nav:\n  - Forside: index.md\n", encoding="utf-8")
    seconds = timed([str(BIN / "mkdocs"), "build", "-q"], root)
    measured = median_article_bytes(sorted((root / "site").rglob("*.html")))
    print(f"         (plain pages: median article {measured:,} bytes)")
    return seconds


def main(sizes: list[int]) -> None:
    results = {}
    print(f"{'courses':>8} {'pages':>6} {'build (s)':>10} {'plain MkDocs (s)':>17} {'overhead':>9}")
    for n in sizes:
        seconds, built = catalogue_build(n)
        article = median_article_bytes(built)
        plain = plain_build(len(built), article)
        results[n] = seconds
        print(f"{n:>8} {len(built):>6} {seconds:>10.1f} {plain:>17.1f} {seconds / plain - 1:>8.0%}"
              f"   (median article {article:,} bytes)")
    if len(results) == 2:
        small, large = sorted(results)
        print(f"ratio {large}/{small} courses: {results[large] / results[small]:.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
