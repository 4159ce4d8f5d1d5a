"""Sessions: the list, a new one, the session page (the secretariat's agenda and window for a draft; a member's
agenda, ballot and recusals) and what its forms post: the agenda's buttons, opening and closing, the ballot (once,
with its receipt shown once) and stepping back from a dossier."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from awards.catalog import services as catalog
from awards.core import clock
from awards.core.db import DomainError
from awards.core.forms import perform
from awards.core.params import ids_arg, int_arg, page_arg, parse_int
from awards.core.permissions import MANAGERS, roles_required
from awards.council import queries, rules, services, voting
from awards.council.blueprint import bp
from awards.council.forms import (
    SESSION_STATUS,
    ActionForm,
    BallotForm,
    CloseForm,
    RecusalForm,
    SessionForm,
    WindowForm,
)
from awards.council.models import BallotCast, CouncilSession, SessionItem
from awards.council.permissions import VIEWERS, is_seated, load_session, may_edit_agenda, may_run
from awards.council.queries import ballot_kind, council_awards
from awards.extensions import db
from awards.nominations import priorities
from awards.nominations.models import Nomination
from awards.nominations.picking import PickFilter, pick_stmt
from awards.units.rules import PRIORITY_FLAGS

PER_PAGE = 20
CANDIDATES_PER_PAGE = 50


# --- the session page, for the secretariat and for members -------------------------------------------------

def _candidates(session: CouncilSession, filters: PickFilter, awards: dict):
    """Dossiers that may join the draft's agenda: appraised (or under public review), due a council vote,
    not on it yet; filtered by award, unit (with the units under it), year and name; one page."""
    stmt = pick_stmt(services.FIRST_ROUND_FROM, filters).where(Nomination.award_code.in_(list(awards)))
    on_agenda = [i.nomination_id for i in session.items]
    if on_agenda:
        stmt = stmt.where(Nomination.id.not_in(on_agenda))
    stmt = stmt.order_by(Nomination.year.desc(), Nomination.award_code, Nomination.id)
    return db.paginate(stmt, page=page_arg(), per_page=CANDIDATES_PER_PAGE,
                       error_out=False)


def _elsewhere(session: CouncilSession, nomination_ids: list[int]) -> dict[int, int]:
    """Of these dossiers, those already on another session not yet closed: dossier → that session."""
    if not nomination_ids:
        return {}
    rows = db.session.execute(select(SessionItem.nomination_id, SessionItem.session_id).join(CouncilSession).where(
        SessionItem.nomination_id.in_(nomination_ids), CouncilSession.status != "closed",
        CouncilSession.id != session.id))
    return dict(rows.all())


def _window_form(session: CouncilSession) -> WindowForm:
    form = WindowForm(formdata=None)
    form.title.data, form.closes_at.data = session.title, session.closes_at
    form.opens_at.data = session.opens_at if session.status == "draft" else None
    return form


def voting_window(session: CouncilSession) -> str:
    """before | open | after: where the clock stands against an open session's window."""
    now = clock.now()
    if session.opens_at and now < session.opens_at:
        return "before"
    return "open" if now < session.closes_at else "after"


def session_page(session: CouncilSession, status: int = 200, *, window_form=None, ballot_form=None,
                 recusal_form=None, chosen: dict | None = None):
    """The session page: what the user may see and do, as one template."""
    user = current_user
    awards = catalog.award_types()
    seat = queries.seat(session, user)
    mine = {r.nomination_id: r for r in queries.recusals(session) if r.user_id == user.id}
    reviewed = queries.reviewed_items(session, user) if seat else set()
    needs = queries.needs(session, awards)
    nominations = [i.nomination for i in session.items]
    prio = priorities.page_priorities(nominations, user)
    rows = [{"item": i, "n": i.nomination, "award": awards.get(i.nomination.award_code),
             "ballot": ballot_kind(session, i, awards), "recusal": mine.get(i.nomination_id),
             "reviewed": i.nomination_id in reviewed, "needs": needs[i.nomination_id],
             "flags": prio.flags.get(i.nomination_id, ())} for i in session.items]
    voted = seat is not None and session.status != "draft" and queries.has_voted(session, user)
    window = voting_window(session) if session.status == "open" else None
    context = {"session": session, "council": session.council, "rows": rows, "seat": seat, "voted": voted,
               "window": window, "members": len(queries.seats(session)),
               "cast": queries.ballots_cast(session) if session.status != "draft" else 0,
               "may_run": may_run(user, session), "editable": may_edit_agenda(user, session),
               "recusal_form": recusal_form, "action_form": ActionForm(), "chosen": chosen or {},
               "agenda_counts": prio.counts, "PRIORITY_FLAGS": PRIORITY_FLAGS}
    if session.quorum is not None:
        context["quorum_needed"] = rules.at_least(session.quorum, context["members"])
    if seat is not None and session.status == "open" and window == "open" and not voted:
        context["ballot_form"] = ballot_form or BallotForm(formdata=None)
    if user.is_manager and session.status != "closed":
        context["window_form"] = window_form or _window_form(session)
    if context["editable"]:
        council_only = council_awards()
        filters = PickFilter(request.args, council_only)
        candidates = _candidates(session, filters, council_only)
        context.update(candidates=candidates, filters=filters, council_awards=council_only,
                       elsewhere=_elsewhere(session, [n.id for n in candidates.items]))
    html = render_template("council/session.html", **context)
    if priorities.log_shown(nominations, user):  # after rendering: a commit would expire the agenda's rows
        db.session.commit()
    return html, status


