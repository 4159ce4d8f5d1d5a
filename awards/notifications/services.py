"""Changing notifications: queue them for their recipients (as each one's preference allows), mark them read,
mark a task's notices done, save a member's preference. Flushed, never committed."""

from flask_babel import gettext as _
from sqlalchemy import update

from awards.core import audit
from awards.core.db import DomainError, Invalid, utcnow
from awards.extensions import db
from awards.notifications import kinds, queries
from awards.notifications.models import EmailStatus, Notification, NotificationSetting, Preference


def notify(users, kind: str, subject: str, body: str = "", link: str = "", *,
           about: tuple[str, int] | None = None) -> list[Notification]:
    """Queue one notification per user (flushed with the caller's transaction; mail goes out later).
    `about` is (type, id) of what it concerns, so the service that finishes its task can mark it done.
    A member who asked for tasks only receives no news; one who asked for no e-mail is not mailed."""
    people = {u.id: u for u in users if u is not None}
    preferences = queries.preferences(people)
    about_type, about_id = about or (None, None)
    notes = []
    for user in people.values():
        preference = preferences.get(user.id, Preference.all)
        if preference == Preference.tasks and not kinds.is_task(kind):
            continue
        mailed = bool(getattr(user, "email", "")) and preference != Preference.no_email
        note = Notification(user_id=user.id, kind=kind, subject=subject[:255], body=body or "", link=link[:500],
                            email_status=EmailStatus.pending if mailed else EmailStatus.none,
                            about_type=about_type, about_id=about_id)
        db.session.add(note)
        notes.append(note)
    db.session.flush()
    return notes


def finish(about_type: str, about_id: int, *, users=None, only=kinds.TASKS) -> int:
    """The task these notices asked for is done (the dossier moved on, the member voted, the session closed):
    they stop showing "Mới" and are no longer mailed. By default every task notice about the thing (`only`: these
    kinds); `users` narrows it to those members. Returns how many."""
    stmt = update(Notification).where(Notification.about_type == about_type, Notification.about_id == about_id,
                                      Notification.done_at.is_(None), Notification.kind.in_(sorted(only)))
    if users is not None:
        stmt = stmt.where(Notification.user_id.in_([u.id for u in users]))
    return db.session.execute(stmt.values(done_at=utcnow())).rowcount


def mark_read(note: Notification) -> None:
    """The notification read now, unless it was already."""
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()


def mark_all_read(user) -> int:
    """Every unread notification of the user read now; how many there were."""
    return db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow())).rowcount


def set_preference(user, preference: str, *, by) -> None:
    """How many notices `user` receives; only they (or an admin) choose it."""
    if by is None or (by.id != user.id and not by.has_role("admin")):
        raise DomainError(_("Bạn không có quyền thực hiện thao tác này."), status=403, code="forbidden")
    chosen = Preference.get(preference)
    if chosen is None:
        raise Invalid(_("Hãy chọn một trong các cách nhận thông báo."), field="preference")
    setting = db.session.get(NotificationSetting, user.id)
    before = setting.preference if setting else Preference.all
    if setting is None:
        setting = NotificationSetting(user_id=user.id)
        db.session.add(setting)
    setting.preference = chosen
    db.session.flush()
    if str(before) != str(chosen):
        audit.record("notifications.preference", user, by=by, before={"preference": str(before)},
                     after={"preference": str(chosen)})
