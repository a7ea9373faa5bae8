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
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from . import diagnostics as diag
from . import plugin
from .catalogue import find_root, read_catalogue

# What a build may never write into, replace or delete: the sources, the program, the history.
PROTECTED = ("courses", "teachers", "schools", "guides", "sites", "docs", "generator",
             "site_templates", ".git")
# Every build leaves this file in the site it publishes. A folder without it was not made by a
# build, so no build replaces it (an earlier version wrote none: such a site is removed by hand).
MARKER = ".catalogue-site"
MARKER_TEXT = ("Denne mappe er et site lavet af 'catalogue build'. Næste build erstatter hele "
               "mappen.\n")


ELSEWHERE = "Vælg en anden mappe med --out."


class UnsafeOutput(Exception):
    """The output folder would put sources or someone's files at risk; the message says why."""


def check_location(root: Path, out: Path, allowed: tuple[Path, ...] = ()) -> Path:
    """`out` made absolute, with links and `..` resolved; UnsafeOutput if it is the catalogue's
    root, holds it, or lies in a source folder or .git."""
    target = Path(os.path.realpath(out))
    root = Path(os.path.realpath(root))
    shown = f"'{out}'" + (f" ({target})" if str(out) != str(target) else "")
    if any(target == Path(os.path.realpath(a)) for a in allowed):
        return target
    if target == root or root.is_relative_to(target):
        raise UnsafeOutput(f"{shown} er kataloget selv eller en mappe, der rummer det; alt i "
                           f"den kunne gå tabt. {ELSEWHERE}")
    if ".git" in target.parts:
        raise UnsafeOutput(f"{shown} ligger i en .git-mappe. {ELSEWHERE}")
    for name in PROTECTED:
        folder = Path(os.path.realpath(root / name))
        if target == folder or target.is_relative_to(folder):
            raise UnsafeOutput(f"{shown} ligger i kildemappen {name}/, som catalogue aldrig "
                               f"skriver i. {ELSEWHERE}")
    return target


def check_replaceable(target: Path, shown: str | Path) -> None:
    """A folder that exists is replaced only if a build made it (it holds the marker)."""
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise UnsafeOutput(f"'{shown}' findes og er ikke en mappe.")
    if any(target.iterdir()) and not (target / MARKER).is_file():
        raise UnsafeOutput(
            f"'{shown}' findes og er ikke et site, som 'catalogue build' har lavet (filen "
            f"{MARKER} mangler). Et build erstatter hele mappen, så den bliver ikke rørt. Vælg "
            f"en ny eller tom mappe med --out. Er mappen et site fra en ældre version, så slet "
            f"den selv, og byg igen.")


def check_writes(root: Path, out: Path, names, ours) -> Path:
    """For a command that writes files of fixed names into `out` (export, editor, schema):
    `out` resolved, or UnsafeOutput. A file of one of those names that is already there is
    overwritten only if `ours(out)` says an earlier run of the command wrote the folder."""
    target = check_location(root, out)
    if os.path.lexists(target) and not target.is_dir():
        raise UnsafeOutput(f"'{out}' findes og er ikke en mappe.")
    there = [name for name in names if os.path.lexists(target / name)]
    odd = [name for name in there if (target / name).is_symlink()
           or not (target / name).is_file()]
    if odd:
        raise UnsafeOutput(f"'{out}/{odd[0]}' findes og er ikke en almindelig fil.")
    if there and not ours(target):
        raise UnsafeOutput(
            f"'{out}' har allerede {', '.join(there[:3])}{' …' if len(there) > 3 else ''}, "
            f"som denne kommando ikke har skrevet. Vælg en ny eller tom mappe med --out.")
    return target


def _json_ours(path: Path, test) -> bool:
    import json

    try:
        return bool(test(json.loads(path.read_text(encoding="utf-8"))))
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return False


def schemas_ours(names):
    """A folder of JSON Schemas that `catalogue schema` wrote: each one names itself."""
    return lambda folder: all(
        not (folder / n).exists() or _json_ours(folder / n, lambda d: d.get("$id") == n)
        for n in names)


def package_ours(folder: Path) -> bool:
    """A folder that `catalogue export datapackage` wrote: its datapackage.json lists csv files."""
    return _json_ours(folder / "datapackage.json", lambda d: all(
        str(r["path"]).endswith(".csv") for r in d["resources"]) and d["resources"])


def editor_ours(folder: Path) -> bool:
    try:
        with open(folder / "config.yml", encoding="utf-8") as handle:
            return handle.readline().startswith("# Lavet af 'catalogue editor'")
    except (OSError, UnicodeDecodeError):
        return False


