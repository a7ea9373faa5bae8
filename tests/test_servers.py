"""The shipped web server configurations, on the real servers: examples/nginx.conf (with
examples/nginx-catalogue-headers.conf) on Debian's nginx, and examples/apache.conf on Debian's
apache2. Each is started on 127.0.0.1 on a free port with a configuration under tmp_path, its
workers as www-data when the tests run as root, and serves a fresh build of the demo. Only
the lines a web team must change (listen, certificate, root) are rewritten.

Every kind of file the build writes is requested, and its status and headers are checked;
then Chromium loads one page of every kind through nginx under the Content-Security-Policy and
must report no violation.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.render import Site

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; worker-src 'self'; manifest-src 'self'; form-action 'self'; "
       "base-uri 'self'; frame-ancestors 'none'")
OFF = ("accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
       "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
       "screen-wake-lock", "serial", "usb", "xr-spatial-tracking")
LONG = "public, max-age=31536000, immutable"
SHORT = "no-cache"
BINARIES = {"nginx": "nginx", "apache": "apache2"}
APACHE_MODULES = ("mpm_event", "authz_core", "mime", "dir", "headers", "deflate", "filter",
                  "rewrite")


def _binary(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name,) if p.exists()), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _readable_by_all(folder: Path) -> None:
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    folder.chmod(0o755)


def _rewrite(text: str, changes: list[tuple[str, str]]) -> str:
    """Replace each pattern exactly as often as it occurs at least once: a change that finds
    nothing means the example no longer has the line this test expects."""
    for pattern, replacement in changes:
        text, count = re.subn(pattern, replacement, text, flags=re.M)
        assert count, f"the example has no line matching {pattern!r}"
    return text


def _nginx_config(tmp: Path, root: Path, port: int, host: str) -> list[str]:
    conf = tmp / "conf"
    (conf / "snippets").mkdir(parents=True)
    shutil.copy(EXAMPLES / "nginx-catalogue-headers.conf", conf / "snippets" / "catalogue-headers.conf")
    server = _rewrite((EXAMPLES / "nginx.conf").read_text(encoding="utf-8"), [
        (r"^\s*listen 443 ssl;$", f"    listen 127.0.0.1:{port};"),
        (r"^\s*listen \[::\]:443 ssl;\n", ""),
        (r"^\s*ssl_certificate(_key)? .*\n", ""),
        (r"^(\s*server_name) .*;$", rf"\1 {host};"),
        (r"^(\s*root) .*;$", rf"\1 {root};"),
    ])
    user = "user www-data www-data;\n" if os.getuid() == 0 else ""
    (conf / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp}/body;\n"
        f"  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n"
        f"  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n"
        f"{server}\n}}\n", encoding="utf-8")
    return [_binary("nginx"), "-p", str(tmp), "-c", str(conf / "nginx.conf"),
            "-e", str(tmp / "error.log"), "-g", "daemon off;"]


def _apache_config(tmp: Path, root: Path, port: int, host: str) -> list[str]:
    vhost = _rewrite((EXAMPLES / "apache.conf").read_text(encoding="utf-8"), [
        (r"^<VirtualHost \*:443>$", f"<VirtualHost 127.0.0.1:{port}>"),
        (r"^\s*SSL\w+ .*\n", ""),
        (r"^(\s*ServerName) .*$", rf"\1 {host}"),
        (r"^(\s*DocumentRoot) .*$", rf"\1 {root}"),
        (r"^(\s*<Directory) .*>$", rf"\1 {root}>"),
    ])
    modules = "".join(f"LoadModule {name}_module /usr/lib/apache2/modules/mod_{name}.so\n"
                      for name in APACHE_MODULES)
    user = "User www-data\nGroup www-data\n" if os.getuid() == 0 else ""
    (tmp / "httpd.conf").write_text(
        f'ServerRoot "{tmp}"\n{modules}{user}Listen 127.0.0.1:{port}\nServerName {host}\n'
        f"PidFile {tmp}/apache.pid\nDefaultRuntimeDir {tmp}\nMutex file:{tmp} default\n"
        f"ErrorLog {tmp}/error.log\nLogLevel warn\nTypesConfig /etc/mime.types\n"
        f"StartServers 1\nServerLimit 1\nThreadsPerChild 8\nMaxRequestWorkers 8\n"
        f"{vhost}\n", encoding="utf-8")
    return [_binary("apache2"), "-f", str(tmp / "httpd.conf"), "-DFOREGROUND"]


def _request(port: int, path: str, host: str, gzip_ok: bool = False):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": host, "Accept-Encoding": "gzip" if gzip_ok else "identity"}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response, body


@pytest.fixture(scope="module")
def site(built: Path):
    """A copy of the fresh build that the web user can read. Not under tmp_path: pytest keeps
    /tmp/pytest-of-<user> at mode 0700 (and sets it back whenever any pytest starts), so
    www-data could not reach anything in it. The copy is private to this module and removed."""
    folder = Path(tempfile.mkdtemp(prefix="catalogue-served-"))
    try:
        copy = folder / "site"
        shutil.copytree(built, copy)
        _readable_by_all(folder)
        yield copy
    finally:
        shutil.rmtree(folder)


@pytest.fixture(scope="module")
def host(built: Path) -> str:
    canonical = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"),
                              "html.parser").select_one('link[rel="canonical"]')
    return Site("x", canonical["href"]).host


@pytest.fixture(scope="module", params=sorted(BINARIES))
def server(request, site: Path, host: str, tmp_path_factory):
    """A real nginx or apache2 on a free port; yields (name, port)."""
    name = request.param
    if _binary(BINARIES[name]) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{BINARIES[name]} is missing: `make test` installs it")
        pytest.skip(f"{BINARIES[name]} is not installed (make test installs it)")
    tmp = tmp_path_factory.mktemp(name)
    port = _free_port()
    make = _nginx_config if name == "nginx" else _apache_config
    command = make(tmp, site, port, host)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        for _ in range(200):
            if process.poll() is not None:
                log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                pytest.fail(f"{name} stopped: {process.stdout.read().decode()}\n{log}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield name, port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _kinds(site: Path) -> dict[str, tuple[str, str, str | None, str]]:
    """path -> (content type, Cache-Control, gzip expected?, what it is), one of each kind."""
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    css = home.select_one('link[rel="stylesheet"][href*="assets/catalogue."]')["href"]
    js = home.select_one('script[src*="assets/filter."]')["src"]
    # Material's bundle is no longer loaded by the pages (issue 25), but it is still one of
    # the theme's hashed files the servers must cache for long.
    bundle = sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))[0] \
        .relative_to(site).as_posix()
    pdf = sorted(site.rglob("*.pdf"))[0].relative_to(site).as_posix()
    fragment = sorted((site / "pagefind" / "fragment").iterdir())[0].relative_to(site)
    return {
        "/": ("text/html; charset=utf-8", SHORT, True),
        "/kurser/": ("text/html; charset=utf-8", SHORT, True),
        "/kalender.ics": ("text/calendar; charset=utf-8", SHORT, True),
        "/data/courses.csv": ("text/csv; charset=utf-8", SHORT, True),
        "/data/datapackage.json": ("application/json; charset=utf-8", SHORT, True),
        f"/{pdf}": ("application/pdf", SHORT, False),
        "/" + css.lstrip("./"): ("text/css; charset=utf-8", LONG, True),
        "/" + js.lstrip("./"): ("text/javascript; charset=utf-8", LONG, True),
        "/" + bundle.lstrip("./"): ("text/javascript; charset=utf-8", LONG, True),
        "/pagefind/pagefind-entry.json": ("application/json; charset=utf-8", SHORT, True),
        f"/{fragment.as_posix()}": ("application/octet-stream", LONG, False),
    }


def _security_headers(response, path: str) -> None:
    assert response.getheader("Content-Security-Policy") == CSP, path
    assert response.getheader("Referrer-Policy") == "no-referrer", path
    assert response.getheader("X-Content-Type-Options") == "nosniff", path
    policy = response.getheader("Permissions-Policy") or ""
    assert sorted(p.split("=")[0] for p in policy.split(", ")) == sorted(OFF), path
    assert all(p.endswith("=()") for p in policy.split(", ")), path
    assert len(response.headers.get_all("Cache-Control") or []) == 1, path


def test_every_kind_of_file_has_its_type_cache_and_security_headers(server, site, host):
    _, port = server
    for path, (content_type, cache, compressible) in _kinds(site).items():
        response, body = _request(port, path, host, gzip_ok=True)
        assert response.status == 200, path
        _security_headers(response, path)
        assert response.getheader("Content-Type") == content_type, path
        assert response.getheader("Cache-Control") == cache, path
        assert (response.getheader("Content-Encoding") == "gzip") is compressible, path
        local = site / path.lstrip("/")
        assert body == (local / "index.html" if local.is_dir() else local).read_bytes(), path
        plain, plain_body = _request(port, path, host)
        assert plain.getheader("Content-Encoding") is None and plain_body == body, path


def test_a_missing_page_gets_the_danish_404_with_every_header(server, site, host):
    name, port = server
    for path in ("/findes-ikke/", "/kurser/slut-kursus/", "/assets/catalogue.0000dead.css"):
        response, body = _request(port, path, host, gzip_ok=True)
        assert response.status == 404, path
        _security_headers(response, path)
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        assert response.getheader("Cache-Control") == SHORT, path
        # Apache's mod_deflate leaves an ErrorDocument as it is (apache.conf says so).
        assert (response.getheader("Content-Encoding") == "gzip") is (name == "nginx"), path
        doc = BeautifulSoup(body, "html.parser")
        assert doc.html["lang"] == "da"
        assert doc.h1.get_text(strip=True) == "Siden findes ikke"
        assert body == (site / "404.html").read_bytes()


def test_was_redirects_to_the_statement_the_footer_links(server, site, host):
    _, port = server
    footer = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    statement = footer.select_one(".md-copyright a[data-kk-was]")["href"]
    assert statement == f"https://was.digst.dk/{host}"
    for path in ("/was", "/was/"):
        response, _ = _request(port, path, host)
        assert response.status == 302, path
        assert response.getheader("Location") == statement, path
        _security_headers(response, path)


def test_the_examples_say_the_same_policy(server):
    """The CSP above is the one in both files, so a change to one is a change to the test."""
    for name in ("nginx-catalogue-headers.conf", "apache.conf"):
        assert f'Content-Security-Policy "{CSP}"' in (EXAMPLES / name).read_text(), name


PAGE_KINDS = ("", "kurser/", "kalender/", "temaer/", "undervisere/", "steder/", "materialer/",
              "data/", "om/", "tilgaengelighed/", "privatliv/", "findes-ikke/")


def test_no_page_breaks_the_content_security_policy(server, site, host, browser):
    """Through the real server, so the browser enforces the very header it sends."""
    name, port = server
    if name != "nginx":
        pytest.skip("one server is enough: both send the same policy (test above)")
    origin = f"http://127.0.0.1:{port}"
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    deeper = []
    for listing in ("kurser/", "temaer/", "steder/", "undervisere/", "materialer/"):
        doc = BeautifulSoup((site / listing / "index.html").read_text(encoding="utf-8"),
                            "html.parser")
        link = next(a["href"] for a in doc.select("main a[href]")
                    if not a["href"].startswith(("http", "#", "mailto", ".."))
                    and a["href"].endswith("/"))
        deeper.append(listing + link)
    assert home.select_one("[data-kk-search-open]")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script("window.__violations = [];"
                            "document.addEventListener('securitypolicyviolation', e =>"
                            " window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text))
    try:
        for path in (*PAGE_KINDS, *deeper):
            page.goto(f"{origin}/{path}")
            page.wait_for_load_state("load")
            assert page.evaluate("window.__violations") == [], path
        page.goto(f"{origin}/")
        page.locator("[data-kk-search-open]").click()
        page.wait_for_selector(".pagefind-ui__search-input", timeout=15_000)
        page.keyboard.type("recovery")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        assert page.evaluate("window.__violations") == [], "search"
    finally:
        context.close()
    assert [m for m in console if "Content Security Policy" in m] == []
