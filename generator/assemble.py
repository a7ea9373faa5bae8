"""`catalogue assemble DIR --out SITE`: a second engine, which proves that the pages do not need
MkDocs. It reads what `catalogue render` wrote (render/folder.py) and puts each page in a shell
of our own (site_templates/plain/base.html: the same header menu and footer, our stylesheet),
with directory URLs as MkDocs makes them. A generated page's body is already HTML; a
hand-written page is Markdown, turned into HTML here with MkDocs' default extensions.

What differs from the MkDocs + Material build is listed in the README (engines).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import markdown
import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .render.folder import MARK, Refused, check_out
from .render.rendered import page_url
from .templating import TEMPLATES, _Strings, strings

SITE_MARK = ".catalogue-site"


def _split(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        return {}, text
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head) or {}, body


def assemble(folder: Path, out: Path) -> int:
    folder = Path(folder)
    if not (folder / MARK).is_file() or not (folder / "site.yml").is_file():
        print(f"catalogue: {folder} er ikke en mappe fra 'catalogue render'.", file=sys.stderr)
        return 2
    try:
        target = check_out(Path.cwd(), out) if not (Path(out) / SITE_MARK).is_file() \
            else Path(os.path.realpath(out))
    except Refused as error:
        print(f"catalogue: {error} Vælg en anden mappe med --out. Intet er skrevet.",
              file=sys.stderr)
        return 2
    site = yaml.safe_load((folder / "site.yml").read_text(encoding="utf-8"))
    for item in site["nav"]:
        item["url"] = page_url(item["path"])
    env = Environment(loader=FileSystemLoader(TEMPLATES / "plain"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["t"] = _Strings(strings())
    shell = env.get_template("base.html")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / SITE_MARK).write_text("Denne mappe er et site lavet af 'catalogue assemble'.\n",
                                    encoding="utf-8")
    docs = folder / "docs"
    pages = 0
    for source in sorted(docs.rglob("*")):
        if not source.is_file():
            continue
        relative = source.relative_to(docs).as_posix()
        if source.suffix != ".md":
            _write(target / relative, source.read_bytes())
            continue
        meta, body = _split(source.read_text(encoding="utf-8"))
        generated = "structured_data" in meta or body.lstrip().startswith("<")
        if not generated:  # hand-written Markdown (its appendix is HTML, which Markdown keeps)
            body = markdown.markdown(body, extensions=["toc", "tables", "fenced_code"])
            if "title" not in meta:
                first = next((line for line in _split(source.read_text("utf-8"))[1]
                              .splitlines() if line.startswith("# ")), "")
                meta["title"] = first[2:].strip()
        url = page_url(relative)
        jsonld = meta.get("structured_data")
        html = shell.render(
            site=site, page=meta, url=url, root="../" * url.count("/"), body=Markup(body),
            structured_data=Markup(_json_for_html(jsonld)) if jsonld else None)
        _write(target / (url + "index.html" if url.endswith("/") or not url else url),
               html.encode("utf-8"))
        pages += 1
    _write(target / "assets" / "plain.css", (TEMPLATES / "plain" / "plain.css").read_bytes())
    print(f"Samlet {pages} sider til {out} (uden MkDocs).")
    return 0


def _json_for_html(data) -> str:
    """JSON-LD inside <script>: <, > and & as escapes, as render/structured.py writes it."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
