"""Content rules: Markdown written by coordinators must not run code on citizens' phones.

Rendering sanitises anyway; these errors make sure nobody publishes something that only the
sanitiser stands between.
"""

from __future__ import annotations

import re

from ..diagnostics import Pos, problem
from ..model import Catalogue

_CHECKS = [
    ("H801", re.compile(r"<\s*script\b", re.I), lambda m: {}),
    ("H802", re.compile(r"<[^>]*?\s(on[a-z]+)\s*=", re.I | re.S), lambda m: {"found": m[1] + "="}),
    # An inline link, an attribute, an autolink, or a reference-link definition
    # (`[r]: javascript:...`, which a `[text][r]` elsewhere in the text uses).
    ("H803", re.compile(r"(?:\]\(\s*<?|\b(?:href|src|action|formaction|poster)\s*=\s*[\"']?\s*"
                        r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?|<)"
                        r"\s*(javascript|vbscript|data)\s*:", re.I | re.M),
     lambda m: {"scheme": m[1].lower() + ":"}),
    ("H804", re.compile(r"<\s*(iframe|frame|frameset|object|embed)\b", re.I),
     lambda m: {"element": m[1].lower()}),
    # Elements that act on the whole page, not where they stand: <base> moves every link,
    # <meta> can send the visitor elsewhere, <style> and <link> restyle or fetch from others,
    # <form> posts what a visitor types to anyone.
    ("H806", re.compile(r"<\s*(meta|base|style|link|form)\b", re.I),
     lambda m: {"element": m[1].lower()}),
]


def _markdown_fields(catalogue: Catalogue):
    """(where the text starts, text) for every Markdown text in the catalogue."""
    for course in catalogue.courses.values():
        yield (lambda c=course: c.at("description")), course.description
    for teacher in catalogue.teachers.values():
        yield (lambda t=teacher: t.at("bio")), teacher.bio
    for school in catalogue.schools.values():
        yield (lambda s=school: s.at("about")), school.about
    for guide in catalogue.guides.values():
        yield (lambda g=guide: Pos(g.source.name, g.body_line, 1)), guide.body
    for brand in catalogue.brands.values():
        for name, text in brand.texts:
            yield (lambda b=brand.id, n=name: Pos(f"sites/{b}/tekster/{n}.md", 1, 1)), text


def markdown_is_safe(catalogue: Catalogue, context):
    for start_of, text in _markdown_fields(catalogue):
        if not text or "<" not in text and ":" not in text:
            continue
        for code, pattern, values in _CHECKS:
            for match in pattern.finditer(text):
                start = start_of()  # looked up only when there is something to report
                before = text[:match.start()]
                line = start.line + before.count("\n")
                column = match.start() - (before.rfind("\n") + 1) + start.column
                yield problem(code, Pos(start.file, line, column), **values(match))
