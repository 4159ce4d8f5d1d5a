"""Public review: publishing a list of nominees, taking the public's feedback, handling it as cases.
Each action checks, flushes, audits; the caller commits."""

import secrets
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from awards.announcements.models import (
    Announcement,
    AnnouncementItem,
    CaseAction,
    CaseOutcome,
    CaseStatus,
    Feedback,
    FeedbackNote,
)
from awards.announcements.states import transition as case_transition
from awards.auth.models import User
from awards.catalog import services as catalog
from awards.core import audit, clock, workdays
from awards.core.db import DomainError, Invalid, utcnow
from awards.extensions import db
from awards.nominations import notices as nomination_notices
from awards.nominations.models import Nomination
from awards.nominations.panels import FEEDBACK_SOURCES
from awards.nominations.states import FREEZES, transition
from awards.notifications import queries as recipients
from awards.notifications.services import finish, notify

PUBLISHABLE = ("passed", "appraised")  # after the council, or before it (NĐ 98 Art 46), or with no vote due
OUTCOMES = tuple(CaseOutcome)
ACTIONS = tuple(CaseAction)
LIMITS = {"name": 200, "contact": 200, "content": 5000}
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


def open_case(nomination: Nomination) -> Feedback | None:
    return db.session.scalar(select(Feedback).where(Feedback.nomination_id == nomination.id,
                                                    Feedback.status == "open").order_by(Feedback.id).limit(1))


def open_cases_of(nomination_ids) -> dict[int, Feedback]:
    """`open_case` for many dossiers in one query: each one's first open case (absent: none open)."""
    found: dict[int, Feedback] = {}
    if not nomination_ids:
        return found
    for case in db.session.scalars(select(Feedback).where(Feedback.nomination_id.in_(list(nomination_ids)),
                                                          Feedback.status == "open").order_by(Feedback.id)):
        found.setdefault(case.nomination_id, case)
    return found


def frozen_reason(nomination: Nomination, case: Feedback | None) -> str | None:
    """The refusal an open case gives (NĐ 152 Art 4.4), None without one: the one wording of _frozen, the decision
    gate and their batch forms."""
    if case is None:
        return None
    return _("Hồ sơ #%(i)s đang có ý kiến phản ánh %(r)s chưa giải quyết.", i=nomination.id, r=case.reference)


def _frozen(nomination: Nomination) -> str | None:
    """NĐ 152 Art 4.4: an unresolved complaint on a nominee freezes the nomination."""
    if nomination.id is None:
        return None
    return frozen_reason(nomination, open_case(nomination))


def _frozen_many(nominations) -> dict[int, str | None]:
    """_frozen for many saved dossiers in one query (nominations.queries.forward_refusals)."""
    cases = open_cases_of([n.id for n in nominations])
    return {n.id: frozen_reason(n, cases.get(n.id)) for n in nominations}


_frozen.many = _frozen_many  # the batch form of a gate: same answers, one query for any number of dossiers
FREEZES.append(_frozen)


def _feedback_on(nomination: Nomination) -> list[Feedback]:
    return list(db.session.scalars(select(Feedback).where(Feedback.nomination_id == nomination.id)
                                   .order_by(Feedback.id)))


FEEDBACK_SOURCES.append(_feedback_on)


def latest_announcement(nomination: Nomination) -> Announcement | None:
    return db.session.scalar(select(Announcement).join(AnnouncementItem).where(
        AnnouncementItem.nomination_id == nomination.id).order_by(Announcement.id.desc()).limit(1))


def review_days(opens_on: date, closes_on: date) -> int:
    """The working days of a public review period, its first and last day included."""
    return workdays.working_days_between(opens_on, closes_on) + workdays.is_working_day(opens_on)


def _check_period(nominations: list[Nomination], opens_on: date, closes_on: date) -> int:
    """Each award's public review period, in working days (RULES §7: 10 for Huân chương); the days counted."""
    if closes_on < opens_on:
        raise Invalid(_("Ngày kết thúc công khai phải sau ngày bắt đầu."), field="closes_on")
    days = review_days(opens_on, closes_on)
    for nomination in nominations:
        award = catalog.award_type(nomination.award_code)
        if days < award.review_days:
            raise Invalid(_("“%(a)s” phải công khai ít nhất %(n)s ngày làm việc (đợt này có %(d)s).",
                            a=award.name, n=award.review_days, d=days), field="closes_on")
    return days


def check_publication(*, title: str, nomination_ids: list[int], opens_on: date, closes_on: date
                      ) -> tuple[list[Nomination], int]:
    """Every guard of `publish`, without writing: the dossiers in order and the working days of the period (the
    page shows them before the confirmation)."""
    if not title.strip():
        raise Invalid(_("Trường này là bắt buộc."), field="title")
    if not nomination_ids or len(set(nomination_ids)) != len(nomination_ids):
        raise Invalid(_("Chọn ít nhất một hồ sơ, mỗi hồ sơ một lần."), field="nomination_ids")
    found = {n.id: n for n in db.session.scalars(select(Nomination).where(Nomination.id.in_(nomination_ids)))}
    missing = [i for i in nomination_ids if i not in found]
    if missing:
        raise Invalid(_("Không có hồ sơ số %(i)s.", i=missing[0]), field="nomination_ids")
    nominations = [found[i] for i in nomination_ids]
    for nomination in nominations:
        if nomination.status not in PUBLISHABLE:
            raise DomainError(_("Hồ sơ #%(i)s chưa thể công khai (cần đã thẩm định đạt hoặc Hội đồng thông qua).",
                                i=nomination.id), code="wrong_state")
    return nominations, _check_period(nominations, opens_on, closes_on)


