"""Serve: the preview a coordinator keeps open while editing (`catalogue serve`).

It never hangs and never speaks English. While the catalogue has errors, every page the browser
asks for is a Danish page listing them as `catalogue check` does (file:line:column, message,
tip), and the preview starts even so; when the files are fixed, the browser reloads into the
site. An edit to courses/ or teachers/ re-renders only the pages and files it touches
(render.rendered.refresh, written through plugin.refresh), then the browser reloads; the search
index and the open data follow a moment later, and PDFs wait for `catalogue build`. Any other
edit (a brand, a school, a template, a hand-written page) builds everything and says so.

The server is MkDocs' live-reload server (loopback, long-poll reload), with our own builder:
MkDocs' would leave the browser waiting forever after a failed build.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from mkdocs.livereload import LiveReloadServer
from watchdog.observers import Observer

from . import diagnostics as diag
from . import plugin
from .catalogue import SOURCE_DIRS, find_root, read_catalogue
from .templating import make_environment

# Folders whose files an edit may limit itself to: one course's or teacher's YAML.
LIMITED = ("courses", "teachers")
WATCHED = (*SOURCE_DIRS, "site_templates", "docs")


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f}".replace(".", ",") + " s"


def _scan(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file under the watched folders with its time and size: what changed since the
    last build is the difference of two scans (the watcher only says that something did)."""
    seen = {}
    for folder in folders:
        for directory, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(directory, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                seen[path] = (stat.st_mtime_ns, stat.st_size)
    return seen


class Preview:
    """The site folder the server shows, and how it is brought up to date after an edit."""

    def __init__(self, root: Path, today: dt.date, config_path: Path, url: str):
        self.root, self.today, self.config_path, self.url = root, today, config_path, url
        self.site_dir = Path(tempfile.mkdtemp(prefix="catalogue-serve-"))
        self.folders = [root / name for name in WATCHED if (root / name).is_dir()]
        self.snapshot = _scan(self.folders)
        self.error_page: bytes | None = None  # while set, every page shows it
        self.config = None  # MkDocs' configuration of the last full build
        self.lock = threading.Lock()  # one update at a time, the deferred work included
        self.pending_later = False
        self.env = make_environment("serve")

    @property
    def plugin(self):
        return self.config.plugins["catalogue"] if self.config is not None else None

    def update(self) -> None:
        """The server's builder. It never raises: a raised error would leave the browser
        waiting until the next good build."""
        with self.lock:
            try:
                self._update()
            except Exception as error:  # noqa: BLE001 - a bug; the preview shows it and goes on
                self.config = None  # the next update builds everything
                print(f"catalogue: intern fejl ({type(error).__name__}: {error}). Dette er en "
                      f"fejl i programmet, ikke i dine filer; meld den gerne.", file=sys.stderr,
                      flush=True)
                self.error_page = self._page([], "", traceback.format_exc())
        if self.pending_later:
            threading.Thread(target=self._later, daemon=True).start()

    def _update(self) -> None:
        began = time.perf_counter()
        before, self.snapshot = self.snapshot, _scan(self.folders)
        changed = sorted(p for p in before.keys() | self.snapshot.keys()
                         if before.get(p) != self.snapshot.get(p))
        result = read_catalogue(self.root, self.today)
        errors, _ = diag.count(result.diagnostics)
        if errors:
            print(diag.format_text(result.diagnostics, result.files), file=sys.stderr)
            print("Forhåndsvisningen viser fejlene, til de er rettet og gemt.", file=sys.stderr,
                  flush=True)
            self.error_page = self._page(result.diagnostics,
                                         diag.summary(result.diagnostics, result.files))
            return
        reason = self._unlimited(changed)
        change = None
        if self.config is not None and reason is None:
            change = self.plugin.refresh(self.config, result)
            if change is None:
                reason = ("en skole, et sted, et tema, en vejledning eller et brand er ændret, "
                          "eller et kursus eller en underviser er kommet til eller væk")
        if change is None:
            if self.config is not None:
                print(f"Bygger hele siden igen, fordi {reason}.", flush=True)
            if not self._full(result):
                return
            print(f"Bygget på {_seconds(time.perf_counter() - began)}.", flush=True)
        else:
            print(f"Opdateret på {_seconds(time.perf_counter() - began)}: "
                  f"{len(change.pages)} sider og {len(change.assets)} filer.", flush=True)
            self.pending_later = True
        self.error_page = None

    def _unlimited(self, changed: list[str]) -> str | None:
        """Why an edit to these files cannot be limited to some pages, or None if it can."""
        for path in changed:
            relative = Path(path).relative_to(self.root)
            if relative.parts[0] in LIMITED and relative.suffix in (".yaml", ".yml"):
                continue
            what = {"site_templates": "en skabelon", "sites": "et brand", "docs":
                    "en håndskrevet side", "schools": "en skole", "guides": "en vejledning"}
            return f"{what.get(relative.parts[0], 'en fil')} er ændret ({relative})"
        return None

    def _full(self, result) -> bool:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort, ConfigurationError, PluginError

        plugin.preload(result)
        try:
            config = load_config(config_file=str(self.config_path), site_dir=str(self.site_dir))
            if self.config is None:
                config.plugins.on_startup(command="serve", dirty=False)
            config.site_url = self.url
            build(config, serve_url=self.url)
        except (Abort, ConfigurationError, PluginError) as error:
            print(f"catalogue: byggeriet stoppede: {error}", file=sys.stderr, flush=True)
            self.error_page = self._page([], "", str(error))
            self.config = None  # half a build: the next one starts from nothing
            return False
        finally:
            plugin.preload(None)
        self.config = config
        return True

    def _later(self) -> None:
        """The search index and the open data, after the browser has reloaded."""
        from .render.opendata import PackageInvalid

        with self.lock:
            if not self.pending_later or self.error_page is not None or self.config is None:
                return
            self.pending_later = False
            began = time.perf_counter()
            try:
                self.plugin.refresh_later(self.config)
            except PackageInvalid as error:
                print(f"catalogue: de åbne data er ikke gyldige (frictionless):\n{error}",
                      file=sys.stderr, flush=True)
                return
            except Exception as error:  # noqa: BLE001 - a bug; say so and keep serving
                print(f"catalogue: intern fejl ({type(error).__name__}: {error}).",
                      file=sys.stderr, flush=True)
                return
            print(f"Søgning og åbne data opdateret på {_seconds(time.perf_counter() - began)}.",
                  flush=True)

    def _page(self, diagnostics, summary: str, internal: str = "") -> bytes:
        return self.env.get_template("error.html").render(
            diagnostics=diagnostics, summary=summary, internal=internal).encode("utf-8")

    def close(self) -> None:
        shutil.rmtree(self.site_dir, ignore_errors=True)


def _is_page(path: str) -> bool:
    last = path.rpartition("/")[2]
    return not last or last.endswith(".html") or "." not in last


class _Server(LiveReloadServer):
    """MkDocs' server, which shows the error page instead of any page while there are errors,
    and answers only requests made for its own address (no DNS rebinding)."""

    preview: Preview
    hosts: set[str]

    def _serve_request(self, environ, start_response):
        if environ.get("HTTP_HOST", "") not in self.hosts:
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Forkert adresse."]
        path = environ["PATH_INFO"]
        if self.preview.error_page is not None and not path.startswith("/livereload/") \
                and _is_page(path):
            with self._epoch_cond:
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                epoch = self._visible_epoch
            page = self.preview.error_page
            if page is not None:
                content = self._inject_js_into_html(page, epoch)
                start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                          ("Content-Length", str(len(content))),
                                          ("Cache-Control", "no-store")])
                return [content]
        return super()._serve_request(environ, start_response)


