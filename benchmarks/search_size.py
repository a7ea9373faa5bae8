"""The first search at a size no full benchmark build reaches in reasonable time: only the
search index of a synthetic catalogue (generator/render/search.py's plan, as a build makes it),
written under benchmarks/out/search-N/pagefind/, then measured as bench.py's `first_search`.

    .venv/bin/python benchmarks/search_size.py 10000
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
from generate import generate  # noqa: E402

from generator.catalogue import read_catalogue  # noqa: E402
from generator.render import Build, Site  # noqa: E402
from generator.render import search  # noqa: E402
from generator.select import Selection  # noqa: E402

TODAY = dt.date(2026, 12, 1)
SITE = Site("Recoveryskolerne i Region Midtjylland", "https://recoveryskoler.example.org/",
            logo=REPO / "docs" / "assets" / "logo.svg")


def search_site(n: int) -> Path:
    """The folder of a site holding only `pagefind/` for a synthetic catalogue of n courses."""
    out = HERE / "out" / f"search-{n}"
    root = out / "catalogue"
    if not (root / "courses").is_dir() or \
            sum(1 for _ in (root / "courses").glob("*.yaml")) != n:
        generate(n, root)
    selection = Selection(read_catalogue(root, TODAY, use_cache=False).catalogue, TODAY)
    site = out / "site"
    shutil.rmtree(site, ignore_errors=True)
    for asset in search.plan(Build(selection, SITE, root)):
        target = site / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.content() if callable(asset.content) else asset.content)
    return site


if __name__ == "__main__":
    from bench import first_search

    for size in (int(a) for a in sys.argv[1:]):
        print(size, first_search(search_site(size)), os.getloadavg()[0], flush=True)
