"""Docs: the coordinator guide's examples as runnable situations, and its output regions.

The guide (docs/koordinator/*.md) promises that its examples are real. Two kinds of comment in
the Markdown make that checkable:

    <!-- eksempel: før file=courses/gode-vaner.yaml -->    the next fenced block is an example
    <!-- output: check -->  …  <!-- /output -->             a region this module rewrites

`tests/test_guide_examples.py` runs every example; `python -m generator.docs` (`make docs`)
rewrites every output region from real `catalogue check` output, and the tests fail when a
region is stale. The marker language is documented at the top of docs/koordinator/fejlkoder.md.

An example is run on a base catalogue (a fresh temporary copy), changed by the example:

  base=guide  (default) the demo's schools/, teachers/, guides/ and sites/, no courses, plus the
              guide's own cast in tests/fixtures/guide/ (courses/gode-vaner.yaml, Lise, ...)
  base=demo   the whole demo catalogue;   base=mini   tests/fixtures/mini
  file=PATH   the file the block goes into (default courses/gode-vaner.yaml)
  merge=deep  (default) the block's keys replace the file's; a key whose value is a block
              mapping in both is merged key by key, and a block list item by item (item 0 of the
              block into item 0 of the file), so `offerings:` with one hold changes hold 0
  merge=whole the block is the whole file;  merge=end  the block replaces the file's end, from
              the last line equal to the block's first line
  drop=K,K    top-level keys removed from the file first; FILE:K removes K from another file
              (a før whose cause is in one file and whose block is another, e.g. a school's
              led_by_allowed and a course's led_by)
  fill=N      the block's "..." stands for N characters (a file too big to print)
  encoding=E  the file is saved as E (cp1252, utf-16) instead of UTF-8
  make=PATH:WHAT  also make PATH as WHAT: folder, broken-link, fifo, text, jpeg, png,
              jpeg+SIZE (a JPEG of SIZE bytes), absent (remove it), copy-of-FILE
  run=import  the block is a spreadsheet (CSV) given to `catalogue import offerings --dry-run`
  also=CODE   a second code the example gives besides its heading's (said in the text)
  today=DATE  the day the check runs (default: 2026-11-22, the demo's; mini: 2026-12-01)

`før` must give its heading's code and no other; `efter` (which repeats the før's options
unless it gives its own) must give nothing; `gyldig` is a fragment of a valid file, merged like a før, that must give nothing (code=X gives a
før outside fejlkoder.md its code); `hel-fil` is a complete file, named by its first
line (`# courses/x.yaml`), checked as it stands on its base (default base=demo); `ingen` is a
block that is deliberately not run, with a reason (`ingen grund="..."`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import shlex
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "koordinator"
DOCS = [GUIDE / "index.md", GUIDE / "fejlkoder.md"]
README = REPO / "README.md"
MINI = REPO / "tests" / "fixtures" / "mini"
CAST = REPO / "tests" / "fixtures" / "guide"
TODAY = {"guide": dt.date(2026, 11, 22), "demo": dt.date(2026, 11, 22),
         "mini": dt.date(2026, 12, 1)}
KINDS = ("før", "efter", "gyldig", "hel-fil", "ingen")

_EXAMPLE = re.compile(r"^<!-- eksempel: (\S+)(.*?)\s*-->\s*$")
_OUTPUT = re.compile(r"^<!-- output: (\S+)(.*?)\s*-->\s*$")
_END = "<!-- /output -->"
_HEADING = re.compile(r"^#{2,3} (?:([A-Z]\d{3}) – )?(.+)$")
_FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass(frozen=True)
class Example:
    doc: str  # file name, for messages
    line: int  # 1-based line of the marker
    kind: str
    options: dict
    code: str | None  # the section's code, if the section is one
    language: str
    text: str

    @property
    def where(self) -> str:
        return f"docs/koordinator/{self.doc}:{self.line}"


@dataclass(frozen=True)
class Block:
    """A fenced block with no marker before it."""

    doc: str
    line: int
    code: str | None
    language: str
    text: str
    in_output: bool


def _options(text: str) -> dict:
    options: dict = {}
    for token in shlex.split(text):
        key, _, value = token.partition("=")
        if key == "make":
            options.setdefault("make", []).append(value)
        else:
            options[key] = value
    return options


def parse(path: Path) -> tuple[list[Example], list[Block]]:
    """The marked examples of one guide page, and its fenced blocks without a marker."""
    lines = path.read_text(encoding="utf-8").splitlines()
    examples, blocks = [], []
    code, marker, in_output, before = None, None, False, {}
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = _HEADING.match(line)
        if heading:
            code, before = heading.group(1), {}
        if m := _EXAMPLE.match(line):
            marker = (i + 1, m.group(1), _options(m.group(2)))
        elif _OUTPUT.match(line):
            in_output = True
            if marker:  # a situation with no block of its own: the region shows its output
                at, kind, options = marker
                if kind == "før":
                    before = options
                examples.append(Example(path.name, at, kind, options, code, "", ""))
                marker = None
        elif line.strip() == _END:
            in_output = False
        elif fence := _FENCE.match(line):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            text = "\n".join(lines[i + 1:end]) + "\n"
            if marker:
                at, kind, options = marker
                if kind == "før":
                    before = options
                elif kind == "efter":
                    options = {**{k: v for k, v in before.items() if k not in ("also",)},
                               **options}
                examples.append(Example(path.name, at, kind, options,
                                        options.get("code", code), fence.group(1), text))
            else:
                blocks.append(Block(path.name, i + 1, code, fence.group(1), text, in_output))
            marker, i = None, end
        i += 1
    return examples, blocks


def all_examples() -> list[Example]:
    return [e for doc in DOCS for e in parse(doc)[0]]


# --- merging a fragment into a file, as text (a broken fragment must stay broken) ---------------

def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _entries(lines: list[str], indent: int) -> tuple[list[str], list[list[str]]]:
    """Split lines into a preamble and entries (`key:` or `- ` lines at `indent`, with body)."""
    preamble, entries = [], []
    for line in lines:
        starts = (line.strip() and not line.lstrip().startswith("#") and _indent(line) == indent
                  and line[indent:indent + 1] not in ("\t", ""))
        if starts and not line.startswith("---"):
            entries.append([line])
        elif entries:
            entries[-1].append(line)
        else:
            preamble.append(line)
    return preamble, entries


def _key(entry: list[str]) -> str | None:
    head = entry[0].strip()
    if head.startswith("- "):
        return None
    return head.split(":", 1)[0] if ":" in head else None


def _body_indent(body: list[str]) -> int | None:
    """The indentation of a block value, or None if it is not a clean block (tabs, scalars)."""
    content = [b for b in body if b.strip() and not b.lstrip().startswith("#")]
    if not content or any(b[:len(b) - len(b.lstrip())].count("\t") for b in content):
        return None
    return _indent(content[0])


def _merge_entry(old: list[str], new: list[str]) -> list[str]:
    head_old, head_new = old[0].split(":", 1)[1].strip(), new[0].split(":", 1)[1].strip()
    at_old, at_new = _body_indent(old[1:]), _body_indent(new[1:])
    if head_old or head_new or at_old is None or at_new is None or at_old != at_new:
        return new
    return [new[0], *_merge_block(old[1:], new[1:], at_new)]


def _as_mapping(item: list[str], indent: int) -> list[str] | None:
    """A block list item `- key: v` with its body, as mapping lines; None for `- {flow}`."""
    head = item[0][indent + 2:]
    if head.startswith(("{", "[", '"', "'")) or ":" not in head:
        return None
    return [" " * (indent + 2) + head, *item[1:]]


def _merge_block(old: list[str], new: list[str], indent: int) -> list[str]:
    pre_old, old_entries = _entries(old, indent)
    pre_new, new_entries = _entries(new, indent)
    listing = any(e[0][indent:].startswith("- ") for e in new_entries)
    if listing:
        merged = []
        for n, entry in enumerate(new_entries):
            if n < len(old_entries):
                a, b = _as_mapping(old_entries[n], indent), _as_mapping(entry, indent)
                if a and b:
                    body = _merge_block(a, b, indent + 2)
                    entry = [" " * indent + "- " + body[0][indent + 2:], *body[1:]]
            merged.append(entry)
        return pre_new + [line for e in merged for line in e]
    merged = [list(e) for e in old_entries]
    used: set[int] = set()
    for entry in new_entries:
        key = _key(entry)
        spot = next((n for n, e in enumerate(merged) if n not in used and _key(e) == key), None)
        if key is None or spot is None:
            merged.append(entry)
            used.add(len(merged) - 1)
        else:
            merged[spot] = _merge_entry(merged[spot], entry)
            used.add(spot)
    return (pre_old or pre_new) + [line for e in merged for line in e]


def merge(target: str, fragment: str, how: str = "deep", drop: tuple[str, ...] = ()) -> str:
    """`fragment` put into `target` by the rules in this module's docstring."""
    lines = target.splitlines()
    if drop:
        pre, entries = _entries(lines, 0)
        lines = pre + [l for e in entries if _key(e) not in drop for l in e]
    new = fragment.splitlines()
    if how == "whole" or not lines:
        out = new
    elif how == "end":
        start = max(n for n, line in enumerate(lines) if line == new[0])
        out = lines[:start] + new
    elif how == "append":
        out = lines + [""] + new
    elif how == "keys":
        pre, entries = _entries(lines, 0)
        _, replacing = _entries(new, 0)
        keys = {_key(e) for e in replacing}
        out = pre + [l for e in entries if _key(e) not in keys for l in e] + new
    else:
        out = _merge_block(lines, new, 0)
    return "\n".join(out) + "\n"


