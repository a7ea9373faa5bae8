"""Print: PDFs of the guides and of the term catalogue, with WeasyPrint.

The print templates (site_templates/print/) are Jinja2 HTML with print CSS, from the same
model, strings and shortcode partials as the site. A PDF is a function of its HTML, the print
CSS and fonts, and the WeasyPrint version; its bytes are kept in .cache/pdf/ under a hash of
those, so a build renders only the PDFs whose inputs changed.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..guides import render_body
from ..select import Selection
from ..templating import TEMPLATES, make_environment
from . import CATALOGUE_PDF, Asset, Build, Site, pdf_path

PRINT = TEMPLATES / "print"
FONTS = TEMPLATES / "fonts"
PAPER_SIZES = {"a4": "A4", "a5-booklet": "A5"}


class AbsoluteLinks:
    """Links in a PDF must work away from the site, so they are absolute."""

    def __init__(self, site: Site):
        self.base = site.url

    def to(self, target: str) -> str:
        return self.base + target

    def course(self, course):
        return self.to(f"kurser/{course.id}/")

    def theme(self, theme_id):
        return self.to(f"temaer/{theme_id}/")


@dataclass
class Printer:
    root: Path
    site: Site
    selection: Selection
    timings: dict[str, float] = field(default_factory=dict)  # seconds spent rendering, by file

    def __post_init__(self):
        self.env = make_environment("print", "pages")
        self.env.globals["site"] = self.site
        self.env.globals["sel"] = self.selection
        self.env.globals["links"] = AbsoluteLinks(self.site)
        self.cache = self.root / ".cache" / "pdf"
        self._fixed = None

    # --- documents -----------------------------------------------------------------------

    def guide(self, guide, paper: str) -> bytes:
        body = render_body(guide.body, self.shortcode, self.image_url)
        html = self.env.get_template("guide.html").render(
            guide=guide, body=body, paper=PAPER_SIZES[paper], fonts=FONTS.as_uri(),
            logo=self.logo_uri)
        return self.pdf(html, f"{guide.id}-{paper}")

    def term_catalogue(self) -> bytes:
        html = self.env.get_template("catalogue.html").render(
            fonts=FONTS.as_uri(), logo=self.logo_uri, term=self.selection.term,
            sections=self.selection.courses_by_theme(printable=True))
        return self.pdf(html, "kursuskatalog")

    def shortcode(self, name: str, argument: str) -> str:
        return self.env.get_template(f"partials/guide_{name}.html").render(
            argument=argument, courses=self.selection.with_facet("tema", argument)
            if name == "kurser" else ())

    def image_url(self, written: str) -> str:
        return _data_uri(self.root / "guides" / written)

    @property
    def logo_uri(self) -> str | None:
        return _data_uri(self.site.logo) if self.site.logo else None

    # --- rendering and cache -------------------------------------------------------------

    def _fixed_inputs(self) -> bytes:
        """Everything besides the HTML that decides a PDF's bytes."""
        if self._fixed is None:
            import weasyprint

            digest = hashlib.sha256(weasyprint.__version__.encode())
            for path in sorted(PRINT.rglob("*")) + sorted(FONTS.glob("*")):
                if path.is_file():
                    digest.update(path.name.encode() + path.read_bytes())
            if self.site.logo and self.site.logo.is_file():
                digest.update(self.site.logo.read_bytes())
            self._fixed = digest.digest()
        return self._fixed

    def pdf(self, html: str, label: str) -> bytes:
        key = hashlib.sha256(self._fixed_inputs() + html.encode("utf-8")).hexdigest()
        cached = self.cache / f"{key}.pdf"
        if cached.is_file():
            self.timings[label] = 0.0
            return cached.read_bytes()
        import weasyprint

        began = time.perf_counter()
        data = weasyprint.HTML(string=html, base_url=str(PRINT)).write_pdf(
            pdf_variant="pdf/ua-1", pdf_identifier=key[:32].encode())
        self.timings[label] = time.perf_counter() - began
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.cache, prefix=".pdf-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, cached)
        except OSError:
            pass  # no cache on a read-only checkout; the PDF is still made
        return data


_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
          ".jpeg": "image/jpeg", ".webp": "image/webp"}


def _data_uri(path: Path) -> str:
    """Images go into the HTML by content, not by path: the PDF (and its cache key) then
    depends on what the image is, not on where the checkout happens to be."""
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{_TYPES.get(path.suffix.lower(), 'application/octet-stream')};base64,{encoded}"


def plan(build: Build) -> list[Asset]:
    """Every guide in each of its paper formats, and the term catalogue."""
    printer = Printer(build.root, build.site, build.selection)
    assets = [Asset(pdf_path(guide, paper), printer.guide(guide, paper))
              for guide in build.selection.guides for paper in guide.formats]
    assets.append(Asset(CATALOGUE_PDF, printer.term_catalogue()))
    return assets