def refuse(error: UnsafeOutput) -> int:
    print(f"catalogue: {error} Intet er skrevet.", file=sys.stderr)
    return 2


def _refuse(error: UnsafeOutput) -> int:
    print(f"catalogue: {error} Intet er bygget, og intet er slettet.", file=sys.stderr)
    return 2


def _check(root: Path, today: dt.date, strict: bool, unchanged: str = "site/ er uændret"):
    result = read_catalogue(root, today)
    if result.diagnostics:
        print(diag.format_text(result.diagnostics, result.files), file=sys.stderr)
    errors, warnings = diag.count(result.diagnostics)
    if errors or (strict and warnings):
        print(f"catalogue: intet er bygget; {unchanged}.", file=sys.stderr)
        return None
    return result


def _folder(path: Path) -> str:
    """A folder as the user would write it: relative to where they are, if it is below."""
    here = Path.cwd().resolve()
    return (path.relative_to(here).as_posix() if path.is_relative_to(here) else str(path)) + "/"


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
    brands are built side by side, each in a process forked after the one check. A brand that
    fails stops no other: every brand is tried, then the failed ones are named with their cause.
    """
    root = find_root(start)
    names = brands(root)
    try:  # every brand's folder is judged before any is built
        out = check_location(root, out or root / "site")
        for name in names:
            check_location(root, out / name)
            check_replaceable(out / name, _folder(out / name))
    except UnsafeOutput as error:
        return _refuse(error)
    result = _check(root, today, strict, unchanged="ingen udgave er ændret")
    if result is None:
        return 1
    out.mkdir(parents=True, exist_ok=True)
    _die_with_parent_after_fork()
    began = time.perf_counter()
    if jobs > 1 and len(names) > 1 and "fork" in mp.get_all_start_methods():
        outcomes = _build_side_by_side(root, today, out, strict, result, names, jobs)
    else:
        outcomes = {}
        for number, name in enumerate(names, start=1):
            print(f"[{number}/{len(names)}] {name} …", flush=True)
            code = build_site(root, today, out=out / name, strict=strict, brand=name,
                              result=result)
            outcomes[name] = (code, _failure if code else "")
    failed = [name for name in names if outcomes[name][0] != 0]
    if failed:
        built = [name for name in names if name not in failed]
        print(f"catalogue: {len(failed)} af {len(names)} udgaver blev ikke bygget; deres mapper "
              f"er uændrede:", file=sys.stderr)
        for name in failed:
            print(f"  {name} ({_folder(out / name)}): {outcomes[name][1] or 'se ovenfor'}",
                  file=sys.stderr)
        if built:
            print(f"Bygget {len(built)} udgaver til {_folder(out)}: {', '.join(built)}.",
                  file=sys.stderr)
        return 3 if any(outcomes[name][0] == 3 for name in failed) else 1
    print(f"Bygget {len(names)} udgaver til {out} på {_seconds(time.perf_counter() - began)}: "
          f"{', '.join(names)}.")
    return 0


def _build_side_by_side(root: Path, today: dt.date, out: Path, strict: bool, result,
                        names: list[str], jobs: int) -> dict[str, tuple[int, str]]:
    """Each brand in a forked child that inherits the checked catalogue (nothing is read or
    pickled again), at most `jobs` at a time. A child's output is held back and shown in name
    order, so the log reads the same however the children finish.

    Not a process pool: a pool's workers outlive a parent that is killed (blocked for ever on
    its queue) and take the next brand after Ctrl+C. Here a child dies with its parent
    (_die_with_parent_after_fork), and after an interrupt no brand is started; the ones under
    way are stopped before they publish (build_site removes their staging folder)."""
    sys.stdout.flush()  # else each child would write out the parent's buffer again
    sys.stderr.flush()
    waiting = list(names)
    running: dict[int, tuple[str, float, tuple]] = {}
    finished: dict[str, tuple[int, str, str, str, float]] = {}
    shown = 0
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                name = waiting.pop(0)
                files = tuple(tempfile.TemporaryFile() for _ in range(3))
                pid = os.fork()
                if pid == 0:  # the child: never returns
                    _child(files, root, today, out / name, strict, name, result)
                running[pid] = (name, time.perf_counter(), files)
            pid, status = os.wait()
            if pid not in running:
                continue
            name, began, files = running.pop(pid)
            code = os.waitstatus_to_exitcode(status)
            caught = []
            for handle in files:
                handle.seek(0)
                caught.append(handle.read().decode("utf-8", errors="replace"))
                handle.close()
            if code < 0:
                caught[2] = f"byggeriet blev stoppet udefra (signal {-code})"
                code = 3
            finished[name] = (code, *caught, time.perf_counter() - began)
            while shown < len(names) and names[shown] in finished:
                code, stdout, stderr, _, seconds = finished[names[shown]]
                print(f"[{shown + 1}/{len(names)}] {names[shown]} … {_seconds(seconds)}",
                      flush=True)
                sys.stdout.write(stdout)
                sys.stdout.flush()
                sys.stderr.write(stderr)
                sys.stderr.flush()
                shown += 1
    except BaseException:
        # Ctrl+C (or anything else): start nothing more; stop the children under way and wait
        # for them, so none is left behind and none publishes after we have given up.
        for pid in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)
        for pid in list(running):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        raise
    return {name: (code, reason) for name, (code, _, _, reason, _) in finished.items()}


def _child(files, root, today, out, strict, name, result) -> None:
    """One brand's build in a forked child. What it writes to stdout and stderr is caught at
    the descriptors (so MkDocs' logging and WeasyPrint are caught too); the third file gets
    the cause of a failure. Leaves by os._exit, never back into the parent's code."""
    code = 3
    try:
        os.dup2(files[0].fileno(), 1)
        os.dup2(files[1].fileno(), 2)
        try:
            code = build_site(root, today, out=out, strict=strict, brand=name, result=result)
            if code:
                files[2].write(_failure.encode("utf-8"))
        except KeyboardInterrupt:
            code = 130
        except BaseException as error:  # noqa: BLE001 - reported like the command reports it
            print(f"catalogue: intern fejl i {name} ({type(error).__name__}: {error}). Dette "
                  f"er en fejl i programmet, ikke i dine filer; meld den gerne.",
                  file=sys.stderr)
            files[2].write(f"intern fejl ({type(error).__name__})".encode("utf-8"))
            code = 3
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            files[2].flush()
    finally:
        os._exit(code)


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} s".replace(".", ",")