def _act(session_id: int, action, success: str, **forms):
    """One service call from the session page: on success None (the view redirects), else the page again with
    the refusal flashed and its status."""
    outcome = perform(action, success=success)
    return None if outcome else session_page(load_session(session_id, current_user), outcome.status, **forms)


# --- list and create ---------------------------------------------------------------------------------------

@bp.get("/sessions")
@roles_required(*VIEWERS)
def sessions():
    status = request.args.get("status", "")
    status = status if status in SESSION_STATUS else ""
    council_id = int_arg("council")
    stmt = queries.sessions_stmt(current_user, council_id, status or None)
    page = db.paginate(stmt, page=page_arg(), per_page=PER_PAGE, error_out=False)
    councils = db.session.scalars(queries.councils_stmt(current_user)).all()
    voted = set(db.session.scalars(select(BallotCast.session_id).where(
        BallotCast.user_id == current_user.id, BallotCast.session_id.in_([s.id for s in page.items]))))
    args = {k: v for k, v in (("status", status), ("council", council_id)) if v}
    return render_template("council/sessions.html", page=page, args=args, councils=councils, voted=voted)


@bp.route("/sessions/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create_session():
    form = SessionForm()
    councils = db.session.scalars(queries.councils_stmt(current_user)).all()
    form.council_id.choices = [SelectChoice("", _("— Chọn hội đồng —"))] + [
        SelectChoice(str(c.id), f"{c.name} ({c.code})") for c in councils]
    if not form.is_submitted() and int_arg("council") is not None:
        form.council_id.data = request.args["council"]
    status = 200
    if form.validate_on_submit():
        council = next(c for c in councils if str(c.id) == form.council_id.data)
        outcome = perform(lambda: services.create_session(
            council=council, title=form.title.data, nomination_ids=[], closes_at=form.closes_at.data,
            opens_at=form.opens_at.data, by=current_user), form,
            success=_("Đã lập phiên họp (chưa mở). Thêm hồ sơ vào chương trình rồi bấm “Mở bỏ phiếu”."))
        if outcome:
            return redirect(url_for("council.session", session_id=outcome.value.id))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("council/session_form.html", form=form, has_councils=bool(councils)), status


# --- one session -------------------------------------------------------------------------------------------

@bp.get("/sessions/<int:session_id>")
@roles_required(*VIEWERS)
def session(session_id):
    return session_page(load_session(session_id, current_user))


@bp.post("/sessions/<int:session_id>/window")
@roles_required(*MANAGERS)
def edit_session(session_id):
    session = load_session(session_id, current_user)
    form = WindowForm()
    if not form.validate_on_submit():
        return session_page(session, 400, window_form=form)
    outcome = perform(lambda: services.update_session(session, title=form.title.data, closes_at=form.closes_at.data,
                                                      opens_at=form.opens_at.data, by=current_user),
                      form, success=_("Đã lưu tên phiên họp và thời gian bỏ phiếu."))
    if not outcome:
        return session_page(load_session(session_id, current_user), outcome.status, window_form=form)
    return redirect(url_for("council.session", session_id=session_id))


def _set_agenda(session_id: int, order, message: str):
    """Give the draft's agenda a new order (a function of the current one): one service call."""
    session = load_session(session_id, current_user)
    current = [i.nomination_id for i in session.items]
    ids = order(current)
    refused = _act(session_id, lambda: services.set_agenda(session, nomination_ids=ids, by=current_user), message)
    return refused or redirect(url_for("council.session", session_id=session_id, _anchor="agenda"))


@bp.post("/sessions/<int:session_id>/agenda")
@roles_required(*MANAGERS)
def add_items(session_id):
    chosen = ids_arg()
    if not chosen:
        flash(_("Chưa chọn hồ sơ nào."), "warning")
        return redirect(url_for("council.session", session_id=session_id, _anchor="add"))
    return _set_agenda(session_id, lambda current: current + [i for i in chosen if i not in current],
                       _("Đã thêm %(n)s hồ sơ vào chương trình.", n=len(chosen)))


@bp.post("/sessions/<int:session_id>/agenda/<int:nomination_id>/<any(up, down):direction>")
@roles_required(*MANAGERS)
def move_item(session_id, nomination_id, direction):
    def order(current):
        if nomination_id not in current:
            abort(404)
        at = current.index(nomination_id)
        to = at - 1 if direction == "up" else at + 1
        if 0 <= to < len(current):
            current[at], current[to] = current[to], current[at]
        return current

    return _set_agenda(session_id, order, _("Đã sắp xếp lại chương trình."))


@bp.post("/sessions/<int:session_id>/agenda/<int:nomination_id>/remove")
@roles_required(*MANAGERS)
def remove_item(session_id, nomination_id):
    def order(current):
        if nomination_id not in current:
            abort(404)
        return [i for i in current if i != nomination_id]

    return _set_agenda(session_id, order, _("Đã bỏ hồ sơ #%(i)s khỏi chương trình.", i=nomination_id))


@bp.post("/sessions/<int:session_id>/open")
@roles_required(*VIEWERS)
def open_session(session_id):
    session = load_session(session_id, current_user)
    if not may_run(current_user, session):
        abort(403)
    refused = _act(session_id, lambda: voting.open_session(session, by=current_user),
                   _("Đã mở bỏ phiếu. Các thành viên Hội đồng đã được thông báo."))
    return refused or redirect(url_for("council.session", session_id=session_id))


@bp.route("/sessions/<int:session_id>/close", methods=["GET", "POST"])
@roles_required(*VIEWERS)
def close_session(session_id):
    session = load_session(session_id, current_user)
    if not may_run(current_user, session):
        abort(403)
    if session.status != "open":
        raise DomainError(_("Chỉ kết thúc được phiên họp đang bỏ phiếu."), code="wrong_state")
    form = CloseForm()
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: voting.close_session(session, by=current_user), form,
                          success=_("Đã kết thúc bỏ phiếu và kiểm phiếu."))
        if outcome:
            return redirect(url_for("council.results", session_id=session_id))
        status, session = outcome.status, load_session(session_id, current_user)
    elif form.is_submitted():
        status = 400
    members = len(queries.seats(session))
    return render_template("council/close.html", session=session, form=form, members=members,
                           cast=queries.ballots_cast(session), window=voting_window(session),
                           quorum_needed=rules.at_least(session.quorum or 0, members)), status


