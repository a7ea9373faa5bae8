"""`catalogue render --out DIR`: the whole site as a docs folder that any engine reading Markdown
with front matter can assemble, made before any engine runs.

    DIR/site.yml           the site: name, address, description, language, colours, logo, menu,
                           footer links: what an engine's shell needs
    DIR/docs/<page>.md     every page: front matter (title, description, and for a course its
                           schema.org JSON-LD) and a body that is our HTML for a generated page,
                           or the hand-written Markdown (with its appendix as HTML)
    DIR/docs/<file>        every file: .ics, open data, PDFs, the Pagefind index, photos, and
                           our stylesheet and scripts (assets/)
    DIR/.catalogue-render  the mark that lets the next render replace the folder

MkDocs reads the same pages through plugin.py without this folder; assemble.py builds a site
from it with a shell of our own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

import yaml

from .. import diagnostics as diag
from ..brands import BrandError, _MkDocsLoader, read_brand, site_for, site_for_build
from ..catalogue import find_root, read_catalogue
from ..select import Selection
from ..templating import TEMPLATES, strings
from . import Build, Site
from .pages import brand_asset
from .rendered import APPENDICES, Rendered

MARK = ".catalogue-render"
MARK_TEXT = "Denne mappe er lavet af 'catalogue render'. Næste render erstatter hele mappen.\n"
PROTECTED = ("courses", "teachers", "schools", "guides", "sites", "docs", "generator",
             "site_templates", ".git")


class Refused(Exception):
    pass


def check_out(root: Path, out: Path) -> Path:
    """`out` resolved, or Refused: never the catalogue or a folder holding it, never inside a
    source folder or .git, and never a folder with files that an earlier render did not write
    (the whole folder is replaced). One helper, so it can give way to publish's guard."""
    target = Path(os.path.realpath(out))
    root = Path(os.path.realpath(root))
    if target == root or root.is_relative_to(target):
        raise Refused(f"'{out}' er kataloget selv eller en mappe, der rummer det.")
    if ".git" in target.parts:
        raise Refused(f"'{out}' ligger i en .git-mappe.")
    for name in PROTECTED:
        if target.is_relative_to(Path(os.path.realpath(root / name))):
            raise Refused(f"'{out}' ligger i kildemappen {name}/.")
    if os.path.lexists(target):
        if not target.is_dir() or target.is_symlink():
            raise Refused(f"'{out}' findes og er ikke en mappe.")
        if any(target.iterdir()) and not (target / MARK).is_file():
            raise Refused(f"'{out}' har filer, som 'catalogue render' ikke har skrevet "
                          f"({MARK} mangler).")
    return target


def site_of(root: Path, brand: str | None) -> Site:
    """The Site as the MkDocs build makes it (plugin.on_config): a brand's, or mkdocs.yml's
    with the plugin's logo and colours."""
    if brand:
        return site_for(read_brand(root, brand), root, _config(root).get("site_description", ""))
    config = _config(root)
    plain = site_for_build(root, None)
    options = next((p["catalogue"] for p in config.get("plugins", [])
                    if isinstance(p, dict) and "catalogue" in p), None) or {}
    return Site(plain.name, plain.url, plain.description,
                logo=(root / options["logo"]).resolve() if options.get("logo") else None,
                primary=options.get("primary_color", "#0b5560"),
                accent=options.get("accent_color", "#8a3b12"))


def _config(root: Path) -> dict:
    with open(root / "mkdocs.yml", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_MkDocsLoader) or {}


def _nav(config: dict) -> list[dict]:
    return [{"title": title, "path": path} for item in config.get("nav", [])
            for title, path in item.items()]


def front(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


def render_folder(start: Path, today: dt.date, out: Path, brand: str | None = None) -> int:
    root = find_root(start)
    try:
        target = check_out(root, out)
    except Refused as error:
        print(f"catalogue: {error} Vælg en anden mappe med --out. Intet er skrevet.",
              file=sys.stderr)
        return 2
    result = read_catalogue(root, today)
    if result.diagnostics:
        print(diag.format_text(result.diagnostics, result.files), file=sys.stderr)
    if not result.ok:
        print(f"catalogue: intet er skrevet; {out} er uændret.", file=sys.stderr)
        return 1
    try:
        site = site_of(root, brand)
    except BrandError as error:
        print(f"catalogue: {error}", file=sys.stderr)
        return 2
    chosen = result.catalogue.brands.get(brand) if brand else None
    build = Build(Selection.for_brand(result.catalogue, today, chosen), site, root)
    rendered = Rendered(build)
    write_folder(root, rendered, target)
    print(f"Skrev {len(rendered.pages)} sider og {len(rendered.assets)} filer til {out}.")
    return 0


def write_folder(root: Path, rendered: Rendered, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    docs.mkdir(parents=True)
    (target / MARK).write_text(MARK_TEXT, encoding="utf-8")
    config, site = _config(root), rendered.build.site
    for path, page in rendered.pages.items():
        meta = {"title": page.title}
        if page.description:
            meta["description"] = page.description
        jsonld = rendered.jsonld(path)
        if jsonld:
            meta["structured_data"] = json.loads(str(jsonld))
        _write(docs / path, (front(meta) + "\n" + rendered.body(path)).encode("utf-8"))
    handwritten = root / config.get("docs_dir", "docs")
    for source in sorted(handwritten.rglob("*")):
        relative = source.relative_to(handwritten).as_posix()
        if not source.is_file() or relative.startswith(("koordinator/", ".")):
            continue  # the coordinator guide is read in the repository
        if source.suffix == ".md":
            text = source.read_text(encoding="utf-8")
            _write(docs / relative, (text + "\n" + rendered.appendix(relative)).encode("utf-8"))
        else:
            _write(docs / relative, source.read_bytes())
    for source in sorted((TEMPLATES / "overrides" / "assets").rglob("*")):
        if source.is_file():
            _write(docs / "assets" / source.relative_to(TEMPLATES / "overrides" / "assets"),
                   source.read_bytes())
    for path, asset in rendered.assets.items():
        _write(docs / path, asset.read())
    logo = brand_asset("logo", site.logo) if site.brand_id else config.get(
        "theme", {}).get("logo")
    t = strings()["site"]
    description = {
        "name": site.name, "url": site.url, "description": site.description,
        "language": site.language, "primary": site.primary, "accent": site.accent,
        "logo": logo, "nav": _nav(config),
        "footer": [{"title": t["footer_about"], "path": "om/"},
                   {"title": t["footer_accessibility"],
                    "path": site.accessibility_url or "tilgaengelighed/"},
                   {"title": t["footer_privacy"], "path": site.privacy_url or "privatliv/"},
                   {"title": t["footer_opendata"], "path": "data/"}],
        "footer_text": [text for text in (site.footer, t["footer_note"]) if text],
    }
    (target / "site.yml").write_text(yaml.safe_dump(description, allow_unicode=True,
                                                    sort_keys=False), encoding="utf-8")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
