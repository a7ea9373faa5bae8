"""The editor's own local back end: the admin page and Decap's proxy protocol on one origin.

decap-server (the npm package) answers any Host header, allows CORS from every localhost port
and writes any file in its folder, so a page on another local port, or a DNS-rebinding page,
could turn an edit into `.git/hooks/pre-commit` or the Makefile. Guarding it from the outside
would still leave a Node process that trusts its callers; the protocol is a dozen small JSON
actions, so this module speaks it itself, with three rules at the door:

- the Host header must name this server (127.0.0.1:PORT or localhost:PORT), so a rebound name
  is refused;
- a POST must come from this server's own origin (Origin header, and Sec-Fetch-Site when the
  browser sends it), carry JSON (so another origin would need a CORS preflight, which gets no
  CORS headers back), and no CORS header is ever sent;
- only a catalogue source file (`courses/*.yaml`, `teachers/*.yaml`, `schools/*.yaml`,
  `guides/*.md`, one level deep, a plain id as name, no symlink anywhere on the way) can be
  written, and only by replacing it whole; nothing is deleted, and media uploads are refused
  (teacher photos are file names; the Media tab is hidden).

After a save the page asks `POST /api/check` for what `catalogue check` says about that file;
the answer names the form's fields, not YAML keys (see `generator/editor_check.py`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import tempfile
from http import HTTPStatus
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

# What each source folder may hold that the editor writes; anything else is read-only or unseen.
WRITABLE = {"courses": ".yaml", "teachers": ".yaml", "schools": ".yaml", "guides": ".md"}
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_BODY = 2 * 1024 * 1024  # a course file is a few KB; this is room, not an invitation
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".yml": "text/yaml; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".txt": "text/plain; charset=utf-8", ".json": "application/json"}


class Refused(Exception):
    """A request the back end will not carry out; the message is Danish, for the page."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.FORBIDDEN):
        super().__init__(message)
        self.status = status


def source_path(root: Path, relative: str, *, for_writing: bool) -> Path:
    """The file a request names, if it is a catalogue source file the editor may touch."""
    if not isinstance(relative, str) or "\\" in relative or "\x00" in relative:
        raise Refused("Ugyldig sti.")
    parts = relative.split("/")
    if len(parts) != 2:
        raise Refused(f"Editoren må kun røre filer i {', '.join(WRITABLE)}: {relative!r}.")
    folder, name = parts
    suffix = WRITABLE.get(folder)
    stem = name[: -len(suffix)] if suffix and name.endswith(suffix) else None
    if suffix is None or stem is None or not _NAME.match(stem):
        raise Refused(f"Editoren må kun røre filer i {', '.join(WRITABLE)}: {relative!r}.")
    directory = root / folder
    # The folder itself must be a real folder of the catalogue, not a link to somewhere else.
    try:
        info = directory.lstat()
    except FileNotFoundError:
        raise Refused(f"Mappen {folder}/ findes ikke.", HTTPStatus.NOT_FOUND) from None
    if not stat.S_ISDIR(info.st_mode) or directory.resolve() != root.resolve() / folder:
        raise Refused(f"{folder}/ er ikke en almindelig mappe i kataloget.")
    path = directory / name
    try:
        info = path.lstat()
    except FileNotFoundError:
        if not for_writing:
            raise Refused(f"{relative} findes ikke.", HTTPStatus.NOT_FOUND) from None
        return path
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"{relative} er ikke en almindelig fil.")
    return path


def _entry(root: Path, relative: str) -> dict:
    try:
        content = source_path(root, relative, for_writing=False).read_bytes()
    except (Refused, OSError):
        return {"data": None, "file": {"path": relative, "id": None}}
    return {"data": content.decode("utf-8", errors="replace"),
            "file": {"path": relative, "id": hashlib.sha256(content).hexdigest()}}


def _write(path: Path, text: str) -> None:
    """Replace the file whole, so a killed save leaves the old file, not half a new one."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class EditorBackend:
    """Decap's local proxy actions on one catalogue root."""

    def __init__(self, root: Path, check=None):
        self.root = root.resolve()
        self.check = check  # callable(relative path) -> dict, or None
        self.lock = threading.Lock()

    def action(self, body: dict) -> object:
        with self.lock:
            return self._action(body)

    def checked(self, relative: str) -> dict:
        with self.lock:
            source_path(self.root, relative, for_writing=False)
            return self.check(relative)

    def _action(self, body: dict) -> object:
        action = body.get("action")
        params = body.get("params") or {}
        if not isinstance(params, dict):
            raise Refused("Ugyldig forespørgsel.", HTTPStatus.UNPROCESSABLE_ENTITY)
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            folder = params.get("folder")
            if folder not in WRITABLE:
                raise Refused(f"Editoren læser kun {', '.join(WRITABLE)}.")
            directory = self.root / folder
            source_path(self.root, f"{folder}/x{WRITABLE[folder]}", for_writing=True)
            names = sorted(p.name for p in directory.iterdir()
                           if p.name.endswith(WRITABLE[folder]))
            entries = []
            for name in names:
                try:
                    source_path(self.root, f"{folder}/{name}", for_writing=False)
                except Refused:
                    continue  # a link or an odd name: `catalogue check` speaks about it
                entries.append(_entry(self.root, f"{folder}/{name}"))
            return entries
        if action == "entriesByFiles":
            entries = []
            for file in params.get("files") or []:
                entry = _entry(self.root, file.get("path", "") if isinstance(file, dict) else "")
                entry["file"]["label"] = file.get("label") if isinstance(file, dict) else None
                entries.append(entry)
            return entries
        if action == "getEntry":
            return _entry(self.root, params.get("path", ""))
        if action == "persistEntry":
            files = params.get("dataFiles") or [params.get("entry") or {}]
            if params.get("assets"):
                raise Refused("Editoren gemmer ikke billeder. Læg fotoet i teachers/ med git.")
            planned = []
            for data_file in files:
                if data_file.get("newPath"):
                    raise Refused("Editoren omdøber ikke filer.")
                raw = data_file.get("raw")
                if not isinstance(raw, str):
                    raise Refused("Ugyldig forespørgsel.", HTTPStatus.UNPROCESSABLE_ENTITY)
                planned.append((source_path(self.root, data_file.get("path"),
                                            for_writing=True), raw))
            for path, raw in planned:
                _write(path, raw)
            return {"message": "entry persisted"}
        if action in ("getMedia",):
            return []  # no media library: photos are file names in the teacher's file
        if action == "getDeployPreview":
            return None
        if action in ("getMediaFile", "persistMedia", "deleteFile", "deleteFiles"):
            raise Refused("Editoren sletter ikke filer og gemmer ikke billeder.")
        raise Refused(f"Ukendt handling {action!r}.", HTTPStatus.UNPROCESSABLE_ENTITY)


