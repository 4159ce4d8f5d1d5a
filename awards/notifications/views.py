"""The in-app inbox of notifications, the unread count for the navbar, and a member's choice of how many notices to
receive (a section of the account page: templates/notifications/_preference.html)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from awards.core.forms import perform
from awards.core.params import page_arg
from awards.core.permissions import roles_required
from awards.core.web import safe_next
from awards.extensions import db
from awards.notifications import queries, services
from awards.notifications.blueprint import bp
from awards.notifications.forms import PreferenceForm

PER_PAGE = 20


@bp.app_context_processor
def _unread_notifications():
    """For the navbar badge on every page; an error page rendered while the database is down still renders."""
    try:
        return {"unread_notifications": queries.unread_count(current_user)}
    except SQLAlchemyError:
        db.session.rollback()
        return {"unread_notifications": 0}


@bp.app_context_processor
def _preference_form():
    """The account page's section calls it: the form with the member's current choice."""
    def make(form=None):
        if form is not None:
            return form
        return PreferenceForm(formdata=None, preference=str(queries.preference_of(current_user)))
    return {"notice_preference_form": make}


@bp.get("")
@roles_required()
def inbox():
    page = db.paginate(queries.inbox_stmt(current_user), page=page_arg(),
                       per_page=PER_PAGE, error_out=False)
    return render_template("notifications/inbox.html", page=page, unread=queries.unread_count(current_user))


@bp.post("/<int:notification_id>/read")
@roles_required()
def mark_read(notification_id):
    """Mark one as read; with `next` (a local path, usually the notification's link) go there."""
    note = queries.own(notification_id, current_user) or abort(404)
    services.mark_read(note)
    db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("notifications.inbox"))


@bp.post("/read-all")
@roles_required()
def mark_all_read():
    count = services.mark_all_read(current_user)
    db.session.commit()
    if count:
        flash(_("Đã đánh dấu %(n)s thông báo là đã đọc.", n=count), "success")
    return redirect(url_for("notifications.inbox"))


@bp.post("/preference")
@roles_required()
def save_preference():
    form = PreferenceForm()
    if not (form.validate_on_submit() and perform(
            lambda: services.set_preference(current_user, form.preference.data, by=current_user), form,
            success=_("Đã lưu cách nhận thông báo."))):
        for error in form.preference.errors or form.csrf_token.errors or [_("Không lưu được, hãy thử lại.")]:
            flash(error, "danger")
    return redirect(url_for("auth.account", _anchor="thong-bao"))
