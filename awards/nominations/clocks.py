"""The processing clock of a dossier (RULES §6): each step against its norm in working days. The queue
(appraisal.py) and the stored outcomes (outcomes.py) both read it; the dossier page computes it live."""

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from awards.archive.eligibility import Checklist
from awards.archive.models import AwardRecord
from awards.catalog import services as catalog
from awards.core import clock
from awards.core.workdays import add_working_days, is_working_day, working_days_between
from awards.extensions import db
from awards.nominations.models import Nomination


def vn_date(moment: datetime | None) -> date | None:
    return moment.astimezone(clock.VIETNAM).date() if moment else None


def appraised_at(nomination: Nomination) -> datetime | None:
    """When the dossier was last appraised as passing."""
    return max((e.at for e in nomination.events if e.status == "appraised"), default=None)


def _norm(what: str, started: date, ended: date | None, norm: int) -> dict:
    """One step against its norm: working days from `started` to `ended` (or to today while it runs)."""
    elapsed = working_days_between(started, ended or clock.today())
    return {"what": what, "started": started, "ended": ended, "elapsed": elapsed, "norm": norm,
            "due_on": add_working_days(started, norm), "overdue": elapsed > norm, "done": ended is not None,
            "label": _("%(what)s: %(n)s/%(norm)s ngày làm việc", what=what, n=elapsed, norm=norm)}


def decided_on(nomination: Nomination) -> date | None:
    """The signing date of the decision that awarded the dossier (its archive record's decision date)."""
    return db.session.scalar(select(AwardRecord.decision_date).where(
        AwardRecord.subject_type == nomination.subject_type, AwardRecord.subject_code == nomination.subject_code,
        AwardRecord.award_code == nomination.award_code, AwardRecord.year == nomination.year,
        AwardRecord.entry == "award").order_by(AwardRecord.id.desc()).limit(1))


def steps_of(nomination: Nomination, checklist: Checklist | None, settings: dict) -> list[dict]:
    """Each step of the dossier against its own norm (RULES §6; NĐ 98 Art 32.2 unverified, so settings): 5 working
    days to return an ineligible dossier and 20 to appraise a complete one, from its submission; 10 to send the
    decision and results out, from the decision's signing to its entry here (when the units are told)."""
    steps, received = [], None
    for event in nomination.events:  # in the order they happened (by id)
        day = vn_date(event.at)
        if event.status == "submitted":
            received = day
        elif event.status == "returned" and received is not None:
            steps.append(_norm(_("Trả lại hồ sơ chưa đủ điều kiện"), received, day, settings["return_days"]))
            received = None
        elif event.status in ("appraised", "rejected") and received is not None:
            steps.append(_norm(_("Thẩm định"), received, day, settings["appraisal_days"]))
            received = None
        elif event.status == "awarded":
            signed = decided_on(nomination)
            if signed is not None:
                steps.append(_norm(_("Gửi quyết định, kết quả khen thưởng"), signed, max(day, signed),
                                   settings["forward_days"]))
    received = vn_date(nomination.submitted_at) or received  # the latest submission: the running clock's start
    if nomination.status == "submitted" and received is not None:
        failing = checklist is not None and not checklist.eligible
        steps.append(_norm(_("Trả lại hồ sơ chưa đủ điều kiện") if failing else _("Thẩm định"), received, None,
                           settings["return_days" if failing else "appraisal_days"]))
    return steps


def clock_of(nomination: Nomination, checklist: Checklist | None, settings: dict | None = None) -> dict:
    """Working days the dossier has waited on its current step and that step's norm, with every step it took
    (`steps`): submitted → the appraisal norm, or the return norm when its checklist fails. Waiting for the
    council or a decision has no norm (the 10-day norm is for sending the decision out, not appraisal → council):
    elapsed is counted from the appraisal, never overdue."""
    settings = settings if settings is not None else catalog.global_settings()
    steps = steps_of(nomination, checklist, settings)
    running = steps[-1] if steps and not steps[-1]["done"] else None
    if running is not None:
        return {**running, "steps": steps}
    started = vn_date(appraised_at(nomination) if nomination.status == "appraised" else None) or \
        vn_date(nomination.submitted_at)
    if started is None:
        return {"elapsed": None, "norm": None, "due_on": None, "overdue": False, "label": "", "steps": steps}
    elapsed = working_days_between(started, clock.today())
    return {"elapsed": elapsed, "norm": None, "due_on": None, "overdue": False, "steps": steps,
            "label": _("%(n)s ngày làm việc", n=elapsed)}


def overdue_cutoff(norm: int, today: date | None = None) -> date:
    """The latest start date whose elapsed working days exceed `norm` today (every earlier date too)."""
    today = today or clock.today()
    day, count = today, 0  # count = working days after `day` up to `today`
    while count <= norm:
        if is_working_day(day):
            count += 1
        day -= timedelta(days=1)
    return day


def _before(day: date) -> datetime:
    """The first instant after `day` in Vietnam: a start `< this` falls on `day` or earlier."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=clock.VIETNAM)
