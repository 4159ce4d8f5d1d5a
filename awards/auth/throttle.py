"""Sign-in throttling that an attacker cannot turn against the account's owner.

Three limits on POST /login (docs/SECURITY.md "Throttling"):
- per address (Flask-Limiter, LOGIN_RATE_LIMIT): one machine cannot try many accounts;
- per account and address, with backoff: after a few wrong passwords from one address for one account, each
  further attempt from there waits twice as long as the last (2 s, 4 s, 8 s … at most LOGIN_MAX_DELAY);
- per account, from every address together (Flask-Limiter, LOGIN_ACCOUNT_LIMIT), counting wrong passwords only:
  many addresses cannot guess one password together. A browser that has signed in to the account before carries
  a signed device cookie and is let through this one: the owner still signs in while strangers are refused.
State lives in the rate limiter's storage (memory, or Redis shared by every instance)."""

import time

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from awards.extensions import limiter

DEVICE_COOKIE = "awards_device"
DEVICE_DAYS = 365
FAILURES_BEFORE_BACKOFF = 10  # as many as the address limit lets through in a minute
BASE_DELAY = 2  # seconds, doubled by each further failure


def username_of_request() -> str:
    return (request.form.get("username") or "").strip().casefold()


def _key(kind: str, username: str) -> str:
    return f"login-{kind}:{username}:{request.remote_addr or '-'}"


def wait_seconds(username: str) -> int:
    """How long this address must still wait before trying this account's password again (0: it may now)."""
    storage = limiter.storage
    if not storage.get(_key("lock", username)):
        return 0
    return max(1, round(storage.get_expiry(_key("lock", username)) - time.time()))


def record_failure(username: str) -> None:
    """One more wrong password from this address for this account; past the free ones, a lock twice as long."""
    failures = limiter.storage.incr(_key("fail", username), 24 * 3600)
    if failures > FAILURES_BEFORE_BACKOFF:
        delay = min(BASE_DELAY * 2 ** (failures - FAILURES_BEFORE_BACKOFF - 1), current_app.config["LOGIN_MAX_DELAY"])
        limiter.storage.incr(_key("lock", username), delay)


def record_success(username: str) -> None:
    limiter.storage.clear(_key("fail", username))


# --- the device cookie --------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def remember_device(response: Response, username: str) -> None:
    """After a successful sign-in: this browser is known to the account (signed, not secret, HttpOnly)."""
    response.set_cookie(DEVICE_COOKIE, _serializer().dumps({"u": username.casefold()}),
                        max_age=DEVICE_DAYS * 24 * 3600, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], path="/login")


def known_device() -> bool:
    """Whether this browser has signed in before to the account it now tries (exempt from the account limit)."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return False
    try:
        data = _serializer().loads(cookie, max_age=DEVICE_DAYS * 24 * 3600)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == username_of_request()


def account_key() -> str:
    return "login-account:" + username_of_request()


def failed(response: Response) -> bool:
    """A sign-in that did not succeed (the form again, or a refusal): what the account limit counts."""
    return response.status_code != 302
