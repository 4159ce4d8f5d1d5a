"""Signed decisions and certificates: receive a signed PDF (verified, kept, its hash sealed into the archive
records of the decision), sign one here, check a copy for the public, calibrate a blank, print certificates.
Every guard is here: the page, the API and the CLI refuse alike."""

import hashlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from awards.announcements import documents
from awards.announcements.models import Decision
from awards.archive.services import seal_records
from awards.catalog import services as catalog
from awards.core import audit, cache, uploads
from awards.core.db import DomainError, Invalid
from awards.core.docx import date_line
from awards.extensions import db
from awards.signing import certificates, queries
from awards.signing.models import CertificateLayout, Origin, SignedFile
from awards.signing.permissions import can_calibrate, can_print, can_sign
from awards.signing.signer import SigningSettings, sign_pdf
from awards.signing.verification import Verdict, load_roots, verify_pdf


class NotSigned(DomainError):
    """A signed file refused by its verification (CONTRACT §6: 422 with the reason)."""

    status = 422


def _refuse(message: str | None = None):
    raise DomainError(message or _("Bạn không có quyền thực hiện thao tác này."), status=403, code="forbidden")


def trusted_roots() -> list:
    return load_roots(current_app.config.get("TRUSTED_ROOTS", ""))


def verify(data: bytes) -> Verdict:
    return verify_pdf(data, trusted_roots())


def _require_pdf(data: bytes) -> None:
    if not data:
        raise Invalid(_("Chọn tệp PDF đã ký số."), field="file")
    if uploads.detect(data) != "pdf":
        raise uploads.UnsupportedFile(_("Tệp không phải PDF (kiểm tra theo nội dung tệp, không theo tên): chỉ nhận "
                                        "bản quyết định đã ký số dạng PDF."), field="file")


def receive_signed_file(decision: Decision, *, data: bytes, filename: str, by, origin=Origin.uploaded) -> SignedFile:
    """Keep a signed PDF of the decision with its verdict (a refused one too: nothing is deleted). A valid one
    becomes the published copy, and its SHA-256 is sealed into the decision's archive records."""
    if not can_sign(by, decision):
        _refuse(_("Chỉ bộ phận thường trực của đơn vị ban hành quyết định mới được tải lên bản ký số."))
    _require_pdf(data)
    upload = uploads.store(data, filename, allowed=("pdf",), by=by)
    verdict = verify(data)
    signed = SignedFile(decision_id=decision.id, upload=upload, sha256=upload.sha256, origin=origin,
                        outcome=verdict.outcome, valid=verdict.valid, reason=verdict.reason,
                        signer=verdict.signer[:255], organisation=verdict.organisation[:255],
                        signed_at=verdict.signed_at, time_source=verdict.time_source,
                        uploaded_by_id=getattr(by, "id", None))
    db.session.add(signed)
    db.session.flush()
    if verdict.valid:
        seal_records([item.record for item in decision.items], upload.sha256, by=by)
        cache.bump(cache.RESULTS)  # the public results link the new copy at once
    audit.record("decision.signed_file", decision, by=by, after={
        "signed_file": signed.id, "sha256": upload.sha256, "outcome": str(verdict.outcome), "signer": verdict.signer,
        "origin": str(origin)})
    return signed


def decision_pdf(decision: Decision) -> bytes:
    """The decision with its annex as PDF, as the documents feature renders it."""
    return documents.decision_pdf(decision)


def sign_decision(decision: Decision, *, by) -> SignedFile:
    """Sign the decision's PDF with the key configured on this server and keep it as a signed file (verified like
    an upload: a key whose certificate is not trusted gives a refused file, not a published one)."""
    if not can_sign(by, decision):
        _refuse(_("Chỉ bộ phận thường trực của đơn vị ban hành quyết định mới được ký số quyết định."))
    settings = SigningSettings.from_config(current_app.config)
    signed = sign_pdf(decision_pdf(decision), settings)
    return receive_signed_file(decision, data=signed, filename=f"quyet-dinh-{decision.id}-ky-so.pdf", by=by,
                               origin=Origin.system)


def signing_configured() -> bool:
    return SigningSettings.from_config(current_app.config).configured


# --- the public check --------------------------------------------------------------------------------------------

@dataclass
class PublicCheck:
    """What the public check answers (CONTRACT §6): {valid, decision_number, signer, reason}; `outcome` says
    which of the answers it is: match (the published copy), signature (a valid signature, not a published copy),
    invalid (modified or not valid), published (asked by number: the copy to compare with), unsigned, not_found."""

    outcome: str
    valid: bool
    reason: str
    decision: Decision | None = None
    signer: str | None = None
    signed_file: SignedFile | None = None
    sha256: str | None = None

    @property
    def decision_number(self) -> str | None:
        return self.decision.number if self.decision is not None else None


