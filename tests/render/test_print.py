"""Print (generator/render/print.py): PDFs of the guides and the term catalogue, opened with
pypdf; directly on a copy of the small catalogue, and as the built demo site holds them."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from generator.catalogue import read_catalogue
from generator.render import Site
from generator.render import print as printing
from generator.render.print import Printer
from generator.select import Selection
from generator.templating import danish_date, rhythm

from conftest import MINI, REPO, TODAY_DEMO, copy_catalogue
from .conftest import MINI_TODAY, mini_build

A4 = (595, 842)
A5 = (420, 595)
FIVE_WAYS = ["Øge netværk", "Lære noget nyt", "Leve mere aktivt", "Være mere til stede i nuet",
             "Give af sig selv"]

MINI_PDFS = {"materialer/fem-veje-til-et-godt-liv.pdf": A4,
             "materialer/fem-veje-til-et-godt-liv-a5.pdf": A5, "kursuskatalog.pdf": A4}


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


# --- the plan, on a copy of the small catalogue (its PDFs are cached under its root) ----------

@pytest.fixture(scope="module")
def printed(mini_catalogue, tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The small catalogue's PDFs, rendered once, and the copy whose cache holds them."""
    root = copy_catalogue(MINI, tmp_path_factory.mktemp("print") / "mini")
    planned = printing.plan(mini_build(mini_catalogue, root=root))
    return root, {a.path: a.read() for a in planned}


@pytest.mark.slow
def test_the_plan_holds_each_guide_in_each_format_and_the_term_catalogue(printed):
    _, pdfs = printed
    assert {path: _size(PdfReader(io.BytesIO(data))) for path, data in pdfs.items()} == MINI_PDFS


@pytest.mark.slow
def test_the_small_pdfs_are_tagged_danish_and_titled(printed):
    _, pdfs = printed
    titles = {}
    for path, data in pdfs.items():
        reader = PdfReader(io.BytesIO(data))
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "da" and "/StructTreeRoot" in root, path
        assert reader.metadata.author == "Test", path
        titles[path] = reader.metadata.title
    assert titles["materialer/fem-veje-til-et-godt-liv.pdf"] == "Fem veje til et godt liv"
    assert titles["kursuskatalog.pdf"].startswith("Kursuskatalog Forår 2027")


@pytest.mark.slow
def test_the_small_term_catalogue_lists_its_courses_by_theme(printed):
    _, pdfs = printed
    reader = PdfReader(io.BytesIO(pdfs["kursuskatalog.pdf"]))
    outline = _outline(reader)
    assert [t for t in outline if t in ("Øge netværk", "Lære noget nyt", "Leve mere aktivt")] \
        == ["Øge netværk", "Lære noget nyt", "Leve mere aktivt"]
    assert "Recovery" not in outline, "a course is listed once, under its first theme"
    text = " ".join(_text(reader).split())
    for title in ("Kursus A", "Kursus B", "Kursus C"):
        assert title in text
    assert danish_date(dt.date(2027, 2, 3)) in text and danish_date(dt.date(2027, 3, 1)) in text
    for hidden in ("Gustav", "Rita", "Paarsen", "Peersen"):
        assert hidden not in text


@pytest.mark.slow
def test_a_second_plan_renders_nothing(printed, mini_catalogue, monkeypatch):
    import weasyprint

    root, first = printed
    assert len(list((root / ".cache" / "pdf").glob("*.pdf"))) == len(MINI_PDFS)

    def render(*args, **kwargs):
        raise AssertionError("rendered again, though nothing changed")

    monkeypatch.setattr(weasyprint, "HTML", render)
    again = printing.plan(mini_build(mini_catalogue, root=root))
    assert {a.path: a.read() for a in again} == first


# --- the built demo site --------------------------------------------------------------------

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
    # Once in the contents and once as the calendar's heading: nothing printed twice.
    assert text.count("Kalender over alle kurser") == 2
    listed = 0
    for course in sel.courses:
        for offering in sel.upcoming(course):
            # A recurring offering is printed as its rhythm in words, not as a list of dates.
            first = rhythm(offering.recurrence, zone=offering.timezone) \
                if offering.recurrence else \
                danish_date(offering.sessions[0].date)
            if offering.takes_place:
                assert course.title in text and first in text, (course.id, offering.key)
                listed += 1
            else:
                assert offering.status_note not in text, "cancelled offerings are left out"
    assert listed >= 20
    # Each offering's status as it is on the day of printing ("Tilmeldingen åbner …" until
    # sign-up opens), never "Ledige pladser", which paper cannot keep true.
    assert "tilmeldingen åbner" in text.lower() and "ledige pladser" not in text.lower()


