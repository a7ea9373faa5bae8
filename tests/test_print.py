"""PDFs of the guides and the term catalogue, opened with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from generator.catalogue import read_catalogue
from generator.render import Site
from generator.render.print import Printer
from generator.select import Selection
from generator.templating import danish_date

from conftest import REPO, TODAY_DEMO

A4 = (595, 842)
A5 = (420, 595)
FIVE_WAYS = ["Øge netværk", "Lære noget nyt", "Leve mere aktivt", "Være mere til stede i nuet",
             "Give af sig selv"]


@pytest.fixture(scope="module")
def sel() -> Selection:
    return Selection(read_catalogue(REPO, TODAY_DEMO, use_cache=False).catalogue, TODAY_DEMO)


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _outline(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def _size(reader: PdfReader, page: int = 0) -> tuple[int, int]:
    box = reader.pages[page].mediabox
    return round(float(box.width)), round(float(box.height))


def _pdfs(built: Path) -> list[Path]:
    return sorted((built / "materialer").glob("*.pdf")) + [built / "kursuskatalog.pdf"]


def _embedded_fonts(reader: PdfReader) -> dict[str, tuple[TTFont, dict[str, int]]]:
    """Each embedded font subset by its PDF name, with the glyph id the PDF draws for each
    character (read back from its ToUnicode map), so a test sees the glyph actually printed."""
    fonts = {}
    for page in reader.pages:
        for ref in page.get("/Resources", {}).get("/Font", {}).values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            if name in fonts or "/DescendantFonts" not in font:
                continue
            cid_font = font["/DescendantFonts"][0].get_object()
            assert cid_font.get("/CIDToGIDMap") == "/Identity", name  # so a CID is a glyph id
            data = cid_font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            glyphs = {}
            for cid, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", cmap):
                if len(text) == 4:  # one UTF-16 unit: one character
                    glyphs[chr(int(text, 16))] = int(cid, 16)
            fonts[name] = (TTFont(io.BytesIO(data)), glyphs)
    return fonts


def _contours(font: TTFont, gid: int) -> list[tuple[float, float, float, float]]:
    """The bounding box of each closed contour of a glyph, components drawn in."""
    glyph_set = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[font.getGlyphOrder()[gid]].draw(pen)
    boxes, points = [], []
    for op, args in pen.value:
        points.extend(args)
        if op in ("closePath", "endPath"):
            xs, ys = [x for x, _ in points], [y for _, y in points]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
            points = []
    return boxes


def _is_plain_ring(contours: list[tuple[float, float, float, float]]) -> bool:
    """An outline and one counter inside it, as in O: a slash or a dot through the counter
    (a slashed or dotted zero, or Ø) splits it or adds a contour."""
    if len(contours) != 2:
        return False
    outer, inner = sorted(contours, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))[::-1]
    return outer[0] < inner[0] and outer[1] < inner[1] and inner[2] < outer[2] \
        and inner[3] < outer[3]


def test_every_guide_has_a_page_and_pdfs(built: Path, sel: Selection):
    assert len(sel.guides) >= 3
    for guide in sel.guides:
        assert (built / "materialer" / guide.id / "index.html").is_file()
        reader = PdfReader(built / "materialer" / f"{guide.id}.pdf")
        assert _size(reader) == (A4 if "a4" in guide.formats else A5)
        if "a5-booklet" in guide.formats and "a4" in guide.formats:
            assert _size(PdfReader(built / "materialer" / f"{guide.id}-a5.pdf")) == A5


def test_pdfs_are_tagged_danish_and_titled(built: Path):
    for path in _pdfs(built):
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "da", path.name
        assert root["/MarkInfo"]["/Marked"], path.name  # tagged (PDF/UA-1)
        assert "/StructTreeRoot" in root, path.name
        assert reader.metadata.title and reader.metadata.author == \
            "Recoveryskolerne i Region Midtjylland", path.name
        fonts = {str(font) for page in reader.pages
                 for font in page.get("/Resources", {}).get("/Font", {}).values()}
        assert fonts, path.name


def test_no_printed_zero_can_be_read_as_the_letter_oe(built: Path):
    """ "2027" and "8900" must not read as "2Ø27" and "89ØØ": the zero each embedded font draws
    is a plain ring, while that font's Ø is not (so the check tells the two apart)."""
    embedded = [(path.name, name, font, glyphs) for path in _pdfs(built)
                for name, (font, glyphs) in _embedded_fonts(PdfReader(path)).items()]
    zeros = set()
    for pdf, name, font, glyphs in embedded:
        if "0" in glyphs:
            assert _is_plain_ring(_contours(font, glyphs["0"])), (pdf, name)
            zeros.add(name.split("+")[-1])
        if "Ø" in glyphs:
            assert not _is_plain_ring(_contours(font, glyphs["Ø"])), (pdf, name)
    assert {"Andika", "Andika-Bold"} <= zeros
    # The @font-face rules took: no text fell back to a system font.
    assert all("Andika" in name for _, name, _, _ in embedded)