# --- situations --------------------------------------------------------------------------------

def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _ignore(folder, names):
    return [n for n in names if n in (".cache", "site", ".venv", ".git", "__pycache__",
                                      "node_modules", "tests", "benchmarks") or
            n.startswith(".site-")]


def make_base(base: str, target: Path) -> Path:
    if base == "mini":
        shutil.copytree(MINI, target)
    elif base == "demo":
        shutil.copytree(REPO, target, ignore=_ignore)
        shutil.copytree(CAST, target, dirs_exist_ok=True)
    elif base == "guide":
        target.mkdir()
        for folder in ("schools", "teachers", "guides", "sites"):
            shutil.copytree(REPO / folder, target / folder)
        (target / "courses").mkdir()
        shutil.copytree(CAST, target, dirs_exist_ok=True)
    else:
        raise ValueError(f"unknown base {base!r}")
    return target


def _make(root: Path, spec: str, files: dict[str, bytes]) -> None:
    name, _, what = spec.rpartition(":")
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    if what == "absent":
        return
    if what == "folder":
        path.mkdir()
    elif what == "broken-link":
        os.symlink(root / "findes-ikke.yaml", path)
    elif what == "fifo":
        os.mkfifo(path)
    elif what == "text":
        path.write_text("Det her er ikke et billede.\n", encoding="utf-8")
    elif what.startswith(("png", "jpeg")):
        kind, _, size = what.partition("+")
        path.write_bytes(_png() if kind == "png" else _jpeg())
        if size:  # sparse: the size is what is checked, not the bytes
            os.truncate(path, int(size))
    elif what == "svg":
        path.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                        '<rect width="10" height="10" fill="#1d4e89"/></svg>\n', encoding="utf-8")
    elif what == "svg-script":
        path.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                        '<script>alert(1)</script></svg>\n', encoding="utf-8")
    elif what.startswith("copy-of-"):
        shutil.copyfile(root / what[len("copy-of-"):], path)
    elif what == "example":
        path.write_bytes(files["example"])
    else:
        raise ValueError(f"unknown make {what!r}")


