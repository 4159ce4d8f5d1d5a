"""Signed decisions over the JSON API (CONTRACT §6): upload a signed PDF of a decision; the public check."""

from datetime import datetime

from flask import Blueprint, g, request
from flask_babel import gettext as _
from pydantic import BaseModel

from awards.announcements import queries as decision_queries
from awards.core.api import ApiError, endpoint
from awards.core.permissions import MANAGERS
from awards.extensions import csrf, db
from awards.signing import services
from awards.signing.permissions import can_sign

bp = Blueprint("signing_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
VERIFY_LIMIT = "10 per minute;100 per day"  # per address: a citizen checks a few files, not thousands
VERIFY_SCOPE = "public-verify"  # one count for the JSON endpoint and the public page's form
FILE_FORM = {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}
VERIFY_FORM = {"type": "object", "properties": {"file": {"type": "string", "format": "binary"},
                                                "number": {"type": "string", "maxLength": 60}}}


class SignedFileOut(BaseModel):
    id: int
    signer: str
    organisation: str
    signed_at: datetime | None
    time_source: str | None  # "timestamp" (a TSA's token) or "claimed" (the signer's software's clock)
    valid: bool
    sha256: str
    reason: str


class VerifyOut(BaseModel):
    valid: bool
    decision_number: str | None
    signer: str | None
    reason: str
    outcome: str  # match | signature | invalid | published | unsigned | not_found
    sha256: str | None


def _file(required: bool = True) -> bytes | None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        if required:
            raise ApiError(400, fields={"file": _("Trường này là bắt buộc.")})
        return None
    return upload.read()


@endpoint(bp, "/decisions/<int:decision_id>/signed-file", "POST", roles=MANAGERS, multipart=FILE_FORM, status=201,
          summary="Tải lên bản quyết định đã ký số (PDF): kiểm tra chữ ký, công bố nếu hợp lệ (422 kèm lý do nếu "
                  "không)", response=SignedFileOut, errors=(413, 415, 422))
def upload_signed_file(decision_id):
    decision = decision_queries.decision_by_id(decision_id)
    if decision is None:
        raise ApiError(404, _("Không có quyết định số %(i)s.", i=decision_id))
    if not can_sign(g.api_user, decision):
        raise ApiError(403)
    signed = services.receive_signed_file(decision, data=_file(), filename=request.files["file"].filename,
                                          by=g.api_user)
    db.session.commit()  # a refused file is kept too (nothing is deleted), then refused with its reason
    if not signed.valid:
        raise ApiError(422, signed.reason, code=f"signature_{signed.outcome}")
    return {"id": signed.id, "signer": signed.signer, "organisation": signed.organisation,
            "signed_at": signed.signed_at, "time_source": signed.time_source, "valid": True, "sha256": signed.sha256,
            "reason": signed.reason}


@endpoint(bp, "/public/verify", "POST", public=True, multipart=VERIFY_FORM, limit=VERIFY_LIMIT,
          limit_scope=VERIFY_SCOPE, response=VerifyOut, errors=(413, 429),
          summary="Kiểm tra một quyết định theo số và/hoặc bản sao tệp PDF: trùng bản đã công bố, chữ ký hợp lệ, "
                  "hay đã bị sửa đổi")
def verify():
    number = (request.form.get("number") or "").strip()
    if len(number) > 60:
        raise ApiError(400, fields={"number": _("Tối đa %(n)s ký tự.", n=60)})
    check = services.check_copy(number, _file(required=not number))
    return {"valid": check.valid, "decision_number": check.decision_number, "signer": check.signer,
            "reason": check.reason, "outcome": check.outcome, "sha256": check.sha256}
