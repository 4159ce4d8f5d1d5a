"""Document templates over the JSON API: list a unit's versions, upload one, activate one (the same services
and guards as the templates page)."""

from datetime import datetime
from typing import Literal

from flask import Blueprint, g, request
from flask_babel import gettext as _
from pydantic import BaseModel

from awards.core.api import ApiError, Out, Query, endpoint
from awards.core.permissions import MANAGERS
from awards.documents import queries, services
from awards.documents.kinds import KINDS
from awards.extensions import csrf, db
from awards.units.queries import unit_by_code

bp = Blueprint("documents_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
KindCode = Literal["to_trinh", "danh_sach", "bien_ban", "quyet_dinh", "giay_chung_nhan", "thong_bao"]
assert set(KindCode.__args__) == set(KINDS)
UPLOAD_FORM = {"type": "object", "required": ["file", "kind"], "properties": {
    "file": {"type": "string", "format": "binary"}, "kind": {"type": "string", "enum": list(KINDS)},
    "unit_code": {"type": "string"}, "note": {"type": "string", "maxLength": 300}}}


class VersionOut(Out):
    id: int
    kind: str
    unit_code: str | None
    version: int
    active: bool
    sha256: str
    note: str
    created_at: datetime


class VersionsOut(BaseModel):
    items: list[VersionOut]


class VersionsQuery(Query):
    kind: KindCode
    unit_code: str | None = None


def _unit(code: str | None):
    if not code:
        return None
    unit = unit_by_code(code)
    if unit is None:
        raise ApiError(404, _("Không có đơn vị mã %(code)s.", code=code))
    return unit


def _out(version) -> dict:
    return {"id": version.id, "kind": version.kind, "unit_code": version.unit.code if version.unit else None,
            "version": version.version, "active": version.active, "sha256": version.sha256, "note": version.note,
            "created_at": version.created_at}


@endpoint(bp, "/document-templates", summary="Các phiên bản mẫu văn bản của một đơn vị (không mã: mẫu chung)",
          query=VersionsQuery, response=VersionsOut, roles=MANAGERS, errors=(404,))
def list_templates(query: VersionsQuery):
    return {"items": [_out(v) for v in queries.versions(query.kind, _unit(query.unit_code))]}


@endpoint(bp, "/document-templates", "POST", summary="Tải lên phiên bản mẫu văn bản mới (.docx, chưa áp dụng)",
          response=VersionOut, status=201, roles=MANAGERS, multipart=UPLOAD_FORM, errors=(404, 413, 415))
def upload_template():
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        raise ApiError(400, fields={"kind": _("Loại văn bản không hợp lệ.")})
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, fields={"file": _("Trường này là bắt buộc.")})
    version = services.upload_template(kind, _unit(request.form.get("unit_code")), upload.read(), upload.filename,
                                       note=request.form.get("note", ""), by=g.api_user)
    db.session.commit()
    return _out(version)


@endpoint(bp, "/document-templates/<int:version_id>/activate", "POST", summary="Áp dụng một phiên bản mẫu",
          response=VersionOut, roles=MANAGERS, errors=(404,))
def activate_template(version_id):
    version = queries.version_by_id(version_id)
    if version is None:
        raise ApiError(404)
    services.activate_version(version, by=g.api_user)
    db.session.commit()
    return _out(version)
