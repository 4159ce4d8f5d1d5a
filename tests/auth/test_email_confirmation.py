"""A user sets their own e-mail address on the account page through a link mailed to it (a real SMTP server on
loopback): the address changes only when the link is opened, once, within EMAIL_CONFIRM_MAX_AGE; an admin still
sets it directly; without MAIL_SERVER the page says so."""

import re
from datetime import datetime

from awards.auth import email_change
from awards.auth.models import User
from awards.core import clock
from awards.core.audit import AuditEntry
from tests import factories

LINK = re.compile(r"https?://\S+/account/email/confirm/\S+")


def _path(message) -> str:
    link = LINK.search(message.get_content()).group(0)
    return "/" + link.split("/", 3)[3]


def _email(db, user_id):
    db.session.expire_all()
    return db.session.get(User, user_id).email


def test_the_new_address_is_confirmed_by_the_link_mailed_to_it(client, db, login_as, csrf_token, smtp_inbox, at):
    at(datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM))
    me = login_as("unit_officer")
    asked = client.post("/account/email", data={"email": "le.thi.mai@syt.example.vn",
                                                "csrf_token": csrf_token("/account")})
    assert asked.status_code == 302
    assert "Đã gửi thư xác nhận tới le.thi.mai@syt.example.vn" in client.get("/account").get_data(as_text=True)
    assert _email(db, me.id) in ("", None)  # not yet
    [message] = smtp_inbox.wait(1)
    assert message["To"] == "le.thi.mai@syt.example.vn"
    assert "Xác nhận địa chỉ thư điện tử" in message["Subject"]
    assert "trong 24 giờ" in message.get_content()
    path = _path(message)
    client.get("/logout")  # the link works from any browser, signed in or not
    opened = client.get(path)
    assert opened.status_code == 200 and "Đã xác nhận" in opened.get_data(as_text=True)
    assert _email(db, me.id) == "le.thi.mai@syt.example.vn"
    again = client.get(path)
    assert again.status_code == 410 and "đã được dùng" in again.get_data(as_text=True)
    actions = [e.action for e in db.session.query(AuditEntry).filter(AuditEntry.object_id == str(me.id))]
    assert "user.email_change_requested" in actions and "user.email" in actions


def test_an_expired_a_forged_and_a_taken_address_link_are_refused(client, db, smtp_inbox, at):
    at(datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM))
    me = factories.user("staff")
    other = factories.user("staff")
    db.session.commit()
    email_change.request_change(me, "moi@syt.example.vn")
    email_change.request_change(me, "chung@syt.example.vn")
    late, taken = (_path(m) for m in smtp_inbox.wait(2))
    assert client.get(late[:-3] + "xyz").status_code == 404
    at(datetime(2026, 3, 11, 9, 1, tzinfo=clock.VIETNAM))  # 24 h and a minute later
    expired = client.get(late)
    assert expired.status_code == 410 and "hết hạn" in expired.get_data(as_text=True)
    at(datetime(2026, 3, 10, 10, 0, tzinfo=clock.VIETNAM))
    from awards.auth import services

    services.set_email(other, "chung@syt.example.vn", by=other)  # someone took it meanwhile
    db.session.commit()
    refused = client.get(taken)
    assert refused.status_code == 400 and "đã dùng cho một tài khoản khác" in refused.get_data(as_text=True)
    assert _email(db, me.id) in ("", None)


def test_without_mail_the_page_says_so_and_emptying_the_address_needs_no_link(client, db, login_as, csrf_token):
    me = login_as("staff")
    from awards.auth import services

    services.set_email(db.session.get(User, me.id), "cu@syt.example.vn", by=me)
    db.session.commit()
    page = client.post("/account/email", data={"email": "moi@syt.example.vn", "csrf_token": csrf_token("/account")})
    assert page.status_code == 400
    assert "chưa được cấu hình gửi thư (MAIL_SERVER)" in page.get_data(as_text=True)
    assert _email(db, me.id) == "cu@syt.example.vn"
    bad = client.post("/account/email", data={"email": "khong-phai-dia-chi", "csrf_token": csrf_token("/account")})
    assert bad.status_code == 400 and "không hợp lệ" in bad.get_data(as_text=True)
    no_csrf = client.post("/account/email", data={"email": "moi@syt.example.vn"})
    assert no_csrf.status_code == 400
    cleared = client.post("/account/email", data={"email": "", "csrf_token": csrf_token("/account")})
    assert cleared.status_code == 302 and _email(db, me.id) in ("", None)


def test_an_admin_still_sets_an_address_directly(api, db):
    admin = api.as_("admin")
    user = factories.user("staff", username="dat.truc.tiep")
    db.session.commit()
    response = admin.post("/api/v1/users", json={"username": "qua.api2", "password": "mat-khau-2026",
                                                  "roles": ["staff"], "email": "qua.api2@syt.example.vn"})
    assert response.status_code == 201 and response.json["email"] == "qua.api2@syt.example.vn"
    assert user.email in ("", None)

