"""Reading announcements, feedback and decisions; what the public may see of a nominee, and nothing more."""

from sqlalchemy import extract, select

from awards.announcements.models import Announcement, Decision, DecisionItem, Feedback
from awards.catalog.types import name_of
from awards.extensions import db


def announcement_by_id(announcement_id: int) -> Announcement | None:
    return db.session.get(Announcement, announcement_id)


def announcements_stmt():
    return select(Announcement).order_by(Announcement.id.desc())


def nominee(nomination) -> dict:
    """The public face of a nominee: name, unit, award and the achievement summary. No birth date, contact,
    code or attachment."""
    return {"nomination_id": nomination.id, "subject_name": nomination.subject_name,
            "unit_name": nomination.unit.name, "award_code": nomination.award_code,
            "award_name": name_of(nomination.award_code), "summary": nomination.summary}


def announcement_out(announcement: Announcement) -> dict:
    return {"id": announcement.id, "title": announcement.title, "opens_on": announcement.opens_on,
            "closes_on": announcement.closes_on, "phase": announcement.phase,
            "nominees": [nominee(i.nomination) for i in announcement.items]}


def feedback_by_id(feedback_id: int) -> Feedback | None:
    return db.session.get(Feedback, feedback_id)


def feedback_stmt(*, announcement_id: int | None = None, status: str | None = None, nomination_id: int | None = None):
    stmt = select(Feedback).order_by(Feedback.id.desc())
    if announcement_id is not None:
        stmt = stmt.where(Feedback.announcement_id == announcement_id)
    if status:
        stmt = stmt.where(Feedback.status == status)
    if nomination_id is not None:
        stmt = stmt.where(Feedback.nomination_id == nomination_id)
    return stmt


def decision_by_id(decision_id: int) -> Decision | None:
    return db.session.get(Decision, decision_id)


def decisions_stmt(*, year: int | None = None):
    stmt = select(Decision).order_by(Decision.signed_on.desc(), Decision.id.desc())
    if year is not None:
        stmt = stmt.where(extract("year", Decision.signed_on) == year)
    return stmt


def recipient(item: DecisionItem) -> dict:
    nomination, record = item.nomination, item.record
    return {"nomination_id": nomination.id, "record_id": record.id, "gold_book_number": record.gold_book_number,
            "subject_type": nomination.subject_type, "subject_name": nomination.subject_name,
            "unit_name": nomination.unit.name, "award_code": nomination.award_code,
            "award_name": name_of(nomination.award_code), "year": nomination.year, "revoked": record.revoked}


def decision_out(decision: Decision, *, public: bool = False) -> dict:
    """A decision and its recipients; the public version leaves out awards since revoked."""
    recipients = [recipient(i) for i in decision.items]
    return {"id": decision.id, "number": decision.number, "signed_on": decision.signed_on, "signer": decision.signer,
            "issuer": decision.issuer,
            "recipients": [r for r in recipients if not (public and r["revoked"])]}
