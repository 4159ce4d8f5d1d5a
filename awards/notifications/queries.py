"""Read-only lookups: a user's inbox and unread count, members' preferences, and who receives a feature's
notifications (the recipient rules, one function each)."""

from sqlalchemy import func, select

from awards.auth.models import User, UserRole
from awards.core.permissions import MANAGERS, Role
from awards.extensions import db
from awards.notifications.models import Notification, NotificationSetting, Preference


def inbox_stmt(user):
    """The user's notifications, newest first."""
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def own(notification_id: int, user) -> Notification | None:
    """The notification if it is the user's own, else None (another's is as good as missing)."""
    note = db.session.get(Notification, notification_id)
    return note if note is not None and note.user_id == user.id else None


def unread_count(user) -> int:
    """How many of the user's notifications are new: neither read nor done (0 for an anonymous visitor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None), Notification.done_at.is_(None))) or 0


def preferences(user_ids) -> dict[int, Preference]:
    """user id → the preference each chose (those who never chose are left out: `all`)."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(NotificationSetting.user_id, NotificationSetting.preference)
                              .where(NotificationSetting.user_id.in_(ids))).all()
    return {user_id: Preference.get(value, Preference.all) for user_id, value in rows}


def preference_of(user) -> Preference:
    return preferences([user.id]).get(user.id, Preference.all)


def unit_officers(unit) -> list[User]:
    """The active unit officers bound to this unit, who receive its reminders, results and decisions."""
    return db.session.scalars(select(User).join(UserRole, UserRole.user_id == User.id).where(
        UserRole.role == "unit_officer", User.unit_id == unit.id, User.active)).all()


def managers() -> list[User]:
    """The active accounts of the secretariat (admin, staff), who receive what no unit owns (feedback)."""
    return db.session.scalars(select(User).where(
        User.active.is_(True), User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(MANAGERS))))
        .order_by(User.id)).unique().all()


def secretariat() -> list[User]:
    """Who handles a submitted dossier: the active emulation staff (the appraisal desk); the admins only when
    there is no staff account yet (a new installation), so a submission is never told to nobody."""
    staff = db.session.scalars(select(User).where(
        User.active.is_(True), User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.staff)))
        .order_by(User.id)).unique().all()
    return staff or managers()


def active(users) -> list[User]:
    """The active ones of these accounts (a council's members, a report's owner)."""
    return [u for u in users if u is not None and u.active]
