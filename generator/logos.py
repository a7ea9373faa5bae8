"""Logos and favicons: nothing in them may run or fetch anything.

The site copies a brand's logo into assets/brand/ and the PDFs embed it as a data URI, so an
SVG that carries a script, an event handler or a reference to another site would reach every
reader. An SVG is read with expat, refusing any DOCTYPE or entity before it can expand (the
same handlers defusedxml sets), and then every element, attribute and stylesheet is judged.
A PNG must be a PNG that Pillow can verify.
"""

from __future__ import annotations

import io
import re
import xml.parsers.expat
from typing import NamedTuple

MAX_BYTES = 1_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_SEP = "\x1f"  # between namespace and local name in expat's names
_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_URL_ATTRIBUTES = {"href", "src"}
_SCHEME = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.I)
_CONTROL = re.compile(r"[\x00-\x20]+")
_E = xml.parsers.expat.errors
_EXPAT_DA = {
    _E.XML_ERROR_NO_ELEMENTS: "filen er tom eller slutter for tidligt",
    _E.XML_ERROR_TAG_MISMATCH: "et mærke lukkes ikke, eller lukkes i forkert rækkefølge",
    _E.XML_ERROR_UNCLOSED_TOKEN: "et mærke er ikke afsluttet med >",
    _E.XML_ERROR_INVALID_TOKEN: "et tegn, der ikke må stå der",
    _E.XML_ERROR_SYNTAX: "en syntaksfejl",
    _E.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: "der står noget efter det sidste </svg>",
    _E.XML_ERROR_UNDEFINED_ENTITY: "en ukendt &-kode",
    _E.XML_ERROR_DUPLICATE_ATTRIBUTE: "en egenskab står to gange i samme mærke",
    _E.XML_ERROR_UNBOUND_PREFIX: "et navneområde-præfiks, der ikke er erklæret",
    _E.XML_ERROR_BAD_CHAR_REF: "en &#-kode for et tegn, der ikke findes",
}


class Finding(NamedTuple):
    code: str  # M006 unsafe, M007 unreadable, M008 too large
    fields: dict


class _Refused(Exception):
    def __init__(self, found: str):
        super().__init__(found)
        self.found = found


def inspect(data: bytes, suffix: str) -> Finding | None:
    """What is wrong with a logo or favicon file's bytes, or None."""
    if len(data) > MAX_BYTES:
        return Finding("M008", {"size": _size(len(data)), "limit": _size(MAX_BYTES)})
    if suffix.lower() == ".png":
        return _png(data)
    return _svg(data)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB".replace(".", ",")


def _png(data: bytes) -> Finding | None:
    if not data.startswith(PNG_MAGIC):
        return Finding("M007", {"kind": "PNG", "reason": "filen starter ikke som en PNG"})
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValueError(image.format)
            image.verify()
    except Exception:  # Pillow raises many kinds for a damaged file
        return Finding("M007", {"kind": "PNG", "reason": "billedet er ødelagt eller ufuldstændigt"})
    return None


def _svg(data: bytes) -> Finding | None:
    judge = _Judge()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=_SEP)
    parser.StartDoctypeDeclHandler = judge.doctype
    parser.EntityDeclHandler = judge.entity
    parser.ExternalEntityRefHandler = judge.external_entity
    parser.ProcessingInstructionHandler = judge.instruction
    parser.StartElementHandler = judge.start
    parser.EndElementHandler = judge.end
    parser.CharacterDataHandler = judge.text
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return Finding("M006", {"found": refused.found})
    except xml.parsers.expat.ExpatError as error:
        said = _EXPAT_DA.get(xml.parsers.expat.ErrorString(error.code), "den er ikke gyldig XML")
        return Finding("M007", {"kind": "SVG", "reason": f"{said} (linje {error.lineno})"})
    if judge.root != "svg":
        found = f"<{judge.root}>" if judge.root else "intet element"
        return Finding("M007", {"kind": "SVG", "reason": f"det yderste element er {found}, "
                                                        "ikke <svg>"})
    return None


def _local(name: str) -> str:
    return name.rsplit(_SEP, 1)[-1]


class _Judge:
    """expat's handlers; the first thing that could run or fetch stops the parse."""

    def __init__(self):
        self.root = ""
        self.in_style = 0

    def doctype(self, *args):
        raise _Refused("en DOCTYPE-erklæring (<!DOCTYPE …>)")

    def entity(self, *args):
        raise _Refused("en <!ENTITY>-erklæring")

    def external_entity(self, *args):
        raise _Refused("en henvisning til en ekstern entitet")

    def instruction(self, target, data):
        if target.lower() == "xml-stylesheet":
            raise _Refused("et <?xml-stylesheet?>, der henter et stylesheet")

    def start(self, name, attributes):
        tag = _local(name)
        if not self.root:
            self.root = tag
        if tag.lower() in _ELEMENTS:
            raise _Refused(f"et <{tag}>-element")
        if tag.lower() == "style":
            self.in_style += 1
        for attribute, value in attributes.items():
            self.attribute(tag, _local(attribute), value)

    def end(self, name):
        if _local(name).lower() == "style":
            self.in_style -= 1

    def text(self, data):
        if self.in_style:
            self.css(data, "<style>")

    def attribute(self, tag: str, name: str, value: str):
        lowered = name.lower()
        if lowered.startswith("on"):
            raise _Refused(f"hændelsen '{name}' på <{tag}>, som kan køre et script")
        # Browsers drop tabs and newlines inside a URL, so "java\tscript:" is javascript:.
        scheme = _SCHEME.match(_CONTROL.sub("", value))
        if scheme and (lowered in _URL_ATTRIBUTES or scheme[1].lower() != "data"):
            raise _Refused(f"en {scheme[1].lower()}:-adresse i '{name}' på <{tag}>")
        if lowered in _URL_ATTRIBUTES and not value.strip().startswith("#"):
            raise _Refused(f"en henvisning til '{value[:60]}' i '{name}' på <{tag}>")
        if lowered == "attributename" and (value.lower().endswith("href")
                                           or value.lower().startswith("on")):
            raise _Refused(f"en <{tag}>, der ændrer '{value}'")
        self.css(value, f"'{name}' på <{tag}>")

    def css(self, text: str, where: str):
        if "@import" in text.lower():
            raise _Refused(f"@import i {where}")
        for target in _CSS_URL.findall(text):
            if not target.startswith("#"):
                raise _Refused(f"url({target[:60]}) i {where}")
