"""Notifications: the in-app inbox (own notifications only, read and unread) and delivery by SMTP to a real
server on loopback (aiosmtpd)."""

import email
import re
from email import policy

import pytest

from awards import create_app
from awards.extensions import db as _db
from awards.notifications import mail, queries, views
from awards.notifications.models import Notification
from awards.notifications.services import notify
from tests import factories
from tests.conftest import FreshContextClient
from tests.notifications.conftest import free_port


@pytest.fixture(scope="module")
def app(database_url, tmp_path_factory):
    """The app with a server name, for the absolute links in the mail."""
    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")), "WTF_CSRF_ENABLED": True,
                      "SERVER_NAME": "localhost"})
    app.test_client_class = FreshContextClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.engine.dispose()


# the inbox

def test_inbox_shows_only_own_notifications_newest_first(client, login_as, db):
    me = login_as("unit_officer")
    other = factories.user("staff")
    notify([me], "campaign_launched", "Phát động phong trào: Thi đua yêu nước", "Hạn đăng ký: 31/03/2026.",
           "/campaigns/7")
    notify([me], "registration_reminder", "Nhắc đăng ký thi đua: Thi đua yêu nước")
    notify([other], "registration_reminder", "Thư của người khác")
    db.session.commit()
    response = client.get("/notifications")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Thư của người khác" not in html
    assert html.index("Nhắc đăng ký thi đua") < html.index("Phát động phong trào")
    assert html.count('class="fw-bold"') == 2 and "2 chưa đọc" in html
    assert 'name="next" value="/campaigns/7"' in html  # "Xem" marks it read and opens the link


