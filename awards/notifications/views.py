"""The in-app inbox of notifications and the unread count for the navbar."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from awards.core.params import page_arg
from awards.core.permissions import roles_required
from awards.core.web import safe_next
from awards.extensions import db
from awards.notifications import queries, services
from awards.notifications.blueprint import bp

PER_PAGE = 20


@bp.app_context_processor
def _unread_notifications():
    """For the navbar badge on every page; an error page rendered while the database is down still renders."""
    try:
        return {"unread_notifications": queries.unread_count(current_user)}
    except SQLAlchemyError:
        db.session.rollback()
        return {"unread_notifications": 0}


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
