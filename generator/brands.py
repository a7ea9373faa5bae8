"""Brands: a municipality's own build. sites/<name>/brand.yaml decides the build's name,
address, look and schools; this module turns it into the `Site` every output reads."""

from __future__ import annotations

from pathlib import Path

from . import diagnostics as diag
from .catalogue import BRAND_FILE, assemble, check_file
from .model import Brand
from .render import Site


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
                accessibility_url=brand.accessibility_url, brand_id=brand.id,
                calendar_reminder=brand.calendar_reminder, teacher_guides=brand.teacher_guides,
                texts=brand.texts)


def site_for_build(root: Path, brand_id: str | None) -> Site:
    """The Site of a brand, or of the regional build in the root mkdocs.yml."""
    if brand_id:
        return site_for(read_brand(root, brand_id), root)
    import yaml

    config = {}
    if (root / "mkdocs.yml").is_file():  # a catalogue without one still exports its data
        with open(root / "mkdocs.yml", encoding="utf-8") as handle:
            config = yaml.load(handle, Loader=_MkDocsLoader) or {}
    url = config.get("site_url") or ""
    return Site(config.get("site_name", "Kursuskatalog"),
                url if not url or url.endswith("/") else url + "/",
                config.get("site_description", ""))


def _ignore_tag(loader, suffix, node):
    return None


class _MkDocsLoader(__import__("yaml").SafeLoader):
    """mkdocs.yml may hold tags like !ENV; the site's name and address never need them."""


_MkDocsLoader.add_multi_constructor("!", _ignore_tag)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
