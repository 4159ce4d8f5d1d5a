"""A citizen reads a public review list on a phone and sends feedback, seeing the reference number.

Runs on the shared live server (conftest's `live_server`): the secretariat's staff user signs in, takes an API
token from their account page, and prepares the list over the JSON API (a unit, a person, a dossier appraised,
the list published from today) — the way another system would; then an anonymous phone does the rest."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from awards.core import clock
from tests.browser.conftest import FULL_NAME, PASSWORD, USERNAME

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
       b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")
TITLE = "Công khai danh sách đề nghị danh hiệu Lao động tiên tiến"
SUMMARY = "Hoàn thành tốt nhiệm vụ được giao.\nTận tình chăm sóc người bệnh, không để xảy ra sai sót chuyên môn."
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "vi-VN"}


def _publish_a_list(browser, live_server) -> tuple[int, int]:
    """The secretariat prepares an open list with one nominee; returns the list's id and the dossier's."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {FULL_NAME}")).to_be_visible()
    page.goto(f"{live_server}/account")
    page.get_by_label("Ghi chú (dùng cho hệ thống nào)").fill("công khai lấy ý kiến")
    page.get_by_role("button", name="Tạo mã truy cập").click()
    token = page.locator("#token").inner_text().strip()
    api = context.request
    headers = {"Authorization": f"Bearer {token}"}

    def post(path, **kw):
        response = api.post(f"{live_server}/api/v1{path}", headers=headers, **kw)
        assert response.status in (200, 201), (path, response.status, response.text())
        return response.json()

    today = clock.today()
    post("/units", data={"code": "BVPHCN", "name": "Bệnh viện Phục hồi chức năng", "kind": "hospital"})
    post("/people", data={"code": "PHCN-01", "full_name": "Hoàng Thị Thu Hà", "gender": "female",
                          "birth_date": "1988-02-14", "unit_code": "BVPHCN"})
    post("/people/PHCN-01/evaluations", data={"year": today.year - 1, "rating": "good"})  # the LĐTT condition
    dossier = post("/nominations", data={"subject_type": "person", "subject_code": "PHCN-01", "award_code": "LDTT",
                                         "year": today.year - 1, "summary": SUMMARY})
    for n, kind in enumerate(("report", "proposal")):
        post(f"/nominations/{dossier['id']}/attachments", multipart={
            "kind": kind, "file": {"name": f"{kind}.pdf", "mimeType": "application/pdf",
                                   "buffer": PDF.replace(b"595", str(595 + n).encode())}})
    post(f"/nominations/{dossier['id']}/submit")
    post(f"/nominations/{dossier['id']}/appraise", data={"result": "pass"})
    listed = post("/announcements", data={"title": TITLE, "nomination_ids": [dossier["id"]],
                                          "opens_on": today.isoformat(),
                                          "closes_on": (today + timedelta(days=30)).isoformat()})
    context.close()
    return listed["id"], dossier["id"]


def test_a_citizen_reads_the_list_on_a_phone_and_sends_feedback(browser, live_server, screenshot):
    announcement_id, dossier_id = _publish_a_list(browser, live_server)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)

    page.goto(f"{live_server}/public/announcements")
    expect(page.get_by_role("heading", name="Công khai danh sách đề nghị khen thưởng")).to_be_visible()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    closes = (clock.today() + timedelta(days=30)).strftime("%d/%m/%Y")
    expect(page.get_by_text(f"Đang lấy ý kiến đến hết ngày {closes}")).to_be_visible()
    nominee = page.locator(".nominee").first
    expect(nominee.get_by_role("heading", name="1. Hoàng Thị Thu Hà")).to_be_visible()
    expect(nominee).to_contain_text("Bệnh viện Phục hồi chức năng")
    expect(nominee).to_contain_text("Lao động tiên tiến")
    expect(nominee.locator(".summary-text")).to_have_text(SUMMARY)
    assert nominee.locator(".summary-text").evaluate("e => getComputedStyle(e).whiteSpace") == "pre-line"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_text("14/02/1988")).to_have_count(0)
    expect(page.locator("#website")).not_to_be_in_viewport()
    screenshot(page, "public-review-phone")

    nominee.get_by_role("link", name="Góp ý về Hoàng Thị Thu Hà").click()
    form = page.locator("#gop-y")
    expect(form.get_by_label("Góp ý về")).to_have_value(str(dossier_id))
    form.get_by_role("button", name="Gửi ý kiến").click()  # nothing filled in: told what is missing, in Vietnamese
    expect(page.get_by_text("Ý kiến chưa được gửi")).to_be_visible()
    expect(page.locator("#gop-y .invalid-feedback", has_text="Trường này là bắt buộc.")).to_have_count(3)

    form = page.locator("#gop-y")
    form.get_by_label("Họ và tên của bạn").fill("Vũ Văn Dân")
    form.get_by_label("Số điện thoại hoặc email").fill("0987 654 321")
    form.get_by_label("Nội dung ý kiến").fill("Chị Hà rất tận tình.\nTôi đồng ý với đề nghị khen thưởng.")
    form.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("heading", name="Đã nhận ý kiến của bạn")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Số tham chiếu: YK-\d{4}-[A-Z2-9]{6} — vui lòng ghi lại"))).to_be_visible()
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"YK-\d{4}-[A-Z2-9]{6}", reference)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "public-review-reference-phone")
    assert refused == []  # no inline script or style was blocked
    assert f"/public/announcements/{announcement_id}/feedback/sent" in page.url
    context.close()
