"""Accounts over the JSON API (admin only)."""

from flask import Blueprint, g
from pydantic import Field

from awards.auth import queries, services
from awards.core.api import ApiError, Out, Schema, endpoint, set_token_user_loader
from awards.core.permissions import Role
from awards.extensions import csrf, db

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
set_token_user_loader(services.user_for_token, light=services.principal_for_token)


class UserIn(Schema):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    full_name: str = Field("", max_length=200)
    email: str = Field("", max_length=255)
    roles: list[str] = Field(min_length=1)
    unit_code: str | None = Field(None, max_length=40)
    person_code: str | None = Field(None, max_length=40)


class UserOut(Out):
    id: int
    username: str
    full_name: str
    email: str
    roles: list[str]
    unit_code: str | None
    person_code: str | None
    active: bool


@endpoint(bp, "/users", "POST", summary="Tạo tài khoản", body=UserIn, response=UserOut, status=201,
          roles=(Role.admin,), errors=(409,))
def create_user(data: UserIn):
    links = queries.links_from_codes(data.unit_code, data.person_code)
    user = services.create_user(data.username, data.password, data.roles, full_name=data.full_name,
                                email=data.email, by=g.api_user, **links)
    db.session.commit()
    return user


@endpoint(bp, "/users/<username>/sessions/end", "POST", summary="Đăng xuất tài khoản khỏi mọi phiên đăng nhập",
          response=UserOut, roles=(Role.admin,))
def end_user_sessions(username: str):
    """Every browser session and "remember me" cookie of the account stops working (API tokens are revoked one by
    one, on the account's page)."""
    user = queries.user_by_username(username)
    if user is None:
        raise ApiError(404)
    services.end_sessions(user, by=g.api_user)
    db.session.commit()
    return user