def situation(example: Example, root: Path) -> dict:
    """Put the example into the catalogue at `root`; what to run on it."""
    options = example.options
    text = example.text
    if "fill" in options:
        text = text.replace("...", "A" * int(options["fill"])).replace(
            "…", "A" * int(options["fill"]))
    for spec in options.get("drop", "").split(","):
        if ":" in spec:  # drop=FILE:KEY, another file than the block's
            name, _, key = spec.partition(":")
            path = root / name
            path.write_text(merge(path.read_text(encoding="utf-8"), "", "keys", (key,)),
                            encoding="utf-8")
    if options.get("run") == "import":
        from .importer import COLUMNS

        sheet = root.parent / options.get("file", "plan.csv")  # file=plan.json: not a sheet
        header = "" if options.get("header") == "nej" else ",".join(COLUMNS) + "\n"
        sheet.write_text(header + text, encoding="utf-8")
        return {"run": "import", "sheet": sheet}
    if example.kind == "hel-fil":
        name = text.splitlines()[0].lstrip("# ").strip()
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    elif example.language in ("yaml", "markdown"):
        if "at" in options:  # at=offerings.0: the block is the inside of hold 0
            key, _, _ = options["at"].partition(".")
            inner = ["    " + line if line.strip() else line for line in text.splitlines()]
            text = "\n".join([f"{key}:", "  - " + inner[0][4:], *inner[1:]]) + "\n"
        for name in options.get("file", "courses/gode-vaner.yaml").split(","):
            path = root / name
            old = path.read_text(encoding="utf-8") if path.is_file() else ""
            drop = tuple(k for k in options.get("drop", "").split(",") if k and ":" not in k)
            new = merge(old, text, options.get("merge", "deep"), drop)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(new.encode(options.get("encoding", "utf-8")))
    elif "listing" in options:
        _listing(root, text)
    for spec in options.get("make", []):
        _make(root, spec, {})
    return {"run": "check"}