def publish(*, title: str, nomination_ids: list[int], opens_on: date, closes_on: date, by) -> Announcement:
    """A public list of nominees: the dossiers move to `public_review` for the period."""
    nominations, _days = check_publication(title=title, nomination_ids=nomination_ids, opens_on=opens_on,
                                           closes_on=closes_on)
    announcement = Announcement(title=title.strip(), opens_on=opens_on, closes_on=closes_on, created_by_id=by.id)
    announcement.items = [AnnouncementItem(nomination=n, position=p) for p, n in enumerate(nominations, start=1)]
    db.session.add(announcement)
    for nomination in nominations:
        transition(nomination, "public_review", by=by, note=announcement.title)
    db.session.flush()
    audit.record("announcement.publish", announcement, by=by, after={
        "nominations": nomination_ids, "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()})
    return announcement


def _reference() -> str:
    return f"YK-{clock.today().year}-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _i in range(6))


def submit_feedback(announcement: Announcement, *, nomination_id: int, name: str, contact: str, content: str,
                    honeypot: str = "") -> Feedback:
    """The public's written, identified feedback on one nominee, while the list is open; a reference back."""
    if honeypot:
        raise Invalid(_("Không gửi được ý kiến."), field="website")
    if announcement.phase != "open":
        raise DomainError(_("Danh sách này không trong thời gian nhận ý kiến."), code="closed")
    if nomination_id not in {i.nomination_id for i in announcement.items}:
        raise Invalid(_("Người được đề nghị không có trong danh sách này."), field="nomination_id")
    values = {"name": (name or "").strip(), "contact": (contact or "").strip(), "content": (content or "").strip()}
    for field, value in values.items():
        if not value:
            raise Invalid(_("Trường này là bắt buộc."), field=field)
        if len(value) > LIMITS[field]:
            raise Invalid(_("Tối đa %(n)s ký tự.", n=f"{LIMITS[field]:,}".replace(",", ".")), field=field)
    feedback = Feedback(reference=_reference(), announcement=announcement, nomination_id=nomination_id, **values)
    db.session.add(feedback)
    db.session.flush()
    audit.record("feedback.receive", feedback, after={"reference": feedback.reference, "nomination": nomination_id})
    notify(recipients.managers(), "feedback_received",
           _("Ý kiến phản ánh mới %(r)s", r=feedback.reference), announcement.title, f"/feedback/{feedback.id}",
           about=("feedback", feedback.id))
    nomination_notices.feedback_received(feedback.nomination)  # the unit: that someone wrote, never who or what
    return feedback


def _open(feedback: Feedback) -> None:
    if feedback.status != "open":
        raise DomainError(_("Ý kiến này đã được giải quyết."), code="wrong_state")


def assign(feedback: Feedback, *, assignee: User, by) -> None:
    """Give the case to a member of the secretariat."""
    _open(feedback)
    if not assignee.is_manager:
        raise Invalid(_("Chỉ giao cho cán bộ thường trực."), field="assignee")
    before = feedback.assignee.username if feedback.assignee else None
    feedback.assignee = assignee
    db.session.add(FeedbackNote(feedback=feedback, by_id=by.id, body=_("Giao cho %(u)s", u=assignee.username)))
    db.session.flush()
    audit.record("feedback.assign", feedback, by=by, before={"assignee": before}, after={"assignee": assignee.username})
    notify([assignee], "feedback_assigned", _("Bạn được giao xử lý ý kiến %(r)s", r=feedback.reference), "",
           f"/feedback/{feedback.id}", about=("feedback", feedback.id))


def add_note(feedback: Feedback, *, body: str, by) -> FeedbackNote:
    body = (body or "").strip()
    if not body or len(body) > 5000:
        raise Invalid(_("Ghi chú phải có nội dung, tối đa 5.000 ký tự."), field="body")
    note = FeedbackNote(feedback=feedback, by_id=by.id, body=body)
    db.session.add(note)
    db.session.flush()
    return note


def resolve(feedback: Feedback, *, resolution: str, outcome: str = "dismissed", action: str = "none", by) -> None:
    """Close the case with its outcome; an upheld one may send the dossier back or reject it, with the
    resolution as the reason in the dossier's history."""
    _open(feedback)
    if outcome not in OUTCOMES:
        raise Invalid(_("Kết quả phải là không có cơ sở (dismissed) hoặc có cơ sở (upheld)."), field="outcome")
    if action not in ACTIONS or (outcome == "dismissed" and action != "none"):
        raise Invalid(_("Chỉ ý kiến có cơ sở mới trả lại hoặc loại hồ sơ."), field="action")
    if not (resolution or "").strip():
        raise Invalid(_("Cần ghi kết quả giải quyết."), field="resolution")
    feedback.outcome, feedback.action = outcome, action
    feedback.resolution, feedback.resolved_at, feedback.resolved_by_id = resolution.strip(), utcnow(), by.id
    case_transition(feedback, CaseStatus.resolved, by=by, extra={"outcome": outcome, "action": action,
                                                                 "resolution": feedback.resolution})
    db.session.flush()
    finish("feedback", feedback.id)  # the secretariat's "new feedback" and "assigned to you" are done
    if action != "none":
        note = _("Ý kiến phản ánh %(r)s có cơ sở: %(t)s", r=feedback.reference, t=feedback.resolution)
        transition(feedback.nomination, "returned" if action == "return" else "rejected", by=by, note=note)
        db.session.flush()


def open_cases_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Feedback).where(Feedback.status == "open"))
