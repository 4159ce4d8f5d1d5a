"""A unit officer prepares a dossier in a real browser: creates it, uploads a real PDF report, submits; the
secretariat returns it with a reason and the officer sees it after a reload."""


import pytest
from playwright.sync_api import expect

from awards.auth import services as auth_services
from awards.extensions import db
from awards.nominations import queries, services
from awards.units import services as units_services
from tests.browser.conftest import migrated_app, serving

OFFICER, PASSWORD = "canbo.bvdk.hs", "ho-so-2026"
REASON = "Bổ sung biên bản họp Hội đồng thi đua – khen thưởng của bệnh viện."
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
       b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """Its own live server: a Sở, a hospital with one person rated for last year, its officer and a staff user."""
    app = migrated_app(tmp_path_factory, "browser-nomination")
    with app.app_context():
        units_services.create_unit(code="SYT", name="Sở Y tế tỉnh Hà Giang", kind="other")
        hospital = units_services.create_unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent_code="SYT",
                                              kind="hospital")
        person = units_services.create_person(code="BV001", full_name="Nguyễn Văn An", gender="male",
                                              unit_code="BVDK")
        units_services.add_person_evaluation(person, year=2025, rating="good", by=None)
        auth_services.create_user(OFFICER, PASSWORD, ["unit_officer"], full_name="Lò Thị Mai", unit=hospital)
        auth_services.create_user("thuongtruc.hs", "tham-dinh-2026", ["staff"], full_name="Cán bộ thường trực")
        db.session.commit()
        db.session.remove()
    with serving(app) as base:
        yield app, base


def test_officer_prepares_submits_and_sees_the_return(browser, live_app, screenshot, tmp_path):
    app, base = live_app
    report = tmp_path / "bao-cao-thanh-tich.pdf"
    report.write_bytes(PDF)
    proposal = tmp_path / "to-trinh.pdf"
    proposal.write_bytes(PDF.replace(b"595", b"596"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(OFFICER)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào, Lò Thị Mai")).to_be_visible()

    page.goto(f"{base}/nominations")
    page.get_by_role("link", name="Lập hồ sơ", exact=True).click()
    search = page.get_by_role("combobox", name="Cá nhân, tập thể được đề nghị")
    search.press_sequentially("nguyen v", delay=30)  # search as you type, without the diacritics
    page.get_by_role("option", name="Nguyễn Văn An").click()
    expect(search).to_have_value("Nguyễn Văn An (BV001)")
    page.get_by_label("Danh hiệu, hình thức khen thưởng").select_option("LDTT")
    page.get_by_label("Năm xét").fill("2025")
    page.get_by_label("Tóm tắt thành tích").fill("Hoàn thành tốt nhiệm vụ, tận tình với người bệnh.")
    page.get_by_role("button", name="Lập hồ sơ").click()
    expect(page.locator("#status")).to_have_text("Đang soạn")
    expect(page.locator("#missing-kinds")).to_contain_text("Báo cáo thành tích")

    for kind, path in (("report", report), ("proposal", proposal)):
        page.get_by_label("Loại tài liệu").select_option(kind)
        page.get_by_label("Tệp (PDF, Word, Excel, ảnh)").set_input_files(str(path))
        page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="bao-cao-thanh-tich.pdf")).to_be_visible()
    expect(page.locator("#missing-kinds")).to_have_count(0)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("#status")).to_have_text("Đã nộp")
    screenshot(page, "nomination-submitted")

    nomination_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    with app.app_context():  # the secretariat returns it, in this process, against the same database
        from awards.auth.models import User

        staff = db.session.scalar(db.select(User).where(User.username == "thuongtruc.hs"))
        services.return_for_supplement(queries.nomination_by_id(nomination_id), reason=REASON, by=staff)
        db.session.commit()
        db.session.remove()

    page.reload()
    expect(page.locator("#status")).to_have_text("Trả lại để bổ sung")
    expect(page.get_by_role("status").filter(has_text=REASON)).to_be_visible()
    expect(page.get_by_label("Loại tài liệu")).to_be_visible()  # returned: files may be added again
    screenshot(page, "nomination-returned")
    context.close()
