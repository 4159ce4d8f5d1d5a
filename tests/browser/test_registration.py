"""A unit officer registers their hospital for a campaign in a real browser, on a desktop and on a phone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from awards.auth import services as auth_services
from awards.campaigns import queries, services
from awards.core import clock
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units import services as units_services
from tests.browser.conftest import migrated_app, serving

OFFICER, PASSWORD = "canbo.bvdk", "dang-ky-2026"
COMMITMENT = "Phấn đấu 100% cán bộ, viên chức hoàn thành tốt nhiệm vụ; không có cá nhân vi phạm kỷ luật."


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """Its own live server (the conftest's keeps its app to itself): a Sở, a hospital with two people, a
    launched campaign open for registration around today, and the hospital's unit officer."""
    app = migrated_app(tmp_path_factory, "browser-registration")
    with app.app_context():
        units_services.create_unit(code="SYT", name="Sở Y tế tỉnh Hà Giang", kind="other")
        hospital = units_services.create_unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent_code="SYT",
                                              kind="hospital")
        for code, name, gender in (("BV001", "Nguyễn Văn An", "male"), ("BV002", "Trần Thị Bình", "female")):
            units_services.create_person(code=code, full_name=name, gender=gender, unit_code="BVDK")
        today = clock.today()
        campaign = services.create_campaign(
            by=None, launch=True, title="Phong trào thi đua “Cán bộ y tế vì sức khỏe nhân dân”", kind="regular",
            year=today.year, organizer_unit_code="SYT", starts_on=today - timedelta(days=10),
            ends_on=today + timedelta(days=200), registration_deadline=today + timedelta(days=10),
            nomination_deadline=today + timedelta(days=180), award_codes=["LDTT", "CSTDCS", "TTLDTT"])
        auth_services.create_user(OFFICER, PASSWORD, ["unit_officer"], full_name="Lò Thị Mai", unit=hospital)
        db.session.commit()
        campaign_id = campaign.id
        db.session.remove()
    with serving(app) as base:
        yield app, base, campaign_id


def _sign_in(page, base):
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(OFFICER)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào, Lò Thị Mai")).to_be_visible()


def test_officer_registers_the_hospital(browser, live_app, screenshot):
    app, base, campaign_id = live_app
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    _sign_in(page, base)
    page.goto(f"{base}/campaigns/{campaign_id}/register")
    expect(page.get_by_role("heading", name="Đăng ký thi đua: Bệnh viện Đa khoa tỉnh")).to_be_visible()
    expect(page.get_by_text("(giờ Việt Nam)")).to_be_visible()
    expect(page.get_by_text("Đang nhận đăng ký")).to_be_visible()
    expect(page.get_by_label("Chọn nhanh cho mọi người đang hiển thị")).to_be_visible()  # register.js ran (CSP allows)

    page.get_by_label("Tập thể lao động tiên tiến").check()
    page.get_by_label("Danh hiệu đăng ký của Nguyễn Văn An").select_option("CSTDCS")
    page.get_by_label("Danh hiệu đăng ký của Trần Thị Bình").select_option("LDTT")
    page.get_by_label("Nội dung giao ước, cam kết thi đua").fill(COMMITMENT)
    screenshot(page, "registration-filled")
    page.get_by_role("button", name="Lưu đăng ký").click()

    expect(page.get_by_role("alert").filter(has_text="Đã lưu đăng ký thi đua của Bệnh viện Đa khoa tỉnh.")) \
        .to_be_visible()
    screenshot(page, "registration-saved")
    with app.app_context():
        campaign = queries.campaign_by_id(campaign_id)
        registration = queries.registration_for(campaign, units_queries.unit_by_code("BVDK"))
        assert registration.collective_award_codes == ["TTLDTT"] and registration.commitment == COMMITMENT
        assert sorted((e.person.code, e.award_code) for e in registration.individuals) == [
            ("BV001", "CSTDCS"), ("BV002", "LDTT")]
        db.session.remove()

    page.goto(f"{base}/campaigns/{campaign_id}/register")  # revising: what was saved is filled in
    expect(page.get_by_label("Tập thể lao động tiên tiến")).to_be_checked()
    expect(page.get_by_label("Danh hiệu đăng ký của Nguyễn Văn An")).to_have_value("CSTDCS")
    expect(page.get_by_label("Nội dung giao ước, cam kết thi đua")).to_have_value(COMMITMENT)
    context.close()


def test_registration_form_on_a_phone(browser, live_app, screenshot):
    _app, base, campaign_id = live_app
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="vi-VN")
    page = context.new_page()
    _sign_in(page, base)
    page.goto(f"{base}/campaigns/{campaign_id}/register")
    expect(page.get_by_label("Danh hiệu đăng ký của Trần Thị Bình")).to_be_visible()
    submit = page.get_by_role("button", name="Lưu đăng ký")
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    screenshot(page, "registration-phone")
    context.close()
