"""Brand rules: a municipality's build must be valid, readable and its own.

Text on the primary colour (the header) and links in the primary colour on white must reach
WCAG AA contrast (4.5:1); so must the accent colour, which the PDFs use for headings of boxes.
"""

from __future__ import annotations

from .. import colours
from ..diagnostics import problem
from ..model import Catalogue
from .files import _check_path
from .references import _unknown

LOGO_TYPES = (".svg", ".png")


def _ratio(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def colours_are_readable(catalogue: Catalogue, context):
    for brand in catalogue.brands.values():
        checks = [("primary", brand.primary, "Hvid tekst på hovedfarven og links på hvid "
                                              "baggrund"),
                  ("accent", brand.accent, "Accentfarven på hvid baggrund")]
        for field, value, what in checks:
            pos = brand.at("colors", field)
            if colours.parse(value) is None:
                yield problem("M001", pos, value=value)
                continue
            ratio = colours.contrast(value, colours.WHITE)
            if ratio < colours.AA:
                yield problem("M002", pos, what=what, ratio=_ratio(ratio),
                              suggestion=colours.nearest_passing(value))


def site_url_is_https_and_unique(catalogue: Catalogue, context):
    seen: dict[str, str] = {}
    for brand in catalogue.brands.values():
        url = brand.site_url
        if not url.startswith("https://"):
            yield problem("M003", brand.at("site_url"), value=url)
        key = url.rstrip("/").lower()
        if key in seen:
            yield problem("M004", brand.at("site_url"), value=url, other=seen[key])
        else:
            seen[key] = f"sites/{brand.id}"


def brand_references_exist(catalogue: Catalogue, context):
    declared = context.declared
    for brand in catalogue.brands.values():
        for i, school in enumerate(brand.school_ids):
            if school not in declared["schools"]:
                yield _unknown("R302", "schools", school, brand.at("schools", i),
                               declared["schools"])
        for i, venue in enumerate(brand.venue_ids):
            if venue not in declared["venues"]:
                yield _unknown("R303", "venues", venue, brand.at("venues", i), declared["venues"])


def brand_files_exist(catalogue: Catalogue, context):
    for brand in catalogue.brands.values():
        folder = f"sites/{brand.id}"
        for field, path in (("logo", brand.logo), ("favicon", brand.favicon)):
            if path:
                yield from _check_path(context.root, folder, path.removeprefix(folder + "/"),
                                       brand.at(field), LOGO_TYPES)
        if not (context.root / folder / "mkdocs.yml").is_file():
            yield problem("M005", brand.pos, folder=folder + "/")