class _Handler(BaseHTTPRequestHandler):
    server: EditorServer
    server_version = "catalogue-editor"
    timeout = 60  # an idle connection gives its thread back
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: object) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def _host_ok(self) -> bool:
        return self.headers.get("Host", "") in self.server.hosts

    def _refuse(self, error: Refused) -> None:
        self._json(error.status, {"error": str(error)})

    def do_GET(self):  # noqa: N802 - http.server's name
        if not self._host_ok():
            return self._refuse(Refused("Forkert værtsnavn.", HTTPStatus.MISDIRECTED_REQUEST))
        path = unquote(urlsplit(self.path).path)
        name = "index.html" if path == "/" else path.lstrip("/")
        # The admin folder is flat: one name, no folders, no dot files.
        if "/" in name or name.startswith(".") or not name:
            return self._refuse(Refused("Findes ikke.", HTTPStatus.NOT_FOUND))
        file = self.server.static / name
        try:
            info = file.lstat()
        except OSError:
            return self._refuse(Refused("Findes ikke.", HTTPStatus.NOT_FOUND))
        if not stat.S_ISREG(info.st_mode):
            return self._refuse(Refused("Findes ikke.", HTTPStatus.NOT_FOUND))
        self._send(200, file.read_bytes(),
                   _TYPES.get(file.suffix, "application/octet-stream"))

    do_HEAD = do_GET

    def do_POST(self):  # noqa: N802
        try:
            self._check_caller()
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > MAX_BODY:
                raise Refused("For stor eller tom forespørgsel.", HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            try:
                body = json.loads(self.rfile.read(length))
            except ValueError:
                raise Refused("Ugyldig JSON.", HTTPStatus.BAD_REQUEST) from None
            if not isinstance(body, dict):
                raise Refused("Ugyldig forespørgsel.", HTTPStatus.BAD_REQUEST)
            path = urlsplit(self.path).path
            if path == "/api/v1":
                return self._json(200, self.server.backend.action(body))
            if path == "/api/check" and self.server.backend.check:
                return self._json(200, self.server.backend.checked(body.get("path")))
            raise Refused("Findes ikke.", HTTPStatus.NOT_FOUND)
        except Refused as error:
            return self._refuse(error)
        except OSError as error:
            return self._refuse(Refused(f"Filen kunne ikke gemmes: {error.strerror}.",
                                        HTTPStatus.INTERNAL_SERVER_ERROR))

    def _check_caller(self) -> None:
        if not self._host_ok():
            raise Refused("Forkert værtsnavn.", HTTPStatus.MISDIRECTED_REQUEST)
        origin = self.headers.get("Origin")
        if origin != f"http://{self.headers['Host']}":
            raise Refused("Kun editorens egen side må gemme.")
        if self.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
            raise Refused("Kun editorens egen side må gemme.")
        if self.headers.get_content_type() != "application/json":
            raise Refused("Kun JSON.", HTTPStatus.UNSUPPORTED_MEDIA_TYPE)

    def do_OPTIONS(self):  # noqa: N802 - a CORS preflight: never granted
        self._refuse(Refused("Kun editorens egen side.", HTTPStatus.FORBIDDEN))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS


class EditorServer(ThreadingHTTPServer):
    # A thread per connection, because a browser opens sockets it may never use (preconnect)
    # and a single-threaded server would wait on them; the back end's lock keeps two saves, or
    # a save and a check, from interleaving.
    daemon_threads = True

    def __init__(self, static: Path, backend: EditorBackend, port: int = 0,
                 verbose: bool = False):
        super().__init__(("127.0.0.1", port), _Handler)
        self.static = static
        self.backend = backend
        self.verbose = verbose
        bound = self.server_address[1]
        self.hosts = {f"127.0.0.1:{bound}", f"localhost:{bound}"}
        self.origin = f"http://127.0.0.1:{bound}"


def serve_editor(server: EditorServer) -> int:
    print(f"Editoren: {server.origin}/   Stop: Ctrl+C", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        return 130
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":  # pragma: no cover - `catalogue editor --serve` is the way in
    sys.exit("Brug 'catalogue editor --out DIR --serve'.")
