"""Each role starts on its home page and reaches every waiting task from it, in a real browser (staff at 1280 px,
the council member and the visitor on a 390 px phone); axe finds nothing serious on the four homes; with
GUIDE_SCREENSHOTS=1 each home is saved at 390 and 1280 px into docs/guide/img for the guide."""

import re

import pytest
from playwright.sync_api import expect

from awards.core import clock
from awards.extensions import db
from tests.browser.conftest import migrated_app, serving, sign_in
from tests.browser.test_a11y import AXE, axe_violations, describe
from tests.browser.test_year import guide_shot
from tests.home.conftest import NOW, RETURN_REASON, Province
from tests.web import PASSWORD

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The province of tests/home on a live server, its clock held at 10/03/2026 09:00 (a Tuesday)."""
    app = migrated_app(tmp_path_factory, "homes", LOGIN_RATE_LIMIT="1000 per minute")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: NOW)
        with app.app_context():
            province = Province()
            site = {"staff": (province.staff.username, province.staff.full_name),
                    "officer": (province.officer.username, province.officer.full_name),
                    "member": (province.member.username, province.member.full_name),
                    "session": province.open_session.id, "returned": province.returned.id,
                    "draft": province.draft.id, "campaign": province.campaign.id}
            db.session.remove()
        with serving(app) as base:
            site["base"] = base
            yield site


def _page(browser, site, who, viewport):
    context = browser.new_context(viewport=viewport, locale="vi-VN", bypass_csp=True, is_mobile=viewport is PHONE,
                                  has_touch=viewport is PHONE)
    page = context.new_page()
    if who:
        sign_in(page, site["base"], site[who][0], PASSWORD)
    else:
        page.goto(site["base"] + "/")
    return page


def _task(page, label):
    return page.locator("a.home-task", has=page.get_by_text(label, exact=True))


def _check_axe(page):
    if AXE.exists():
        violations = axe_violations(page)
        assert not violations, describe(violations)


def _shots(browser, site, who, name):
    for viewport, suffix in ((PHONE, "dien-thoai"), (DESKTOP, "may-tinh")):
        page = _page(browser, site, who, viewport)
        guide_shot(page, f"trang-chu-{name}-{suffix}")
        page.context.close()


def test_staff_reach_each_waiting_task_from_home(browser, site):
    page = _page(browser, site, "staff", DESKTOP)
    base = site["base"]
    _check_axe(page)
    journeys = [  # (task, the list's URL, what it shows)
        ("Hồ sơ quá hạn thẩm định", r"/nominations/queue\?waiting=overdue$", "Phạm Văn Quá Hạn"),
        ("Hồ sơ chờ thẩm định", r"/nominations/queue$", "Đỗ Thị Mới Nộp"),
        ("Ý kiến phản ánh đang xử lý", r"/feedback$", "Trịnh Văn Công Khai"),
        ("Danh sách công khai kết thúc trong 7 ngày", r"/announcements\?ending=week$",
         "Công khai danh sách đề nghị khen thưởng đợt 1"),
        ("Phiên họp chờ mở bỏ phiếu", r"/council/sessions\?status=draft$", "Phiên xét đợt 2"),
        ("Hồ sơ sẵn sàng ban hành quyết định", r"/decisions/new$", "Ngô Văn Sẵn Sàng"),
        ("Đơn vị chưa đăng ký thi đua", rf"/campaigns/{site['campaign']}#registrations$", "Bệnh viện Đa khoa A"),
    ]
    for label, url, shown in journeys:
        page.goto(base + "/")
        _task(page, label).click()
        expect(page).to_have_url(re.compile(re.escape(base) + url))
        expect(page.locator("main")).to_contain_text(shown)
    page.goto(base + "/")
    page.get_by_role("link", name="Phạm Văn Quá Hạn").click()  # from the preview, straight to the appraisal
    expect(page).to_have_url(re.compile(r"/nominations/\d+/appraise$"))
    page.context.close()


def test_staff_menu_groups_open_by_keyboard(browser, site):
    page = _page(browser, site, "staff", DESKTOP)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    review = nav.get_by_role("button", name="Xét duyệt", exact=True)
    review.focus()
    page.keyboard.press("Enter")
    expect(review).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(nav.get_by_role("link", name="Hội đồng", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(review).to_have_attribute("aria-expanded", "false")
    assert page.title() == "Trang chủ · Thi đua – Khen thưởng"
    page.context.close()


def test_officer_reaches_each_task_from_home(browser, site):
    page = _page(browser, site, "officer", DESKTOP)
    base = site["base"]
    _check_axe(page)
    expect(page.locator("main")).to_contain_text(RETURN_REASON)
    page.get_by_role("link", name="Bổ sung hồ sơ: Hoàng Văn Bổ Sung").click()
    expect(page).to_have_url(f"{base}/nominations/{site['returned']}")
    page.goto(base + "/")
    page.get_by_role("link", name="Hoàn thiện và nộp hồ sơ: Vũ Thị Đang Soạn").click()
    expect(page).to_have_url(f"{base}/nominations/{site['draft']}")
    page.goto(base + "/")
    page.get_by_role("link", name="Đăng ký thi đua", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{site['campaign']}/register\?unit=BVA$"))
    expect(page.get_by_role("button", name="Lưu đăng ký")).to_be_visible()
    page.goto(base + "/")
    page.get_by_role("link", name="Trả lại để bổ sung").click()
    expect(page).to_have_url(re.compile(r"/nominations\?status=returned$"))
    expect(page.locator("main")).to_contain_text("Hoàng Văn Bổ Sung")
    page.context.close()


def test_member_on_a_phone_goes_from_home_to_the_ballot(browser, site):
    page = _page(browser, site, "member", PHONE)
    _check_axe(page)
    card = page.locator(".card", has=page.get_by_role("heading", name="Phiên xét danh hiệu năm 2025"))
    expect(card).to_contain_text("2 hồ sơ")
    expect(card).to_contain_text("còn 2 ngày 8 giờ")
    button = card.get_by_role("link", name="Xem hồ sơ và bỏ phiếu")
    box = button.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 44, "a large target on a phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "nothing wider than the phone"
    button.click()
    expect(page).to_have_url(f"{site['base']}/council/sessions/{site['session']}")
    page.context.close()


def test_a_visitor_on_a_phone_lands_on_the_public_home(browser, site):
    page = _page(browser, site, None, PHONE)
    _check_axe(page)
    login = page.get_by_role("link", name="Đăng nhập", exact=True)
    expect(login).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="Công khai danh sách đề nghị khen thưởng đợt 1").click()
    expect(page).to_have_url(re.compile(r"/public/announcements/\d+$"))
    page.goto(site["base"] + "/")
    page.get_by_label("Tên người hoặc tập thể").fill("bui thi")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page).to_have_url(re.compile(r"/public/archive\?q=bui\+thi$"))
    expect(page.locator("main")).to_contain_text("Bùi Thị Được Khen")
    page.goto(site["base"] + "/")
    login.click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    page.context.close()


def test_home_pages_for_the_guide(browser, site):
    """The four homes at 390 and 1280 px (saved only with GUIDE_SCREENSHOTS=1)."""
    for who, name in (("staff", "thuong-truc"), ("officer", "can-bo-don-vi"), ("member", "thanh-vien-hoi-dong"),
                      (None, "cong-chung")):
        _shots(browser, site, who, name)
