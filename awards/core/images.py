"""Photos people upload: decoded by Pillow, turned upright, stripped of every byte of metadata, resized.

The bytes that leave `clean_photo` are pixels re-encoded from scratch: no EXIF (so no GPS position, camera,
owner), no XMP, no ICC profile, no comments or text chunks."""

import io
import warnings

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from awards.core.db import DomainError
from awards.core.uploads import IMAGES, MAX_IMAGE_PIXELS, UnsupportedFile, check_image, detect

MAX_PIXELS = MAX_IMAGE_PIXELS  # ≈ 40 megapixels: more than any phone camera, far less than a decompression bomb
# Pillow's own guard, for any image opened anywhere in the process: a warning past it, an error at twice it
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
JPEG_QUALITY = 85
FORMATS = {"jpeg": "JPEG", "png": "PNG"}


def _refuse(message: str | None = None) -> UnsupportedFile:
    return UnsupportedFile(message or _("Ảnh phải là tệp JPEG hoặc PNG hợp lệ (kiểm tra theo nội dung tệp, "
                                        "không theo tên)."), field="photo")


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        alpha = image.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return "transparency" in image.info  # a tRNS colour key on an RGB or greyscale PNG


def clean_photo(data: bytes, max_side: int = 1200) -> tuple[bytes, str]:
    """(bytes, kind): a JPEG (quality 85, RGB) or, for a picture with transparency, a PNG; the longer side at
    most `max_side`. Anything that is not a real JPEG or PNG, or is too large to decode safely, is refused
    with UnsupportedFile (415)."""
    kind = detect(data or b"")
    if kind not in IMAGES:
        raise _refuse()
    try:
        check_image(data, field="photo")  # the size its header declares, before Pillow reads any further
    except DomainError as exc:
        raise _refuse(exc.message) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[FORMATS[kind]]) as source:
                width, height = source.size  # read from the header: nothing decoded yet
                if width * height > MAX_PIXELS or width <= 0 or height <= 0:
                    raise _refuse(_("Ảnh quá lớn (%(w)s × %(h)s điểm ảnh); tối đa khoảng 40 triệu điểm ảnh.",
                                    w=width, h=height))
                source.load()
                upright = ImageOps.exif_transpose(source)  # apply the camera's orientation before dropping EXIF
    except UnsupportedFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(_("Ảnh quá lớn để xử lý an toàn.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse() from None

    transparent = kind == "png" and _has_transparency(upright)
    mode = "RGBA" if transparent else "RGB"
    converted = upright.convert(mode)
    converted.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # a fresh image from the pixels alone: no info dict, so nothing of the original's metadata can follow
    clean = Image.frombytes(mode, converted.size, converted.tobytes())
    out = io.BytesIO()
    if transparent:
        clean.save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), "jpeg"


def send_photo(upload, *, public: bool = False):
    """Serve a stored picture inline, as the picture only: its detected type, no sniffing, no active content.
    Anything but a JPEG or PNG is a 404 here (documents are downloaded with uploads.download)."""
    from flask import abort, send_file

    from awards.core.uploads import path_for

    if upload is None or upload.kind not in IMAGES:
        abort(404)
    response = send_file(path_for(upload.sha256), mimetype=upload.mime, as_attachment=False, conditional=True,
                         etag=upload.sha256, max_age=3600 if public else 0)
    response.cache_control.public = public
    response.cache_control.private = not public
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    response.headers["Content-Disposition"] = "inline"
    return response
