"""Photos people upload (with a report, with a post): JPEG, PNG or HEIC, size-limited, and stripped of every bit of
metadata.

The image is decoded and encoded again from its pixels only (after applying the EXIF orientation), so nothing of
the original file survives: no EXIF, no GPS position, no camera serial, no XMP, no thumbnail. HEIC (iPhone
photos) is decoded with pillow-heif and stored as JPEG, which every browser shows. The size limit is
REPORT_PHOTO_MAX_BYTES for every photo on the platform.
"""

import io
from dataclasses import dataclass
from typing import Any

import pillow_heif
from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from samenveilig.core.errors import Invalid, NotFound

pillow_heif.register_heif_opener()

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "HEIF": "image/jpeg"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before they fill the memory
MAX_SIDE = 2560  # larger photos are scaled down: enough for a signalement, kind to phones on a bad connection


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean_photo(data: bytes | Any, *, code: str, field: str) -> CleanPhoto:
    """Check and re-encode one uploaded photo (bytes or an uploaded file). A bad one raises Invalid with this error
    `code` (e.g. "report.photo") and a clear message on the form field `field` (e.g. "photos")."""

    def refuse(message: str) -> Invalid:
        return Invalid(message, code=code, fields={field: [message]})

    raw = data if isinstance(data, bytes) else data.read(settings.REPORT_PHOTO_MAX_BYTES + 1)
    if len(raw) > settings.REPORT_PHOTO_MAX_BYTES:
        mb = settings.REPORT_PHOTO_MAX_BYTES // 1_000_000
        raise refuse(_("This photo is too large: at most %(mb)d MB.") % {"mb": mb})
    if not raw:
        raise refuse(_("This photo is empty."))
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            if kind not in ACCEPTED_FORMATS:
                raise refuse(_("Send a photo as JPEG, PNG or HEIC."))
            if probe.width * probe.height > MAX_PIXELS:
                raise refuse(_("This photo has too many pixels."))
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise refuse(_("This file is not a photo we can read: send a JPEG, PNG or HEIC image.")) from exc
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if kind == "PNG":
        pixels = image.convert("RGBA") if image.mode in ("RGBA", "LA", "P") else image.convert("RGB")
        Image.frombytes(pixels.mode, pixels.size, pixels.tobytes()).save(out, format="PNG", optimize=True)
        return CleanPhoto(out.getvalue(), "image/png", "png", pixels.width, pixels.height)
    pixels = image.convert("RGB")
    Image.frombytes("RGB", pixels.size, pixels.tobytes()).save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(out.getvalue(), "image/jpeg", "jpg", pixels.width, pixels.height)


def photo_response(stored: Any) -> Any:
    """A stored photo (any model with `file` and `content_type`) as the answer to one person who passed the
    gate: shown inline, never kept by a shared cache. A file gone from the disk is a 404, as for a missing photo."""
    try:
        handle = stored.file.open("rb")
    except OSError:
        raise NotFound() from None
    response = FileResponse(handle, content_type=stored.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


# The OpenAPI description of an endpoint that answers with a stored photo (`openapi_extra=PHOTO_OPENAPI`).
PHOTO_OPENAPI: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The image",
            "content": {
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}
