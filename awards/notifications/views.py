"""The in-app inbox of notifications, the unread count for the navbar, and `flask notifications send`."""

import click
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError

from awards.core.db import utcnow
from awards.core.outbox import Notification
from awards.core.permissions import roles_required
from awards.core.views import safe_next
from awards.extensions import db

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
cli = AppGroup("notifications", help="Thông báo: gửi thư điện tử các thông báo đang chờ.")
PER_PAGE = 20


def unread_count(user) -> int:
    """How many of the user's notifications are still unread (0 for an anonymous visitor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


@bp.app_context_processor
def _unread_notifications():
    """For the navbar badge on every page; an error page rendered while the database is down still renders."""
    try:
        return {"unread_notifications": unread_count(current_user)}
    except SQLAlchemyError:
        db.session.rollback()
        return {"unread_notifications": 0}


def _own(notification_id: int) -> Notification:
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    return note


@bp.get("")
@roles_required()
def inbox():
    stmt = (select(Notification).where(Notification.user_id == current_user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    return render_template("notifications/inbox.html", page=page, unread=unread_count(current_user))


@bp.post("/<int:notification_id>/read")
@roles_required()
def mark_read(notification_id):
    """Mark one as read; with `next` (a local path, usually the notification's link) go there."""
    note = _own(notification_id)
    if note.read_at is None:
        note.read_at = utcnow()
    db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("notifications.inbox"))


@bp.post("/read-all")
@roles_required()
def mark_all_read():
    result = db.session.execute(update(Notification).where(
        Notification.user_id == current_user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
    if result.rowcount:
        flash(_("Đã đánh dấu %(n)s thông báo là đã đọc.", n=result.rowcount), "success")
    return redirect(url_for("notifications.inbox"))


@cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Số thông báo tối đa gửi trong lần chạy này.")
def send(limit):
    """Gửi thư điện tử các thông báo đang chờ (cần MAIL_SERVER); in số đã gửi, lỗi, bỏ qua."""
    from awards.core.mail import deliver_pending

    result = deliver_pending(limit=limit)
    click.echo(f"sent {result['sent']} failed {result['failed']} skipped {result['skipped']}")
    if result.get("error"):
        click.echo(result["error"], err=True)