def test_pdf_links_are_clickable(built: Path):
    reader = PdfReader(built / "kursuskatalog.pdf")
    uris = [a.get_object()["/A"].get("/URI") for page in reader.pages
            for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert any(str(u).startswith("https://recoveryskoler.example.org/kurser/") for u in uris)


def test_five_ways_guide_names_all_five_ways(built: Path, sel: Selection):
    reader = PdfReader(built / "materialer" / "fem-veje-til-et-godt-liv.pdf")
    outline = _outline(reader)
    assert [title for title in outline if title in FIVE_WAYS] == FIVE_WAYS
    text = _text(reader)
    assert text.count("Mit næste skridt") == 5
    themed = [c for c in sel.courses if "oege-netvaerk" in c.theme_ids]
    assert themed and all(c.title in " ".join(text.split()) for c in themed)


def test_prevention_plan_and_agreement_have_their_parts(built: Path):
    plan = _outline(PdfReader(built / "materialer" / "min-personlige-forebyggelsesplan.pdf"))
    for part in ["Tidlige advarselstegn", "Risikosituationer", "Mestringsstrategier",
                 "Opbyggende aktiviteter", "Netværk: hvem hjælper, og hvordan", "Hvem må se planen"]:
        assert part in plan
    agreement = _text(PdfReader(built / "materialer" / "samarbejdsaftale-for-underviserteams.pdf"))
    for word in ["Roller", "Forberedelse", "Evaluering", "Underskrift"]:
        assert word in agreement


def test_term_catalogue_lists_every_upcoming_offering(built: Path, sel: Selection):
    reader = PdfReader(built / "kursuskatalog.pdf")
    assert _size(reader) == A4
    text = " ".join(_text(reader).split())
    outline = _outline(reader)
    assert outline[:1] == ["Recoveryskolerne i Region Midtjylland"]
    assert "Sådan foregår det" in outline and "Indhold" in outline
    assert "Kalender over alle kurser" in outline
    listed = 0
    for course in sel.courses:
        for offering in sel.upcoming(course):
            first = danish_date(offering.sessions[0].date)
            if offering.takes_place:
                assert course.title in text and first in text, (course.id, offering.key)
                listed += 1
            else:
                assert offering.status_note not in text, "cancelled offerings are left out"
    assert listed >= 20
    assert "venteliste" in text.lower()


def test_no_unconsented_name_in_any_pdf(built: Path, sel: Selection):
    hidden = [t for t in sel.catalogue.teachers.values() if not sel.shown(t)]
    for path in _pdfs(built):
        text = " ".join(_text(PdfReader(path)).split())
        for teacher in hidden:
            assert teacher.name not in text, (path.name, teacher.id)


def test_guide_page_offers_its_downloads(built: Path):
    page = BeautifulSoup((built / "materialer" / "fem-veje-til-et-godt-liv" / "index.html")
                         .read_text(encoding="utf-8"), "html.parser")
    links = [a.get_text(" ", strip=True) for a in page.select("article .kk-downloads a")]
    assert any("A4" in text and "kB" in text for text in links)
    assert any("A5-hæfte" in text for text in links)
    assert page.select("article .kk-guide-courses a")
    index = BeautifulSoup((built / "materialer" / "index.html").read_text(encoding="utf-8"),
                          "html.parser")
    assert len(index.select("article .kk-guide :is(h2, h3) a")) >= 3
    course = BeautifulSoup((built / "kurser" / "fem-veje-til-et-godt-liv" / "index.html")
                           .read_text(encoding="utf-8"), "html.parser")
    assert "5 veje til et godt liv" in course.select_one("article").get_text()


def test_pdfs_come_from_the_cache_when_nothing_changed(tmp_path: Path, sel: Selection):
    site = Site("Test", "https://test.example.org/")
    first = Printer(tmp_path, site, sel)
    guide = sel.catalogue.guides["samarbejdsaftale-for-underviserteams"]
    data = first.guide(guide, "a4")
    assert first.timings["samarbejdsaftale-for-underviserteams-a4"] > 0
    again = Printer(tmp_path, site, sel)
    assert again.guide(guide, "a4") == data
    assert again.timings["samarbejdsaftale-for-underviserteams-a4"] == 0.0
    changed = Printer(tmp_path, Site("Et andet navn", "https://test.example.org/"), sel)
    assert changed.guide(guide, "a4") != data


def test_guide_images_are_embedded_in_the_pdf(mini: Path):
    from generator.catalogue import read_catalogue as read

    sel = Selection(read(mini, dt.date(2026, 12, 1), use_cache=False).catalogue,
                    dt.date(2026, 12, 1))
    printer = Printer(mini, Site("Test", "https://test.example.org/"), sel)
    reader = PdfReader(__import__("io").BytesIO(
        printer.guide(sel.catalogue.guides["fem-veje-til-et-godt-liv"], "a5-booklet")))
    assert _size(reader) == A5
    text = _text(reader)
    assert "Kursus A" in " ".join(text.split())  # [[kurser: oege-netvaerk]] from the data
    assert "Dato:" in text
    drawn = [page for page in reader.pages
             if "/XObject" in page.get("/Resources", {}) or b"re" in page.get_contents().get_data()]
    assert drawn
