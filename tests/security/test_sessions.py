"""Sessions end on the server, sign-in throttling cannot be turned against an account's owner, and the answer's
timing does not tell which usernames exist."""

import re
import statistics
import time

from sqlalchemy import select

from awards.auth import services
from awards.auth.models import ApiToken
from awards.core.audit import AuditEntry
from tests import factories
from tests.conftest import CSRF_INPUT

PASSWORD = "mat-khau-2026"


def _csrf(client, path="/login"):
    match = CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    return match.group(1) or match.group(2)


def _sign_in(app, username, password=PASSWORD, *, remember=False, address="10.0.0.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    data = {"username": username, "password": password, "csrf_token": _csrf(client)}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _copy(app, client, name):
    """A fresh browser holding only the cookie `name` copied from `client` (a stolen or left-behind cookie)."""
    thief = app.test_client()
    cookie = client.get_cookie(name)
    assert cookie is not None, name
    thief.set_cookie(name, cookie.value)
    return thief


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app, db):
    user = factories.user("staff", password=PASSWORD)
    db.session.commit()
    owner = _sign_in(app, user.username)
    thief = _copy(app, owner, "session")
    assert thief.get("/account").status_code == 200
    assert owner.post("/logout", data={"csrf_token": _csrf(owner, "/account")}).status_code == 302
    assert thief.get("/account").status_code == 302, "the copied session ends with the sign-out"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "logout")) is not None


def test_a_remember_cookie_copied_before_sign_out_no_longer_works(app, db):
    user = factories.user("staff", password=PASSWORD)
    db.session.commit()
    owner = _sign_in(app, user.username, remember=True)
    thief = _copy(app, owner, "remember_token")
    assert thief.get("/account").status_code == 200, "a remembered browser signs in without a session"
    owner.post("/logout", data={"csrf_token": _csrf(owner, "/account")})
    fresh = app.test_client()
    fresh.set_cookie("remember_token", thief.get_cookie("remember_token").value)
    assert fresh.get("/account").status_code == 302, "the copied remember cookie ends with the sign-out"


