"""A member's part: the ballot (once, with its receipt shown once), stepping back from a dossier, and each
dossier's review page (the file, its checklist, a "reviewed" mark, comments)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.catalog import services as catalog
from awards.core.db import DomainError
from awards.core.forms import refuse
from awards.core.permissions import roles_required
from awards.council import queries, voting
from awards.council.forms import BallotForm, CommentForm, RecusalForm
from awards.council.models import CouncilSession
from awards.council.session_views import session_page
from awards.council.views import VIEWERS, ballot_kind, bp, load_session
from awards.extensions import db
from awards.nominations import panels
from awards.nominations import queries as nomination_queries


def _seated(session: CouncilSession) -> None:
    if queries.seat(session, current_user) is None:
        abort(403)


# --- the ballot and recusals ---------------------------------------------------------------------------------

def _votes() -> dict[int, str]:
    """The radio buttons ticked: vote-<dossier id> → yes | no (the service refuses anything else)."""
    votes = {}
    for key, value in request.form.items():
        if key.startswith("vote-"):
            number = key.removeprefix("vote-")
            if not number.isdigit():
                abort(400)
            votes[int(number)] = value
    return votes


@bp.post("/sessions/<int:session_id>/ballot")
@roles_required(*VIEWERS)
def cast_ballot(session_id):
    session = load_session(session_id)
    _seated(session)
    form = BallotForm()
    votes = _votes()
    if not form.validate_on_submit():
        return session_page(session, 400, ballot_form=form, chosen=votes)
    try:
        receipt = voting.cast_ballot(session, votes=votes, by=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return session_page(load_session(session_id), exc.status, ballot_form=form, chosen=votes)
    db.session.commit()
    session = load_session(session_id)
    response = render_template("council/receipt.html", session=session, receipt=receipt,
                               members=len(queries.seats(session)), cast=queries.ballots_cast(session))
    return response, 201, {"Cache-Control": "no-store"}


@bp.post("/sessions/<int:session_id>/recusals")
@roles_required(*VIEWERS)
def declare_recusal(session_id):
    session = load_session(session_id)
    _seated(session)
    form = RecusalForm()
    if not form.validate_on_submit():
        return session_page(session, 400, recusal_form=form)
    nomination_id = int(form.nomination_id.data)
    try:
        voting.declare_recusal(session, nomination_id=nomination_id, reason=form.reason.data, by=current_user)
    except DomainError as exc:
        status = refuse(form, exc)
        return session_page(load_session(session_id), status, recusal_form=form)
    db.session.commit()
    flash(_("Đã ghi nhận: bạn không tham gia biểu quyết hồ sơ #%(i)s.", i=nomination_id), "success")
    return redirect(url_for("council.session", session_id=session_id, _anchor=f"item-{nomination_id}"))


# --- one dossier's review --------------------------------------------------------------------------------

def _item_page(session: CouncilSession, nomination_id: int, status: int = 200, comment_form=None):
    item = queries.item(session, nomination_id)
    if item is None:
        abort(404)
    user, nomination = current_user, item.nomination
    seat = queries.seat(session, user)
    order = [i.nomination_id for i in session.items]
    at = order.index(nomination_id)
    awards = catalog.award_types()
    sees_all = user.is_manager or session.status == "closed" or queries.has_voted(session, user)
    recusal = next((r for r in queries.recusals(session)
                    if r.user_id == user.id and r.nomination_id == nomination_id), None)
    context = {"session": session, "item": item, "n": nomination, "award": awards.get(nomination.award_code),
               "ballot": ballot_kind(session, item, awards), "seat": seat, "recusal": recusal,
               "checklist": nomination_queries.eligibility_of([nomination])[nomination.id],
               "reviewed": seat is not None and nomination_id in queries.reviewed_items(session, user),
               "comments": voting.comments_for(session, nomination_id, user), "others_hidden": not sees_all,
               "previous": order[at - 1] if at > 0 else None, "next": order[at + 1] if at + 1 < len(order) else None,
               "position": at + 1, "count": len(order), "feedback": panels.public_feedback(nomination)}
    if seat is not None and session.status != "closed":
        context["comment_form"] = comment_form or CommentForm(formdata=None)
    return render_template("council/item.html", **context), status


@bp.get("/sessions/<int:session_id>/items/<int:nomination_id>")
@roles_required(*VIEWERS)
def item(session_id, nomination_id):
    return _item_page(load_session(session_id), nomination_id)


@bp.post("/sessions/<int:session_id>/items/<int:nomination_id>/reviewed")
@roles_required(*VIEWERS)
def mark_reviewed(session_id, nomination_id):
    session = load_session(session_id)
    if queries.item(session, nomination_id) is None:
        abort(404)
    _seated(session)
    reviewed = request.form.get("reviewed") == "1"
    try:
        voting.mark_reviewed(session, nomination_id=nomination_id, reviewed=reviewed, by=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return _item_page(load_session(session_id), nomination_id, exc.status)
    db.session.commit()
    flash(_("Đã đánh dấu đã xem hồ sơ.") if reviewed else _("Đã bỏ đánh dấu đã xem."), "success")
    if request.form.get("back") == "session":
        return redirect(url_for("council.session", session_id=session_id, _anchor=f"item-{nomination_id}"))
    return redirect(url_for("council.item", session_id=session_id, nomination_id=nomination_id))


@bp.post("/sessions/<int:session_id>/items/<int:nomination_id>/comments")
@roles_required(*VIEWERS)
def add_comment(session_id, nomination_id):
    session = load_session(session_id)
    if queries.item(session, nomination_id) is None:
        abort(404)
    _seated(session)
    form = CommentForm()
    if not form.validate_on_submit():
        return _item_page(session, nomination_id, 400, comment_form=form)
    try:
        voting.add_comment(session, nomination_id=nomination_id, body=form.body.data, by=current_user)
    except DomainError as exc:
        status = refuse(form, exc)
        return _item_page(load_session(session_id), nomination_id, status, comment_form=form)
    db.session.commit()
    flash(_("Đã ghi ý kiến của bạn."), "success")
    return redirect(url_for("council.item", session_id=session_id, nomination_id=nomination_id,
                            _anchor="comments"))
