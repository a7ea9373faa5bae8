"""File rules: a path in a source must name a real, regular file inside the catalogue."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..diagnostics import Pos, problem
from ..ids import nearest
from ..load import not_regular
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
    if os.path.exists(path):
        # Named, but not something to read: a pipe would make the build wait forever.
        reason = not_regular(str(path))
        if reason is not None:
            yield problem("F905", pos, value=written, reason=reason)
        return
    if os.path.lexists(path):
        hint = (f"'{written}' er en genvej til en fil, der ikke findes længere. Læg selve filen "
                f"i mappen {folder}/.")
    elif written.startswith(f"{folder}/"):
        hint = f"Skriv kun filnavnet, fx '{Path(written).name}'."
    else:
        parent = path.parent
        near = nearest(path.name, [p.name for p in parent.iterdir()]) \
            if parent.is_dir() else None
        hint = f"Mente du '{near}'?" if near else \
            f"Læg filen i mappen {folder}/ ved siden af den fil, der nævner den."
    yield problem("F903", pos, value=written, hint=hint)


def photo_is_inside_catalogue(catalogue: Catalogue, context):
    """A photo must be a real image of the type its name says, small enough to publish."""
    from ..photos import check_photo  # Pillow takes a while to import; only photos need it

    for teacher in catalogue.teachers.values():
        if teacher.photo:
            written = teacher.photo.removeprefix("teachers/")
            found = list(_check_path(context.root, "teachers", written, teacher.place("photo"),
                                     PHOTO_TYPES))
            if not found:
                photo = check_photo(str(context.root / teacher.photo), written,
                                    teacher.place("photo"))
                found = [photo] if photo else []
            yield from found


def guide_images_are_inside_catalogue(catalogue: Catalogue, context):
    for guide in catalogue.guides.values():
        for written, line in guide.images:
            if re.match(r"^[a-z][a-z0-9+.-]*:", written, re.I):
                continue  # an image from another site: G004, reported with the guide
            yield from _check_path(context.root, "guides", written,
                                   Pos(guide.source.name, line, 1), IMAGE_TYPES)