def test_an_admin_ends_every_session_of_an_account_on_its_page(app, db, client, login_as, csrf_token):
    user = factories.user("staff", password=PASSWORD)
    db.session.commit()
    browsers = [_sign_in(app, user.username), _sign_in(app, user.username, remember=True, address="10.0.0.2")]
    admin = login_as("admin")
    page = f"/admin/users/{user.id}"
    assert "Đăng xuất khỏi mọi phiên" in client.get(page).get_data(as_text=True)
    response = client.post(f"{page}/sessions/end", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert f"Đã đăng xuất {user.username}" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert [b.get("/account").status_code for b in browsers] == [302, 302]
    assert client.get("/account").status_code == 200, "the admin's own session goes on"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.sessions_end"))
    assert entry.actor_name == admin.username
    # not for anyone else
    other = factories.user("staff", password=PASSWORD)
    db.session.commit()
    staff = _sign_in(app, other.username, address="10.0.0.3")
    assert staff.post(f"{page}/sessions/end", data={"csrf_token": _csrf(staff, "/account")}).status_code == 403


def test_an_admin_ends_every_session_over_the_api(app, db, api):
    user = factories.user("staff", password=PASSWORD)
    db.session.commit()
    browser = _sign_in(app, user.username, remember=True)
    admin = api.as_("admin")
    response = admin.post(f"/api/v1/users/{user.username}/sessions/end")
    assert response.status_code == 200 and response.json["username"] == user.username
    assert browser.get("/account").status_code == 302
    assert admin.post("/api/v1/users/nobody/sessions/end").status_code == 404
    assert api.as_("staff").post(f"/api/v1/users/{user.username}/sessions/end").status_code == 403


def test_a_password_change_asks_whether_to_revoke_api_tokens(app, db):
    user = factories.user("staff", password="mat-khau-cu-1")
    kept_raw = factories.token(user)
    db.session.commit()
    browser = _sign_in(app, user.username, "mat-khau-cu-1")
    account = browser.get("/account").get_data(as_text=True)
    assert "Thu hồi luôn mọi mã truy cập API của tôi" in account
    prefix = db.session.scalar(select(ApiToken.prefix).where(ApiToken.user_id == user.id))
    assert prefix in account, "the account page lists the user's tokens"

    def change(old, new, **extra):
        data = {"current_password": old, "new_password": new, "confirm": new,
                "csrf_token": _csrf(browser, "/account"), **extra}
        return browser.post("/account/password", data=data)

    assert change("mat-khau-cu-1", "mat-khau-moi-2").status_code == 302
    bearer = {"Authorization": f"Bearer {kept_raw}"}
    assert app.test_client().get("/api/v1/units", headers=bearer).status_code == 200, "unticked: tokens stay"
    response = change("mat-khau-moi-2", "mat-khau-moi-3", revoke_tokens="y")
    assert response.status_code == 302
    assert "mã truy cập API của bạn đã bị thu hồi" in browser.get("/account").get_data(as_text=True)
    assert app.test_client().get("/api/v1/units", headers=bearer).status_code == 401


# --- throttling ----------------------------------------------------------------------------------------------

def _attempt(app, username, password, address, client=None):
    client = client or app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client.post("/login", data={"username": username, "password": password, "csrf_token": _csrf(client)})


def test_wrong_passwords_from_rotating_addresses_do_not_lock_the_owner_out(app, db):
    user = factories.user("staff", username="chu.tai.khoan", password=PASSWORD)
    db.session.commit()
    owner = _sign_in(app, user.username, address="192.0.2.10")  # the owner's usual browser, signed in before
    owner.post("/logout", data={"csrf_token": _csrf(owner, "/account")})
    codes = [_attempt(app, user.username, f"doan-{n}", f"203.0.113.{n}").status_code for n in range(1, 31)]
    assert 429 in codes, "many addresses together still cannot guess one password quickly"
    assert _attempt(app, user.username, PASSWORD, "198.51.100.7").status_code == 429, \
        "a browser never seen before waits like the guessers"
    assert _attempt(app, user.username, PASSWORD, "192.0.2.10", client=owner).status_code == 302, \
        "the owner's browser signs in"
    forged = app.test_client()
    forged.set_cookie("awards_device", "eyJ1IjoiY2h1LnRhaS5raG9hbiJ9.forged.signature", path="/login")
    assert _attempt(app, user.username, PASSWORD, "198.51.100.8", client=forged).status_code == 429


def test_one_address_guessing_one_account_backs_off(app, db, monkeypatch):
    from awards.auth import throttle

    user = factories.user("staff", username="bi.doan", password=PASSWORD)
    db.session.commit()
    # the per-address and per-account limits out of the way: only the backoff is measured here
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "1000 per minute")
    clock = [time.time()]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    guesser = app.test_client()
    for n in range(throttle.FAILURES_BEFORE_BACKOFF):
        assert _attempt(app, user.username, f"sai-{n}", "203.0.113.5", client=guesser).status_code == 200
        clock[0] += 61
    waits = []
    for n in range(4):
        assert _attempt(app, user.username, f"sai-them-{n}", "203.0.113.5", client=guesser).status_code == 200
        refused = _attempt(app, user.username, PASSWORD, "203.0.113.5", client=guesser)
        assert refused.status_code == 429 and "vui lòng đợi" in refused.get_data(as_text=True)
        assert int(refused.headers["Retry-After"]) > 0  # at least ours (Flask-Limiter may name a later moment)
        waits.append(int(re.search(r"đợi (\d+) giây", refused.get_data(as_text=True)).group(1)))
        clock[0] += waits[-1] + 61
    assert waits == [2, 4, 8, 16], "each wrong password doubles the wait"
    assert _attempt(app, user.username, PASSWORD, "198.51.100.9").status_code == 302, "other addresses are not held"
    assert _attempt(app, user.username, PASSWORD, "203.0.113.5", client=guesser).status_code == 302


# --- timing ----------------------------------------------------------------------------------------------------

def test_an_unknown_username_takes_as_long_as_a_wrong_password(app, db):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"  # the production hash: its cost is what a timing attack measures
    try:
        user = factories.user("staff", username="co.that", password=PASSWORD)
        db.session.commit()
        assert user.password_hash.startswith("scrypt:")

        def seconds(username):
            start = time.perf_counter()
            assert services.authenticate(username, "sai-mat-khau") is None
            return time.perf_counter() - start

        seconds("khong.co.ai")  # the dummy hash is made once per process
        known = statistics.median(seconds("co.that") for _ in range(5))
        unknown = statistics.median(seconds("khong.co.ai") for _ in range(5))
        assert unknown > known / 2, (known, unknown)
    finally:
        app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
        db.session.rollback()


def test_an_inactive_account_is_refused_after_its_password_is_checked(db, app):
    user = factories.user("staff", username="da.khoa", password=PASSWORD)
    user.active = False
    db.session.commit()
    assert services.authenticate("da.khoa", PASSWORD) is None
    assert re.search("login.failed", " ".join(e.action for e in db.session.scalars(select(AuditEntry))))
