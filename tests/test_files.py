"""Files that cannot be read, files that are not read, and teacher photos.

Every check runs the real command with a timeout: a named pipe that is opened would make the
command wait forever, and a regression must fail the test, not hang the run.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from generator.photos import SIZE, publish_photo

from conftest import CATALOGUE, MINI, TODAY, TODAY_DEMO, copy_catalogue

FAG_F = "teachers/fag-f.yaml"
PHOTO = "teachers/fag-f.png"
PHOTO_LINE = 4  # "photo: fag-f.png" in teachers/fag-f.yaml

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def _catalogue(args: list[str], root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CATALOGUE), *args], cwd=root, capture_output=True, text=True,
                          timeout=120)


def check(root: Path) -> list[dict]:
    done = _catalogue(["check", "--format", "json", "--today", TODAY.isoformat()], root)
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)["diagnostics"]


def found(diagnostics: list[dict], code: str) -> list[tuple[str, int]]:
    return [(d["file"], d["line"]) for d in diagnostics if d["code"] == code]


def message(diagnostics: list[dict], code: str, file: str) -> str:
    return next(d["message"] + " " + d["hint"] for d in diagnostics
                if d["code"] == code and d["file"] == file)


# --- files that are not regular files ---------------------------------------------------------

@needs_fifo
def test_a_named_pipe_as_a_source_is_refused_without_waiting(mini: Path):
    os.mkfifo(mini / "courses" / "x.yaml")
    os.mkfifo(mini / "guides" / "y.md")
    (mini / "sites" / "ekstern" / "brand.yaml").unlink()
    os.mkfifo(mini / "sites" / "ekstern" / "brand.yaml")
    diagnostics = check(mini)
    assert sorted(found(diagnostics, "Y011")) == [
        ("courses/x.yaml", 1), ("guides/y.md", 1), ("sites/ekstern/brand.yaml", 1)]
    assert "navngivet pipe (FIFO)" in message(diagnostics, "Y011", "courses/x.yaml")


@needs_fifo
def test_a_named_pipe_named_by_a_source_is_refused_at_its_line(mini: Path):
    for name in (PHOTO, "guides/sol.svg", "sites/testby/logo.svg"):
        (mini / name).unlink()
        os.mkfifo(mini / name)
    diagnostics = check(mini)
    guide, brand = "guides/fem-veje-til-et-godt-liv.md", "sites/testby/brand.yaml"
    assert sorted(found(diagnostics, "F905")) == sorted([
        (FAG_F, PHOTO_LINE), (guide, _line(mini, guide, "(sol.svg)")),
        (brand, _line(mini, brand, "logo:"))])
    assert "navngivet pipe (FIFO)" in message(diagnostics, "F905", FAG_F)
    assert not found(diagnostics, "F903")  # it exists; "not found" would send them looking


def test_a_regular_photo_is_no_f905(mini: Path):
    assert not found(check(mini), "F905")


@needs_fifo
def test_build_stops_on_a_named_pipe_instead_of_waiting(mini: Path):
    os.mkfifo(mini / "courses" / "x.yaml")
    done = _catalogue(["build", "--site", "testby", "--today", TODAY.isoformat()], mini)
    assert done.returncode == 1 and "Y011" in done.stderr and "Traceback" not in done.stderr


def test_links_inside_the_catalogue_are_followed_and_others_refused(mini: Path, tmp_path: Path):
    drafts = mini / "drafts"
    drafts.mkdir()
    text = (mini / "courses" / "kursus-a.yaml").read_text(encoding="utf-8")
    (drafts / "kursus-d.yaml").write_text(text.replace("key: foraar", "key: d"), encoding="utf-8")
    (mini / "courses" / "kursus-d.yaml").symlink_to(drafts / "kursus-d.yaml")
    (tmp_path / "outside.yaml").write_text(text, encoding="utf-8")
    (mini / "courses" / "ude.yaml").symlink_to(tmp_path / "outside.yaml")
    (mini / "courses" / "brudt.yaml").symlink_to(mini / "courses" / "findes-ikke.yaml")
    diagnostics = check(mini)
    assert sorted(found(diagnostics, "Y011")) == [("courses/brudt.yaml", 1),
                                                  ("courses/ude.yaml", 1)]
    assert "uden for kataloget" in message(diagnostics, "Y011", "courses/ude.yaml")
    assert "link til en fil, der ikke findes" in message(diagnostics, "Y011", "courses/brudt.yaml")
    assert not [d for d in diagnostics if d["file"] == "courses/kursus-d.yaml"
                and d["severity"] == "error" and d["code"].startswith(("Y", "N"))]


def test_a_photo_that_is_a_broken_link_says_so(mini: Path):
    (mini / PHOTO).unlink()
    (mini / PHOTO).symlink_to(mini / "teachers" / "slettet.png")
    diagnostics = check(mini)
    assert found(diagnostics, "F903") == [(FAG_F, PHOTO_LINE)]
    assert "genvej" in message(diagnostics, "F903", FAG_F)


def _line(root: Path, name: str, marker: str) -> int:
    text = (root / name).read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(marker)) + 1


# --- files that are not read --------------------------------------------------------------

UNREAD = {
    "courses/2027/kursus-d.yaml": "mapper inde i courses/",
    "courses/kursus-d.YAML": "kursus-d.yaml",
    "courses/kursus-e.yaml.txt": "skal ende på .yaml",
    "courses/kursus-a.yaml~": "sikkerhedskopi",
    "courses/noter.docx": "kun filer, der ender på .yaml",
    "teachers/gamle/fag-f.yaml": "mapper inde i teachers/",
    "schools/skole-b.yml.bak": "sikkerhedskopi",
    "guides/udkast.MD": "udkast.md",
    "guides/noter.txt": "billeder",
    "sites/brand.yaml": "sites/",
    "sites/tomby/brand.yml": "brand.yaml",
}


def test_files_nothing_reads_are_warned_about_with_the_reason(mini: Path):
    for name in UNREAD:
        (mini / name).parent.mkdir(parents=True, exist_ok=True)
        (mini / name).write_text("title: x\n", encoding="utf-8")
    diagnostics = check(mini)
    assert sorted(f for f, _ in found(diagnostics, "N004")) == sorted(UNREAD)
    for name, words in UNREAD.items():
        assert words in message(diagnostics, "N004", name), name
    assert all(d["severity"] == "warning" for d in diagnostics if d["code"] == "N004")


def test_sources_photos_images_and_hidden_files_are_not_warned_about(mini: Path):
    for name in ("courses/.DS_Store", "courses/.kursus-a.yaml.swp", "teachers/Thumbs.db",
                 ".git/config", "courses/.udkast/kursus-z.yaml", "guides/billeder/sol.png",
                 "teachers/ubrugt.JPG"):
        (mini / name).parent.mkdir(parents=True, exist_ok=True)
        (mini / name).write_bytes(b"x")
    assert not found(check(mini), "N004")


# --- photos ---------------------------------------------------------------------------------

def _gps_jpeg(size=(800, 400)) -> bytes:
    """A landscape phone photo that is shown upright as portrait, with GPS and a comment."""
    image = Image.new("RGB", size, (200, 120, 60))
    image.paste((20, 40, 200), (0, 0, size[0] // 4, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefon"
    exif[ExifTags.Base.Orientation] = 6  # turn 90° clockwise to show
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (56.0, 27.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (10.0, 2.0, 15.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"Hjemme hos Anne")
    return out.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be width x height: a few bytes, the size of a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) \
        + chunk(b"IEND", b"")


def _png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG")
    return out.getvalue()


def test_the_test_photo_really_carries_gps():
    exif = Image.open(io.BytesIO(_gps_jpeg())).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) and exif[ExifTags.Base.Orientation] == 6


def test_a_published_photo_keeps_no_metadata_and_stands_upright(tmp_path: Path):
    source = tmp_path / "anne.jpg"
    source.write_bytes(_gps_jpeg())
    data = publish_photo(str(source))
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and len(image.getexif()) == 0 and not image.info.get("exif")
    for secret in (b"GPS", b"Exif", b"Telefon", b"Hjemme", b"ICC_PROFILE"):
        assert secret not in data
    assert image.size == (SIZE // 2, SIZE)  # 800 x 400 turned upright, then scaled
    left = image.getpixel((image.width // 2, 5))
    assert left[2] > 150  # the blue quarter was the left edge; upright, it is the top
    assert publish_photo(str(source)) == data  # the same input gives the same bytes


def test_a_photo_with_gps_is_published_without_it(demo: Path):
    (demo / "teachers" / "anne-s.png").unlink()
    (demo / "teachers" / "anne-s.jpg").write_bytes(_gps_jpeg((1600, 900)))
    path = demo / "teachers" / "anne-s.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("anne-s.png", "anne-s.jpg"),
                    encoding="utf-8")
    done = _catalogue(["build", "--today", TODAY_DEMO.isoformat()], demo)
    assert done.returncode == 0, done.stderr
    data = (demo / "site" / "undervisere" / "anne-s.jpg").read_bytes()
    image = Image.open(io.BytesIO(data))
    assert len(image.getexif()) == 0 and b"GPS" not in data and b"Exif" not in data
    assert max(image.size) <= SIZE and image.height > image.width


PHOTO_PROBLEMS = [
    ("F906", b"Det her er en tekst, ikke et billede.\n", "ikke et billede"),
    ("F906", _png((64, 64))[:60], "skåret af"),
    ("F907", _gps_jpeg(), ".jpg"),
    ("F908", _png_header(8000, 6000), "millioner punkter"),
    ("F908", _png_header(30000, 30000), "millioner punkter"),
]


@pytest.mark.parametrize("code, data, words", PHOTO_PROBLEMS,
                         ids=[f"{c}-{w}" for c, _, w in PHOTO_PROBLEMS])
def test_a_photo_that_cannot_be_published_is_refused_at_its_line(mini: Path, code, data, words):
    (mini / PHOTO).write_bytes(data)
    diagnostics = check(mini)
    assert found(diagnostics, code) == [(FAG_F, PHOTO_LINE)]
    assert words in message(diagnostics, code, FAG_F)


def test_a_photo_over_the_byte_limit_is_refused_before_it_is_read(mini: Path):
    with open(mini / PHOTO, "r+b") as handle:
        handle.truncate(16_000_000)  # sparse: costs no disk
    diagnostics = check(mini)
    assert found(diagnostics, "F908") == [(FAG_F, PHOTO_LINE)]
    assert "16,0 MB" in message(diagnostics, "F908", FAG_F)


def test_real_photos_of_every_allowed_type_pass(mini: Path):
    text = (mini / FAG_F).read_text(encoding="utf-8")
    for suffix, kind in ((".png", "PNG"), (".jpg", "JPEG"), (".jpeg", "JPEG"), (".webp", "WEBP")):
        out = io.BytesIO()
        Image.new("RGB", (1200, 900), "teal").save(out, kind)
        (mini / "teachers" / f"fag-f{suffix}").write_bytes(out.getvalue())
        (mini / FAG_F).write_text(text.replace("photo: fag-f.png", f"photo: fag-f{suffix}"),
                                  encoding="utf-8")
        assert [d for d in check(mini) if d["code"].startswith("F9")] == [], suffix
