"""A Department's sheets over the JSON API (issue 26): POST /api/v1/imports/<kind> (multipart `file`, `dry_run=1`)
→ {"imported": n, "errors": [{"row", "column", "message"}]}, all rows or none, like POST /archive/imports; and
GET /api/v1/imports/<kind>/template.xlsx. Kinds: units, people, person-ratings, unit-ratings, disciplines,
initiatives. The guard is the service's (imports.check_may_import)."""

from flask import Blueprint, Response, g, request
from flask_babel import gettext as _
from pydantic import model_serializer

from awards.core.api import ApiError, ErrorDetail, Out, endpoint
from awards.core.permissions import MANAGERS, Role
from awards.core.xlsx import workbook_bytes
from awards.extensions import csrf, db
from awards.units import imports

bp = Blueprint("units_import_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_YES = {"1", "true", "yes", "on", "y"}
IMPORT_FORM = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "Tệp .xlsx, .xls hoặc .ods theo tệp mẫu của loại dữ liệu (dòng 1 là tiêu đề)."},
        "dry_run": {"type": "string", "enum": ["0", "1"], "default": "0",
                    "description": "1: chỉ kiểm tra, không lưu gì."},
    },
}


class RowErrorOut(Out):
    row: int
    column: str | None = None
    message: str


class ImportOut(Out):
    imported: int
    errors: list[RowErrorOut]
    dry_run: bool | None = None
    error: ErrorDetail | None = None

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler):
        return {key: value for key, value in handler(self).items() if value is not None}


def _kind(name: str) -> imports.Kind:
    kind = imports.KINDS.get(name)
    if kind is None:
        raise ApiError(404, _("Không có loại dữ liệu “%(k)s” để nhập (có: %(all)s).", k=name,
                              all=", ".join(imports.KINDS)))
    return kind


@endpoint(bp, "/imports/<name>", "POST", summary="Nhập dữ liệu sẵn có từ Excel (tất cả các dòng hoặc không dòng nào)",
          response=ImportOut, roles=(*MANAGERS, Role.unit_officer), multipart=IMPORT_FORM, errors=(404, 413, 415))
def import_sheet(name):
    kind = _kind(name)
    imports.check_may_import(kind, g.api_user)  # before reading the file: a refusal is a refusal
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, _("Cần gửi một tệp bảng tính (.xlsx, .xls hoặc .ods) trong trường “file”."),
                       fields={"file": _("Trường này là bắt buộc.")})
    value = (request.form.get("dry_run") or "").strip().lower()
    dry_run = value in _YES
    db.session.commit()  # end the sign-in's read: on SQLite the import must not write from a stale snapshot
    result = imports.run_import(kind, upload.stream, dry_run=dry_run, by=g.api_user)
    if result.errors:
        db.session.rollback()
        message = _("Tệp có %(n)s lỗi, không có dòng nào được lưu.", n=len(result.errors))
        return {"imported": 0, "errors": result.errors,
                "error": {"code": "import_errors", "message": message, "fields": {}}}, 400
    if dry_run:
        db.session.rollback()
        return {"imported": result.imported, "errors": [], "dry_run": True}
    db.session.commit()
    return {"imported": result.imported, "errors": []}


@endpoint(bp, "/imports/<name>/template.xlsx", summary="Tệp Excel mẫu của một loại dữ liệu (.xlsx)",
          errors=(404,))
def import_sheet_template(name):
    kind = _kind(name)
    data = workbook_bytes({str(kind.title): imports.template(kind)})
    return Response(data, mimetype=XLSX_MIME, headers={"Content-Disposition": f"attachment; filename={kind.filename}"})
