"""Verifying a signed PDF with pyHanko: the last signature covers the whole file (nothing appended after it but
validation data), its digest matches (nothing modified), and the signer's certificate chains to a configured
trusted root and was valid at the signing time — the time of a timestamp token when there is one (and it
verifies), else the time the signer's software wrote (unproven: the page says which). No network: revocation is
not fetched (soft-fail), the trust list is what TRUSTED_ROOTS names.

A plain function of the file's bytes and the trusted roots: no database, no Flask (tests call it directly).
pyHanko (~26 MB with its certificate validator) is imported when a PDF is verified, not when the app starts: a web
worker that never verifies never loads it (issue 21)."""

import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from flask_babel import gettext as _

from awards.signing import blocking
from awards.signing.models import Outcome, TimeSource

# pyHanko logs every refused path with its traceback: the verdict says it in Vietnamese, once
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.ERROR)
ALLOWED_AFTER = ("NONE", "LTA_UPDATES")  # pyHanko's ModificationLevel after the signature: validation data, timestamps


@dataclass
class Verdict:
    outcome: Outcome
    reason: str
    signer: str = ""
    organisation: str = ""
    signed_at: datetime | None = None
    time_source: TimeSource | None = None

    @property
    def valid(self) -> bool:
        return self.outcome == Outcome.valid


def load_roots(setting) -> list[asn1_x509.Certificate]:
    """The trusted root certificates TRUSTED_ROOTS names: PEM (or DER) files and folders of them, as a list or a
    text separated by commas or the path separator. A name that cannot be read is skipped (the page says no root
    is configured when none is left)."""
    names = setting if isinstance(setting, list | tuple) else str(setting or "").replace(";", ",").split(",")
    paths: list[Path] = []
    for name in (str(n).strip() for n in names):
        if not name:
            continue
        path = Path(name)
        paths.extend(sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path])
    roots = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        blobs = [der for _kind, _headers, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        for der in blobs:
            try:
                cert = asn1_x509.Certificate.load(der)
                cert.native  # noqa: B018 (parse it now: a broken file is skipped, not a 500 later)
            except ValueError:
                continue
            roots.append(cert)
    return roots


def _name_part(cert, part: str) -> str:
    return str(cert.subject.native.get(part, "") or "")


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%d/%m/%Y %H:%M UTC") if moment else "?"


def _signing_time(signature, roots) -> tuple[datetime | None, TimeSource | None]:
    """The time to judge the certificate at: a verified signature timestamp's, else the claimed signing time."""
    from pyhanko.sign.validation import validate_pdf_signature  # on first verification (the module's docstring)
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = blocking.call(validate_pdf_signature, signature, context,
                           ts_validation_context=ValidationContext(trust_roots=roots, allow_fetching=False),
                           skip_diff=True)
    stamp = status.timestamp_validity
    if stamp is not None and stamp.intact and stamp.valid and stamp.trusted:
        return stamp.timestamp, TimeSource.timestamp
    claimed = signature.self_reported_timestamp
    return claimed, TimeSource.claimed if claimed else None


def _certificate_dates(cert, moment: datetime | None) -> Outcome | None:
    if moment is None:
        return None
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if moment > not_after:
        return Outcome.expired
    if moment < not_before:
        return Outcome.not_yet_valid
    return None


def verify_pdf(data: bytes, roots: list) -> Verdict:
    """The verdict on a signed PDF (see the module's docstring), with a Vietnamese reason for each refusal."""
    if not data.startswith(b"%PDF-"):
        return Verdict(Outcome.not_pdf, _("Tệp không phải PDF (kiểm tra theo nội dung tệp)."))
    from pyhanko.pdf_utils.reader import PdfFileReader  # on first verification (the module's docstring)

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # a hostile or broken file can make the parser fail anywhere: bad input, not a 500
        return Verdict(Outcome.not_pdf, _("Tệp PDF bị hỏng, không đọc được (%(e)s).", e=str(exc)[:200]))
    if not signatures:
        return Verdict(Outcome.unsigned, _("Tệp PDF không có chữ ký số nào."))
    signature = signatures[-1]
    try:
        return _judge(signature, roots)
    except Exception as exc:  # the same for a signature's own structures (CMS, certificates)
        return Verdict(Outcome.invalid, _("Không kiểm tra được chữ ký số (%(e)s).", e=str(exc)[:200]))


def _judge(signature, roots) -> Verdict:
    from pyhanko.sign.diff_analysis import ModificationLevel  # on first verification (the module's docstring)
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    cert = signature.signer_cert
    who = {"signer": _name_part(cert, "common_name"), "organisation": _name_part(cert, "organization_name")}
    moment, source = _signing_time(signature, roots)
    at = moment or datetime.now(UTC)
    status = blocking.call(validate_pdf_signature, signature,
                           ValidationContext(trust_roots=roots, allow_fetching=False, moment=at))
    found = {**who, "signed_at": moment, "time_source": source}
    if not status.intact:
        return Verdict(Outcome.modified, _("Tài liệu đã bị sửa đổi sau khi ký: nội dung không còn khớp với chữ ký "
                                           "số."), **found)
    if not status.valid:
        return Verdict(Outcome.invalid, _("Chữ ký số không hợp lệ (giá trị chữ ký không khớp với chứng thư)."),
                       **found)
    allowed_after = {ModificationLevel[name] for name in ALLOWED_AFTER}
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level in allowed_after)
    if not whole:
        return Verdict(Outcome.modified, _("Tài liệu đã bị sửa đổi sau khi ký: có phần được thêm vào tệp sau chữ ký "
                                           "số (bản cập nhật không được ký)."), **found)
    if not roots:
        return Verdict(Outcome.untrusted, _("Máy chủ chưa được cấu hình danh sách chứng thư gốc tin cậy "
                                            "(TRUSTED_ROOTS), nên chưa xác nhận được người ký."), **found)
    dated = _certificate_dates(cert, moment)
    basis = source.label if source else ""
    if dated == Outcome.expired:
        return Verdict(dated, _("Chứng thư số của người ký đã hết hạn vào thời điểm ký: hết hạn %(end)s, ký lúc "
                                "%(at)s (%(basis)s).", end=_when(cert.not_valid_after), at=_when(moment),
                                basis=basis), **found)
    if dated == Outcome.not_yet_valid:
        return Verdict(dated, _("Chứng thư số của người ký chưa có hiệu lực vào thời điểm ký: có hiệu lực từ "
                                "%(start)s, ký lúc %(at)s (%(basis)s).", start=_when(cert.not_valid_before),
                                at=_when(moment), basis=basis), **found)
    if not status.trusted:
        return Verdict(Outcome.untrusted, _("Chứng thư số của người ký không dẫn về chứng thư gốc nào được tin cậy "
                                            "(tổ chức cấp: %(issuer)s).", issuer=cert.issuer.human_friendly),
                       **found)
    return Verdict(Outcome.valid, _("Chữ ký số hợp lệ: ký bởi %(who)s (%(org)s) lúc %(at)s, %(basis)s.",
                                    who=who["signer"], org=who["organisation"] or "—", at=_when(moment),
                                    basis=basis), **found)
