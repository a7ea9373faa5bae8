"""`catalogue check` for one saved file, told in the editor form's words.

The diagnostics are the ones `catalogue check` gives (the whole catalogue is read, so double
bookings and references count); each is tied to the form field it is about: the YAML position
becomes a path of keys and list indices, the path becomes the form's labels ("Hold 2 › Begrundelse
for status"), and quoted YAML keys and values in the message become the labels the form shows.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from .catalogue import read_catalogue
from .schema import COURSE, GUIDE, SCHOOL, TEACHER, Field

SPECS = {"courses": COURSE, "teachers": TEACHER, "schools": SCHOOL, "guides": GUIDE}


def _yaml_path(text: str, line: int, column: int) -> list:
    """Keys and list indices down to the deepest node at 1-based line:column."""
    try:
        if text.startswith("---"):  # a guide: front matter between the first two ---
            text = text.split("\n---", 1)[0]
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    here = (line - 1, column - 1)
    path: list = []

    def inside(n) -> bool:
        return (n.start_mark.line, n.start_mark.column) <= here <= (n.end_mark.line,
                                                                    n.end_mark.column)

    while node is not None:
        following = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if inside(key) or inside(value) or (key.start_mark.line == here[0]):
                    path.append(key.value)
                    following = value
                    break
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                if inside(item):
                    path.append(index)
                    following = item
                    break
        node = following
    return path


def _spec_at(spec: Field, path: list) -> Field | None:
    for part in path:
        if spec is None:
            return None
        if isinstance(part, int):
            spec = spec.item if spec.kind == "list" else None
        else:
            spec = spec.child(part) if spec.kind == "struct" else None
    return spec


class Words:
    """The form's labels, from the editor configuration's own tables."""

    def __init__(self):
        from .editor import _CHOICE_LABELS, _LABELS

        self.labels = _LABELS
        self.choices = {value: label for table in _CHOICE_LABELS.values()
                        for value, label in table.items()}

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def field_path(self, spec: Field, path: list) -> list[str]:
        """["Hold 2", "Begrundelse for status"] for ["offerings", 1, "status_note"]."""
        words: list[str] = []
        current: Field | None = spec
        for part in path:
            if isinstance(part, int):
                item = current.item if current is not None and current.kind == "list" else None
                name = self.label(item.name) if item is not None else ""
                if words and name:
                    words[-1] = f"{name[:1].upper()}{name[1:]} {part + 1}"
                current = item
            else:
                words.append(self.label(part))
                current = current.child(part) if current is not None and \
                    current.kind == "struct" else None
        return words

    def sentence(self, text: str) -> str:
        """Quoted keys and values in a message become what the form shows."""
        def swap(match: re.Match) -> str:
            word = match.group(1)
            # A choice first: 'cancelled' is both a status the form offers ("Aflyst") and the
            # name of a changed date's field, and messages quote the status far more often.
            if word in self.choices:
                return f"«{self.choices[word]}»"
            if word in self.labels:
                return f"«{self.labels[word]}»"
            return match.group(0)

        return re.sub(r"'([a-z][a-z_-]*)'", swap, text)


def check_saved(root: Path, relative: str, today: dt.date) -> dict:
    """What `catalogue check` says about one file, for the editor page."""
    words = Words()
    result = read_catalogue(root, today, use_cache=False)
    folder = relative.split("/", 1)[0]
    spec = SPECS.get(folder)
    try:
        text = (root / relative).read_text(encoding="utf-8")
    except OSError:
        text = ""
    problems = []
    elsewhere = 0
    for diagnostic in sorted(result.diagnostics, key=lambda d: d.sort_key()):
        if diagnostic.pos.file != relative:
            elsewhere += diagnostic.severity == "error"
            continue
        path = _yaml_path(text, diagnostic.pos.line, diagnostic.pos.column)
        # A message that names a missing field ("… i 'status_note'") points at that field.
        named = re.findall(r"'([a-z][a-z_]*)'", diagnostic.message)
        parent = path if spec and _spec_at(spec, path) is not None and \
            _spec_at(spec, path).kind == "struct" else path[:-1]
        holder = _spec_at(spec, parent) if spec else None
        for name in named:
            if holder is not None and holder.kind == "struct" and holder.child(name) \
                    and (not path or path[-1] != name):
                path = parent + [name]
                break
        labels = words.field_path(spec, path) if spec else []
        problems.append({
            "code": diagnostic.code,
            "severity": diagnostic.severity,
            "message": words.sentence(diagnostic.message),
            "hint": words.sentence(diagnostic.hint),
            "line": diagnostic.pos.line,
            "where": " › ".join(labels),
            "label": labels[-1] if labels else "",
            "occurrence": _occurrence(text, path),
        })
    errors = sum(p["severity"] == "error" for p in problems)
    return {"file": relative, "errors": errors,
            "warnings": len(problems) - errors, "problems": problems,
            "errors_elsewhere": elsewhere}


def _occurrence(text: str, path: list) -> int:
    """Which of the form's fields with this label it is: the form shows every list item's
    fields in file order, so it is the number of same-shaped places before it in the file."""
    if not any(isinstance(part, int) for part in path):
        return 0
    try:
        data = yaml.safe_load(text.split("\n---", 1)[0] if text.startswith("---") else text)
    except yaml.YAMLError:
        return 0
    parent = path[:-1] if path and not isinstance(path[-1], int) else path
    places: list[list] = []

    def walk(value, done: list, rest: list) -> None:
        if not rest:
            places.append(done)
            return
        part = rest[0]
        if isinstance(part, int):
            for index, item in enumerate(value if isinstance(value, list) else []):
                walk(item, done + [index], rest[1:])
        elif isinstance(value, dict) and part in value:
            walk(value[part], done + [part], rest[1:])

    walk(data, [], parent)
    return places.index(parent) if parent in places else 0
