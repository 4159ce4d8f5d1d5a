"""Uploaded files: type decided by content, stored once under their SHA-256, never served inline as HTML."""

import contextlib
import hashlib
import io
import os
import threading
import zipfile
from datetime import datetime
from pathlib import Path

import filetype
from flask import current_app, send_file
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from awards.core.db import Base, DomainError, utcnow
from awards.core.filemodes import PRIVATE_DIR, SHARED_WITH_GROUP, restrict

KINDS = {  # detected kind → (mime type, file extension)
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "doc": ("application/msword", "doc"),  # Word 97–2003
    "xls": ("application/vnd.ms-excel", "xls"),  # Excel 97–2003
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),  # LibreOffice Writer
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),  # LibreOffice Calc
}
DOCUMENTS = ("pdf", "docx", "xlsx", "doc", "xls", "odt", "ods", "png", "jpeg")
IMAGES = ("png", "jpeg")
SPREADSHEETS = ("xlsx", "xls", "ods")
PACKAGES = ("docx", "xlsx", "odt", "ods")  # ZIP files inside: checked for decompression bombs before use
# the detector's answer (its extension) → our kind; anything else (an .exe, a zip, HTML, a .ppt…) is no kind
_DETECTED = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "docx": "docx", "xlsx": "xlsx", "doc": "doc", "xls": "xls",
             "odt": "odt", "ods": "ods"}
# .xlsx, .docx, .ods and .odt are ZIP packages: limits on what they expand to (a 200,000-row sheet is ~150 MB)
MAX_PACKAGE_BYTES = 512 * 1024 * 1024
MAX_PACKAGE_RATIO = 500  # for a member over 10 MB: real sheets compress 5-50 times, deflate bombs ~1,000 times
MAX_PACKAGE_MEMBERS = 10_000
# ≈ 40 megapixels: more than any phone camera or scanner page at 300 dpi, far less than a decompression bomb
# (a 60,000 × 60,000 PNG of one colour is a few MB and would decode to 10 GB)
MAX_IMAGE_PIXELS = 40_000_000


class Upload(Base):
    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    original_name: Mapped[str] = mapped_column(String(255), default="")  # metadata only, never a path
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def mime(self) -> str:
        return KINDS[self.kind][0]


class UnsupportedFile(DomainError):
    status = 415
    code = "unsupported_media_type"


def detect(data: bytes) -> str | None:
    """The file's kind from its bytes, by the kept `filetype` detector: magic numbers, the streams inside an OLE2
    file (a .doc's WordDocument, an .xls's Workbook) and the parts inside a ZIP package (word/, xl/, an ODF
    mimetype). Chosen over puremagic, which names an .xls ".doc" and an .odt ".docx" (tests/core/test_uploads.py).
    The name a file was sent under is never asked."""
    guess = filetype.guess(data)
    kind = _DETECTED.get(guess.extension) if guess is not None else None
    if kind in PACKAGES:
        try:
            zipfile.ZipFile(io.BytesIO(data)).namelist()  # the detector reads the first bytes; the whole must open
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
    return kind


