"""What a council session's members are told (issue 19): voting opened, 24 hours left and not yet voted, the
session closed. Their "opened" and "reminder" notices are done (no longer "Mới") once they have voted or the
session has closed. `remind_ballots` runs on Huey's scheduler every 15 minutes (council/cli.py PERIODIC) and by
`flask council remind-ballots`."""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import String, bindparam, literal_column, select, update

from awards.core import clock
from awards.core.db import utcnow
from awards.council import queries
from awards.council.models import CouncilSession, SessionStatus
from awards.extensions import db
from awards.notifications import kinds
from awards.notifications import queries as recipients
from awards.notifications.models import Notification
from awards.notifications.services import finish, notify

ABOUT = "council_session"
REMIND_BEFORE = timedelta(hours=24)


def _deadline(session: CouncilSession) -> str:
    return session.closes_at.astimezone(clock.VIETNAM).strftime("%H:%M %d/%m/%Y")


def _members(session: CouncilSession) -> list:
    return recipients.active(m.user for m in session.members)


def opened(session: CouncilSession) -> None:
    """Voting is open: every member of the session is asked to vote."""
    notify(_members(session), "council_session_opened", _("Phiên họp “%(t)s” đã mở bỏ phiếu", t=session.title),
           _("%(n)s hồ sơ chờ bạn xem và bỏ phiếu. Hạn bỏ phiếu: %(d)s.", n=len(session.items), d=_deadline(session)),
           f"/council/sessions/{session.id}", about=(ABOUT, session.id))


_N = Notification.__table__
# the task kinds written into the statement's text: bound as a list (an expanding IN), SQLAlchemy renders the
# statement's text again at every execution, a quarter of the ballot's write statement in Python (issue 21)
# (the kinds are the code's own snake_case names)
_TASK_KINDS = [literal_column(f"'{kind}'", String) for kind in sorted(kinds.TASKS)]
# notifications.services.finish(ABOUT, session_id, users=[member]), built once: the ORM update it builds on each
# call was half of a ballot's time in Python (issue 21)
_VOTED = (update(_N).where(_N.c.about_type == ABOUT, _N.c.about_id == bindparam("b_session_id"),
                           _N.c.done_at.is_(None), _N.c.kind.in_(_TASK_KINDS),
                           _N.c.user_id == bindparam("b_user_id"))
          .values(done_at=bindparam("b_now")))


def voted_statement():
    """`voted` as a statement, for a caller that runs it inside its own (council/voting.py: the ballot's one write
    statement on PostgreSQL); its parameters are b_session_id, b_user_id and b_now."""
    return _VOTED


def voted(session_id: int, user_id: int) -> None:
    """The member's ballot is in: their "vote" notices about this session are done (ids only: the ballot's path
    loads no objects)."""
    db.session.connection().execute(_VOTED, {"b_session_id": session_id, "b_user_id": user_id, "b_now": utcnow()})


def closed(session: CouncilSession, tally: dict) -> None:
    """The vote is counted: every task about the session is done, the members are told the result is out."""
    finish(ABOUT, session.id)
    notify(_members(session), "council_session_closed", _("Phiên họp “%(t)s” đã kết thúc bỏ phiếu", t=session.title),
           _("%(c)s/%(m)s thành viên đã bỏ phiếu; %(p)s/%(i)s hồ sơ được thông qua.", c=tally["ballots_cast"],
             m=tally["members"], p=sum(1 for r in tally["items"] if r["passed"]), i=len(tally["items"])),
           f"/council/sessions/{session.id}/results", about=(ABOUT, session.id))


def remind_ballots(now: datetime | None = None) -> list[Notification]:
    """Each member of an open session that closes within 24 hours who has not voted, once per session: "24
    giờ còn lại". Sessions not yet started (opens_at ahead) are left for a later run. Returns the notices."""
    now = now or clock.now()
    sessions = db.session.scalars(select(CouncilSession).where(CouncilSession.status == SessionStatus.open)
                                  .order_by(CouncilSession.closes_at, CouncilSession.id)).all()
    sent = []
    for session in sessions:
        if not (now < session.closes_at <= now + REMIND_BEFORE) or (session.opens_at and session.opens_at > now):
            continue
        voters = queries.voters(session)
        reminded = set(db.session.scalars(select(Notification.user_id).where(
            Notification.kind == "ballot_reminder", Notification.about_type == ABOUT,
            Notification.about_id == session.id)))
        due = [u for u in _members(session) if u.id not in voters and u.id not in reminded]
        hours = max(1, int((session.closes_at - now).total_seconds() // 3600))
        sent += notify(due, "ballot_reminder",
                       _("Còn %(h)s giờ để bỏ phiếu: “%(t)s”", h=hours, t=session.title),
                       _("Bạn chưa bỏ phiếu. Hạn bỏ phiếu: %(d)s; sau hạn này phiếu không còn được nhận.",
                         d=_deadline(session)),
                       f"/council/sessions/{session.id}", about=(ABOUT, session.id))
    return sent
