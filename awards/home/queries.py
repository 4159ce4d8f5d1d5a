"""What each role's home page shows: the work waiting for them, counted with set queries over the other features'
own queries (home is a leaf: it reads every feature, nothing imports it)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select

from awards.announcements import queries as announcements
from awards.announcements.models import Announcement, AnnouncementItem, Decision, DecisionItem, Feedback
from awards.campaigns import permissions as campaign_permissions
from awards.campaigns import queries as campaigns
from awards.campaigns import rules as campaign_rules
from awards.campaigns.services import registration_open_for
from awards.catalog import services as catalog
from awards.core import clock
from awards.council import queries as council
from awards.council.models import BallotCast, CouncilSession, SessionItem, SessionMember
from awards.extensions import db
from awards.nominations import appraisal
from awards.nominations import queries as nominations
from awards.nominations.models import Nomination, NominationEvent, NominationStatus
from awards.reports import queries as reports

PREVIEW = 5  # dossiers shown under the appraisal count, the longest waiting first
LIST_LIMIT = 10  # rows of a home list (the rest behind its "see all" link)
ENDING_DAYS = 7  # "ends this week": a public list closing within the next seven days, today included


@dataclass(frozen=True)
class Task:
    """One line of work: how many, what it is, where the filtered list is; `urgent` when late or due."""

    count: int
    label: str
    url: str
    hint: str = ""
    urgent: bool = False


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(
        stmt.with_only_columns(Nomination.id, maintain_column_froms=True).order_by(None).subquery()))


# --- staff --------------------------------------------------------------------------------------------------

def appraisal_tasks(user) -> tuple[list[Task], list]:
    """The appraisal desk: dossiers waiting, those past their norm, and a preview of the longest waiting (the
    overdue ones first), each with its working-day clock."""
    settings = catalog.global_settings()
    known: dict = {}
    overdue_stmt = appraisal.queue_stmt(user, overdue_only=True, settings=settings, checklists=known)
    waiting, overdue = _count(appraisal.queue_stmt(user, settings=settings)), _count(overdue_stmt)
    late_appraised = _count(appraisal.queue_stmt(user, status="appraised", overdue_only=True, settings=settings))
    _page, first = appraisal.paginate_queue(overdue_stmt, 1, PREVIEW)
    if len(first) < PREVIEW:
        rest = appraisal.queue_stmt(user, settings=settings)
        if first:
            rest = rest.where(Nomination.id.not_in([n.id for n in first]))
        first += appraisal.paginate_queue(rest, 1, PREVIEW - len(first))[1]
    preview = appraisal.queue_rows(first, settings, known)
    tasks = [
        Task(waiting, _("Hồ sơ chờ thẩm định"), url_for("nominations.queue"),
             _("Đã nộp, chưa có kết luận thẩm định")),
        Task(overdue, _("Hồ sơ quá hạn thẩm định"), url_for("nominations.queue", waiting="overdue"),
             _("Đã quá số ngày làm việc quy định"), urgent=overdue > 0),
    ]
    if late_appraised:
        tasks.append(Task(late_appraised, _("Hồ sơ đạt thẩm định quá hạn chuyển Hội đồng"),
                          url_for("nominations.queue", status="appraised", waiting="overdue"), urgent=True))
    return tasks, preview


def _decidable_count() -> int:
    """Dossiers a decision may include now (announcements.decisions.why_not_decidable, as one set query): passed
    by the council, or under public review whose latest list has closed, or appraised when no vote is due —
    and no open feedback case on any of them."""
    today = clock.today()
    no_vote = [code for code, award in catalog.award_types().items() if not award.council_vote]
    latest_list = (select(func.max(AnnouncementItem.announcement_id))
                   .where(AnnouncementItem.nomination_id == Nomination.id).correlate(Nomination).scalar_subquery())
    closed_list = exists().where(Announcement.id == latest_list, Announcement.closes_on < today)
    no_list = ~exists().where(AnnouncementItem.nomination_id == Nomination.id)
    open_case = exists().where(Feedback.nomination_id == Nomination.id, Feedback.status == "open")
    return db.session.scalar(select(func.count(Nomination.id)).where(
        or_(Nomination.status == "passed",
            and_(Nomination.status == "public_review", or_(closed_list, no_list)),
            and_(Nomination.status == "appraised", Nomination.award_code.in_(no_vote))),
        ~open_case))


def staff_tasks(user) -> list[Task]:
    """Everything else waiting at the secretariat, each a count linking to the list that shows it."""
    today, now = clock.today(), clock.now()
    open_cases = db.session.scalar(select(func.count(Feedback.id)).where(Feedback.status == "open"))
    ending = db.session.scalar(select(func.count(Announcement.id)).where(
        *announcements.ending_within(ENDING_DAYS, today)))
    drafts = db.session.scalar(select(func.count(CouncilSession.id)).where(
        CouncilSession.status == "draft", exists().where(SessionItem.session_id == CouncilSession.id)))
    to_close = db.session.scalar(select(func.count(CouncilSession.id)).where(
        CouncilSession.status == "open", CouncilSession.closes_at <= now))
    decidable = _decidable_count()
    tasks = [
        Task(open_cases, _("Ý kiến phản ánh đang xử lý"), url_for("announcements.cases"),
             _("Hồ sơ có ý kiến chưa giải quyết bị tạm dừng"), urgent=open_cases > 0),
        Task(ending, _("Danh sách công khai kết thúc trong 7 ngày"), url_for("announcements.index", ending="week"),
             _("Hết hạn thì có thể ban hành quyết định")),
        Task(drafts, _("Phiên họp chờ mở bỏ phiếu"), url_for("council.sessions", status="draft"),
             _("Đã có hồ sơ trong chương trình")),
        Task(to_close, _("Phiên họp đã hết hạn, chờ kết thúc"), url_for("council.sessions", status="open"),
             _("Kết thúc để kiểm phiếu"), urgent=to_close > 0),
        Task(decidable, _("Hồ sơ sẵn sàng ban hành quyết định"), url_for("announcements.issue_decision"),
             _("Đã thông qua, hết thời gian công khai, không còn ý kiến")),
    ]
    for campaign in db.session.scalars(campaigns.campaigns_stmt(status="launched")):
        if clock.passed(campaign.registration_deadline):
            continue
        missing = len(campaigns.unregistered_units(campaign))
        tasks.append(Task(missing, _("Đơn vị chưa đăng ký thi đua"),
                          url_for("campaigns.detail", campaign_id=campaign.id) + "#registrations",
                          _("%(t)s — hạn %(d)s", t=campaign.title,
                            d=campaign.registration_deadline.strftime("%d/%m/%Y"))))
    unit_reports = reports.missing_task(user, today)
    if unit_reports is not None:
        tasks.append(Task(*unit_reports))
    return tasks


# --- unit officer -------------------------------------------------------------------------------------------

def officer_campaigns(user) -> list[dict]:
    """Launched campaigns the officer's unit may register for while registration is open (its deadline, whether
    the unit has registered), and those taking nominations now."""
    today, result = clock.today(), []
    for campaign in db.session.scalars(campaigns.campaigns_stmt(status="launched")):
        units = campaign_permissions.registrable_units(user, campaign)
        unit = next((u for u in units if u.id == user.unit_id), units[0] if units else None)
        if unit is None:
            continue
        registering = registration_open_for(campaign, unit)
        nominating = campaign_rules.phase(campaign, today) == "nominating"
        if not (registering or nominating):
            continue
        result.append({"campaign": campaign, "unit": unit, "registering": registering, "nominating": nominating,
                       "registered": campaigns.registration_for(campaign, unit) is not None})
    return result


def officer_dossiers(user) -> dict:
    """The officer's units' dossiers: how many in each status, and the ones waiting for them (returned ones to
    supplement, with the reason; drafts to submit)."""
    mine = nominations.nominations_stmt(user).order_by(None).subquery()
    by_status = dict(db.session.execute(select(mine.c.status, func.count()).group_by(mine.c.status)).all())
    counts = [(status, by_status[status.value]) for status in NominationStatus if by_status.get(status.value)]
    returned = list(db.session.scalars(nominations.nominations_stmt(user, status="returned").limit(LIST_LIMIT)))
    reasons = {}
    if returned:
        rows = db.session.execute(select(NominationEvent.nomination_id, NominationEvent.note).where(
            NominationEvent.nomination_id.in_([n.id for n in returned]), NominationEvent.status == "returned")
            .order_by(NominationEvent.id)).all()
        reasons = {nomination_id: note for nomination_id, note in rows}  # the latest return wins
    drafts = list(db.session.scalars(nominations.nominations_stmt(user, status="draft").limit(LIST_LIMIT)))
    return {"counts": counts, "total": sum(by_status.values()), "returned": returned, "reasons": reasons,
            "returned_count": by_status.get("returned", 0), "drafts": drafts, "draft_count": by_status.get("draft", 0)}


def officer_results(user) -> tuple[int, list]:
    """Awards decided for the officer's units: how many, and the latest (dossier, decision)."""
    base = nominations.nominations_stmt(user, status="awarded")
    total = _count(base)
    rows = db.session.execute(
        base.order_by(None).join(DecisionItem, DecisionItem.nomination_id == Nomination.id)
        .join(Decision, Decision.id == DecisionItem.decision_id).add_columns(Decision)
        .order_by(Decision.signed_on.desc(), Decision.id.desc(), DecisionItem.position).limit(LIST_LIMIT)).all()
    return total, [(row[0], row[1]) for row in rows]


