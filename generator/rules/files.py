"""File rules: a path in a source must name a real file inside the catalogue."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..diagnostics import Pos, problem
from ..ids import nearest
from ..model import Catalogue
from ..schema import IMAGE_TYPES, PHOTO_TYPES


def _check_path(root: Path, folder: str, written: str, pos, allowed):
    """A file a source names: relative, inside the catalogue, existing, of an allowed type."""
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute():
        yield problem("F901", pos, value=written, suggestion=PureWindowsPath(written).name)
        return
    path = root / folder / written
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        resolved = path
    if not resolved.is_relative_to(root):
        yield problem("F902", pos, value=written)
        return
    if path.suffix.lower() not in allowed:
        yield problem("F904", pos, value=written, allowed=", ".join(allowed))
        return
    if not resolved.is_file():
        if written.startswith(f"{folder}/"):
            hint = f"Skriv kun filnavnet, fx '{Path(written).name}'."
        else:
            parent = path.parent
            near = nearest(path.name, [p.name for p in parent.iterdir()]) \
                if parent.is_dir() else None
            hint = f"Mente du '{near}'?" if near else \
                f"Læg filen i mappen {folder}/ ved siden af den fil, der nævner den."
        yield problem("F903", pos, value=written, hint=hint)


def photo_is_inside_catalogue(catalogue: Catalogue, context):
    for teacher in catalogue.teachers.values():
        if teacher.photo:
            yield from _check_path(context.root, "teachers",
                                   teacher.photo.removeprefix("teachers/"),
                                   teacher.at("photo"), PHOTO_TYPES)


def guide_images_are_inside_catalogue(catalogue: Catalogue, context):
    for guide in catalogue.guides.values():
        for written, line in guide.images:
            if re.match(r"^[a-z][a-z0-9+.-]*:", written, re.I):
                continue  # an image from another site: G004, reported with the guide
            yield from _check_path(context.root, "guides", written,
                                   Pos(guide.source.name, line, 1), IMAGE_TYPES)
