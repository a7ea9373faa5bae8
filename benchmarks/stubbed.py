"""`catalogue` with every PDF stubbed: a one-page placeholder instead of WeasyPrint, so that a
build's timing is the site's own. For benchmarks only; the real command never stubs.

    .venv/bin/python benchmarks/stubbed.py build --today 2026-12-01
    CATALOGUE_PROFILE=out.prof .venv/bin/python benchmarks/stubbed.py build ...   (cProfile)
"""

from __future__ import annotations

import os
import sys

from generator import cli
from generator.render import print as printing

STUB = (b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _stub(self, html: str, label: str) -> bytes:
    self.timings[label] = 0.0
    return STUB


if __name__ == "__main__":
    printing.Printer.pdf = _stub
    profile = os.environ.get("CATALOGUE_PROFILE")
    if not profile:
        sys.exit(cli.main(sys.argv[1:]))
    import cProfile

    profiler = cProfile.Profile()
    code = profiler.runcall(cli.main, sys.argv[1:])
    profiler.dump_stats(profile)
    sys.exit(code)