# --- a member's ballot and recusals ------------------------------------------------------------------------

def _votes() -> dict[int, str]:
    """The radio buttons ticked: vote-<dossier id> → yes | no (the service refuses anything else)."""
    votes = {}
    for key, value in request.form.items():
        if key.startswith("vote-"):
            number = parse_int(key.removeprefix("vote-"), 1)
            if number is None:
                abort(400)
            votes[number] = value
    return votes


@bp.post("/sessions/<int:session_id>/ballot")
@roles_required(*VIEWERS)
def cast_ballot(session_id):
    session = load_session(session_id, current_user)
    if not is_seated(current_user, session):
        abort(403)
    form = BallotForm()
    votes = _votes()
    if not form.validate_on_submit():
        return session_page(session, 400, ballot_form=form, chosen=votes)
    outcome = perform(lambda: voting.cast_ballot(session, votes=votes, by=current_user))
    if not outcome:
        return session_page(load_session(session_id, current_user), outcome.status, ballot_form=form, chosen=votes)
    session = load_session(session_id, current_user)
    response = render_template("council/receipt.html", session=session, receipt=outcome.value,
                               members=len(queries.seats(session)), cast=queries.ballots_cast(session))
    return response, 201, {"Cache-Control": "no-store"}


@bp.post("/sessions/<int:session_id>/recusals")
@roles_required(*VIEWERS)
def declare_recusal(session_id):
    session = load_session(session_id, current_user)
    if not is_seated(current_user, session):
        abort(403)
    form = RecusalForm()
    if not form.validate_on_submit():
        return session_page(session, 400, recusal_form=form)
    nomination_id = int(form.nomination_id.data)
    outcome = perform(lambda: voting.declare_recusal(session, nomination_id=nomination_id, reason=form.reason.data,
                                                     by=current_user), form,
                      success=_("Đã ghi nhận: bạn không tham gia biểu quyết hồ sơ #%(i)s.", i=nomination_id))
    if not outcome:
        return session_page(load_session(session_id, current_user), outcome.status, recusal_form=form)
    return redirect(url_for("council.session", session_id=session_id, _anchor=f"item-{nomination_id}"))
