"""Issue 19's frictions in a real browser: the app's own confirmation dialog (modal, focus kept inside, Esc
cancels, Vietnamese) and the new dossier's search box driven from the keyboard."""

import pytest
from playwright.sync_api import expect

from awards.auth import services as auth_services
from awards.extensions import db
from awards.nominations import services
from awards.units import services as units_services
from tests.browser.conftest import migrated_app, serving

OFFICER, PASSWORD = "canbo.khoanoi", "hop-thoai-2026"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A Sở, a hospital and its department with two people, the department's officer and one draft dossier."""
    app = migrated_app(tmp_path_factory, "browser-frictions")
    with app.app_context():
        units_services.create_unit(code="SYT", name="Sở Y tế tỉnh Thái An", kind="other")
        units_services.create_unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent_code="SYT", kind="hospital")
        ward = units_services.create_unit(code="BVDK-NOI", name="Khoa Nội tổng hợp", parent_code="BVDK")
        units_services.create_person(code="KN01", full_name="Đặng Thị Hoa", gender="female", unit_code="BVDK-NOI")
        units_services.create_person(code="KN02", full_name="Đặng Văn Hùng", gender="male", unit_code="BVDK-NOI")
        officer = auth_services.create_user(OFFICER, PASSWORD, ["unit_officer"], full_name="Vi Thị Lan", unit=ward)
        draft = services.create_nomination(subject_type="person", subject_code="KN01", award_code="LDTT",
                                           year=2025, by=officer)
        db.session.commit()
        draft_id = draft.id
        db.session.remove()
    with serving(app) as base:
        yield base, draft_id


def _sign_in(browser, base):
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(OFFICER)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào, Vi Thị Lan")).to_be_visible()
    return page


def test_confirmation_is_the_apps_own_dialog(browser, site):
    base, draft_id = site
    page = _sign_in(browser, base)
    asked_by_browser = []
    page.on("dialog", lambda dialog: (asked_by_browser.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base}/nominations/{draft_id}")
    page.locator("#h-withdraw").click()  # the <summary>
    page.get_by_label("Lý do rút hồ sơ").fill("Đơn vị đề nghị lại theo phong trào khác.")
    withdraw = page.get_by_role("button", name="Rút hồ sơ")
    withdraw.click()
    dialog = page.get_by_role("dialog", name="Xác nhận")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Rút hồ sơ này?")
    cancel, ok = dialog.get_by_role("button", name="Hủy"), dialog.get_by_role("button", name="Đồng ý")
    expect(cancel).to_be_focused()
    page.keyboard.press("Tab")
    expect(ok).to_be_focused()
    page.keyboard.press("Tab")
    expect(cancel).to_be_focused()  # focus stays in the dialog
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(withdraw).to_be_focused()
    expect(page.locator("#status")).to_have_text("Đang soạn")  # nothing sent
    withdraw.click()
    dialog.get_by_role("button", name="Đồng ý").click()
    expect(page.locator("#status")).to_have_text("Đã rút")
    assert asked_by_browser == []  # never the browser's confirm()
    page.context.close()


def test_search_box_from_the_keyboard(browser, site):
    base, _draft = site
    page = _sign_in(browser, base)
    page.goto(f"{base}/nominations/new")
    search = page.get_by_role("combobox", name="Cá nhân, tập thể được đề nghị")
    search.press_sequentially("dang", delay=30)
    options = page.get_by_role("listbox", name="Kết quả tìm kiếm").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Khoa Nội tổng hợp — Bệnh viện Đa khoa tỉnh")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(search).to_have_value("Đặng Văn Hùng (KN02)")
    page.get_by_role("button", name="Lập hồ sơ").click()
    expect(page.get_by_role("heading", name="Đặng Văn Hùng — Lao động tiên tiến 2026")).to_be_visible()
    page.context.close()