PR_SET_PDEATHSIG = 1
_forked_from: list[int] = []


def _die_with_parent_after_fork() -> None:
    """Every process this build forks from now on (a brand's build, the PDF workers) is killed
    by the kernel when its parent dies, however the parent dies (Linux: PR_SET_PDEATHSIG). A
    child whose parent is gone before the request took effect leaves at once."""
    if _forked_from or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return

    def before() -> None:
        # The kernel sends the signal when the *thread* that forked ends, so only forks from
        # a main thread ask for it (a pool's helper thread may end long before its process).
        main = threading.current_thread() is threading.main_thread()
        _forked_from[:] = [os.getpid() if main else 0]

    def in_child() -> None:
        if not _forked_from or not _forked_from[0]:
            return
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != _forked_from[0]:
            os._exit(1)

    _forked_from.append(os.getpid())
    os.register_at_fork(before=before, after_in_child=in_child)


# The cause of the last failed build_site, in Danish, for the summary of --all-sites.
_failure = ""


def build_site(start: Path, today: dt.date, out: Path | None = None, strict: bool = False,
               brand: str | None = None, result=None) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    global _failure
    root = find_root(start)
    config_path = config_file(root, brand)
    if config_path is None:
        _failure = "brandet findes ikke"
        return 2
    try:
        target = check_location(root, out or root / "site")
        check_replaceable(target, _folder(target))
    except UnsafeOutput as error:
        _failure = str(error)
        return _refuse(error)
    unchanged = f"{_folder(target)} er uændret"
    if target.parent.is_dir():  # even a build that stops on errors brings back a lost site
        with _locked(target.parent):
            _tidy(target)
    result = result or _check(root, today, strict, unchanged)
    if result is None:
        _failure = "kataloget har fejl"
        return 1
    # The build date decides nothing but MkDocs' own timestamps (sitemap); tie them to "today"
    # so two builds of the same inputs are byte-identical.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(dt.datetime.combine(
        today, dt.time(), dt.timezone.utc).timestamp())))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice about MkDocs 2
    _die_with_parent_after_fork()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=target.parent))
    owned = _lock(staging, wait=True)  # held until the build is swapped in or given up
    plugin.preload(result)
    said = _Said()
    try:
        with said:
            config = load_config(config_file=str(config_path), site_dir=str(staging),
                                 strict=True)
            build(config)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _readable(staging)
        with _locked(target.parent), _no_interrupt():
            _swap(staging, target)
    except (Abort, ConfigurationError, PluginError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        causes = said.causes(config_path.relative_to(root).as_posix()) or [_danish(str(error))]
        _failure = causes[0].splitlines()[0]
        print("catalogue: byggeriet stoppede:\n" + "\n".join(causes) + f"\n{unchanged}.",
              file=sys.stderr)
        return 1
    except UnsafeOutput as error:
        shutil.rmtree(staging, ignore_errors=True)
        _failure = str(error)
        return _refuse(error)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        plugin.preload(None)
        _unlock(owned)
    print(f"Bygget til {target}.")
    return 0


def _readable(folder: Path) -> None:
    """The staging folder is made private (mkdtemp: 0700), and anything a library wrote through
    a temporary file may be too; a published site is as readable as any folder the user makes
    (0755 and 0644 under the usual umask), so a web server's own user can serve it."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)
    for parent, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(parent, name), 0o777 & ~mask)
        for name in files:
            path = os.path.join(parent, name)
            if not os.path.islink(path):
                os.chmod(path, 0o666 & ~mask)


@contextlib.contextmanager
def _no_interrupt():
    """Ctrl+C waits until the swap is done: a site is either the old one or the new one."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


class _Said(logging.Handler):
    """While MkDocs loads and builds: what it reports as a warning or error is kept here
    instead of reaching the terminal in English, and said in Danish if the build stops."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        self.logger = logging.getLogger("mkdocs")
        self.saved = self.logger.propagate
        self.logger.addHandler(self)
        self.logger.propagate = False
        self.forward = _Forward()
        self.logger.addHandler(self.forward)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.removeHandler(self.forward)
        self.logger.propagate = self.saved
        return False

    def causes(self, config_name: str) -> list[str]:
        return [_danish(message, config_name) for message in dict.fromkeys(self.messages)]


class _Forward(logging.Handler):
    """What MkDocs says below a warning (only with --verbose) goes on as before."""

    def emit(self, record):
        if record.levelno < logging.WARNING:
            logging.getLogger().handle(record)


_MKDOCS = [
    (re.compile(r"Config value '([^']+)': (skal være .*)", re.S),
     "{config}: indstillingen '{0}' {1}"),
    (re.compile(r"Config value '([^']+)': (.*)", re.S),
     "{config}: indstillingen '{0}' er ugyldig (MkDocs: {1})"),
    (re.compile(r"Config value '([^']+)'", re.S), "{config}: indstillingen '{0}' er ugyldig"),
    (re.compile(r"Doc file '([^']+)' contains a link '([^']+)'.*not found", re.S),
     "docs/{0}: linket '{1}' peger på en side, der ikke findes"),
    (re.compile(r"Doc file '([^']+)' contains an unrecognized relative link '([^']+)'", re.S),
     "docs/{0}: linket '{1}' kan ikke følges"),
    (re.compile(r"Aborted with (\d+) warnings? in strict mode", re.S),
     "MkDocs stoppede på {0} advarsel(er), se ovenfor"),
    (re.compile(r"Aborted with (\d+) configuration errors?", re.S),
     "{config} har {0} fejl, se ovenfor"),
    (re.compile(r"Aborted with a BuildError", re.S), "MkDocs stoppede med en fejl"),
]


_KINDS = {"list": "en liste", "int": "et tal", "str": "en tekst", "dict": "en samling af "
          "indstillinger", "bool": "true eller false", "float": "et tal", "NoneType": "tom"}
_EXPECTED = re.compile(r"Expected type: <class '(\w+)'> but received: <class '(\w+)'>")


def _danish(message: str, config: str = "mkdocs.yml") -> str:
    """MkDocs' own words, in Danish where we know them; our plugin speaks Danish already."""
    message = _EXPECTED.sub(lambda m: f"skal være {_KINDS.get(m[1], m[1])}, ikke "
                                      f"{_KINDS.get(m[2], m[2])}", message.strip())
    for pattern, danish in _MKDOCS:
        match = pattern.match(message)
        if match:
            return danish.format(*match.groups(), config=config)
    if message.isascii() and not message.startswith(("catalogue", "Kataloget")):
        return f"MkDocs meldte en fejl, vi ikke har en dansk tekst til: {message}"
    return message



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
    # Only a site a build made (with the marker) is put back or removed.
    if old.is_dir() and not old.is_symlink() and (old / MARKER).is_file():
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
    if os.path.lexists(old):
        if old.is_symlink() or not (old / MARKER).is_file():
            raise UnsafeOutput(f"'{old}' findes og er ikke et site, som 'catalogue build' har "
                               f"lavet; flyt eller slet den selv.")
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
