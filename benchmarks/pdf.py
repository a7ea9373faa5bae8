"""Time PDF rendering without the cache: each demo guide, and the term catalogue of the demo
and of synthetic catalogues.

    .venv/bin/python benchmarks/pdf.py [N ...]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

from generator.catalogue import read_catalogue  # noqa: E402
from generator.render import Site  # noqa: E402
from generator.render.print import Printer  # noqa: E402
from generator.select import Selection  # noqa: E402

TODAY = dt.date(2026, 11, 22)
SITE = Site("Recoveryskolerne i Region Midtjylland", "https://recoveryskoler.example.org/",
            logo=REPO / "docs" / "assets" / "logo.svg")


def printer(root: Path, cache: Path) -> Printer:
    sel = Selection(read_catalogue(root, TODAY, use_cache=False).catalogue, TODAY)
    made = Printer(cache, SITE, sel)
    made.cache = cache / "pdf"  # a fresh, empty cache: every PDF is rendered
    return made


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        demo = printer(REPO, Path(scratch) / "demo")
        for guide in demo.selection.guides:
            for paper in guide.formats:
                data = demo.guide(guide, paper)
                print(f"{guide.id} ({paper}): {demo.timings[f'{guide.id}-{paper}']:.2f} s, "
                      f"{len(data) // 1000} kB")
        data = demo.term_catalogue()
        print(f"kursuskatalog, demo ({len(demo.selection.courses)} courses): "
              f"{demo.timings['kursuskatalog']:.2f} s, {len(data) // 1000} kB")
        for n in sizes:
            root = generate(n, HERE / "out" / f"pdf-{n}")
            big = printer(root, Path(scratch) / str(n))
            data = big.term_catalogue()
            print(f"kursuskatalog, {n} courses: {big.timings['kursuskatalog']:.1f} s, "
                  f"{len(data) // 1000} kB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200])
