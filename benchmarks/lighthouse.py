"""`make audit`: Lighthouse (pinned in package-lock.json: 12.x runs on Node 20; with Debian's chromium) on the home page, the course list and
a course page of the built site/, in mobile mode. Prints the four category scores.

Targets: accessibility 100, best practices >= 95, SEO >= 95, performance >= 90.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = ["", "kurser/", "kurser/fem-veje-til-et-godt-liv/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --disable-sync --no-first-run")


class _Quiet(SimpleHTTPRequestHandler):
    """Serves text gzipped when asked, as the hosts the README names do (and
    examples/nginx.conf): an uncompressed test server would measure a site nobody serves."""

    COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".xml", ".ics", ".wasm"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or \
                path.suffix not in self.COMPRESS or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def main() -> int:
    site = REPO / "site"
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    print(f"{'page':<40} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    failed = False
    try:
        for path in PAGES:
            with tempfile.TemporaryDirectory() as scratch:
                report = Path(scratch) / "report.json"
                subprocess.run(
                    [str(REPO / "node_modules" / ".bin" / "lighthouse"), f"{origin}/{path}",
                     f"--chrome-path={shutil.which('chromium')}", f"--chrome-flags={FLAGS}",
                     "--form-factor=mobile", "--only-categories=" + ",".join(CATEGORIES),
                     "--output=json", f"--output-path={report}", "--quiet"],
                    check=True, timeout=600)
                data = json.loads(report.read_text(encoding="utf-8"))
            scores = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
            print(f"/{path:<39} " + " ".join(f"{scores[c]:>15}" for c in CATEGORIES))
            failed |= scores["accessibility"] < 100 or scores["best-practices"] < 95 \
                or scores["seo"] < 95 or scores["performance"] < 90
    finally:
        httpd.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
