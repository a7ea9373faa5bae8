"""Publish: check the catalogue, then let MkDocs build it, never replacing a good site/ with a
broken one (build into a fresh folder, then swap)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import diagnostics as diag
from . import plugin
from .catalogue import find_root, read_catalogue


def _check(root: Path, today: dt.date, strict: bool):
    result = read_catalogue(root, today)
    if result.diagnostics:
        print(diag.format_text(result.diagnostics, result.files), file=sys.stderr)
    errors, warnings = diag.count(result.diagnostics)
    if errors or (strict and warnings):
        print("catalogue: intet er bygget; site/ er uændret.", file=sys.stderr)
        return None
    return result


def config_file(root: Path, brand: str | None) -> Path | None:
    """The MkDocs configuration of the regional build, or of one brand."""
    path = root / "sites" / brand / "mkdocs.yml" if brand else root / "mkdocs.yml"
    if not path.is_file():
        known = sorted(p.parent.name for p in (root / "sites").glob("*/mkdocs.yml"))
        print(f"catalogue: {path.relative_to(root)} findes ikke."
              + (f" Brands: {', '.join(known)}." if brand else ""), file=sys.stderr)
        return None
    return path


def brands(root: Path) -> list[str]:
    return sorted(p.parent.name for p in (root / "sites").glob("*/brand.yaml"))


def build_all_sites(start: Path, today: dt.date, out: Path | None = None,
                    strict: bool = False) -> int:
    """Every brand into OUT/<name>/, one after the other, saying how far it has come."""
    root = find_root(start)
    result = _check(root, today, strict)
    if result is None:
        return 1
    out = (out or root / "site").resolve()
    out.mkdir(parents=True, exist_ok=True)
    names = brands(root)
    for number, name in enumerate(names, start=1):
        print(f"[{number}/{len(names)}] {name} …", flush=True)
        if build_site(root, today, out=out / name, strict=strict, brand=name,
                      result=result) != 0:
            return 1
    print(f"Bygget {len(names)} udgaver til {out}: {', '.join(names)}.")
    return 0


def build_site(start: Path, today: dt.date, out: Path | None = None, strict: bool = False,
               brand: str | None = None, result=None) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    root = find_root(start)
    config_path = config_file(root, brand)
    if config_path is None:
        return 2
    result = result or _check(root, today, strict)
    if result is None:
        return 1
    # The build date decides nothing but MkDocs' own timestamps (sitemap); tie them to "today"
    # so two builds of the same inputs are byte-identical.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(dt.datetime.combine(
        today, dt.time(), dt.timezone.utc).timestamp())))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice about MkDocs 2
    target = (out or root / "site").resolve()
    staging = Path(tempfile.mkdtemp(prefix=".site-build-", dir=target.parent))
    plugin.preload(result)
    try:
        config = load_config(config_file=str(config_path), site_dir=str(staging), strict=True)
        build(config)
    except (Abort, ConfigurationError, PluginError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"catalogue: byggeriet stoppede: {error}. site/ er uændret.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        plugin.preload(None)
    _swap(staging, target)
    print(f"Bygget til {target}.")
    return 0


def _swap(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def serve_site(start: Path, today: dt.date, dev_addr: str, brand: str | None = None) -> int:
    from mkdocs.commands.serve import serve

    root = find_root(start)
    config_path = config_file(root, brand)
    if config_path is None:
        return 2
    if _check(root, today, strict=False) is None:
        return 1
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    serve(config_file=str(config_path), dev_addr=dev_addr, livereload=True)
    return 0
