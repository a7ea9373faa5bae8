"""Brands: a municipality's own build. sites/<name>/brand.yaml decides the build's name,
address, look and schools; this module turns it into the `Site` every output reads."""

from __future__ import annotations

from pathlib import Path

from . import diagnostics as diag
from .catalogue import BRAND_FILE, assemble, check_file
from .model import Brand
from .pages import Site


class BrandError(Exception):
    """The brand file cannot be used; the message holds the diagnostics."""


def read_brand(root: Path, brand_id: str) -> Brand:
    """One brand on its own, before the catalogue is read: MkDocs needs the name, address
    and logo while it is still reading its configuration."""
    name = f"sites/{brand_id}/{BRAND_FILE}"
    path = root / name
    if not path.is_file():
        raise BrandError(f"{name} findes ikke. Brands: "
                         f"{', '.join(sorted(p.parent.name for p in root.glob('sites/*/' + BRAND_FILE)))}")
    result = check_file("sites", name, path.read_bytes())
    errors = [d for d in result.problems if d.severity == diag.ERROR]
    if errors or result.record is None:
        raise BrandError(diag.format_text(errors or list(result.problems), 1))
    records = {kind: {} for kind in ("schools", "teachers", "courses", "guides", "sites")}
    records["sites"][brand_id] = (str(path), result.record)
    catalogue, _ = assemble(records, root)
    return catalogue.brands[brand_id]


def site_for(brand: Brand, root: Path, description: str = "") -> Site:
    url = brand.site_url if brand.site_url.endswith("/") else brand.site_url + "/"
    return Site(brand.name, url, description, logo=root / brand.logo, primary=brand.primary,
                accent=brand.accent, favicon=root / (brand.favicon or brand.logo),
                municipality=brand.municipality, contact=brand.contact, footer=brand.footer,
                language=brand.language, privacy_url=brand.privacy_url,
                accessibility_url=brand.accessibility_url, brand_id=brand.id)