def check_package(data: bytes) -> None:
    """Refuse an Office package (ZIP) that would expand far beyond its size, a decompression bomb, before
    anything decompresses it: the sizes its directory declares are the most zipfile will ever produce."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a package: the callers refuse it by type
    total = sum(member.file_size for member in members)
    bomb = len(members) > MAX_PACKAGE_MEMBERS or total > MAX_PACKAGE_BYTES or any(
        member.file_size > 10 * 1024 * 1024 and member.file_size > MAX_PACKAGE_RATIO * max(member.compress_size, 1)
        for member in members)
    if bomb:
        raise DomainError(_("Tệp nén bên trong quá lớn hoặc nén bất thường (%(mb)s MB khi giải nén), có thể là "
                            "“bom giải nén”; tệp không được xử lý.", mb=total // (1024 * 1024)),
                          status=413, code="payload_too_large", field="file")


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) a PNG or JPEG declares in its header, read without decoding anything; None if unreadable."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data.startswith(b"\xff\xd8"):
        at = 2
        while at + 9 <= len(data):
            if data[at] != 0xFF:
                return None
            marker = data[at + 1]
            if marker == 0xFF:  # fill byte before a marker
                at += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
                at += 2
                continue
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame: the size
                return int.from_bytes(data[at + 7:at + 9], "big"), int.from_bytes(data[at + 5:at + 7], "big")
            at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return None


def check_image(data: bytes, field: str = "file") -> None:
    """Refuse a picture that declares more than MAX_IMAGE_PIXELS (a decompression bomb) before any decoder sees it."""
    size = image_size(data)
    if size is not None and size[0] * size[1] > MAX_IMAGE_PIXELS:
        raise DomainError(_("Ảnh quá lớn (%(w)s × %(h)s điểm ảnh); chỉ nhận ảnh tối đa khoảng %(mp)s triệu điểm "
                            "ảnh. Hãy thu nhỏ ảnh rồi gửi lại.", w=f"{size[0]:,}".replace(",", "."),
                            h=f"{size[1]:,}".replace(",", "."), mp=MAX_IMAGE_PIXELS // 1_000_000),
                          status=413, code="payload_too_large", field=field)


def path_for(sha256: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / sha256[:2] / sha256


class StorageUnavailable(DomainError):
    """The file could not be written (disk full, folder missing or read-only): nothing was kept."""

    status = 503
    code = "storage_unavailable"


def write_file(target: Path, data: bytes) -> None:
    """Write `target` once, atomically (a reader never sees half a file); a failed write leaves no file behind
    and raises StorageUnavailable, before any row refers to it."""
    if target.exists():
        return
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        target.parent.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        target.parent.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        # created empty with its final mode, then filled: never readable by other accounts, whatever the umask
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, SHARED_WITH_GROUP))
        restrict(partial, SHARED_WITH_GROUP)  # O_CREAT's mode is not applied to a leftover .part file
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as exc:
        current_app.logger.error("upload not stored: %s", exc)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise StorageUnavailable(_("Không lưu được tệp trên máy chủ (ổ đĩa đầy hoặc thư mục lưu tệp không ghi "
                                   "được). Tệp chưa được nhận; hãy báo quản trị hệ thống rồi thử lại.")) from None


def store(data: bytes, original_name: str, *, allowed=DOCUMENTS, by=None) -> Upload:
    """Keep the bytes under their hash (once, however often uploaded) and add an Upload row (flushed)."""
    from awards.extensions import db

    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    if len(data) > limit:
        raise DomainError(_("Tệp vượt quá %(n)s MB.", n=current_app.config["MAX_UPLOAD_MB"]), status=413,
                          code="payload_too_large")
    if not data:
        raise DomainError(_("Tệp rỗng."), status=400, code="validation_error", field="file")
    kind = detect(data)
    if kind not in allowed:
        names = ", ".join(KINDS[k][1].upper() for k in allowed)
        raise UnsupportedFile(_("Chỉ nhận tệp %(kinds)s (kiểm tra theo nội dung tệp, không theo tên).", kinds=names))
    if kind in PACKAGES:
        check_package(data)
    if kind in IMAGES:
        check_image(data)
    digest = hashlib.sha256(data).hexdigest()
    write_file(path_for(digest), data)
    upload = Upload(sha256=digest, size=len(data), kind=kind, original_name=(original_name or "")[:255],
                    created_by_id=getattr(by, "id", None))
    db.session.add(upload)
    db.session.flush()
    return upload


def download(upload: Upload, name: str | None = None):
    """Send the file as an attachment with its detected type: never rendered inline by the browser."""
    stem = Path(name or upload.original_name or f"tep-{upload.id}").stem
    stem = "".join(ch for ch in stem if ch.isprintable()).strip() or f"tep-{upload.id}"  # no CR/LF into a header
    response = send_file(path_for(upload.sha256), mimetype=upload.mime, as_attachment=True,
                         download_name=f"{stem}.{KINDS[upload.kind][1]}", max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def upload_by_id(upload_id: int) -> Upload | None:
    from awards.extensions import db

    return db.session.scalar(select(Upload).where(Upload.id == upload_id))
