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


def build_site(start: Path, today: dt.date, out: Path | None = None, strict: bool = False) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    root = find_root(start)
    result = _check(root, today, strict)
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
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(staging),
                             strict=True)
        build(config)
    except (Abort, ConfigurationError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"catalogue: byggeriet stoppede: {error}. site/ er uændret.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        plugin.preload(None)
    _swap(staging, target)
    print(f"Bygget til {target} ({len(result.catalogue.courses)} kurser).")
    return 0


def _swap(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def serve_site(start: Path, today: dt.date, dev_addr: str) -> int:
    from mkdocs.commands.serve import serve

    root = find_root(start)
    if _check(root, today, strict=False) is None:
        return 1
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
    return 0
