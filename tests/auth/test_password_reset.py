"""Password reset by e-mail through the real pages and a real SMTP server: the link works once, for 30 minutes;
an unknown address gets the same page and no mail; the address is one account's, whatever its case."""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from awards.auth import reset, services
from awards.auth.models import User
from awards.core import clock
from awards.core.audit import AuditEntry
from awards.core.db import DomainError
from tests import factories
from tests.auth.conftest import reset_path
from tests.conftest import CSRF_INPUT

SAME_ANSWER = "Nếu địa chỉ này có trong hệ thống, một thư hướng dẫn đã được gửi"


def _csrf(client, path):
    match = CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    return match.group(1) or match.group(2)


def _ask(client, address):
    return client.post("/forgot-password", data={"email": address, "csrf_token": _csrf(client, "/forgot-password")})


def _sign_in(app, username, password):
    browser = app.test_client()
    response = browser.post("/login", data={"username": username, "password": password,
                                            "csrf_token": _csrf(browser, "/login")})
    return browser, response


def _visible(html: str) -> str:
    return re.sub(r'value="[^"]*"', "", html)  # the CSRF token differs; everything else must not


def test_the_login_page_offers_the_reset(client, db):
    html = client.get("/login").get_data(as_text=True)
    assert "Quên mật khẩu?" in html and 'href="/forgot-password"' in html


def test_the_mailed_link_sets_a_new_password_once(app, client, db, smtp_inbox):
    user = factories.user("staff", username="lan.anh", password="mat-khau-cu-1", full_name="Phạm Lan Anh")
    user.email = "Lan.Anh@SYT.example.vn"
    db.session.commit()
    other_browser, _response = _sign_in(app, "lan.anh", "mat-khau-cu-1")
    assert other_browser.get("/account").status_code == 200

    answer = _ask(client, "  lan.anh@syt.EXAMPLE.vn ")  # any case, spaces around
    assert answer.status_code == 200 and SAME_ANSWER in answer.get_data(as_text=True)
    [message] = smtp_inbox.wait(1)
    assert message["To"] == "Lan.Anh@SYT.example.vn"
    assert message["Subject"] == "Đặt lại mật khẩu tài khoản thi đua, khen thưởng"
    body = message.get_content()
    assert "Kính gửi Phạm Lan Anh" in body and "30 phút" in body and "https://thidua.example.vn/reset-password/" in body
    path = reset_path(message)

    page = client.get(path)
    assert page.status_code == 200 and "lan.anh" in page.get_data(as_text=True)
    weak = client.post(path, data={"new_password": "12345678", "confirm": "12345678",
                                   "csrf_token": _csrf(client, path)})
    assert weak.status_code == 400 and "không được chỉ gồm chữ số" in weak.get_data(as_text=True)
    done = client.post(path, data={"new_password": "mat-khau-moi-2", "confirm": "mat-khau-moi-2",
                                   "csrf_token": _csrf(client, path)})
    assert done.status_code == 302 and done.headers["Location"] == "/login"

    assert other_browser.get("/account").status_code == 302, "every session of the account ended"
    assert _sign_in(app, "lan.anh", "mat-khau-cu-1")[1].status_code == 200, "the old password no longer works"
    assert _sign_in(app, "lan.anh", "mat-khau-moi-2")[1].status_code == 302

    again = client.get(path)
    assert again.status_code == 410 and "đã được dùng" in again.get_data(as_text=True)
    replay = client.post(path, data={"new_password": "mat-khau-moi-3", "confirm": "mat-khau-moi-3",
                                     "csrf_token": _csrf(client, "/forgot-password")})
    assert replay.status_code == 410
    assert _sign_in(app, "lan.anh", "mat-khau-moi-2")[1].status_code == 302, "the second use changed nothing"
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "password.reset_request" in actions and "user.password_reset" in actions


def test_an_unknown_address_gets_the_same_page_and_no_mail(app, client, db, smtp_inbox):
    user = factories.user("staff", username="co.thu")
    user.email = "co.thu@syt.example.vn"
    inactive = factories.user("staff", username="da.nghi")
    inactive.email, inactive.active = "da.nghi@syt.example.vn", False
    db.session.commit()
    known = _ask(client, "co.thu@syt.example.vn")
    smtp_inbox.wait(1)
    unknown = _ask(client, "khong.co.ai@syt.example.vn")
    locked = _ask(client, "da.nghi@syt.example.vn")
    assert known.status_code == unknown.status_code == locked.status_code == 200
    assert _visible(known.get_data(as_text=True)) == _visible(unknown.get_data(as_text=True)) \
        == _visible(locked.get_data(as_text=True))
    time.sleep(0.5)  # a mail would have arrived by now (the known one took milliseconds)
    assert len(smtp_inbox.messages) == 1 and smtp_inbox.messages[0]["To"] == "co.thu@syt.example.vn"


