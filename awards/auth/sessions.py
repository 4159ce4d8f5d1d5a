"""Server-side records of signed-in browsers: the session list a user sees, and ending one session at once.

The session cookie (and the "remember me" cookie) carries `user_id:session_token:key` (User.get_id). The key is
random and only its SHA-256 is stored in `user_sessions`; Flask-Login's loader accepts a cookie only while its row
exists, so deleting the row ends that browser's session on its next request, copies of the cookie included.
"Sign out everywhere" deletes every row of the account and gives it a new session token."""

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from awards.auth import twofactor
from awards.auth.models import User, UserSession
from awards.core import audit
from awards.core.db import utcnow
from awards.core.params import parse_int
from awards.extensions import db

TOUCH_EVERY = timedelta(seconds=60)  # "last seen" is written at most once a minute per session


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _idle_limit() -> timedelta:
    """A session unseen for longer than a "remember me" cookie lasts is over (its cookie cannot come back)."""
    return current_app.config["REMEMBER_COOKIE_DURATION"]


def start(user: User) -> UserSession:
    """A new session record for the browser signing in now; the user carries its key until login_user stores it.
    Records of the account idle past the cookie's life are removed on the way."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.last_seen_at < utcnow() - _idle_limit()))
    key = secrets.token_urlsafe(24)
    record = UserSession(user_id=user.id, key_hash=_hash(key))
    if has_request_context():
        record.user_agent = (request.user_agent.string or "")[:300]
        record.ip = (request.remote_addr or "")[:64]
    db.session.add(record)
    db.session.flush()
    user.session_key = key
    return record


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader for the session and the "remember me" cookie: the active user whose session token and
    session record this cookie still matches, or None (signed out, ended from the list, password changed…)."""
    user_id, _sep, rest = (session_id or "").partition(":")
    session_token, _sep, key = rest.partition(":")
    user_id = parse_int(user_id, 1)
    if user_id is None or not key:
        return None
    # one statement for the account, its session record and the two-factor requirement (read on every page)
    found = db.session.execute(select(User, UserSession, twofactor.required_roles_column())
                               .join(UserSession, UserSession.user_id == User.id)
                               .where(User.id == user_id, UserSession.key_hash == _hash(key))).first()
    if found is None:
        return None
    user, record, required = found
    if not user.active or not secrets.compare_digest(user.session_token, session_token) \
            or record.last_seen_at < utcnow() - _idle_limit():
        return None
    user.session_key = key
    twofactor.remember_required_roles(required)
    _touch(record)
    return user


def _touch(record: UserSession) -> None:
    """Write "last seen" now and then, in a transaction of its own on a read (GET) request, so that a page that
    only reads stays a read; a write request's page is seen through the GET that showed its form."""
    now = utcnow()
    if now - record.last_seen_at < TOUCH_EVERY or not has_request_context() or request.method != "GET":
        return
    with db.engine.begin() as conn:
        conn.execute(update(UserSession).where(UserSession.id == record.id).values(last_seen_at=now))


def current_id(user: User) -> int | None:
    """The id of the session record this request belongs to."""
    if not user.session_key:
        return None
    return db.session.scalar(select(UserSession.id).where(UserSession.key_hash == _hash(user.session_key)))


def active_of(user: User) -> list[UserSession]:
    """The user's sessions, most recently seen first."""
    return db.session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.last_seen_at >= utcnow() - _idle_limit())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())).all()


def end(user: User, session_id: int, *, by) -> bool:
    """End one of the user's sessions (its browser is signed out on its next request); False if it is not theirs."""
    record = db.session.get(UserSession, session_id)
    if record is None or record.user_id != user.id:
        return False
    db.session.delete(record)
    db.session.flush()
    audit.record("session.end", user, by=by, after={"session": session_id, "device": describe(record.user_agent)})
    return True


def end_current(user: User) -> None:
    """Sign-out of this browser only: its record goes, the account's other sessions stay."""
    if user.session_key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _hash(user.session_key)))
    audit.record("logout", user, by=user)


def end_all_but(user: User, keep_key: str | None = None) -> int:
    """Delete every session record of the user except the one with `keep_key`; how many ended."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_key:
        stmt = stmt.where(UserSession.key_hash != _hash(keep_key))
    return db.session.execute(stmt).rowcount or 0


def end_others(user: User, *, by) -> int:
    """"Sign out my other sessions": every browser but this one; how many ended."""
    ended = end_all_but(user, user.session_key)
    audit.record("user.sessions_end_others", user, by=by, after={"ended": ended})
    return ended


# --- what the list shows of a browser --------------------------------------------------------------------------

BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("CocCoc", "Cốc Cốc"), ("Firefox/", "Firefox"),
            ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))
HEADLESS = re.compile(r"HeadlessChrome/")


def describe(user_agent: str) -> str:
    """"Chrome, Windows" from a User-Agent header: enough for the owner to recognise the device."""
    ua = user_agent or ""
    browser = next((name for token, name in BROWSERS if token in ua), "")
    if HEADLESS.search(ua):
        browser = "Chrome (headless)"
    system = next((name for token, name in SYSTEMS if token in ua), "")
    return ", ".join(p for p in (browser, system) if p) or ua[:60] or _("Không rõ thiết bị")
