"""Print: PDFs of the guides and of the term catalogue, with WeasyPrint.

The print templates (site_templates/print/) are Jinja2 HTML with print CSS, from the same
model, strings and shortcode partials as the site. A PDF is a function of its HTML, the print
CSS and fonts, and the WeasyPrint version; its bytes are kept in .cache/pdf/ under a hash of
those, so a build renders only the PDFs whose inputs changed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import multiprocessing as mp
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
# Above this many printed courses (and with two schools or more) the term catalogue is also
# one PDF per school, and the whole one is those parts joined: WeasyPrint's time and memory
# grow faster than the page count, and a reader wants the school near them.
SPLIT_AT = 100


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
    draft: bool = False  # `serve`: a PDF not in the cache is a placeholder, not rendered

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
        """The whole term catalogue. A long one is rendered one school at a time (each part
        fits in memory, is cached on its own and can render on its own core) and joined."""
        schools = self.long_catalogue_schools()
        if not schools:
            return self.pdf(self._catalogue_html(parts=()), "kursuskatalog")
        front = self._catalogue_html(parts=schools)
        parts = self.render_all([(front, "kursuskatalog-forside")] + [
            (self._school_html(school), f"kursuskatalog-{school.id}") for school in schools])
        began = time.perf_counter()
        joined = join_pdfs(parts)
        self.timings["kursuskatalog"] = sum(self.timings[f"kursuskatalog-{s.id}"]
                                            for s in schools) + time.perf_counter() - began
        return joined

    def school_catalogue(self, school) -> bytes:
        """One school's part of a long catalogue, a PDF of its own (rendered once: the whole
        catalogue uses the same bytes from the cache)."""
        return self.pdf(self._school_html(school), f"kursuskatalog-{school.id}")

    def long_catalogue_schools(self) -> list:
        """The schools of a catalogue too long for one file, or none if one file will do."""
        sel = self.selection
        printable = [c for c in sel.courses if sel.printable(c)]
        schools = sorted({s for c in printable for s in c.school_ids
                          if not sel.school_ids or s in sel.school_ids})
        if len(printable) <= SPLIT_AT or len(schools) < 2:
            return []
        return [sel.catalogue.schools[s] for s in schools if s in sel.catalogue.schools]

    def _catalogue_html(self, parts) -> str:
        sel = self.selection
        return self.env.get_template("catalogue.html").render(
            fonts=FONTS.as_uri(), logo=self.logo_uri, term=sel.term, parts=parts,
            sections=sel.courses_by_theme(printable=True) if not parts else (),
            sessions=[d for d in sel.upcoming_sessions if d.offering.takes_place])

    def _school_html(self, school) -> str:
        sel = self.selection
        sections = [(theme, [c for c in courses if school.id in c.school_ids])
                    for theme, courses in sel.courses_by_theme(printable=True)]
        return self.env.get_template("catalogue_school.html").render(
            fonts=FONTS.as_uri(), logo=self.logo_uri, term=sel.term, school=school,
            sections=[(theme, courses) for theme, courses in sections if courses],
            sessions=[d for d in sel.upcoming_sessions
                      if d.offering.takes_place and school.id in d.course.school_ids])

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

    def _cached(self, html: str) -> tuple[str, Path]:
        key = hashlib.sha256(self._fixed_inputs() + html.encode("utf-8")).hexdigest()
        return key, self.cache / f"{key}.pdf"

    def render_all(self, documents: list[tuple[str, str]]) -> list[bytes]:
        """PDFs of (html, label) pairs; those not in the cache are rendered side by side, one
        process per core (WeasyPrint holds the GIL), then read back from the cache."""
        missing = [(html, label) for html, label in documents
                   if not self._cached(html)[1].is_file()]
        workers = min(len(missing), os.cpu_count() or 1)
        if workers > 1 and not self.draft and "fork" in mp.get_all_start_methods():
            global _forked
            _forked = self  # the children inherit it by fork; only the HTML is sent to them
            try:
                with mp.get_context("fork").Pool(workers) as pool:
                    for label, seconds in pool.starmap(_render_in_child, missing):
                        self.timings[label] = seconds
            finally:
                _forked = None
            rendered = {label for _, label in missing}
            results = []
            for html, label in documents:
                data = self._cached(html)[1].read_bytes() if self._cached(html)[1].is_file() \
                    else self.pdf(html, label)  # no cache (read-only checkout): render here
                if label not in rendered:
                    self.timings[label] = 0.0
                results.append(data)
            return results
        return [self.pdf(html, label) for html, label in documents]

    def pdf(self, html: str, label: str) -> bytes:
        key, cached = self._cached(html)
        if cached.is_file():
            self.timings[label] = 0.0
            return cached.read_bytes()
        if self.draft:  # `serve`: pages first; `build` makes the real PDF
            self.timings[label] = 0.0
            self.draft = False
            try:
                return self.pdf(self.env.get_template("placeholder.html").render(
                    fonts=FONTS.as_uri()), "placeholder")
            finally:
                self.draft = True
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


_forked: Printer | None = None


def _render_in_child(html: str, label: str) -> tuple[str, float]:
    _forked.pdf(html, label)  # into the cache, where the parent reads it
    return label, _forked.timings[label]


def join_pdfs(parts: list[bytes]) -> bytes:
    """One PDF of several tagged WeasyPrint PDFs, still tagged: pypdf copies the pages, the
    outline and the named destinations; each part's structure tree becomes a Part of one
    Document element, their parent-tree keys moved so that each part's keep their own range.
    Language, mark info, XMP metadata (PDF/UA identification) and title come from the first."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    document = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                 NameObject("/S"): NameObject("/Document")})
    document_ref = writer._add_object(document)
    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"),
                             NameObject("/K"): ArrayObject([document_ref])})
    tree_ref = writer._add_object(tree)
    document[NameObject("/P")] = tree_ref
    kids, nums, offset, first = ArrayObject(), ArrayObject(), 0, None
    for data in parts:
        reader = PdfReader(io.BytesIO(data))
        first = first or reader
        start = len(writer.pages)
        writer.append(reader)
        # Cloning after append reuses the pages pypdf has already copied (it keeps a map per
        # source file), so every /Pg and /Obj in the copied tree points into the joined file.
        # Each part's Document element is cloned whole (without its parent, or pypdf would
        # follow /P back up and copy the part's tree twice) and becomes a Part of ours.
        old = reader.trailer["/Root"]["/StructTreeRoot"]
        for top in old["/K"]:
            del top.get_object()["/P"]
            part = top.clone(writer)
            part.get_object()[NameObject("/P")] = document_ref
            part.get_object()[NameObject("/S")] = NameObject("/Part")
            kids.append(part.indirect_reference or part)
        old_nums = old["/ParentTree"]["/Nums"]
        last = -1
        for i in range(0, len(old_nums), 2):
            last = max(last, int(old_nums[i]))
            nums.extend([NumberObject(int(old_nums[i]) + offset), old_nums[i + 1].clone(writer)])
        for page, source in zip(writer.pages[start:], reader.pages):
            if "/StructParents" in source:  # pypdf leaves it out of the copy
                page[NameObject("/StructParents")] = NumberObject(
                    int(source["/StructParents"]) + offset)
            for annotation in page.get("/Annots", []):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        int(annotation["/StructParent"]) + offset)
        offset += last + 1
    document[NameObject("/K")] = kids
    tree[NameObject("/ParentTree")] = writer._add_object(
        DictionaryObject({NameObject("/Nums"): nums}))
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(offset)
    root = writer._root_object
    root[NameObject("/StructTreeRoot")] = tree_ref
    source_root = first.trailer["/Root"]
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in source_root:
            root[NameObject(key)] = source_root.raw_get(key).clone(writer)
    writer.add_metadata(first.metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def catalogue_pdf_path(school_id: str) -> str:
    return f"kursuskatalog-{school_id}.pdf"


def plan(build: Build) -> list[Asset]:
    """Every guide in each of its paper formats, and the term catalogue; a long catalogue
    also one school at a time."""
    printer = Printer(build.root, build.site, build.selection, draft=build.draft)
    assets = [Asset(pdf_path(guide, paper), printer.guide(guide, paper))
              for guide in build.selection.guides for paper in guide.formats]
    assets.append(Asset(CATALOGUE_PDF, printer.term_catalogue()))
    assets += [Asset(catalogue_pdf_path(school.id), printer.school_catalogue(school))
               for school in printer.long_catalogue_schools()]
    return assets