def test_mark_read_and_all_read(client, login_as, csrf_token, db):
    me = login_as("unit_officer")
    first, second, third = (notify([me], "registration_reminder", f"Thông báo {i}")[0] for i in range(3))
    first.link = "/campaigns/3"
    db.session.commit()
    with client.application.app_context():
        assert queries.unread_count(_db.session.get(type(me), me.id)) == 3
    token = csrf_token("/notifications")
    response = client.post(f"/notifications/{first.id}/read", data={"csrf_token": token, "next": "/campaigns/3"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/campaigns/3")
    db.session.expire_all()
    assert first.read_at is not None and second.read_at is None
    evil = client.post(f"/notifications/{second.id}/read", data={"csrf_token": token, "next": "//evil.example"})
    assert evil.headers["Location"].endswith("/notifications")
    html = client.get("/notifications").get_data(as_text=True)
    assert "1 chưa đọc" in html and html.count('class="fw-bold"') == 1

    response = client.post("/notifications/read-all", data={"csrf_token": token})
    assert response.status_code == 302
    assert "Đã đánh dấu 1 thông báo là đã đọc." in client.get("/notifications").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(Notification).filter(Notification.read_at.is_(None)).count() == 0
    assert third.read_at is not None


def test_someone_elses_notification_is_404(client, login_as, csrf_token, db):
    login_as("unit_officer")
    other = factories.user("staff")
    theirs = notify([other], "registration_reminder", "Thư của người khác")[0]
    db.session.commit()
    token = csrf_token("/notifications")
    assert client.post(f"/notifications/{theirs.id}/read", data={"csrf_token": token}).status_code == 404
    assert client.post("/notifications/999999/read", data={"csrf_token": token}).status_code == 404
    client.post("/notifications/read-all", data={"csrf_token": token})
    db.session.expire_all()
    assert theirs.read_at is None


def test_empty_inbox_and_anonymous(client, login_as):
    anonymous = client.get("/notifications")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login_as("council_member")
    html = client.get("/notifications").get_data(as_text=True)
    assert "Bạn chưa có thông báo nào." in html


def test_unread_count_reaches_every_template(app, db):
    from flask import render_template_string
    from flask_login import AnonymousUserMixin, login_user

    me = factories.user("staff")
    notify([me], "registration_reminder", "Một")
    db.session.commit()
    with app.test_request_context():
        assert render_template_string("{{ unread_notifications }}") == "0"
        assert queries.unread_count(AnonymousUserMixin()) == 0
        login_user(me)
        assert render_template_string("{{ unread_notifications }}") == "1"


def test_inbox_is_paginated(client, login_as, db):
    me = login_as("staff")
    for i in range(views.PER_PAGE + 3):
        notify([me], "registration_reminder", f"Thông báo số {i:02d}")
    db.session.commit()
    first = client.get("/notifications").get_data(as_text=True)
    assert "Thông báo số 22" in first and "Thông báo số 00" not in first and "Tổng cộng 23 mục" in first
    assert "Thông báo số 00" in client.get("/notifications?page=2").get_data(as_text=True)


# mail

def test_a_long_vietnamese_subject_arrives_with_its_spaces(app, db, smtp_server):
    """Python 3.11 folding a long UTF-8 subject drops the space between two encoded words ("thi đua" → "thiđua")."""
    person = factories.user("unit_officer", unit=factories.unit(), full_name="Trần Văn Bình")
    person.email = "binh@bva.example.vn"
    subject = ("Hồ sơ đề nghị khen thưởng danh hiệu Chiến sĩ thi đua cơ sở năm 2025 của Bệnh viện Đa khoa tỉnh "
               "đã được Hội đồng Thi đua – Khen thưởng Sở Y tế thông qua")
    notify([person], "registration_reminder", subject, "", "/nominations/1")
    db.session.commit()
    assert mail.deliver_pending()["sent"] == 1
    message = email.message_from_bytes(smtp_server.envelopes[0].original_content, policy=policy.default)
    assert message["Subject"] == subject


def test_a_notification_is_mailed_with_its_vietnamese_subject(app, db, smtp_server):
    person = factories.user("unit_officer", unit=factories.unit(), full_name="Nguyễn Thị Ánh Tuyết")
    person.email = "tuyet@bva.example.vn"
    note = notify([person], "registration_reminder", "Nhắc đăng ký thi đua: “Cán bộ y tế vì sức khỏe nhân dân”",
                  "Bệnh viện A chưa đăng ký. Hạn đăng ký: 31/03/2026.", "/campaigns/4")[0]
    db.session.commit()
    assert note.email_status == "pending"

    assert mail.deliver_pending() == {"sent": 1, "failed": 0, "skipped": 0, "error": None}
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.mail_from == "thidua@syt.example.vn" and envelope.rcpt_tos == ["tuyet@bva.example.vn"]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Subject"] == "Nhắc đăng ký thi đua: “Cán bộ y tế vì sức khỏe nhân dân”"
    assert message["To"] == "tuyet@bva.example.vn"
    body = message.get_body(("plain",)).get_content()
    assert "Kính gửi Nguyễn Thị Ánh Tuyết," in body and "Hạn đăng ký: 31/03/2026." in body
    assert "https://thidua.example.vn/campaigns/4" in body
    db.session.expire_all()
    assert note.email_status == "sent" and note.emailed_at is not None and note.email_error == ""
    assert mail.deliver_pending() == {"sent": 0, "failed": 0, "skipped": 0, "error": None}  # not twice


def test_without_an_address_nothing_is_sent(app, db, smtp_server):
    nobody = factories.user("staff")
    note = notify([nobody], "registration_reminder", "Không có địa chỉ thư")[0]
    db.session.commit()
    assert note.email_status == "none"
    assert mail.deliver_pending()["sent"] == 0 and smtp_server.envelopes == []
    db.session.expire_all()
    assert note.email_status == "none"


def test_a_refused_recipient_fails_alone(app, db, smtp_server):
    bad, good = factories.user("staff"), factories.user("staff")
    bad.email, good.email = "ai-do@refused.example", "dung@syt.example.vn"
    refused = notify([bad], "registration_reminder", "Thư một")[0]
    sent = notify([good], "registration_reminder", "Thư hai")[0]
    db.session.commit()
    assert mail.deliver_pending() == {"sent": 1, "failed": 1, "skipped": 0, "error": None}
    db.session.expire_all()
    assert refused.email_status == "failed" and "550" in refused.email_error and refused.emailed_at is not None
    assert sent.email_status == "sent" and [e.rcpt_tos for e in smtp_server.envelopes] == [["dung@syt.example.vn"]]


def test_without_mail_server_they_stay_pending(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    user = factories.user("staff")
    user.email = "a@syt.example.vn"
    note = notify([user], "registration_reminder", "Chờ gửi")[0]
    db.session.commit()
    assert mail.deliver_pending() == {"sent": 0, "failed": 0, "skipped": 1, "error": None}
    db.session.expire_all()
    assert note.email_status == "pending" and note.emailed_at is None


def test_an_unreachable_server_leaves_them_pending(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there
    user = factories.user("staff")
    user.email = "a@syt.example.vn"
    note = notify([user], "registration_reminder", "Chờ gửi")[0]
    db.session.commit()
    result = mail.deliver_pending()
    assert result["sent"] == 0 and result["failed"] == 0 and "127.0.0.1" in result["error"]
    db.session.expire_all()
    assert note.email_status == "pending" and note.email_error


def test_settings_fall_back_to_the_environment(app, monkeypatch):
    monkeypatch.setenv("MAIL_FROM", "moi-truong@example.vn")
    monkeypatch.setitem(app.config, "MAIL_FROM", None)
    monkeypatch.setitem(app.config, "MAIL_PORT", None)
    with app.app_context():
        assert mail.setting("MAIL_FROM") == "moi-truong@example.vn"
        assert str(mail.setting("MAIL_PORT")) == "25"
        monkeypatch.setitem(app.config, "MAIL_FROM", "cau-hinh@example.vn")
        assert mail.setting("MAIL_FROM") == "cau-hinh@example.vn"


def test_flask_notifications_send_prints_the_counts(app, db, smtp_server):
    user = factories.user("staff")
    user.email = "b@syt.example.vn"
    notify([user], "registration_reminder", "Gửi bằng lệnh")
    notify([factories.user("staff")], "registration_reminder", "Không có thư")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    assert re.search(r"sent 1 failed 0 skipped 0", result.output)
    assert len(smtp_server.envelopes) == 1
