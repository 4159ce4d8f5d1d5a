"""Sign-in people expect, in a real browser: a forgotten password reset through the mailed link (read from a real
SMTP server), and two-factor enrolment then sign-in with codes computed by pyotp."""

import email
import re
import socket
import time
from email import policy

import pyotp
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from tests.browser.conftest import migrated_app, serving

READER, READER_PASSWORD, READER_NAME = "nguoi.quen", "mat-khau-cu-2026", "Đỗ Thị Quên"
ENROLLER, ENROLLER_PASSWORD, ENROLLER_NAME = "hai.buoc", "mat-khau-2026", "Lê Văn Hai Bước"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def mail_site(tmp_path_factory):
    """The app on its own migrated database and live server, mailing through a real SMTP server on loopback."""

    from awards.auth import services
    from awards.extensions import db

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    app = migrated_app(tmp_path_factory, "browser-sign-in", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                       MAIL_FROM="thidua@syt.example.vn")
    with app.app_context():
        services.create_user(READER, READER_PASSWORD, ["unit_officer"], full_name=READER_NAME,
                             email="Do.Thi.Quen@BVA.example.vn",
                             unit=_unit())
        services.create_user(ENROLLER, ENROLLER_PASSWORD, ["staff"], full_name=ENROLLER_NAME)
        db.session.commit()
        db.session.remove()
    with serving(app) as base:
        app.config["PUBLIC_BASE_URL"] = base  # the mailed link points at this server
        yield base, inbox
    smtp.stop()


def _unit():
    from awards.units import services

    return services.create_unit(code="BVA", name="Bệnh viện A", parent_code=None, grassroots=False, kind="other")


def _sign_in(page, base, username, password):
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_forgotten_password_is_reset_through_the_mailed_link(browser, mail_site, screenshot):
    base, inbox = mail_site
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.get_by_label("Thư điện tử của tài khoản").fill("do.thi.quen@bva.example.vn")
    page.get_by_role("button", name="Gửi liên kết đặt lại mật khẩu").click()
    expect(page.get_by_role("status")).to_contain_text("Nếu địa chỉ này có trong hệ thống")
    deadline = time.monotonic() + 10
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert inbox.messages, "the reset mail arrived at the SMTP server"
    message = inbox.messages[-1]
    assert message["To"] == "Do.Thi.Quen@BVA.example.vn"
    link = re.search(r"http://\S+/reset-password/\S+", message.get_content()).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", name="Đặt lại mật khẩu")).to_be_visible()
    page.get_by_label("Mật khẩu mới", exact=True).fill("mat-khau-moi-2026")
    page.get_by_label("Nhập lại mật khẩu mới").fill("mat-khau-moi-2026")
    screenshot(page, "reset-password")
    page.get_by_role("button", name="Đặt mật khẩu mới").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã đặt mật khẩu mới")
    _sign_in(page, base, READER, "mat-khau-moi-2026")
    expect(page.get_by_role("heading", name=f"Xin chào, {READER_NAME}")).to_be_visible()

    page.goto(link)  # the same link a second time
    expect(page.get_by_role("alert")).to_contain_text("đã được dùng")
    context.close()


def test_two_factor_enrolment_then_sign_in_with_a_code(browser, mail_site, screenshot):
    base, _inbox = mail_site
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    _sign_in(page, base, ENROLLER, ENROLLER_PASSWORD)
    expect(page.get_by_role("heading", name=f"Xin chào, {ENROLLER_NAME}")).to_be_visible()
    page.goto(f"{base}/account")
    page.get_by_role("link", name="Xác thực hai bước").click()
    expect(page.locator("figure.totp-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    screenshot(page, "two-factor-enrol")
    page.get_by_label("Mã 6 số đang hiện trong ứng dụng").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Đã lưu, tiếp tục").click()
    expect(page.get_by_text("Đang bật từ")).to_be_visible()
    context.close()

    context = browser.new_context(locale="vi-VN")  # another day, another browser
    page = context.new_page()
    _sign_in(page, base, ENROLLER, ENROLLER_PASSWORD)
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    page.get_by_label("Mã xác thực").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Mã xác thực không đúng")).to_be_visible()
    # the code of the next 30-second step (one step of drift is accepted): the enrolment's code is spent
    page.get_by_label("Mã xác thực").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {ENROLLER_NAME}")).to_be_visible()
    page.goto(f"{base}/account/sessions")  # the first browser was closed without signing out: still listed
    expect(page.locator("#sessions tbody tr")).to_have_count(2)
    expect(page.get_by_text("Phiên này")).to_have_count(1)
    screenshot(page, "sessions")
    context.close()
