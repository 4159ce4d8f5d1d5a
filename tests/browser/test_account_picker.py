"""The council form's account picker in a real browser (issue 21): the form no longer lists every council account;
the secretariat types part of a person's name without diacritics, picks the chair and the members with the keyboard,
saves, and the council has them seated in their roles."""

import pytest
from playwright.sync_api import expect

from awards.auth import services as auth_services
from awards.council import queries
from awards.extensions import db
from awards.units import services as units_services
from tests.browser.conftest import migrated_app, serving, sign_in

STAFF, PASSWORD = "thuongtruc.hd", "chon-thanh-vien-2026"
MEMBERS = (  # username, name, unit
    ("hd.binh", "Nguyễn Văn Bình", "SYT"),
    ("hd.anh", "Đặng Thị Ngọc Ánh", "BVDK"),
    ("hd.pang", "Lò Văn Pảng", "TTYT-MT"),
    ("hd.nga", "Nguyễn Thị Nga", "TTYT-MT"),
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A Sở, a hospital and a district centre, a council account bound to a person in each (two in the centre),
    and the secretariat's account (bound to no unit: no account is suggested before anything is typed)."""
    app = migrated_app(tmp_path_factory, "browser-account-picker")
    with app.app_context():
        units_services.create_unit(code="SYT", name="Sở Y tế tỉnh Lai Châu", kind="other")
        units_services.create_unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent_code="SYT", kind="hospital")
        units_services.create_unit(code="TTYT-MT", name="Trung tâm Y tế huyện Mường Tè", parent_code="SYT",
                                   kind="health_centre")
        for n, (username, name, unit) in enumerate(MEMBERS, start=1):
            person = units_services.create_person(code=f"HD{n:02d}", full_name=name, gender="female", unit_code=unit)
            auth_services.create_user(username, PASSWORD, ["council_member"], full_name=name, person=person)
        auth_services.create_user(STAFF, PASSWORD, ["staff"], full_name="Hà Thị Thu")
        db.session.commit()
        db.session.remove()
    with serving(app) as base:
        yield app, base


def test_chair_and_members_found_by_name_without_diacritics(browser, site):
    app, base = site
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    sign_in(page, base, STAFF, PASSWORD)
    page.goto(f"{base}/council/councils/new")
    assert "Ngọc Ánh" not in page.content() and "hd.pang" not in page.content()  # found by typing, not shipped
    page.get_by_label("Mã hội đồng").fill("HD-SYT-2026")
    page.get_by_label("Tên hội đồng").fill("Hội đồng Thi đua – Khen thưởng Sở Y tế")
    page.get_by_role("combobox", name="Cấp tư vấn (đơn vị)").fill("SYT")

    chair = page.get_by_role("combobox", name="Chủ tịch Hội đồng (tên đăng nhập)")
    chair.press_sequentially("nguyen van", delay=30)
    options = page.locator("#chair_username-options").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Nguyễn Văn Bình")
    expect(options.first).to_contain_text("hd.binh · Sở Y tế tỉnh Lai Châu")
    expect(chair).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(chair).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    page.keyboard.press("Enter")
    expect(chair).to_have_value("hd.binh")
    expect(page.locator("#chair_username-chosen")).to_have_text("Nguyễn Văn Bình · Sở Y tế tỉnh Lai Châu")

    search = page.get_by_role("combobox", name="Tìm tài khoản để thêm vào “Các thành viên khác”")
    seats = page.get_by_label("Các thành viên khác", exact=True)
    page.get_by_label("Vai trò của thành viên thêm vào").select_option(label="Ủy viên thư ký")
    search.press_sequentially("ngoc anh", delay=30)
    expect(page.locator("#seats-options").get_by_role("option")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # adds the line, does not send the form
    expect(seats).to_have_value("hd.anh Ủy viên thư ký\n")
    expect(search).to_have_value("")
    expect(page.locator("#seats-added")).to_have_text(
        "Đã thêm: hd.anh — Đặng Thị Ngọc Ánh · Bệnh viện Đa khoa tỉnh")

    page.get_by_label("Vai trò của thành viên thêm vào").select_option(label="Ủy viên")
    search.press_sequentially("muong te", delay=30)  # by unit: the centre's two accounts
    found = page.locator("#seats-options").get_by_role("option")
    expect(found).to_have_count(2)
    expect(found.nth(0)).to_contain_text("Lò Văn Pảng")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    search.press_sequentially("lo van", delay=30)
    expect(found).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # already there: said, not added twice
    expect(page.locator("#seats-added")).to_contain_text("Đã có trong danh sách: hd.pang")
    expect(seats).to_have_value("hd.anh Ủy viên thư ký\nhd.pang Ủy viên\n")

    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/council/councils/HD-SYT-2026")
    expect(page.get_by_text("Lò Văn Pảng").first).to_be_visible()
    with app.app_context():
        council = queries.council_by_code("HD-SYT-2026")
        assert {m.user.username: m.role for m in council.members} == {
            "hd.binh": "chair", "hd.anh": "secretary", "hd.pang": "member"}
        db.session.remove()

    page.goto(f"{base}/council/councils/HD-SYT-2026/edit")  # the edit form names its members with their units
    expect(page.locator("#accounts")).to_contain_text("Đặng Thị Ngọc Ánh")
    expect(page.locator("#accounts")).to_contain_text("Trung tâm Y tế huyện Mường Tè")
    page.context.close()