def _listing(root: Path, text: str) -> None:
    """The files of a listing are the base's files of the same id, named as listed."""
    from .ids import make_id

    sources = set()
    names = [line.strip() for line in text.splitlines() if line.strip()]
    for name in names:
        folder, base = name.partition("/")[0], name.rpartition("/")[2]
        if folder == "sites":  # a brand's folder holds what is listed, and nothing else
            sources.update((root / name).parent.iterdir())
            continue
        source = root / folder / (make_id(base.split(".")[0]) + ".yaml")
        sources.add(source)
        if (root / name) != source:
            if not source.is_file():
                source = root / folder / (make_id(base.split(".")[0]) + ".yml")
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, root / name)
    listed = {root / name for name in names}
    for source in sources - listed:
        source.unlink()


def base_of(example: Example) -> str:
    return example.options.get("base", "demo" if example.kind == "hel-fil" else "guide")


def today_of(example: Example) -> dt.date:
    if "today" in example.options:
        return dt.date.fromisoformat(example.options["today"])
    return TODAY[base_of(example)]


def diagnose(example: Example, work: Path):
    """The diagnostics the example gives, run in-process on a fresh copy of its base."""
    from .catalogue import read_catalogue

    root = make_base(base_of(example), work / "katalog")
    plan = situation(example, root)
    today = today_of(example)
    if plan["run"] == "import":
        from . import importer

        rows, problems = importer.read_sheet(plan["sheet"], plan["sheet"].name)
        if problems:
            return problems, root
        planned, problems = importer.plan(rows, plan["sheet"].name)
        if problems:
            return problems, root
        texts, problems = importer.new_texts(root, planned, plan["sheet"].name)
        if problems:
            return problems, root
        return importer.check_result(root, texts, today), root
    result = read_catalogue(root, today, use_cache=False)
    return result.diagnostics, root


# --- output regions ----------------------------------------------------------------------------

def _check_lines(example: Example, options: dict) -> list[str]:
    from .diagnostics import format_text

    from .catalogue import source_files

    with tempfile.TemporaryDirectory() as work:
        found, root = diagnose(example, Path(work))
        files = sum(len(names) for names in source_files(root).values())
    if "code" in options:
        found = [d for d in found if d.code == options["code"]]
    text = format_text(found, files).splitlines()
    if options.get("summary") != "ja":  # the count of files is not the point
        text = text[:-1]
    if options.get("tip") == "nej":
        text = [line for line in text if not line.startswith("    tip: ")]
    return text


def _help_lines(options: dict) -> list[str]:
    from .cli import make_parser

    parser = make_parser()
    command = options.get("command")
    if command:
        parser = next(a for a in parser._subparsers._group_actions[0].choices.items()
                      if a[0] == command)[1]
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: the same width everywhere
    try:
        return parser.format_help().rstrip("\n").splitlines()
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def regenerate(path: Path) -> str:
    """The page with every output region rewritten from the program."""
    lines = path.read_text(encoding="utf-8").splitlines()
    examples = parse(path)[0]
    out, i, last = [], 0, None
    while i < len(lines):
        line = lines[i]
        out.append(line)
        m = _EXAMPLE.match(line)
        if m and m.group(1) == "før":
            last = next(e for e in examples if e.line == i + 1)
        if (m := _OUTPUT.match(line)):
            what, options = m.group(1), _options(m.group(2))
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == _END)
            if what == "check":
                example = last
                if "example" in options:  # a før elsewhere, by its code
                    source = parse(GUIDE / options["doc"])[0] if "doc" in options else examples
                    example = next(e for e in source if e.kind == "før"
                                   and e.code == options["example"])
                body = _check_lines(example, options)
            elif what == "help":
                body = _help_lines(options)
            else:
                raise ValueError(f"{path.name}:{i + 1}: unknown output {what!r}")
            out += ["```text", *body, "```"]
            out.append(lines[end])
            i = end
        i += 1
    return "\n".join(out) + "\n"


def regions(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()
               if _OUTPUT.match(line))


def main() -> int:
    os.environ["COLUMNS"] = "100"
    for path in (*DOCS, README):
        new = regenerate(path)
        if new != path.read_text(encoding="utf-8"):
            path.write_text(new, encoding="utf-8")
            print(f"skrev {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
