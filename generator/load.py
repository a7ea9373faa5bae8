"""Load: read YAML sources safely into a located tree.

Every value keeps the file, line and column it came from, so that every later step can point a
coordinator at the exact spot. The tree is built from libyaml's event stream rather than from
PyYAML's constructors, which gives us three things PyYAML does not: duplicate keys are errors,
no tag can construct a Python object, and aliases are counted so that a "billion laughs" file is
refused instead of expanded.
"""

from __future__ import annotations

import functools
import os
import re
import stat

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


def locate(node: Node, *path) -> Pos | None:
    """The position of the value at `path` (keys and list indexes) below `node`, or None.

    A group of fields is found at its key. For a block scalar (| or >) it is the first line of
    the text, where a match in the text is counted from.
    """
    key_pos = None
    for step in path:
        if isinstance(node, Mapping) and step in node.items:
            key_pos = node.key_pos[step]
            node = node.items[step]
        elif isinstance(node, Sequence) and isinstance(step, int) and step < len(node.items):
            key_pos = None
            node = node.items[step]
        else:
            return None
    if key_pos is not None:
        if isinstance(node, Mapping):  # a group of fields is named by its key
            return key_pos
        if isinstance(node, Scalar) and node.block:
            return Pos(node.pos.file, node.pos.line + 1, key_pos.column + 2)
    return node.pos


