"""The unit picker in a real browser (issue 21): the cluster form no longer lists every unit; the secretariat types
a few letters of a name without diacritics, picks with the keyboard, saves, and the cluster has the member."""

import pytest
from playwright.sync_api import expect

from awards.auth import services as auth_services
from awards.extensions import db
from awards.units import services as units_services
from tests.browser.conftest import migrated_app, serving, sign_in

STAFF, PASSWORD = "thuongtruc.cum", "chon-don-vi-2026"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A Sở with two general hospitals, a district centre and a department deep in one hospital."""
    app = migrated_app(tmp_path_factory, "browser-unit-picker")
    with app.app_context():
        units_services.create_unit(code="SYT", name="Sở Y tế tỉnh Thái An", kind="other")
        units_services.create_unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent_code="SYT", kind="hospital")
        units_services.create_unit(code="BVDK-KV", name="Bệnh viện Đa khoa khu vực Sơn Hà", parent_code="SYT",
                                   kind="hospital")
        units_services.create_unit(code="TTYT-MT", name="Trung tâm Y tế huyện Mường Tè", parent_code="SYT",
                                   kind="health_centre")
        units_services.create_unit(code="BVDK-NOI", name="Khoa Nội tổng hợp", parent_code="BVDK")
        auth_services.create_user(STAFF, PASSWORD, ["staff"], full_name="Hà Thị Thu")
        db.session.commit()
        db.session.remove()
    with serving(app) as base:
        yield base


def test_members_typed_and_picked_from_the_keyboard(browser, site):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    sign_in(page, site, STAFF, PASSWORD)
    page.goto(f"{site}/clusters/new")
    assert "Khoa Nội tổng hợp" not in page.content()  # three levels down: found by typing, not on the page
    page.get_by_label("Tên cụm, khối thi đua").fill("Cụm các bệnh viện đa khoa")
    search = page.get_by_role("combobox", name="Tìm đơn vị để thêm vào “Đơn vị thành viên”")
    search.press_sequentially("da khoa", delay=30)
    options = page.locator("#member_codes-options").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Bệnh viện Đa khoa khu vực Sơn Hà")
    expect(search).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    page.keyboard.press("Enter")  # adds the second, does not send the form
    members = page.get_by_label("Đơn vị thành viên", exact=True)
    expect(members).to_have_value("Bệnh viện Đa khoa tỉnh (BVDK)\n")
    expect(search).to_have_value("")
    added = page.locator("#member_codes-added")  # said aloud (aria-live)
    expect(added).to_have_text("Đã thêm: Bệnh viện Đa khoa tỉnh (BVDK) — Sở Y tế tỉnh Thái An")
    search.press_sequentially("muong te", delay=30)
    expect(options).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(members).to_have_value("Bệnh viện Đa khoa tỉnh (BVDK)\nTrung tâm Y tế huyện Mường Tè (TTYT-MT)\n")
    search.press_sequentially("khu vuc", delay=30)
    expect(options).to_have_count(1)
    page.keyboard.press("Escape")  # closes the list, adds nothing
    expect(search).to_have_attribute("aria-expanded", "false")
    leader = page.get_by_role("combobox", name="Trưởng cụm, khối (luân phiên hằng năm)")
    leader.press_sequentially("benh vien da khoa tinh", delay=30)
    expect(page.locator("#leader_code-options").get_by_role("option")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(leader).to_have_value("Bệnh viện Đa khoa tỉnh (BVDK)")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/criteria")
    page.goto(page.url.replace("/criteria", ""))
    expect(page.get_by_text("Trung tâm Y tế huyện Mường Tè").first).to_be_visible()
    expect(page.get_by_text("Bệnh viện Đa khoa tỉnh").first).to_be_visible()
    page.context.close()
