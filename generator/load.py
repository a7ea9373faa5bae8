"""Load: read YAML sources safely into a located tree.

Every value keeps the file, line and column it came from, so that every later step can point a
coordinator at the exact spot. The tree is built from libyaml's event stream rather than from
PyYAML's constructors, which gives us three things PyYAML does not: duplicate keys are errors,
no tag can construct a Python object, and aliases are counted so that a "billion laughs" file is
refused instead of expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .diagnostics import Diagnostic, Pos, problem

try:  # libyaml is bundled in PyYAML's wheels; the pure-Python parser is ten times slower.
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - only on exotic platforms
    from yaml import SafeLoader as _Parser

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 50_000  # after expanding aliases; a real course file has a few hundred

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
}
NULL_TEXTS = frozenset({"", "~", "null", "Null", "NULL"})


class Scalar:
    """A leaf value as written: its text, and whether it was plain (unquoted)."""

    __slots__ = ("text", "plain", "block", "pos")

    def __init__(self, text: str, plain: bool, block: bool, pos: Pos):
        self.text, self.plain, self.block, self.pos = text, plain, block, pos

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in NULL_TEXTS


class Mapping:
    """Keys in source order, each with the position of the key itself."""

    __slots__ = ("items", "key_pos", "pos")

    def __init__(self, pos: Pos):
        self.items: dict[str, Node] = {}
        self.key_pos: dict[str, Pos] = {}
        self.pos = pos


class Sequence:
    __slots__ = ("items", "pos")

    def __init__(self, pos: Pos):
        self.items: list[Node] = []
        self.pos = pos


Node = Scalar | Mapping | Sequence


@dataclass(frozen=True)
class Source:
    """One loaded file: its tree (None if it could not be read) and what went wrong."""

    path: Path  # absolute
    name: str  # relative to the catalogue root, with forward slashes
    tree: Node | None
    problems: tuple[Diagnostic, ...]
    text: str = ""


def read_text(path: Path, name: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a source file as UTF-8 (a BOM is fine); refuse huge or non-UTF-8 files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [problem("Y007", Pos(name, 1, 1), size=f"{size:,}".replace(",", "."),
                                  limit=f"{MAX_FILE_BYTES:,}".replace(",", "."))]
        data = path.read_bytes()
    except OSError as error:
        return None, [problem("Y011", Pos(name, 1, 1), reason=error.strerror or str(error))]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, [problem("Y006", Pos(name, 1, 1), detail="filen er gemt som UTF-16")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        return None, [problem("Y006", Pos(name, line, column),
                              detail=f"byten 0x{byte:02X} i linje {line} er ikke gyldig UTF-8")]


def load_file(path: Path, root: Path) -> Source:
    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    text, problems = read_text(path, name)
    if text is None:
        return Source(path, name, None, tuple(problems))
    tree, problems = parse(text, name)
    return Source(path, name, tree, tuple(problems), text)


def parse(text: str, name: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one YAML document into a located tree; on failure return None and why."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [problem("Y003", Pos(name, 1, 1))]
    builder = _TreeBuilder(name)
    parser = _Parser(text)
    try:
        while parser.check_event():
            builder.feed(parser.get_event())
    except yaml.YAMLError as error:
        return None, [_syntax_problem(error, text, name)]
    except _Refused as refusal:
        return None, [refusal.diagnostic]
    finally:
        parser.dispose()
    problems = builder.problems
    tree = builder.root
    if tree is None or (isinstance(tree, Scalar) and tree.is_null):
        return None, problems + [problem("Y003", Pos(name, 1, 1))]
    if not isinstance(tree, Mapping):
        kind = "en liste" if isinstance(tree, Sequence) else "en enkelt værdi"
        return None, problems + [problem("Y004", tree.pos, found=kind)]
    return tree, problems


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


class _TreeBuilder:
    """Turns parser events into Scalar/Mapping/Sequence nodes, keeping positions."""

    def __init__(self, name: str):
        self.name = name
        self.root: Node | None = None
        self.problems: list[Diagnostic] = []
        self.documents = 0
        self.nodes = 0
        # Each frame: [container, pending key or None, key position]
        self.stack: list[list] = []
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.sizes: list[int] = []

    def pos(self, event) -> Pos:
        mark = event.start_mark
        return Pos(self.name, mark.line + 1, mark.column + 1)

    def check_tag(self, event) -> None:
        tag = event.tag
        if tag is None or tag == "!" or tag in _STANDARD_TAGS:
            return
        raise _Refused(problem("Y009", self.pos(event), tag=tag.replace("tag:yaml.org,2002:", "!!")))

    def count(self, size: int, event) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise _Refused(problem("Y008", self.pos(event), limit=f"{MAX_NODES:,}".replace(",", ".")))

    def feed(self, event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Refused(problem("Y010", self.pos(event)))
        elif isinstance(event, yaml.ScalarEvent):
            self.check_tag(event)
            self.count(1, event)
            node = Scalar(event.value, not event.style, event.style in ("|", ">"), self.pos(event))
            self.remember(event, node, 1)
            self.add(node, event)
        elif isinstance(event, yaml.MappingStartEvent):
            self.check_tag(event)
            self.count(1, event)
            self.stack.append([Mapping(self.pos(event)), None, None, event.anchor, self.nodes])
        elif isinstance(event, yaml.SequenceStartEvent):
            self.check_tag(event)
            self.count(1, event)
            self.stack.append([Sequence(self.pos(event)), None, None, event.anchor, self.nodes])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node, _, _, anchor, started = self.stack.pop()
            if anchor is not None:
                self.anchors[anchor] = (node, self.nodes - started + 1)
            self.add(node, event)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise _Refused(problem("Y001", self.pos(event),
                                       reason=f"ankeret '*{event.anchor}' er ikke defineret før det bruges"))
            node, size = self.anchors[event.anchor]
            self.count(size, event)
            self.add(node, event)

    def remember(self, event, node: Node, size: int) -> None:
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, size)

    def add(self, node: Node, event) -> None:
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, Sequence):
            container.items.append(node)
        elif frame[1] is None:  # this node is a key
            if not isinstance(node, Scalar):
                raise _Refused(problem("Y001", node.pos,
                                       reason="et feltnavn skal være tekst, ikke en liste eller en gruppe"))
            frame[1], frame[2] = node.text, node.pos
        else:
            key, key_pos = frame[1], frame[2]
            frame[1] = frame[2] = None
            if key in container.items:
                first = container.key_pos[key]
                self.problems.append(problem("Y005", key_pos, key=key, first_line=first.line))
                return
            container.items[key] = node
            container.key_pos[key] = key_pos


_INDENT_TAB = re.compile(r"^[ ]*\t", re.MULTILINE)

# libyaml's wording, translated into what a coordinator can act on.
_REASONS = [
    ("mapping values are not allowed", "der står et kolon, hvor YAML ikke venter det: enten er "
     "linjen rykket for langt ind, eller en tekst indeholder ': ' og skal stå i anførselstegn"),
    ("could not find expected ':'", "der mangler et kolon efter et feltnavn, eller linjen er "
     "rykket forkert ind"),
    ("did not find expected key", "indrykningen passer ikke med linjerne over"),
    ("did not find expected '-' indicator", "et punkt i en liste er rykket forkert ind"),
    ("did not find expected node content", "der mangler en værdi"),
    ("found unexpected end of stream", "et anførselstegn eller en parentes bliver aldrig lukket"),
    ("did not find expected ',' or ']'", "en liste i [ ] bliver ikke lukket med ]"),
    ("did not find expected ',' or '}'", "en gruppe i { } bliver ikke lukket med }"),
    ("found unknown escape character", "en \\-kode i teksten findes ikke; brug enkelte "
     "anførselstegn ' ' i stedet for dobbelte"),
    ("found character that cannot start any token", "linjen starter med et tegn, som YAML ikke "
     "forstår (fx @ eller `). Sæt teksten i anførselstegn"),
    ("block sequence entries are not allowed", "et listepunkt (-) står på samme linje som et "
     "feltnavn eller er rykket forkert ind"),
    ("control characters are not allowed", "filen indeholder et usynligt styretegn"),
]


def _syntax_problem(error: yaml.YAMLError, text: str, name: str) -> Diagnostic:
    mark = getattr(error, "problem_mark", None)
    raw = str(getattr(error, "problem", None) or getattr(error, "reason", None) or error)
    if "end of stream" in raw and getattr(error, "context_mark", None) is not None:
        mark = error.context_mark  # point at the quote or bracket that was opened, not at EOF
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    # A tab in the indentation makes libyaml report a confusing error on that line or the next.
    lines = text.splitlines()
    for candidate in (line, line - 1):
        if 1 <= candidate <= len(lines) and _INDENT_TAB.match(lines[candidate - 1]):
            tab_column = lines[candidate - 1].index("\t") + 1
            return problem("Y002", Pos(name, candidate, tab_column))
    reason = next((danish for english, danish in _REASONS if english in raw), None)
    if reason is None:
        reason = f"YAML melder: {raw}"
    return problem("Y001", Pos(name, line, column), reason=reason)