def decode(data: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    """Source bytes as text: UTF-8, with or without a BOM; anything else is refused."""
    if len(data) > MAX_FILE_BYTES:
        return None, [problem("Y007", Pos(name, 1, 1),
                              limit=f"{MAX_FILE_BYTES:,}".replace(",", "."))]
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


def not_regular(path: str) -> str | None:
    """Why `path` is not a regular file that can be read without waiting, in Danish, or None.

    Only the kind of file is looked at (stat follows a link), nothing is opened: opening a
    named pipe waits for a writer, and opening a device may do something.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.lexists(path):
            return "det er et link til en fil, der ikke findes"
        return "den findes ikke"
    except PermissionError:
        return "du har ikke adgang til at læse den"
    except OSError as error:
        return error.strerror or str(error)
    return _not_regular(mode)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "det er en mappe, ikke en fil"
    if stat.S_ISFIFO(mode):
        kind = "en navngivet pipe (FIFO)"
    elif stat.S_ISSOCK(mode):
        kind = "en socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "en enhed (device)"
    else:
        kind = "en særlig fil"
    return f"det er ikke en almindelig fil, men {kind}"


class Unreadable(Exception):
    """A file that cannot be read; the argument is why, in Danish."""


def read_regular(path: str, limit: int) -> bytes:
    """Up to `limit` bytes of a regular file; never waits on a pipe or touches a device.

    The file is looked at before it is opened, and again after, through the open handle: if
    it was swapped for a pipe in between, O_NONBLOCK has kept the open from waiting and the
    second look refuses it.
    """
    reason = not_regular(path)
    if reason is not None:
        raise Unreadable(reason)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except PermissionError:
        raise Unreadable("du har ikke adgang til at læse den") from None
    except OSError as error:
        raise Unreadable(not_regular(path) or error.strerror or str(error)) from None
    with os.fdopen(fd, "rb") as handle:
        reason = _not_regular(os.fstat(handle.fileno()).st_mode)
        if reason is not None:
            raise Unreadable(reason)
        try:
            return handle.read(limit)
        except OSError as error:
            raise Unreadable(error.strerror or str(error)) from None


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no named pipes in the file tree
_BINARY = getattr(os, "O_BINARY", 0)


def outside(path: str, root: str) -> bool:
    """Whether `path`, with every link followed, lies outside the folder `root` (resolved).

    A catalogue has thousands of files and hardly a link; resolving only paths that pass
    through one keeps this to a stat or two per file.
    """
    step = path
    while len(step) > len(root):
        if os.path.islink(step):
            real = os.path.realpath(path)
            return real != root and not real.startswith(root.rstrip(os.sep) + os.sep)
        step = os.path.dirname(step)
    return False


def read_bytes(path: str, name: str, root: str | None = None
               ) -> tuple[bytes | None, list[Diagnostic]]:
    """A source file's bytes, or why it cannot be read (Y011).

    With `root`, a link that leads out of the catalogue is refused, as a path in a source is
    (F902): what is published must come from the catalogue.
    """
    try:
        if root is not None and outside(path, root):
            raise Unreadable("det er et link til en fil uden for kataloget")
        # Read one byte past the limit: enough to know a file is too big, never more.
        return read_regular(path, MAX_FILE_BYTES + 1), []
    except Unreadable as error:
        return None, [problem("Y011", Pos(name, 1, 1), reason=str(error))]


def load(data: bytes, name: str) -> tuple[Node | None, list[Diagnostic]]:
    """Bytes of one source file to a located tree (None if unreadable) and its problems."""
    text, problems = decode(data, name)
    if text is None:
        return None, problems
    return parse(text, name)


@functools.lru_cache(maxsize=128)
def tree_at(path: str, name: str) -> Node | None:
    """The located tree of a file, read again on demand.

    The model does not keep trees: positions are only needed for the few values a rule
    complains about, so it is cheaper to parse a file a second time than to carry every
    position through the pipeline (and through the cache).
    """
    data, _ = read_bytes(path, name)
    return load(data, name)[0] if data is not None else None


def parse(text: str, name: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one YAML document into a located tree; on failure return None and why."""
    if not _has_content(text):
        return None, [problem("Y003", Pos(name, 1, 1))]
    parser = _Parser(text)
    try:
        tree, problems = _build(parser, name)
    except yaml.YAMLError as error:
        return None, [_syntax_problem(error, text, name)]
    except _Refused as refusal:
        return None, [refusal.diagnostic]
    finally:
        parser.dispose()
    if tree is None or (isinstance(tree, Scalar) and tree.is_null):
        return None, problems + [problem("Y003", Pos(name, 1, 1))]
    if not isinstance(tree, Mapping):
        kind = "en liste" if isinstance(tree, Sequence) else "en enkelt værdi"
        return None, problems + [problem("Y004", tree.pos, found=kind)]
    return tree, problems


def _has_content(text: str) -> bool:
    if not text.lstrip().startswith("#"):
        return bool(text.strip())
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


def _build(parser, name: str) -> tuple[Node | None, list[Diagnostic]]:
    """Turn libyaml's events into Scalar/Mapping/Sequence nodes with positions.

    This loop runs once for every value in the catalogue, so it is written for speed: one
    function, local names, and dispatch on the exact event type.
    """
    problems: list[Diagnostic] = []
    root = None
    documents = 0
    nodes = 0
    # A frame: [container, pending key, its position, anchor, node count at start]
    stack: list[list] = []
    anchors: dict[str, tuple[Node, int]] = {}
    get_event = parser.get_event
    while True:
        event = get_event()
        kind = type(event)
        mark = event.start_mark
        if kind is _SCALAR:
            tag = event.tag
            if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
                _refuse_tag(tag, name, mark)
            nodes += 1
            if stack:
                frame = stack[-1]
                if frame[1] is None and type(frame[0]) is Mapping and event.anchor is None:
                    frame[1] = event.value  # a key: no node needed, just its text and place
                    frame[2] = Pos(name, mark.line + 1, mark.column + 1)
                    continue
            style = event.style
            node = Scalar(event.value, not style, style == "|" or style == ">",
                          Pos(name, mark.line + 1, mark.column + 1))
            if event.anchor is not None:
                anchors[event.anchor] = (node, 1)
        elif kind is _MAPPING_START or kind is _SEQUENCE_START:
            tag = event.tag
            if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
                _refuse_tag(tag, name, mark)
            nodes += 1
            pos = Pos(name, mark.line + 1, mark.column + 1)
            container = Mapping(pos) if kind is _MAPPING_START else Sequence(pos)
            stack.append([container, None, None, event.anchor, nodes])
            continue
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            node, _, _, anchor, started = stack.pop()
            if anchor is not None:
                anchors[anchor] = (node, nodes - started + 1)
        elif kind is _ALIAS:
            if event.anchor not in anchors:
                raise _Refused(problem("Y001", Pos(name, mark.line + 1, mark.column + 1),
                                       reason=f"ankeret '*{event.anchor}' bruges, før det er "
                                              f"defineret"))
            node, size = anchors[event.anchor]
            nodes += size
        elif kind is _DOCUMENT_START:
            documents += 1
            if documents > 1:
                raise _Refused(problem("Y010", Pos(name, mark.line + 1, mark.column + 1)))
            continue
        elif kind is _STREAM_END:
            return root, problems
        else:
            continue
        if nodes > MAX_NODES:
            raise _Refused(problem("Y008", Pos(name, mark.line + 1, mark.column + 1),
                                   limit=f"{MAX_NODES:,}".replace(",", ".")))
        # Attach the finished node to its parent.
        if not stack:
            root = node
            continue
        frame = stack[-1]
        container = frame[0]
        if type(container) is Sequence:
            container.items.append(node)
        elif frame[1] is None:  # the node is a key
            if type(node) is not Scalar:
                raise _Refused(problem("Y001", node.pos, reason="et feltnavn skal være tekst, "
                                                                "ikke en liste eller en gruppe"))
            frame[1] = node.text
            frame[2] = node.pos
        else:
            key = frame[1]
            frame[1] = None
            if key in container.items:
                first = container.key_pos[key]
                problems.append(problem("Y005", frame[2], key=key, first_line=first.line))
            else:
                container.items[key] = node
                container.key_pos[key] = frame[2]


def _refuse_tag(tag: str, name: str, mark) -> None:
    raise _Refused(problem("Y009", Pos(name, mark.line + 1, mark.column + 1),
                           tag=tag.replace("tag:yaml.org,2002:", "!!")))


_SCALAR = yaml.ScalarEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_ALIAS, _DOCUMENT_START, _STREAM_END = yaml.AliasEvent, yaml.DocumentStartEvent, yaml.StreamEndEvent


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


def _open_quote_line(lines: list[str], up_to: int) -> int | None:
    """The first line before `up_to` with an odd number of double quotes, if any."""
    for number, line in enumerate(lines[:up_to], start=1):
        content = line.split(" #", 1)[0].replace('\\"', "")
        if line.lstrip().startswith("#") or "'" in content:
            continue
        if content.count('"') % 2:
            return number
    return None


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
    # A double-quoted text may run over several lines, so a quote left open is only noticed
    # where the next quote confuses the parser. Point at the line that opened it.
    opened = _open_quote_line(lines, line)
    if opened is not None and opened < line:
        return problem("Y001", Pos(name, opened, lines[opened - 1].index('"') + 1),
                       reason="et anførselstegn (\") bliver ikke lukket på samme linje")
    reason = next((danish for english, danish in _REASONS if english in raw), None)
    if reason is None:
        reason = f"YAML melder: {raw}"
    return problem("Y001", Pos(name, line, column), reason=reason)
