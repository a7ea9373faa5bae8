"""Teacher photos: checked by decoding them, published as a fresh image without metadata.

A photo straight from a phone carries EXIF: the camera, the time and often GPS coordinates of
where it was taken, which for a peer teacher may well be their home. The site shows a photo at
most 192 px wide, so nothing is lost by publishing a new, small image made from the pixels
alone: no EXIF, GPS, XMP, ICC profile or comments survive, whatever the source held.
"""

from __future__ import annotations

import io
import os
import warnings

from PIL import Image, ImageCms, ImageOps

from .diagnostics import Diagnostic, problem
from .load import Unreadable, read_regular

MAX_BYTES = 15_000_000  # a 48-megapixel phone photo is about 10 MB
MAX_PIXELS = 40_000_000
SIZE = 384  # the long side: the teacher page shows 192 px, twice that for sharp screens

# Pillow's name of the format each file name promises.
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
_NAMES = {"JPEG": "JPG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "BMP": "BMP",
          "TIFF": "TIFF", "HEIF": "HEIC"}


def check_photo(path: str, written: str, pos) -> Diagnostic | None:
    """Why the photo at `path` (named `written` in the source, at `pos`) cannot be published."""
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            return problem("F908", pos, value=written, reason=f"filen fylder {_mb(size)}, "
                           f"og grænsen er {_mb(MAX_BYTES)}")
        image = _open(read_regular(path, MAX_BYTES + 1))
    except Unreadable as error:
        return problem("F905", pos, value=written, reason=str(error))
    except _TooBig as error:
        return problem("F908", pos, value=written, reason=str(error))
    except _NotAnImage as error:
        return problem("F906", pos, value=written, reason=str(error))
    suffix = os.path.splitext(written)[1].lower()
    kind = _format(image)
    if kind != FORMATS.get(suffix):
        found = _NAMES.get(kind, kind)
        right = next((s for s, f in FORMATS.items() if f == kind), None)
        hint = (f"Ret endelsen til {right} i filnavnet og i 'photo:'." if right else
                "Gem billedet som JPG eller PNG i et billedprogram.")
        return problem("F907", pos, value=written, found=found, suffix=suffix, hint=hint)
    try:
        _pixels(image)
    except _NotAnImage as error:
        return problem("F906", pos, value=written, reason=str(error))
    return None


def publish_photo(path: str) -> bytes:
    """The photo as published: upright, at most SIZE px on the long side, no metadata, and the
    same bytes for the same input (Pillow's encoders write no timestamps)."""
    image = _open(read_regular(path, MAX_BYTES + 1))
    target = FORMATS[os.path.splitext(path)[1].lower()]
    pixels = _pixels(image)
    pixels.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
    if target == "JPEG" and pixels.mode == "RGBA":  # JPEG has no transparency
        pixels = Image.alpha_composite(Image.new("RGBA", pixels.size, "white"), pixels)
        pixels = pixels.convert("RGB")
    # A new image from the raw pixels has an empty .info: encoders copy ICC profiles, EXIF and
    # comments from there, so this is what makes sure none of it comes along.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if target == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True)
    elif target == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85, method=6)
    return out.getvalue()


class _TooBig(Exception):
    pass


class _NotAnImage(Exception):
    pass


def _format(image: Image.Image) -> str:
    # Phones save a portrait photo as MPO: a JPEG with a second picture after it.
    return "JPEG" if image.format == "MPO" else image.format


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _open(data: bytes) -> Image.Image:
    """The image, its header read; the pixels are not decoded yet."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; a warning is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _TooBig(f"det har over {MAX_PIXELS // 1_000_000} millioner punkter") from None
    except (OSError, ValueError, SyntaxError) as error:  # UnidentifiedImageError is an OSError
        raise _NotAnImage("det er ikke et billede, som siden kan vise" if
                          isinstance(error, Image.UnidentifiedImageError) else str(error)) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _TooBig(f"det er {width} × {height} punkter, og grænsen er "
                      f"{MAX_PIXELS // 1_000_000} millioner punkter")
    return image


def _pixels(image: Image.Image) -> Image.Image:
    """Every pixel decoded (a cut-off file fails here), upright, in sRGB, as RGB or RGBA."""
    try:
        if _format(image) == "JPEG":
            image.draft("RGB", (SIZE, SIZE))  # decode at 1/2, 1/4 or 1/8 size: much faster
        image.load()
        upright = ImageOps.exif_transpose(image)
        icc = image.info.get("icc_profile")
        if icc:
            upright = _to_srgb(upright, icc)
        alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        return upright.convert("RGBA" if alpha else "RGB")
    except (OSError, ValueError, SyntaxError) as error:
        raise _NotAnImage(_reason(error)) from None


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode in ("RGBA", "LA") else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the colours may be a little off, the photo is fine


def _reason(error: Exception) -> str:
    text = str(error)
    if "truncated" in text:
        return "filen er skåret af (måske ikke hentet helt)"
    return f"Pillow melder: {text}"
