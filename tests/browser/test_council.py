"""A council member votes from a phone in a real browser: signs in, opens the session from the menu, reads the
agenda, chooses on each dossier, confirms, and sees the receipt code once; the session then says they voted."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from awards.auth import services as auth_services
from awards.core import clock
from awards.council import services as council_services
from awards.council import voting
from awards.extensions import db
from awards.units import services as units_services
from tests import factories
from tests.browser.conftest import migrated_app, serving

MEMBER, PASSWORD, MEMBER_NAME = "tv.hoidong", "bo-phieu-2026", "Trần Thị Thu Hà"
TITLE = "Phiên xét danh hiệu thi đua năm 2025"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "vi-VN"}


@pytest.fixture(scope="module")
def live_council(tmp_path_factory):
    """Its own live server (the conftest's keeps its app to itself): a Sở with two hospitals, a council of three
    members with their people, and an open session with two appraised dossiers from a hospital."""
    app = migrated_app(tmp_path_factory, "browser-council")
    with app.app_context():
        units_services.create_unit(code="SYT", name="Sở Y tế tỉnh Hà Giang", kind="other")
        units_services.create_unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent_code="SYT", kind="hospital")
        staff = auth_services.create_user("thuongtruc.hd", "thuong-truc-2026", ["staff"],
                                          full_name="Cán bộ thường trực")
        members = []
        for n, (username, name) in enumerate(((MEMBER, MEMBER_NAME), ("tv.chutich", "Nguyễn Văn Bình"),
                                              ("tv.uyvien", "Lê Thị Cúc")), start=1):
            person = units_services.create_person(code=f"HD{n:02d}", full_name=name, gender="female", unit_code="SYT")
            members.append(auth_services.create_user(username, PASSWORD, ["council_member"], full_name=name,
                                                     person=person))
        council = council_services.save_council(
            code="HD-SYT", name="Hội đồng Thi đua – Khen thưởng Sở Y tế", unit_code="SYT",
            chair_username="tv.chutich", members=[(MEMBER, "member"), ("tv.uyvien", "secretary")], by=staff)
        hospital = units_services.create_unit(code="BV1", name="Bệnh viện Y học cổ truyền", parent_code="SYT",
                                              kind="hospital")
        dossiers = [factories.nomination(units_services.create_person(code=code, full_name=name, gender="male",
                                                                      unit_code=hospital.code), "CSTDCS", by=staff)
                    for code, name in (("BV101", "Hoàng Văn Dũng"), ("BV102", "Vũ Thị Én"))]
        session = council_services.create_session(council=council, title=TITLE,
                                                   nomination_ids=[d.id for d in dossiers],
                                                   closes_at=clock.now() + timedelta(days=7), by=staff)
        voting.open_session(session, by=staff)
        db.session.commit()
        ids = session.id, [d.id for d in dossiers]
        db.session.remove()
    with serving(app) as base:
        yield base, ids


def test_member_votes_on_a_phone_and_sees_the_receipt(browser, live_council, screenshot):
    base, (session_id, (first, second)) = live_council
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(MEMBER)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {MEMBER_NAME}")).to_be_visible()
    page.wait_for_load_state("load")  # the menu button answers only once Bootstrap's script has run

    page.get_by_role("button", name="Mở menu").click()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hội đồng", exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator("#cast")).to_have_text("0/3 thành viên đã bỏ phiếu")
    expect(page.locator(f"#item-{first}")).to_contain_text("Hoàng Văn Dũng")
    expect(page.locator(f"#item-{second}")).to_contain_text("Vũ Thị Én")
    expect(page.get_by_text("Hồ sơ để trống được tính là không đồng ý.").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    yes = page.locator(f"label[for='vote-{first}-yes']")
    box = yes.bounding_box()
    assert box and box["height"] >= 44, "a thumb-sized target"
    assert page.locator(f"#vote-{first}-yes").is_checked() is False  # nothing preselected
    screenshot(page, "council-ballot-phone")

    yes.tap()
    page.locator(f"label[for='vote-{second}-no']").tap()
    expect(page.locator(f"#vote-{first}-yes")).to_be_checked()
    page.get_by_role("button", name="Gửi phiếu").click()  # not yet confirmed: refused, choices kept
    expect(page.get_by_text("Hãy đánh dấu ô xác nhận trước khi gửi phiếu.")).to_be_visible()
    expect(page.locator(f"#vote-{second}-no")).to_be_checked()
    page.get_by_label(re.compile("phiếu đã bỏ không sửa được")).check()
    page.get_by_role("button", name="Gửi phiếu").click()

    receipt = page.locator("#receipt")
    expect(receipt).to_have_text(re.compile(r"^\s*[0-9A-F]{4}(-[0-9A-F]{4}){3}\s*$"))
    expect(page.get_by_text("Hãy ghi lại mã này ngay.")).to_be_visible()
    screenshot(page, "council-receipt-phone")
    code = receipt.inner_text().strip()

    page.get_by_role("link", name=re.compile("Tôi đã ghi lại mã")).click()
    expect(page.locator("#voted")).to_contain_text("Bạn đã bỏ phiếu.")
    expect(page.locator("#cast")).to_have_text("1/3 thành viên đã bỏ phiếu")
    expect(page.locator(f"#vote-{first}-yes")).to_have_count(0)
    assert code not in page.content(), "the receipt is shown once, never again"
    context.close()
