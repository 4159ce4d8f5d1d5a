"""A public feedback sender's personal data is kept only as long as the case needs it (NĐ 13/2023/NĐ-CP, data
kept no longer than its purpose; docs/PERSONAL-DATA.md): FEEDBACK_CONTACT_RETENTION_DAYS after the case is resolved
the sender's name and contact are erased. The case itself (its content, outcome, resolution, notes) stays: the
decision that followed may be questioned later."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select

from awards.announcements.models import CaseStatus, Feedback
from awards.core import audit
from awards.core.db import utcnow
from awards.extensions import db

ERASED = ""


def erasable_stmt(days: int | None = None):
    """The resolved cases whose sender's data is past its retention period and not yet erased."""
    days = current_app.config["FEEDBACK_CONTACT_RETENTION_DAYS"] if days is None else days
    cutoff = utcnow() - timedelta(days=days)  # resolved_at is stamped with utcnow()
    return (select(Feedback).where(Feedback.status == CaseStatus.resolved, Feedback.resolved_at.is_not(None),
                                   Feedback.resolved_at <= cutoff,
                                   or_(Feedback.name != ERASED, Feedback.contact != ERASED))
            .order_by(Feedback.id))


def erase_expired_contacts(days: int | None = None, by=None) -> dict:
    """Erase the name and contact of every resolved case past the retention period; one audit entry naming the
    cases (never the erased values). Open cases are never touched. Flushes; the caller (CLI, task) commits."""
    cases = db.session.scalars(erasable_stmt(days)).all()
    for case in cases:
        case.name, case.contact = ERASED, ERASED
    if cases:
        audit.record("feedback.contacts_erased", by=by, object_type="Feedback",
                     after={"references": [case.reference for case in cases]})
    db.session.flush()
    return {"erased": len(cases)}