def _by_number(number: str, decisions: list[Decision]) -> PublicCheck:
    if not decisions:
        return PublicCheck("not_found", False, _("Không tìm thấy quyết định số “%(n)s”.", n=number))
    for decision in decisions:
        published = queries.published(decision.id)
        if published is not None:
            return PublicCheck("published", True, _(
                "Quyết định số %(n)s đã công bố bản ký số: ký bởi %(who)s; mã SHA-256 %(h)s. Tải bản đã công bố, "
                "hoặc gửi bản bạn có để đối chiếu.", n=decision.number, who=published.signer, h=published.sha256),
                decision=decision, signer=published.signer, signed_file=published, sha256=published.sha256)
    return PublicCheck("unsigned", False, _("Quyết định số %(n)s chưa có bản ký số được công bố.",
                                            n=decisions[0].number), decision=decisions[0])


def check_copy(number: str = "", data: bytes | None = None) -> PublicCheck:
    """Check a decision by its number and/or a copy of its file: the same bytes as a published signed file; else a
    valid signature (not a published copy: whose); else modified or not valid, with the reason. Nothing is kept."""
    number = " ".join((number or "").split())[:60]
    decisions = queries.decisions_numbered(number) if number else []
    if not data:
        if not number:
            raise Invalid(_("Nhập số quyết định hoặc chọn tệp cần kiểm tra."), field="number")
        return _by_number(number, decisions)
    if len(data) > current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024:
        raise DomainError(_("Tệp vượt quá %(n)s MB.", n=current_app.config["MAX_UPLOAD_MB"]), status=413,
                          code="payload_too_large")
    digest = hashlib.sha256(data).hexdigest()
    match = queries.valid_by_sha256(digest)
    if match is not None and (not number or match.decision_id in {d.id for d in decisions}):
        return PublicCheck("match", True, _(
            "Trùng khớp với bản đã công bố của quyết định số %(n)s (ký bởi %(who)s).", n=match.decision.number,
            who=match.signer), decision=match.decision, signer=match.signer, signed_file=match, sha256=digest)
    if match is not None:
        return PublicCheck("invalid", False, _(
            "Tệp này là bản đã công bố của quyết định số %(other)s, không phải của quyết định số %(n)s.",
            other=match.decision.number, n=number), decision=match.decision, signer=match.signer, sha256=digest)
    verdict = verify(data)
    if verdict.valid:
        return PublicCheck("signature", True, _(
            "Chữ ký hợp lệ, ký bởi %(who)s (%(org)s), nhưng tệp không trùng với bản đã công bố nào trên hệ thống.",
            who=verdict.signer, org=verdict.organisation or "—"), decision=decisions[0] if decisions else None,
            signer=verdict.signer, sha256=digest)
    return PublicCheck("invalid", False, _("Đã bị sửa đổi hoặc không hợp lệ: %(r)s", r=verdict.reason),
                       decision=decisions[0] if decisions else None, signer=verdict.signer or None, sha256=digest)


# --- certificates on blanks --------------------------------------------------------------------------------------

@dataclass
class Layout:
    """A blank's page and fields, saved or the defaults."""

    award_code: str
    width: float
    height: float
    place: str
    fields: dict
    blank: uploads.Upload | None = None
    saved: bool = False


def layout(award_code: str) -> Layout:
    saved = queries.layout_of(award_code)
    if saved is None:
        width, height = certificates.PAGES["A4"]
        return Layout(award_code, width, height, "", {k: dict(v) for k, v in certificates.DEFAULT_FIELDS.items()})
    fields = {k: {**certificates.DEFAULT_FIELDS[k], **saved.fields.get(k, {})} for k in certificates.FIELDS}
    return Layout(award_code, saved.page_width, saved.page_height, saved.place, fields, saved.blank_upload, True)


