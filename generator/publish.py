"""Publish: check the catalogue, then let MkDocs build it, never replacing a good site/ with a
broken one (build into a fresh folder, then swap).

A build that is killed leaves its folder (.site-build-…) behind, or, if it dies in the middle
of the swap, the last good site as .site-old. The next build tidies up: it puts .site-old back
if site/ is missing, and removes build folders no running build owns. Ownership is a lock
(flock) that a build holds on its own folder for as long as it runs, so the kernel lets go
of it when the process dies however it dies, and two builds side by side never remove each
other's folder. Where there is no flock (Windows), only folders older than six hours go.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

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
                    strict: bool = False, jobs: int = 1) -> int:
    """Every brand into OUT/<name>/, saying how far it has come. With jobs > 1, that many
    brands are built side by side, each in a process forked after the one check."""
    root = find_root(start)
    result = _check(root, today, strict)
    if result is None:
        return 1
    out = (out or root / "site").resolve()
    out.mkdir(parents=True, exist_ok=True)
    names = brands(root)
    if jobs > 1 and len(names) > 1 and "fork" in mp.get_all_start_methods():
        return _build_side_by_side(root, today, out, strict, result, names, jobs)
    for number, name in enumerate(names, start=1):
        print(f"[{number}/{len(names)}] {name} …", flush=True)
        if build_site(root, today, out=out / name, strict=strict, brand=name,
                      result=result) != 0:
            return 1
    print(f"Bygget {len(names)} udgaver til {out}: {', '.join(names)}.")
    return 0


def _build_side_by_side(root: Path, today: dt.date, out: Path, strict: bool, result,
                        names: list[str], jobs: int) -> int:
    """Each brand in a forked child that inherits the checked catalogue (nothing is read or
    pickled again). A child's output is held back and shown in name order, so the log reads
    the same however the children finish; every brand is built even if one fails."""
    global _shared
    began = time.perf_counter()
    _shared = (root, today, out, strict, result)
    sys.stdout.flush()  # else each child would write out the parent's buffer again
    sys.stderr.flush()
    codes = {}
    try:
        # Not multiprocessing.Pool: its children are daemons, and a brand's child forks again
        # for its PDFs (render/print.py).
        with ProcessPoolExecutor(min(jobs, len(names)), mp_context=mp.get_context("fork")) \
                as pool:
            for number, (name, (code, stdout, stderr, seconds)) in enumerate(
                    zip(names, pool.map(_build_in_child, names)), start=1):
                print(f"[{number}/{len(names)}] {name} … {_seconds(seconds)}", flush=True)
                sys.stdout.write(stdout)
                sys.stdout.flush()
                sys.stderr.write(stderr)
                sys.stderr.flush()
                codes[name] = code
    finally:
        _shared = None
    failed = [name for name in names if codes.get(name) != 0]
    if failed:
        print(f"catalogue: {len(failed)} af {len(names)} udgaver blev ikke bygget: "
              f"{', '.join(failed)}.", file=sys.stderr)
        return 3 if any(codes.get(name) == 3 for name in failed) else 1
    print(f"Bygget {len(names)} udgaver til {out} på {_seconds(time.perf_counter() - began)}: "
          f"{', '.join(names)}.")
    return 0


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} s".replace(".", ",")


_shared = None  # (root, today, out, strict, result), inherited by fork


def _build_in_child(name: str) -> tuple[int, str, str, float]:
    """One brand's build in a forked child: its exit code, what it wrote to stdout and
    stderr (caught at the descriptors, so MkDocs' logging and WeasyPrint are caught too),
    and its wall time."""
    root, today, out, strict, result = _shared
    began = time.perf_counter()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(stdout.fileno(), 1)
        os.dup2(stderr.fileno(), 2)
        try:
            code = build_site(root, today, out=out / name, strict=strict, brand=name,
                              result=result)
        except Exception as error:  # noqa: BLE001 - reported like the command reports it
            print(f"catalogue: intern fejl i {name} ({type(error).__name__}: {error}). Dette "
                  f"er en fejl i programmet, ikke i dine filer; meld den gerne.",
                  file=sys.stderr)
            code = 3
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        caught = []
        for handle in (stdout, stderr):
            handle.seek(0)
            caught.append(handle.read().decode("utf-8", errors="replace"))
    return code, caught[0], caught[1], time.perf_counter() - began


def build_site(start: Path, today: dt.date, out: Path | None = None, strict: bool = False,
               brand: str | None = None, result=None) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    root = find_root(start)
    config_path = config_file(root, brand)
    if config_path is None:
        return 2
    target = (out or root / "site").resolve()
    if target.parent.is_dir():  # even a build that stops on errors brings back a lost site
        with _locked(target.parent):
            _tidy(target)
    result = result or _check(root, today, strict)
    if result is None:
        return 1
    # The build date decides nothing but MkDocs' own timestamps (sitemap); tie them to "today"
    # so two builds of the same inputs are byte-identical.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(dt.datetime.combine(
        today, dt.time(), dt.timezone.utc).timestamp())))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice about MkDocs 2
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=target.parent))
    owned = _lock(staging, wait=True)  # held until the build is swapped in or given up
    plugin.preload(result)
    try:
        config = load_config(config_file=str(config_path), site_dir=str(staging), strict=True)
        build(config)
        with _locked(target.parent):
            _swap(staging, target)
    except (Abort, ConfigurationError, PluginError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"catalogue: byggeriet stoppede: {error}. site/ er uændret.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        plugin.preload(None)
        _unlock(owned)
    print(f"Bygget til {target}.")
    return 0


STAGING = ".site-build-"
GRACE = 60  # seconds: a younger folder may belong to a build that has not locked it yet
UNLOCKED_AGE = 6 * 3600  # without flock, age is all there is to go by


def _lock(folder: Path, wait: bool) -> int | None:
    """A descriptor that holds an exclusive lock on `folder`, or None if another process holds
    it (and `wait` is false) or the folder is gone. Without flock: a descriptor, no lock."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError:
            os.close(fd)
            return None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing lets go of the lock


@contextlib.contextmanager
def _locked(folder: Path):
    """The folder that holds site/ is locked while site/ is swapped or tidied, so that one
    build never sees another halfway through a swap."""
    fd = _lock(folder, wait=True)
    try:
        yield
    finally:
        _unlock(fd)


def _tidy(target: Path) -> None:
    """Remove what killed builds left next to `target`; bring back a site lost mid-swap."""
    old = target.with_name(f".{target.name}-old")
    if old.is_dir() and not old.is_symlink():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(target)
            print(f"catalogue: {old.name} var det sidste gode site; det er lagt tilbage som "
                  f"{target.name}/.", file=sys.stderr)
    now = time.time()
    for folder in target.parent.glob(STAGING + "*"):
        try:
            if folder.is_symlink() or not folder.is_dir():
                continue
            age = now - folder.stat().st_mtime
        except OSError:
            continue
        if age < GRACE or (fcntl is None and age < UNLOCKED_AGE):
            continue
        fd = _lock(folder, wait=False)
        if fd is None:
            continue  # a build is running in it
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            _unlock(fd)


def _swap(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        if old.exists() and not target.exists():
            old.rename(target)  # keep the last good site where it was
        raise
    shutil.rmtree(old, ignore_errors=True)


def quiet_logs(verbose: bool) -> None:
    """A coordinator sees what went wrong and how long a build took, not WeasyPrint's progress
    ('Step 5 - Creating layout - Page 3', a hundred lines a build) nor MkDocs' chatter."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(message)s")
    if not verbose:
        for name in ("weasyprint", "fontTools", "mkdocs", "properdocs", "watchdog"):
            logging.getLogger(name).setLevel(logging.WARNING)
