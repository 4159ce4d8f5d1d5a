"""Roles and the page guard. Feature predicates (`can_edit(user)`) live on the models they guard."""

from enum import StrEnum
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user


class Role(StrEnum):
    admin = "admin"
    staff = "staff"
    unit_officer = "unit_officer"
    council_member = "council_member"


ROLE_LABELS = {
    Role.admin: _l("Quản trị hệ thống"),
    Role.staff: _l("Cán bộ thường trực thi đua"),
    Role.unit_officer: _l("Cán bộ đơn vị"),
    Role.council_member: _l("Thành viên Hội đồng"),
}

MANAGERS = (Role.admin, Role.staff)


def roles_required(*roles: str):
    """Page guard: signed in (else the login page) and holding one of `roles` (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                from awards.extensions import login_manager

                return login_manager.unauthorized()
            if roles and not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
