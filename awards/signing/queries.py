"""Reading signed files and blank layouts."""

from sqlalchemy import func, select

from awards.announcements.models import Decision
from awards.core.text import fold
from awards.extensions import db
from awards.signing.models import CertificateLayout, SignedFile


def signed_files(decision_id: int) -> list[SignedFile]:
    """Every signed file of a decision, newest first (the refused ones too)."""
    return list(db.session.scalars(select(SignedFile).where(SignedFile.decision_id == decision_id)
                                   .order_by(SignedFile.id.desc())))


def published(decision_id: int) -> SignedFile | None:
    """The decision's latest valid signed file: the one the public sees."""
    return db.session.scalar(select(SignedFile).where(SignedFile.decision_id == decision_id, SignedFile.valid)
                             .order_by(SignedFile.id.desc()).limit(1))


def published_ids(decision_ids: list[int]) -> dict[int, int]:
    """decision id → its published signed file's id, for a page of decisions (one query)."""
    if not decision_ids:
        return {}
    rows = db.session.execute(select(SignedFile.decision_id, func.max(SignedFile.id))
                              .where(SignedFile.decision_id.in_(set(decision_ids)), SignedFile.valid)
                              .group_by(SignedFile.decision_id))
    return dict(rows.all())


def valid_by_sha256(sha256: str) -> SignedFile | None:
    """A valid signed file with these exact bytes (the latest if kept twice)."""
    return db.session.scalar(select(SignedFile).where(SignedFile.sha256 == sha256, SignedFile.valid)
                             .order_by(SignedFile.id.desc()).limit(1))


def decisions_numbered(number: str) -> list[Decision]:
    """The decisions bearing this number, typed with or without diacritics or capitals ("12/qd-syt" finds
    "12/QĐ-SYT"); numbers run per issuing unit and year, so several may. Newest first."""
    text = " ".join((number or "").split())[:60]
    if not text:
        return []
    digits = len(text) - len(text.lstrip("0123456789"))
    stmt = select(Decision).order_by(Decision.signed_on.desc(), Decision.id.desc())
    if not digits:
        return list(db.session.scalars(stmt.where(Decision.number == text).limit(20)))
    candidates = db.session.scalars(stmt.where(Decision.number.like(text[:digits] + "%")).limit(2000))
    return [d for d in candidates if fold(d.number) == fold(text)][:20]


def layout_of(award_code: str) -> CertificateLayout | None:
    return db.session.scalar(select(CertificateLayout).where(CertificateLayout.award_code == award_code))


def layouts() -> dict[str, CertificateLayout]:
    return {layout.award_code: layout for layout in db.session.scalars(select(CertificateLayout))}


def signed_file_by_id(signed_file_id: int) -> SignedFile | None:
    return db.session.get(SignedFile, signed_file_id)
