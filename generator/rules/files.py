"""File rules: a path in a source must name a real file inside the catalogue."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from ..diagnostics import problem
from ..ids import nearest
from ..model import Catalogue
from ..schema import PHOTO_TYPES


def photo_is_inside_catalogue(catalogue: Catalogue, context):
    root = context.root
    for teacher in catalogue.teachers.values():
        if not teacher.photo:
            continue
        pos = teacher.at("photo")
        written = teacher.photo.removeprefix("teachers/")
        if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute():
            yield problem("F901", pos, value=written, suggestion=PureWindowsPath(written).name)
            continue
        path = (root / "teachers" / written)
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            resolved = path
        if not resolved.is_relative_to(root):
            yield problem("F902", pos, value=written)
            continue
        if path.suffix.lower() not in PHOTO_TYPES:
            yield problem("F904", pos, value=written, allowed=", ".join(PHOTO_TYPES))
            continue
        if not resolved.is_file():
            folder = path.parent
            near = nearest(path.name, [p.name for p in folder.iterdir()]) if folder.is_dir() else None
            if written.startswith("teachers/"):
                hint = f"Skriv kun filnavnet, fx '{Path(written).name}'."
            elif near:
                hint = f"Mente du '{near}'?"
            else:
                hint = "Læg fotoet i mappen teachers/ ved siden af underviserens fil."
            yield problem("F903", pos, value=written, hint=hint)
