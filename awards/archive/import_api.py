"""Import award records from Excel over the JSON API (synchronous, all rows or none), and the template."""

from io import BytesIO

from flask import Response, g, request
from flask_babel import gettext as _
from pydantic import model_serializer

from awards.archive import imports
from awards.archive.blueprint import api_bp as bp
from awards.core.api import ApiError, ErrorDetail, Out, endpoint
from awards.core.db import DomainError
from awards.core.permissions import MANAGERS
from awards.extensions import db

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_YES = {"1", "true", "yes", "on", "y"}

IMPORT_FORM = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "Tệp .xlsx, .xls hoặc .ods: cột Loại đối tượng, Mã đối tượng, Danh hiệu, Năm, "
                                "Số quyết định, Ngày quyết định, Cơ quan ban hành; không bắt buộc: Số sổ vàng, "
                                "Loại khen thưởng."},
        "dry_run": {"type": "string", "enum": ["0", "1"], "default": "0",
                    "description": "1: chỉ kiểm tra, không lưu gì."},
        "published": {"type": "string", "enum": ["0", "1"], "default": "1",
                      "description": "1: công bố trên trang tra cứu công khai."},
    },
}


class ImportRowError(Out):
    row: int | None  # the Excel row (header = 1); null on the final "… và N lỗi khác." line
    message: str


class ImportOut(Out):
    imported: int
    errors: list[ImportRowError]
    dry_run: bool | None = None
    error: ErrorDetail | None = None

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler):
        return {key: value for key, value in handler(self).items() if value is not None}


def _flag(name: str, default: bool) -> bool:
    value = request.form.get(name)
    return default if value is None or not value.strip() else value.strip().lower() in _YES


@endpoint(bp, "/archive/imports", "POST", summary="Nhập khen thưởng từ Excel (tất cả các dòng hoặc không dòng nào)",
          response=ImportOut, roles=MANAGERS, multipart=IMPORT_FORM, errors=(413, 415))
def import_archive_records():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, _("Cần gửi một tệp bảng tính (.xlsx, .xls hoặc .ods) trong trường “file”."),
                       fields={"file": _("Trường này là bắt buộc.")})
    data = upload.read()
    try:
        imports.check_xlsx(data)
    except DomainError as exc:  # not a spreadsheet (415), or a decompression bomb (413)
        raise ApiError(413 if exc.status == 413 else 415, exc.message) from None
    dry_run = _flag("dry_run", False)
    db.session.commit()  # end the sign-in's read: on SQLite the import must not write from a stale snapshot
    result = imports.import_records(BytesIO(data), dry_run=dry_run, published=_flag("published", True),
                                    by=g.api_user, filename=upload.filename)
    if result.errors:
        db.session.rollback()
        message = _("Tệp có %(n)s lỗi, không có bản ghi nào được lưu.", n=result.error_count)
        return {"imported": 0, "errors": result.errors,
                "error": {"code": "import_errors", "message": message, "fields": {}}}, 400
    if dry_run:
        db.session.rollback()
        return {"imported": result.imported, "errors": [], "dry_run": True}
    db.session.commit()
    return {"imported": result.imported, "errors": []}


@endpoint(bp, "/archive/import-template.xlsx", summary="Tệp Excel mẫu để nhập khen thưởng (.xlsx)")
def archive_import_template():
    return Response(imports.template_bytes(), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": "attachment; filename=mau-nhap-khen-thuong.xlsx"})