def _check_fields(fields: dict, width: float, height: float) -> dict:
    """Each field inside the page: x, y, width in mm, size 6–72 pt, a known alignment (400 naming the field)."""
    clean = {}
    for name in certificates.FIELDS:
        spec = fields.get(name) or {}
        try:
            x, y, w, size = (float(spec[k]) for k in ("x", "y", "width", "size"))
        except (KeyError, TypeError, ValueError):
            raise Invalid(_("Vị trí của “%(f)s” phải là số (mm).", f=certificates.FIELDS[name]),
                          field=f"{name}-x") from None
        if not (0 <= x < width and 0 < y <= height):
            raise Invalid(_("“%(f)s” nằm ngoài trang (%(w)s × %(h)s mm).", f=certificates.FIELDS[name],
                            w=f"{width:g}", h=f"{height:g}"), field=f"{name}-x")
        if not (5 <= w <= width - x + 0.001):
            raise Invalid(_("Độ rộng của “%(f)s” phải từ 5 mm và không vượt quá mép phải của trang.",
                            f=certificates.FIELDS[name]), field=f"{name}-width")
        if not (6 <= size <= 72):
            raise Invalid(_("Cỡ chữ của “%(f)s” phải từ 6 đến 72.", f=certificates.FIELDS[name]), field=f"{name}-size")
        align = spec.get("align", "left")
        if align not in certificates.ALIGNS:
            raise Invalid(_("Căn lề không hợp lệ."), field=f"{name}-align")
        clean[name] = {"x": x, "y": y, "width": w, "size": size, "align": align, "bold": bool(spec.get("bold"))}
    return clean


def save_layout(award_code: str, *, page: str, landscape: bool, place: str, fields: dict, blank: bytes | None = None,
                blank_name: str = "", by) -> CertificateLayout:
    """Save an award type's blank: page size, orientation, place line and fields; a new scanned blank replaces the
    one drawn under the test print."""
    if not can_calibrate(by):
        _refuse()
    if catalog.known_award(award_code) is None:  # built-in or stored (issue 25)
        raise Invalid(_("Không có danh hiệu, hình thức khen thưởng này."), field="award_code")
    if page not in certificates.PAGES:
        raise Invalid(_("Khổ giấy không hợp lệ."), field="page")
    long, short = certificates.PAGES[page]
    width, height = (long, short) if landscape else (short, long)
    clean = _check_fields(fields, width, height)
    saved = queries.layout_of(award_code) or CertificateLayout(award_code=award_code)
    if blank:
        saved.blank_upload = uploads.store(blank, blank_name, allowed=uploads.IMAGES, by=by)
    saved.page_width, saved.page_height, saved.place, saved.fields = width, height, (place or "").strip()[:100], clean
    saved.updated_by_id = getattr(by, "id", None)
    db.session.add(saved)
    db.session.flush()
    audit.record("certificate.layout", saved, by=by, after={"award": award_code, "page": page,
                                                            "landscape": landscape, "fields": clean})
    return saved


def test_print(award_code: str, *, by, on) -> bytes:
    """Sample data drawn over the scanned blank (when one is saved): to hold against the light with a real blank."""
    if not can_calibrate(by):
        _refuse()
    found = layout(award_code)
    blank = uploads.path_for(found.blank.sha256).read_bytes() if found.blank is not None else None
    sheet = certificates.sample_sheet(found.place, on)
    return certificates.render([(sheet, found)], blank=blank)


def _sheet(decision: Decision, item, place: str) -> certificates.Sheet:
    record = item.record
    unit = record.unit
    unit_text = unit.display_name if record.subject_type == "person" else (unit.parent.name if unit.parent else "")
    return certificates.Sheet(
        name=record.subject_name, unit=unit_text, award=_("%(a)s năm %(y)s", a=catalog.award_name(record.award_code),
                                                            y=record.year),
        decision=_("Quyết định số %(n)s ngày %(d)s", n=decision.number, d=decision.signed_on.strftime("%d/%m/%Y")),
        gold_book=_("Số sổ vàng: %(n)s", n=record.gold_book_number) if record.gold_book_number else "",
        place_date=date_line(place, decision.signed_on))


def print_certificates(decision: Decision, *, by) -> bytes:
    """Every certificate of the decision (revoked awards left out) as one PDF, one page each, on its award's
    calibrated blank: text only, for the office printer."""
    if not can_print(by, decision):
        _refuse(_("Chỉ bộ phận thường trực của đơn vị ban hành quyết định mới được in giấy chứng nhận."))
    layouts: dict[str, Layout] = {}
    pages = []
    for item in decision.items:
        if item.record.revoked:
            continue
        code = item.record.award_code
        if code not in layouts:
            layouts[code] = layout(code)
        pages.append((_sheet(decision, item, layouts[code].place), layouts[code]))
    if not pages:
        raise DomainError(_("Quyết định không còn khen thưởng nào để in giấy chứng nhận."))
    audit.record("certificate.print", decision, by=by, after={"pages": len(pages)})
    return certificates.render(pages)
