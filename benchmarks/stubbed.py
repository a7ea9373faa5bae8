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

def _blank_pdf() -> bytes:
    """One blank A4 page that pypdf can read: a long term catalogue is joined from parts."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


STUB = _blank_pdf()


_TAGGED: list[bytes] = []


def _tagged() -> bytes:
    """One tagged page (PDF/UA, as the real PDFs are): the real join reads the parts' tag
    trees, so the warm build's cache must hold parts it can join."""
    if not _TAGGED:
        import weasyprint

        _TAGGED.append(weasyprint.HTML(string="<html lang=da><title>x</title><p>x</p>")
                       .write_pdf(pdf_variant="pdf/ua-1"))
    return _TAGGED[0]


def _stub(self, html: str, label: str) -> bytes:
    self.timings[label] = 0.0
    if os.environ.get("BENCH_STUB_CACHE"):
        # Seeds the PDF cache under the real keys, so that a real build after this one finds
        # every PDF cached: `make bench`'s warm build.
        _, cached = self._cached(html)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(_tagged())
    return STUB


if __name__ == "__main__":
    printing.Printer.pdf = _stub
    printing.join_pdfs = lambda parts: STUB  # the real join reads the parts' tag trees
    profile = os.environ.get("CATALOGUE_PROFILE")
    if not profile:
        sys.exit(cli.main(sys.argv[1:]))
    import cProfile

    profiler = cProfile.Profile()
    code = profiler.runcall(cli.main, sys.argv[1:])
    profiler.dump_stats(profile)
    sys.exit(code)
