"""Two-factor sign-in with codes computed by pyotp: enrolment by QR code, the code after the password (each good
once), recovery codes (each good once), throttled wrong codes, the admin's requirement per role and reset."""

import html as html_lib
import re

import pyotp
import pytest
from sqlalchemy import select

from awards.auth import twofactor
from awards.auth.models import RecoveryCode, User
from awards.core.audit import AuditEntry
from awards.core.db import DomainError
from tests import factories
from tests.conftest import CSRF_INPUT

PASSWORD = "mat-khau-2026"


def _csrf(client, path):
    match = CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    return match.group(1) or match.group(2)


def _password_step(app, username, password=PASSWORD, client=None):
    client = client or app.test_client()
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": _csrf(client, "/login")})
    return client, response


def _code(client, code):
    return client.post("/login/code", data={"code": code, "csrf_token": _csrf(client, "/login")})


def _enrol(client) -> tuple[str, list[str]]:
    """Enrol through the pages as a person would: read the secret shown, answer with the app's code."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = html_lib.unescape(re.search(r'id="totp-secret"[^>]*>([^<]+)<', page).group(1)).replace(" ", "")
    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now(),
                                                        "csrf_token": _csrf(client, "/account/two-factor")})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.get_data(as_text=True))
    return secret, codes


def _enrolled(db, username="hai.buoc", *roles):
    """A user with two-factor on (through the service), its secret and recovery codes."""
    user = factories.user(*(roles or ("staff",)), username=username, password=PASSWORD)
    secret = twofactor.new_secret()
    codes = twofactor.enable(user, secret, pyotp.TOTP(secret).at(_earlier()), by=user)
    db.session.commit()
    return user, secret, codes


def _earlier():
    import time

    return time.time() - 30  # the previous step's code: the current one stays unused for the test


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_right_code(app, client, db, login_as, csrf_token):
    user = login_as("staff")
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and "Mã QR để thêm tài khoản vào ứng dụng xác thực" in page
    assert "<img" not in page.split('class="totp-qr"')[1].split("</figure>")[0], "inline SVG, no image file"
    secret = re.search(r'id="totp-secret"[^>]*>([^<]+)<', page).group(1).replace(" ", "")
    assert client.get("/account/two-factor").get_data(as_text=True).count(secret[:4]) >= 1, "same secret on reload"
    wrong = client.post("/account/two-factor", data={"code": "000000", "csrf_token": csrf_token("/account/two-factor")})
    assert wrong.status_code == 400 and "Mã xác thực không đúng" in wrong.get_data(as_text=True)
    no_csrf = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert no_csrf.status_code == 400
    secret_again, codes = _enrol(client)
    assert secret_again == secret and len(codes) == 10 and len(set(codes)) == 10
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.totp_secret == secret and stored.two_factor_enabled
    hashes = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(hashes) == 10 and not set(codes) & set(hashes), "only hashes are stored"
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "Đang bật" in page and "10 mã khôi phục" in page and not any(code in page for code in codes)


def test_sign_in_asks_the_code_after_the_password_and_each_code_is_good_once(app, db):
    user, secret, _codes = _enrolled(db)
    browser, response = _password_step(app, user.username)
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    assert browser.get("/account").status_code == 302, "not signed in before the code"
    assert "Xác thực hai bước" in browser.get("/login/code").get_data(as_text=True)
    wrong = _code(browser, "123456" if pyotp.TOTP(secret).now() != "123456" else "654321")
    assert wrong.status_code == 400 and "Mã xác thực không đúng hoặc đã được dùng" in wrong.get_data(as_text=True)
    code = pyotp.TOTP(secret).now()
    assert _code(browser, code).status_code == 302
    assert browser.get("/account").status_code == 200

    thief, response = _password_step(app, user.username)  # the same code, seen over a shoulder, in its window
    assert response.headers["Location"] == "/login/code"
    replay = _code(thief, code)
    assert replay.status_code == 400 and thief.get("/account").status_code == 302
    entries = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("login.2fa%"))).all()
    assert sorted(entries) == ["login.2fa", "login.2fa_failed", "login.2fa_failed"]


def test_a_replayed_code_is_refused_by_the_service_too(db):
    user, secret, _codes = _enrolled(db)
    code = pyotp.TOTP(secret).now()
    assert twofactor.verify(user, code) == "totp"
    assert twofactor.verify(user, code) is None
    assert twofactor.verify(user, pyotp.TOTP(secret).at(_earlier())) is None, "an older step's code neither"


def test_a_recovery_code_works_once(app, db):
    user, _secret, codes = _enrolled(db)
    browser, _response = _password_step(app, user.username)
    used = _code(browser, codes[3].upper().replace("-", " - "))  # as typed from paper
    account = browser.get("/account")
    assert used.status_code == 302 and account.status_code == 200
    assert "còn lại 9 mã" in account.get_data(as_text=True)
    again, _response = _password_step(app, user.username)
    assert _code(again, codes[3]).status_code == 400
    assert twofactor.recovery_codes_left(user) == 9


def test_wrong_codes_are_throttled_per_account(app, db):
    user, secret, _codes = _enrolled(db)
    browser, _response = _password_step(app, user.username)
    statuses = [_code(browser, f"{n:06d}").status_code for n in range(100000, 100006)]
    assert statuses == [400] * 5 + [429]
    other_browser, _response = _password_step(app, user.username)
    assert _code(other_browser, pyotp.TOTP(secret).now()).status_code == 429, "per account, not per browser"


def test_the_code_step_needs_a_recent_password(app, client, db):
    assert client.get("/login/code").status_code == 302
    user, secret, _codes = _enrolled(db)
    browser, _response = _password_step(app, user.username)
    with browser.session_transaction() as session:
        session["awards_2fa"] = {**session["awards_2fa"], "at": session["awards_2fa"]["at"] - 6 * 60}
    response = _code(browser, pyotp.TOTP(secret).now())
    assert response.status_code == 302 and response.headers["Location"] == "/login"


# --- the admin's requirement, reset, and the user's own choices -------------------------------------------------

def test_an_admin_requires_two_factor_and_users_of_that_role_must_enrol_first(app, client, db, login_as, csrf_token,
                                                                             api):
    login_as("admin")
    settings = client.get("/admin/sign-in").get_data(as_text=True)
    assert "Xác thực hai bước bắt buộc" in settings and "Thành viên Hội đồng" in settings
    saved = client.post("/admin/sign-in", data={"roles": ["staff", "council_member"],
                                                "csrf_token": csrf_token("/admin/sign-in")})
    assert saved.status_code == 302 and twofactor.required_roles() == ["council_member", "staff"]
    assert client.get("/").status_code == 200, "an admin is not concerned by a staff requirement"

    staff = factories.user("staff", username="phai.bat", password=PASSWORD)
    officer = factories.user("unit_officer", unit=factories.unit(), password=PASSWORD)
    token = factories.token(staff)
    db.session.commit()
    browser, response = _password_step(app, staff.username)
    assert response.headers["Location"] == "/account/two-factor"
    for path in ("/", "/nominations", "/account", "/account/sessions"):
        held = browser.get(path)
        assert held.status_code == 302 and held.headers["Location"] == "/account/two-factor", path
    assert "bắt buộc dùng xác thực hai bước" in browser.get("/account/two-factor").get_data(as_text=True)
    assert app.test_client().get("/api/v1/units", headers={"Authorization": f"Bearer {token}"}).status_code == 200, \
        "the API's bearer tokens are unchanged"
    assert _password_step(app, officer.username)[0].get("/").status_code == 200, "other roles go on"
    _enrol(browser)
    assert browser.get("/nominations").status_code == 200, "free once enrolled"
    disable = browser.post("/account/two-factor/disable", data={"password": PASSWORD,
                                                                "csrf_token": _csrf(browser, "/account")})
    assert disable.status_code == 302
    assert "không thể tắt" in browser.get("/account/two-factor").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, staff.id).two_factor_enabled
    with pytest.raises(DomainError, match="không thể tắt"):
        twofactor.disable(db.session.get(User, staff.id), PASSWORD, by=staff)


def test_the_requirement_takes_only_the_three_roles(db):
    with pytest.raises(DomainError, match="Vai trò không hợp lệ"):
        twofactor.set_required_roles(["unit_officer"], by=None)


def test_a_user_turns_two_factor_off_with_the_password(app, db):
    user, secret, _codes = _enrolled(db)
    browser, _response = _password_step(app, user.username)
    _code(browser, pyotp.TOTP(secret).now())
    def disable(password):
        return browser.post("/account/two-factor/disable", data={"password": password,
                                                                 "csrf_token": _csrf(browser, "/account")})

    assert disable("sai-mat-khau").status_code == 302
    assert "Mật khẩu không đúng" in browser.get("/account/two-factor").get_data(as_text=True)
    assert disable(PASSWORD).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, user.id).two_factor_enabled
    assert _password_step(app, user.username)[1].headers["Location"] == "/"


def test_new_recovery_codes_replace_the_old_ones(app, db):
    user, secret, old_codes = _enrolled(db)
    browser, _response = _password_step(app, user.username)
    _code(browser, pyotp.TOTP(secret).now())
    response = browser.post("/account/two-factor/recovery-codes", data={"password": PASSWORD,
                                                                        "csrf_token": _csrf(browser, "/account")})
    new_codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.get_data(as_text=True))
    assert len(new_codes) == 10 and response.headers["Cache-Control"] == "no-store"
    assert twofactor.verify(user, old_codes[0]) is None and twofactor.verify(user, new_codes[0]) == "recovery"


def test_an_admin_resets_a_users_two_factor_and_it_is_audited(app, client, db, login_as, csrf_token):
    user, _secret, _codes = _enrolled(db)
    admin = login_as("admin")
    page = f"/admin/users/{user.id}"
    assert "Đặt lại xác thực hai bước" in client.get(page).get_data(as_text=True)
    response = client.post(f"{page}/two-factor/reset", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, user.id).two_factor_enabled
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id)) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.2fa_reset"))
    assert entry.actor_name == admin.username and entry.object_id == str(user.id)
    assert _password_step(app, user.username)[1].headers["Location"] == "/", "the password alone again"
    with pytest.raises(DomainError, match="chưa bật"):
        twofactor.reset(db.session.get(User, user.id), by=admin)
    staff, _response = _password_step(app, factories.user("staff", password=PASSWORD).username)
    db.session.commit()
    assert staff.post(f"{page}/two-factor/reset", data={"csrf_token": _csrf(staff, "/account")}).status_code == 403
