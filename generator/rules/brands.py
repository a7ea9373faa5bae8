"""Brand rules: a municipality's build must be valid, readable and its own.

Every place the site draws a brand colour (colours.DRAWN: the header, the tabs, the search
field, links, buttons, the PDFs) must reach WCAG AA contrast (4.5:1) as the browser composites
it. A logo or favicon must be a real SVG or PNG with nothing in it that can run or fetch.
"""

from __future__ import annotations

from pathlib import Path

from .. import colours, logos
from ..diagnostics import problem
from ..model import Catalogue
from .files import _check_path
from .references import _unknown

LOGO_TYPES = (".svg", ".png")


def _ratio(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def colours_are_readable(catalogue: Catalogue, context):
    """Every place the site draws a brand colour, as the browser composites it (colours.DRAWN).
    One error per colour: the worst place, and a colour that passes everywhere."""
    for brand in catalogue.brands.values():
        given = {"primary": brand.primary, "accent": brand.accent}
        valid = {}
        for field, value in given.items():
            if colours.parse(value) is None:
                yield problem("M001", brand.at("colors", field), value=value)
            else:
                valid[field] = value
        for field in valid:
            worst = colours.failing(field, valid)
            if worst:
                pair, ratio = worst[0]
                what = pair.what if len(worst) == 1 else \
                    f"{pair.what} (og {len(worst) - 1} andre steder med farven)"
                yield problem("M002", brand.at("colors", field), what=what,
                              ratio=_ratio(ratio),
                              suggestion=colours.nearest_passing_for(field, valid))


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


def _logo_is_safe(file: Path, written: str, pos):
    """M006-M008: a logo or favicon that could run or fetch something, or is not an image."""
    try:
        data = file.read_bytes()
    except OSError as error:
        yield problem("M007", pos, file=written, kind=file.suffix.lstrip(".").upper(),
                      reason=error.strerror or str(error))
        return
    finding = logos.inspect(data, file.suffix)
    if finding:
        yield problem(finding.code, pos, file=written, **finding.fields)


def brand_files_exist(catalogue: Catalogue, context):
    for brand in catalogue.brands.values():
        folder = f"sites/{brand.id}"
        for field, path in (("logo", brand.logo), ("favicon", brand.favicon)):
            if path:
                found = list(_check_path(context.root, folder, path.removeprefix(folder + "/"),
                                         brand.place(field), LOGO_TYPES))
                yield from found
                if not found:
                    yield from _logo_is_safe(context.root / path, path, brand.place(field))
        if not (context.root / folder / "mkdocs.yml").is_file():
            yield problem("M005", brand.pos, folder=folder + "/")