def test_an_expired_link_is_refused_in_vietnamese(app, client, db, at, smtp_inbox):
    user = factories.user("staff", username="het.han")
    user.email = "het.han@syt.example.vn"
    db.session.commit()
    start = clock.now()
    _ask(client, "het.han@syt.example.vn")
    path = reset_path(smtp_inbox.wait(1)[0])
    at(start + timedelta(minutes=29))
    assert client.get(path).status_code == 200, "still good within 30 minutes"
    at(start + timedelta(minutes=31))
    page = client.get(path)
    assert page.status_code == 410 and "đã hết hạn" in page.get_data(as_text=True)
    posted = client.post(path, data={"new_password": "mat-khau-moi-2", "confirm": "mat-khau-moi-2",
                                     "csrf_token": _csrf(client, "/forgot-password")})
    assert posted.status_code == 410
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("mat-khau-2026")


def test_a_link_tampered_with_or_for_an_older_password_is_refused(app, client, db):
    user = factories.user("staff", username="doi.roi")
    db.session.commit()
    token = reset.make_token(user)
    broken = client.get(f"/reset-password/{token[:-2]}xx")
    assert broken.status_code == 404 and "không hợp lệ" in broken.get_data(as_text=True)
    services.reset_password(user, "mat-khau-admin-9", by=None)  # the admin set a password after the mail left
    db.session.commit()
    with pytest.raises(DomainError, match="đã được dùng hoặc không còn hiệu lực"):
        reset.user_for_token(token)


def test_the_form_is_checked_and_protected(client, db):
    assert client.post("/forgot-password", data={"email": "a@b.vn"}).status_code == 400, "no CSRF token"
    empty = client.post("/forgot-password", data={"email": "", "csrf_token": _csrf(client, "/forgot-password")})
    assert empty.status_code == 400 and "Trường này là bắt buộc" in empty.get_data(as_text=True)
    bad = _ask(client, "khong-phai-thu")
    assert bad.status_code == 400 and "Địa chỉ thư điện tử không hợp lệ" in bad.get_data(as_text=True)


def test_asking_is_rate_limited_per_address_asked(client, db):
    codes = [_ask(client, "ai.do@syt.example.vn").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert _ask(client, "nguoi.khac@syt.example.vn").status_code == 200


# --- the address: one account's, set by the user and by the admin ----------------------------------------------

def test_an_address_belongs_to_one_account_whatever_its_case(app, client, db, login_as, csrf_token, api):
    owner = factories.user("staff", username="chu.thu")
    services.set_email(owner, "Chung@SYT.example.vn", by=owner)
    db.session.commit()
    with pytest.raises(DomainError, match="đã dùng cho một tài khoản khác"):
        services.create_user("trung.thu", "mat-khau-2026", ["staff"], email="chung@syt.example.vn")
    db.session.rollback()

    me = login_as("unit_officer")
    taken = client.post("/account/email", data={"email": "CHUNG@syt.example.vn", "csrf_token": csrf_token("/account")})
    assert taken.status_code == 400 and "đã dùng cho một tài khoản khác" in taken.get_data(as_text=True)
    # a free address is mailed a confirmation link (tests/auth/test_email_confirmation.py); without MAIL_SERVER the
    # page says so and the account keeps its address
    mine = client.post("/account/email", data={"email": "rieng@syt.example.vn", "csrf_token": csrf_token("/account")})
    assert mine.status_code == 400 and "MAIL_SERVER" in mine.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, me.id).email in ("", None)

    admin = api.as_("admin")
    response = admin.post("/api/v1/users", json={"username": "qua.api", "password": "mat-khau-2026",
                                                 "roles": ["staff"], "email": "chung@SYT.example.vn"})
    assert response.status_code == 400 and "email" in response.json["error"]["fields"]
    good = admin.post("/api/v1/users", json={"username": "qua.api", "password": "mat-khau-2026",
                                             "roles": ["staff"], "email": "qua.api@syt.example.vn"})
    assert good.status_code == 201 and good.json["email"] == "qua.api@syt.example.vn"


def test_the_admin_sets_an_address_on_the_account_page(client, db, login_as, csrf_token):
    login_as("admin")
    user = factories.user("staff", username="can.thu")
    other = factories.user("staff", username="co.thu.roi")
    other.email = "da.co@syt.example.vn"
    db.session.commit()
    page = f"/admin/users/{user.id}"
    form = {"username": "can.thu", "full_name": "Cần Thư", "roles": ["staff"], "active": "y"}
    taken = client.post(page, data={**form, "email": "DA.CO@syt.example.vn", "csrf_token": csrf_token(page)})
    assert taken.status_code == 200 and "đã dùng cho một tài khoản khác" in taken.get_data(as_text=True)
    assert client.post(page, data={**form, "email": "can.thu@syt.example.vn",
                                   "csrf_token": csrf_token(page)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email_key == "can.thu@syt.example.vn"
