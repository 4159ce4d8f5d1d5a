"""Plain factories: real rows through the real services, with sensible defaults."""

import itertools
from datetime import date

from awards.auth import services as auth_services
from awards.extensions import db
from awards.units import services

_seq = itertools.count(1)


def unit(code=None, name=None, parent=None, grassroots=False, kind="other"):
    n = next(_seq)
    return services.create_unit(code=code or f"U{n:04d}", name=name or f"Đơn vị thử {n}",
                                parent_code=parent.code if parent else None, grassroots=grassroots, kind=kind)


def person(code=None, full_name=None, unit=None, gender="female", birth_date=date(1985, 5, 17), **kw):
    n = next(_seq)
    return services.create_person(code=code or f"P{n:05d}", full_name=full_name or f"Nguyễn Thị Thử {n}",
                                  gender=gender, unit_code=(unit or globals()["unit"]()).code,
                                  birth_date=birth_date, **kw)


def user(*roles, unit=None, person=None, username=None, password="mat-khau-2026", full_name=None):
    n = next(_seq)
    return auth_services.create_user(username or f"user{n}", password, roles or ("staff",),
                                     full_name=full_name or f"Người dùng {n}", unit=unit, person=person)


def token(user):
    _token, raw = auth_services.issue_token(user, label="test")
    db.session.flush()
    return raw
