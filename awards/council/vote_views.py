"""A member's review of each dossier on the agenda: the file, its checklist, a "reviewed" mark, comments."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.catalog import services as catalog
from awards.core.forms import perform
from awards.core.permissions import roles_required
from awards.council import queries, voting
from awards.council.blueprint import bp
from awards.council.forms import CommentForm
from awards.council.models import CouncilSession
from awards.council.permissions import VIEWERS, is_seated, load_session
from awards.council.queries import ballot_kind
from awards.nominations import eligibility, panels

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
               "checklist": eligibility.checklist_of(nomination),
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
    return _item_page(load_session(session_id, current_user), nomination_id)


@bp.post("/sessions/<int:session_id>/items/<int:nomination_id>/reviewed")
@roles_required(*VIEWERS)
def mark_reviewed(session_id, nomination_id):
    session = load_session(session_id, current_user)
    if queries.item(session, nomination_id) is None:
        abort(404)
    if not is_seated(current_user, session):
        abort(403)
    reviewed = request.form.get("reviewed") == "1"
    outcome = perform(lambda: voting.mark_reviewed(session, nomination_id=nomination_id, reviewed=reviewed,
                                                   by=current_user),
                      success=_("Đã đánh dấu đã xem hồ sơ.") if reviewed else _("Đã bỏ đánh dấu đã xem."))
    if not outcome:
        return _item_page(load_session(session_id, current_user), nomination_id, outcome.status)
    if request.form.get("back") == "session":
        return redirect(url_for("council.session", session_id=session_id, _anchor=f"item-{nomination_id}"))
    return redirect(url_for("council.item", session_id=session_id, nomination_id=nomination_id))


@bp.post("/sessions/<int:session_id>/items/<int:nomination_id>/comments")
@roles_required(*VIEWERS)
def add_comment(session_id, nomination_id):
    session = load_session(session_id, current_user)
    if queries.item(session, nomination_id) is None:
        abort(404)
    if not is_seated(current_user, session):
        abort(403)
    form = CommentForm()
    if not form.validate_on_submit():
        return _item_page(session, nomination_id, 400, comment_form=form)
    outcome = perform(lambda: voting.add_comment(session, nomination_id=nomination_id, body=form.body.data,
                                                 by=current_user), form, success=_("Đã ghi ý kiến của bạn."))
    if not outcome:
        return _item_page(load_session(session_id, current_user), nomination_id, outcome.status, comment_form=form)
    return redirect(url_for("council.item", session_id=session_id, nomination_id=nomination_id,
                            _anchor="comments"))
