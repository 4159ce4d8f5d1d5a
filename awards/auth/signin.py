"""The steps of signing in that several pages share: after the password, the two-factor code (when the account
has it), then the session record and Flask-Login; a user whose role requires two-factor and who has none is kept
on the enrolment page until done."""

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from awards.auth import sessions, twofactor
from awards.auth.models import User
from awards.extensions import db

PENDING = "awards_2fa"  # the Flask session's note of a right password waiting for its code
PENDING_SECONDS = 5 * 60
# what a user who must enrol may still open: the enrolment page, signing out, the language, help and health
OPEN_WHILE_ENROLLING = {"auth.two_factor", "auth.enable_two_factor", "auth.logout", "auth.login_code",
                        "core.set_language", "static"}
OPEN = {"help", "core"}


def after_password(user: User, *, remember: bool, next_url: str | None) -> Response:
    """The password was right: ask the code when the account uses two-factor, else sign in."""
    if user.two_factor_enabled:
        session[PENDING] = {"user": user.id, "token": user.session_token, "remember": bool(remember),
                            "next": next_url, "at": int(time.time())}
        return redirect(url_for("auth.login_code"))
    return complete(user, remember=remember, next_url=next_url)


def pending_user() -> User | None:
    """The account whose password was given in this browser in the last five minutes and still waits for its code."""
    note = session.get(PENDING)
    if not isinstance(note, dict) or time.time() - note.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, note.get("user")) if isinstance(note.get("user"), int) else None
    if user is None or not user.active or user.session_token != note.get("token") or not user.two_factor_enabled:
        return None
    return user


def pending_key() -> str:
    """The rate limiter's key for wrong codes: per account, whatever the address."""
    note = session.get(PENDING)
    return f"login-code:{note.get('user') if isinstance(note, dict) else '-'}"


def complete(user: User, *, remember: bool | None = None, next_url: str | None = None) -> Response:
    """Start this browser's session (its record, then Flask-Login) and go on: to enrolment when required."""
    note = session.pop(PENDING, None) or {}
    remember = note.get("remember", False) if remember is None else remember
    next_url = note.get("next") if next_url is None else next_url
    sessions.start(user)
    db.session.commit()
    login_user(user, remember=remember)
    if twofactor.must_enrol(user):
        flash(_("Vai trò của bạn bắt buộc dùng xác thực hai bước: hãy thiết lập ngay để tiếp tục."), "warning")
        return redirect(url_for("auth.two_factor"))
    return redirect(next_url or url_for("home.index"))


def is_visitor() -> bool:
    """No one signed in, known without loading a user (no statement, no session identifier hashed): the session
    names no user and no "remember me" cookie came. (Flask-Login's only loader is the session's and the cookie's.)
    False is no proof of a user: ask `current_user` then."""
    remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" not in session and remember_cookie not in request.cookies


def hold_until_enrolled():
    """Before every page: a signed-in user who must enrol goes to the enrolment page (the API's bearer tokens are
    not concerned)."""
    if request.endpoint in OPEN_WHILE_ENROLLING or request.path.startswith("/api/") or request.blueprint in OPEN:
        return None
    if is_visitor():
        return None  # no need to load anyone
    if not current_user.is_authenticated or not twofactor.must_enrol(current_user):
        return None
    if request.method == "GET":
        flash(_("Vai trò của bạn bắt buộc dùng xác thực hai bước: hãy thiết lập ngay để tiếp tục."), "warning")
    return redirect(url_for("auth.two_factor"))