def serve_site(start: Path, today: dt.date, dev_addr: str, brand: str | None = None,
               verbose: bool = False) -> int:
    from .publish import config_file, quiet_logs

    root = find_root(start)
    config_path = config_file(root, brand)
    if config_path is None:
        return 2
    host, _, port_text = dev_addr.rpartition(":")
    if not host or not port_text.isdigit():
        print(f"catalogue: --dev-addr skal være ADRESSE:PORT, fx 127.0.0.1:8000, ikke "
              f"{dev_addr!r}.", file=sys.stderr)
        return 2
    quiet_logs(verbose)
    if not verbose:  # its 404 lines and its own error lines are English
        logging.getLogger("mkdocs.livereload").setLevel(logging.CRITICAL)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice about MkDocs 2
    port = int(port_text)
    preview = Preview(root, today, config_path, f"http://{host}:{port}/")
    server = _Server(builder=preview.update, host=host, port=port, root=str(preview.site_dir))
    server.preview = preview
    # The kernel's notices (inotify, FSEvents, …) instead of MkDocs' polling, which walks every
    # watched file twice a second in a Python thread: at 5,000 courses that thread competes
    # with every build for the interpreter (and the first build runs before it starts).
    server.observer = Observer()
    server.hosts = {f"{host}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"}
    server.error_handler = lambda code: _not_found(preview, code)
    try:  # before the first build, which may take minutes
        server.server_bind()
        server.server_activate()
    except OSError as error:  # the port is taken
        server.server_close()
        preview.close()
        print(f"catalogue: kan ikke vise kataloget på {dev_addr}: {error.strerror}. Vælg en "
              f"anden port med --dev-addr.", file=sys.stderr)
        return 2
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        preview.update()
        for folder in preview.folders:
            server.watch(str(folder))
        server.observer.start()
        server.serve_thread.start()
        print(f"Viser kataloget på http://{host}:{port}/ – gem en fil, så opdateres det. "
              f"Ctrl+C stopper.", flush=True)
        server._build_loop()  # what LiveReloadServer.serve does after binding
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.shutdown()
        preview.close()
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _not_found(preview: Preview, code: int) -> bytes | None:
    page = preview.site_dir / "404.html"
    return page.read_bytes() if code == 404 and page.is_file() else None