def test_no_unconsented_name_in_any_pdf(built: Path, sel: Selection):
    hidden = [t for t in sel.catalogue.teachers.values() if not sel.shown(t)]
    for path in _pdfs(built):
        text = " ".join(_text(PdfReader(path)).split())
        for teacher in hidden:
            assert teacher.name not in text, (path.name, teacher.id)


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


# --- a long catalogue: one part per school, joined, still tagged ---------------------------

def _tree_root_of(element):
    """The structure tree root an element's chain of parents ends in."""
    while element.get("/Type") != "/StructTreeRoot":
        element = element.raw_get("/P").get_object()
    return element


@pytest.mark.slow
def test_a_long_catalogue_is_one_pdf_per_school_and_their_join_stays_tagged(
        mini_catalogue, tmp_path, monkeypatch):
    monkeypatch.setattr(printing, "SPLIT_AT", 0)  # the small catalogue counts as long
    root = copy_catalogue(MINI, tmp_path / "mini")
    pdfs = {a.path: a.read() for a in printing.plan(mini_build(mini_catalogue, root=root))}
    schools = sorted(mini_catalogue.schools)
    assert {f"kursuskatalog-{s}.pdf" for s in schools} <= set(pdfs)
    whole = PdfReader(io.BytesIO(pdfs["kursuskatalog.pdf"]))
    parts = [PdfReader(io.BytesIO(pdfs[f"kursuskatalog-{s}.pdf"])) for s in schools]
    assert len(whole.pages) > sum(len(p.pages) for p in parts)  # the front, then each school
    root_dict = whole.trailer["/Root"]
    assert root_dict["/Lang"] == "da" and root_dict["/MarkInfo"]["/Marked"]
    assert whole.metadata.title.startswith("Kursuskatalog Forår 2027")
    assert b"pdfuaid" in root_dict["/Metadata"].get_data()
    # Every page's marked content is found through the one parent tree, in the joined tree.
    tree = root_dict["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert len(keys) == len(set(keys)) and int(tree["/ParentTreeNextKey"]) == max(keys) + 1
    assert {int(p["/StructParents"]) for p in whole.pages} <= set(keys)
    page_ids = {p.indirect_reference.idnum for p in whole.pages}
    tree_id = root_dict.raw_get("/StructTreeRoot").idnum
    for i in range(1, len(nums), 2):
        for element in nums[i] if isinstance(nums[i], list) else [nums[i]]:
            element = element.get_object()
            assert element.raw_get("/Pg").idnum in page_ids
            assert _tree_root_of(element).indirect_reference.idnum == tree_id
    text = " ".join(_text(whole).split())
    for title in ("Kursus A", "Kursus B", "Kursus C"):
        assert title in text
    school_text = {s: " ".join(_text(p).split()) for s, p in zip(schools, parts)}
    for course in mini_catalogue.courses.values():
        if any(o.takes_place for o in course.offerings):
            assert course.title in school_text[course.school_id], course.id


def test_a_short_catalogue_is_one_file(mini_catalogue, tmp_path):
    printer = Printer(tmp_path, Site("Test", "https://test.example.org/"),
                      Selection(mini_catalogue, MINI_TODAY))
    assert printer.long_catalogue_schools() == []


@pytest.mark.slow
def test_while_serving_a_pdf_missing_from_the_cache_is_a_placeholder(mini_catalogue, tmp_path,
                                                                     monkeypatch):
    sel = Selection(mini_catalogue, MINI_TODAY)
    site = Site("Test", "https://test.example.org/")

    def printer(draft: bool) -> Printer:
        made = Printer(MINI, site, sel, draft=draft)
        made.cache = tmp_path  # empty at first
        return made

    guide = next(iter(sel.guides))
    text = _text(PdfReader(io.BytesIO(printer(True).guide(guide, guide.formats[0]))))
    assert "catalogue build" in text
    real = printer(False).guide(guide, guide.formats[0])
    assert guide.title in _text(PdfReader(io.BytesIO(real)))
    # Once `build` has made it, `serve` shows the real one from the cache.
    assert printer(True).guide(guide, guide.formats[0]) == real
