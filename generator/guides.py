"""Guides: Markdown files with front matter in guides/, and their three shortcodes.

    ---
    title: 5 veje til et godt liv        (front matter: see schema.GUIDE)
    ---
    # 5 veje til et godt liv
    [[kurser: oege-netvaerk]]            the catalogue's courses in a theme, made from the data
    [[linjer: 3]]                        lines to write on
    [[felt: Dato]]                       a labelled line to fill in

A shortcode stands alone on its line. Boxes are Python-Markdown admonitions (`!!! skriv "..."`).
The same body becomes the HTML page and the PDF; only the templates differ.
"""

from __future__ import annotations

import re
from typing import Callable

import markdown as markdown_lib
import nh3
from markupsafe import Markup

from . import schema
from .diagnostics import Diagnostic, Pos, problem
from .ids import make_id
from .load import load

SHORTCODE = re.compile(r"^(?P<indent>[ \t]*)\[\[(?P<name>[^\]:]+):\s*(?P<arg>[^\]]*?)\s*\]\]\s*$",
                       re.M)
SHORTCODES = ("kurser", "linjer", "felt")
MAX_LINES = 12
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")

_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "blockquote",
         "hr", "table", "thead", "tbody", "tr", "th", "td", "img", "div", "span"}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
               "div": {"class"}, "p": {"class"}, "h1": {"id"}, "h2": {"id"}, "h3": {"id"},
               "h4": {"id"}}


def split(text: str) -> tuple[str | None, str, int]:
    """(front matter with its opening '---', body, line number where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            return "".join(lines[:number - 1]), "".join(lines[number:]), number + 1
    return None, text, 1


def check_guide(name: str, data: bytes) -> tuple[dict | None, list[Diagnostic]]:
    """Read one guide: its front matter against schema.GUIDE, and its body's shortcodes."""
    tree, problems = load(data, name)
    if problems and problems[0].code in ("Y006", "Y007"):
        return None, problems
    text = data.decode("utf-8-sig")
    front, body, body_line = split(text)
    if front is None:
        return None, [problem("G001", Pos(name, 1, 1))]
    # The front matter keeps its opening '---', so YAML positions are the file's own lines.
    tree, problems = load(front.encode("utf-8"), name)
    if tree is None:
        return None, problems
    record, more = schema.convert("guides", tree, schema.GUIDE)
    problems.extend(more)
    problems.extend(_check_body(name, body, body_line))
    if record is None:
        return None, problems
    record["body"] = body
    record["body_line"] = body_line
    record["shortcodes"] = [(m["name"], m["arg"], body_line + body.count("\n", 0, m.start()))
                            for m in SHORTCODE.finditer(body) if m["name"] in SHORTCODES]
    record["images"] = [(m[1], body_line + body.count("\n", 0, m.start()))
                        for m in _IMAGE.finditer(body)]
    return record, problems


def _check_body(name: str, body: str, body_line: int) -> list[Diagnostic]:
    problems = []
    # The body is the file's own text, so a Windows line end is not an invisible character.
    bad = schema.bad_character(body.replace("\r\n", "\n"), markdown=True)
    if bad is not None:
        char, before = bad
        pos = Pos(name, body_line + before.count("\n"), len(before) - before.rfind("\n"))
        problems.append(problem("S111", pos, **schema.bad_character_values(
            None, char, before, markdown=True)))
    for match in SHORTCODE.finditer(body):
        line = body_line + body.count("\n", 0, match.start())
        pos = Pos(name, line, len(match["indent"]) + 1)
        code, arg = match["name"].strip(), match["arg"]
        if code not in SHORTCODES:
            problems.append(problem("G002", pos, name=code))
        elif code == "linjer" and not (arg.isdigit() and 1 <= int(arg) <= MAX_LINES):
            problems.append(problem("G003", pos, name=code, value=arg,
                                    hint=f"Skriv et antal linjer fra 1 til {MAX_LINES}."))
        elif code in ("kurser", "felt") and not arg:
            problems.append(problem("G003", pos, name=code, value=arg,
                                    hint="Skriv et tema-id efter kurser: og en tekst efter felt:."))
    for match in _IMAGE.finditer(body):
        if re.match(r"^[a-z][a-z0-9+.-]*:", match[1], re.I):
            line = body_line + body.count("\n", 0, match.start())
            problems.append(problem("G004", Pos(name, line, 1), value=match[1]))
    return problems


_TITLE = re.compile(r"\A\s*# [^\n]*\n")


def render_body(body: str, shortcode: Callable[[str, str], str], image_url: Callable[[str], str],
                shift: int = 0) -> Markup:
    """The guide's Markdown as sanitised HTML, with shortcodes rendered by `shortcode`.

    The body's own '# Title' is left out: the page and the PDF print the title themselves,
    with the summary and the download links under it.
    """
    rendered: list[str] = []
    body = _TITLE.sub("", body, count=1)

    def placeholder(match: re.Match) -> str:
        rendered.append(shortcode(match["name"].strip(), match["arg"]))
        # A paragraph of its own, even between two shortcode lines with no blank line between:
        # the rendered block then replaces the whole <p> instead of ending up inside one.
        return f"\n{match['indent']}KKSHORTCODE{len(rendered) - 1}KK\n"

    text = SHORTCODE.sub(placeholder, body)
    html = markdown_lib.markdown(
        text, extensions=["admonition", "sane_lists", "toc"], output_format="html",
        extension_configs={"toc": {"slugify": lambda value, separator: make_id(value)}})
    if shift:
        for level in range(6, 0, -1):
            new = min(level + shift, 6)
            html = re.sub(rf"<(/?)h{level}([ >])", rf"<\1h{new}\2", html)
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES,
                      url_schemes={"https", "http", "mailto", "tel"}, link_rel=None)
    # Image addresses are ours to set (a relative link on the site, the bytes in a PDF), so
    # they are filled in after sanitising, which only ever sees the file name as written.
    clean = re.sub(r'(<img[^>]*?src=")([^"]+)"', lambda m: m[1] + image_url(m[2]) + '"', clean)
    for number, piece in enumerate(rendered):
        clean = re.sub(rf"<p>\s*KKSHORTCODE{number}KK\s*</p>|KKSHORTCODE{number}KK",
                       lambda _m, piece=piece: piece, clean)
    return Markup(clean)