# --- council member -----------------------------------------------------------------------------------------

def time_left(moment: datetime, now: datetime | None = None) -> str:
    """'còn 2 ngày 5 giờ', 'còn 3 giờ 20 phút', 'còn 12 phút' — what a member reads before a deadline."""
    left = moment - (now or clock.now())
    if left <= timedelta(0):
        return _("đã hết hạn")
    minutes = int(left.total_seconds() // 60)
    days, hours, minutes = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return _("còn %(d)s ngày %(h)s giờ", d=days, h=hours)
    if hours:
        return _("còn %(h)s giờ %(m)s phút", h=hours, m=minutes)
    return _("còn %(m)s phút", m=minutes)


def member_sessions(user) -> dict:
    """Open sessions where the member has a seat (time left, how many items, voted or not), sessions of their
    councils still being prepared, and the sessions they have voted in."""
    now = clock.now()
    items = (select(func.count(SessionItem.id)).where(SessionItem.session_id == CouncilSession.id)
             .correlate(CouncilSession).scalar_subquery())
    voted_ids = select(BallotCast.session_id).where(BallotCast.user_id == user.id)
    seated = select(SessionMember.session_id).where(SessionMember.user_id == user.id)
    open_rows = db.session.execute(select(CouncilSession, items).where(
        CouncilSession.status == "open", CouncilSession.id.in_(seated))
        .order_by(CouncilSession.closes_at, CouncilSession.id)).all()
    to_vote = [{"session": s, "count": n, "voted": False, "left": time_left(s.closes_at, now),
                "urgent": s.closes_at - now <= timedelta(hours=24),
                "not_yet": bool(s.opens_at and now < s.opens_at)}
               for s, n in open_rows]
    voted = set(db.session.scalars(voted_ids.where(BallotCast.session_id.in_([r["session"].id for r in to_vote]))))
    for row in to_vote:
        row["voted"] = row["session"].id in voted
    coming = db.session.execute(select(CouncilSession, items).where(
        CouncilSession.status == "draft", CouncilSession.id.in_(
            council.sessions_stmt(user).with_only_columns(CouncilSession.id).order_by(None)))
        .order_by(CouncilSession.id.desc()).limit(LIST_LIMIT)).all()
    history = db.session.execute(select(CouncilSession, items).where(CouncilSession.id.in_(voted_ids))
                                 .order_by(CouncilSession.closes_at.desc(), CouncilSession.id.desc())
                                 .limit(LIST_LIMIT)).all()
    return {"to_vote": [r for r in to_vote if not r["voted"]], "waiting": [r for r in to_vote if r["voted"]],
            "coming": coming, "history": history}


# --- anyone -------------------------------------------------------------------------------------------------

def public_home() -> dict:
    """What the public may see at once: lists open for comment (closing first), the latest decisions."""
    today = clock.today()
    lists = list(db.session.scalars(select(Announcement).where(
        Announcement.opens_on <= today, Announcement.closes_on >= today)
        .order_by(Announcement.closes_on, Announcement.id).limit(LIST_LIMIT)))
    decisions = list(db.session.scalars(announcements.decisions_stmt().limit(PREVIEW)))
    return {"lists": lists, "nominees": announcements.counts(AnnouncementItem.announcement_id, [a.id for a in lists]),
            "decisions": decisions,
            "recipients": announcements.counts(DecisionItem.decision_id, [d.id for d in decisions])}
