"""A year of thi đua – khen thưởng in a real browser, step by step on one server and one database.

The secretariat launches a campaign in January 2025; two hospitals register; in October each sends a dossier
(one is returned for a supplement and sent again); the secretariat appraises; a council of five votes (two
members on a phone); the list is made public, a citizen writes in and the secretariat resolves it; after the
review period the decision is issued, the public results show it and the annual workbook has its row.

The steps are ordered test functions sharing the module's `year` fixture: run the module, not one step.
The app's clock (awards/core/clock.py) is moved by the fixture (same process as the live server's thread).
With GUIDE_SCREENSHOTS=1 the steps also refresh the user guide's pictures in docs/guide/img/.
"""

import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from awards.auth import services as auth_services
from awards.core import clock
from awards.council import services as council_services
from awards.extensions import db
from awards.units import services as units_services
from tests.browser.conftest import menu, migrated_app, serving

GUIDE_IMG = Path(__file__).resolve().parents[2] / "docs" / "guide" / "img"
DESKTOP = {"viewport": {"width": 1280, "height": 860}, "locale": "vi-VN"}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "vi-VN"}
PASSWORD = "mot-nam-2026"
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
       b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")
CAMPAIGN = "Phong trào thi đua “Cán bộ y tế vì sức khỏe nhân dân” năm 2025"
SESSION = "Phiên xét Chiến sĩ thi đua cơ sở năm 2025"
LIST = "Công khai danh sách đề nghị tặng danh hiệu Chiến sĩ thi đua cơ sở năm 2025"
SUPPLEMENT = "Bổ sung biên bản bình xét của Hội đồng thi đua – khen thưởng bệnh viện."
DECISION = "125/QĐ-SYT"
STAFF = ("thuongtruc", "Nguyễn Thị Ánh Tuyết")
OFFICERS = {"BVDK": ("canbo.bvdk", "Lò Thị Mai"), "BVSN": ("canbo.bvsn", "Hà Văn Quý")}
NOMINEES = {"BVDK": ("BVDK-01", "Nguyễn Văn An"), "BVSN": ("BVSN-01", "Đặng Thị Ánh")}
MEMBERS = [("hd.chutich", "Phạm Văn Chiến", "chair"), ("hd.phochutich", "Lê Thị Hồng", "vice_chair"),
           ("hd.thuky", "Trần Văn Long", "secretary"), ("hd.uyvien1", "Vũ Thị Lan", "member"),
           ("hd.uyvien2", "Đỗ Văn Minh", "member")]


@dataclass
class Year:
    """What the steps share: the server, the clock, and the ids the steps learn as they go."""

    app: object
    base: str
    browser: object
    monkeypatch: pytest.MonkeyPatch
    ids: dict = field(default_factory=dict)
    dialogs: list = field(default_factory=list)  # the confirmation questions the app asked, in order

    def on(self, day: date, hour: int = 9):
        """Move the app's clock to `day` at `hour` in Vietnam."""
        moment = datetime.combine(day, time(hour), tzinfo=clock.VIETNAM)
        self.monkeypatch.setattr(clock, "now", lambda: moment)

    def asked(self, question: str) -> bool:
        """True when the last confirmation the app asked starts with `question`."""
        return bool(self.dialogs) and self.dialogs[-1].startswith(question)

    def confirm(self, dialog):
        """Answer "Đồng ý" in the app's own confirmation dialog, noting its question."""
        self.dialogs.append(dialog.locator("#confirm-dialog-text").inner_text())
        dialog.get_by_role("button", name="Đồng ý").click()

    def page(self, username: str | None = None, full_name: str | None = None, phone: bool = False):
        """A fresh browser (its own cookies) signed in as `username`, or anonymous; the app's confirmations accepted
        (the browser's own confirm() is never used: refused and noted)."""
        context = self.browser.new_context(**(PHONE if phone else DESKTOP))
        page = context.new_page()
        page.on("dialog", lambda dialog: (self.dialogs.append("browser: " + dialog.message), dialog.dismiss()))
        page.add_locator_handler(page.get_by_role("dialog", name="Xác nhận"), self.confirm)  # the app's own
        if username:
            page.goto(f"{self.base}/login")
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            expect(page.get_by_role("heading", name=f"Xin chào, {full_name}")).to_be_visible()
            page.wait_for_load_state("load")  # the heading shows before the scripts at the page's end have run
        return page


def guide_shot(page, name: str):
    """With GUIDE_SCREENSHOTS=1: the visible part of the page as docs/guide/img/<name>.png, at most 1000 px wide
    and in 256 colours (small enough to commit)."""
    if os.environ.get("GUIDE_SCREENSHOTS") != "1":
        return
    from PIL import Image

    GUIDE_IMG.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    if image.width > 1000:
        image = image.resize((1000, round(image.height * 1000 / image.width)), Image.Resampling.LANCZOS)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(GUIDE_IMG / f"{name}.png", optimize=True)


def _alert(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


@pytest.fixture(scope="module")
def year(browser, tmp_path_factory):
    """A Sở with two hospitals (each an officer and a nominee rated excellent), the secretariat, a council of five
    and an admin — set up through the services; everything after that happens in the browser."""
    app = migrated_app(tmp_path_factory, "browser-year", LOGIN_RATE_LIMIT="1000 per minute")
    monkeypatch = pytest.MonkeyPatch()
    world = Year(app=app, base="", browser=browser, monkeypatch=monkeypatch)
    world.on(date(2025, 1, 6))
    with app.app_context():
        units_services.create_unit(code="SYT", name="Sở Y tế tỉnh Thái An", kind="other")
        units = {"BVDK": units_services.create_unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent_code="SYT",
                                                    kind="hospital"),
                 "BVSN": units_services.create_unit(code="BVSN", name="Bệnh viện Sản – Nhi tỉnh", parent_code="SYT",
                                                    kind="hospital")}
        for unit_code, (code, name) in NOMINEES.items():
            person = units_services.create_person(code=code, full_name=name, unit_code=unit_code,
                                                  gender="male" if "Văn" in name else "female")
            for rated in (2023, 2024, 2025):
                units_services.add_person_evaluation(person, year=rated, rating="excellent", by=None)
            units_services.add_initiative(person, year=2025, title="Cải tiến quy trình tiếp đón người bệnh",
                                          scope="unit", by=None)
            other = units_services.create_person(code=f"{unit_code}-02", full_name="Bùi Văn Hùng" if
                                                 unit_code == "BVDK" else "Triệu Thị Hoa", unit_code=unit_code,
                                                 gender="male" if unit_code == "BVDK" else "female")
            units_services.add_person_evaluation(other, year=2025, rating="good", by=None)
        for unit_code, (username, name) in OFFICERS.items():
            auth_services.create_user(username, PASSWORD, ["unit_officer"], full_name=name, unit=units[unit_code])
        staff = auth_services.create_user(STAFF[0], PASSWORD, ["staff"], full_name=STAFF[1])
        auth_services.create_user("quantri", PASSWORD, ["admin"], full_name="Quản trị hệ thống")
        for n, (username, name, _role) in enumerate(MEMBERS, start=1):
            person = units_services.create_person(code=f"SYT-{n:02d}", full_name=name, unit_code="SYT",
                                                  gender="female" if "Thị" in name else "male")
            auth_services.create_user(username, PASSWORD, ["council_member"], full_name=name, person=person)
        council_services.save_council(code="HD-SYT", name="Hội đồng Thi đua – Khen thưởng Sở Y tế", unit_code="SYT",
                                      chair_username=MEMBERS[0][0],
                                      members=[(u, role) for u, _n, role in MEMBERS[1:]], by=staff)
        db.session.commit()
        db.session.remove()
    with serving(app) as world.base:
        yield world
    monkeypatch.undo()


def test_01_staff_launch_the_campaign(year):
    year.on(date(2025, 1, 6))
    page = year.page(*STAFF)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Phong trào", exact=True).click()
    expect(page.get_by_role("heading", name="Phong trào thi đua", exact=True)).to_be_visible()
    page.get_by_role("link", name="Tạo phong trào").click()
    page.get_by_label("Tên phong trào").fill(CAMPAIGN)
    page.get_by_label("Năm", exact=True).fill("2025")
    page.get_by_label("Đơn vị phát động").fill("SYT")  # the unit picker: a code typed is enough
    page.get_by_label("Ngày bắt đầu").fill("06/01/2025")
    page.get_by_label("Ngày kết thúc").fill("28/11/2025")
    page.get_by_label("Hạn đăng ký thi đua").fill("31/01/2025")
    page.get_by_label("Ngày mở nhận hồ sơ đề nghị khen thưởng").fill("01/10/2025")
    page.get_by_label("Hạn đề nghị khen thưởng").fill("31/10/2025")
    for award in ("Lao động tiên tiến", "Chiến sĩ thi đua cơ sở"):
        page.get_by_label(award, exact=True).check()
    page.get_by_label("Chủ đề, mục đích").fill("Nâng cao chất lượng khám, chữa bệnh và sự hài lòng của người bệnh.")
    guide_shot(page, "tao-phong-trao")
    page.get_by_role("button", name="Lưu").click()
    _alert(page, "Đã tạo phong trào (bản nháp).")
    expect(page.get_by_role("heading", name=CAMPAIGN)).to_be_visible()
    page.get_by_role("button", name="Phát động").click()
    _alert(page, "Đã phát động phong trào.")
    assert year.asked("Phát động phong trào này?")
    year.ids["campaign"] = int(re.search(r"/campaigns/(\d+)", page.url).group(1))
    guide_shot(page, "phong-trao-da-phat-dong")
    page.context.close()


def test_02_two_officers_register(year):
    year.on(date(2025, 1, 10))
    for unit_code, (username, name) in OFFICERS.items():
        page = year.page(username, name)
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Phong trào",
                                                                              exact=True).click()
        page.get_by_role("link", name=CAMPAIGN).click()
        page.get_by_role("link", name="Đăng ký thi đua").click()
        expect(page.get_by_role("heading", name=re.compile("^Đăng ký thi đua: "))).to_be_visible()
        code, nominee = NOMINEES[unit_code]
        page.get_by_label(f"Danh hiệu đăng ký của {nominee}").select_option("CSTDCS")
        page.get_by_label("Nội dung giao ước, cam kết thi đua").fill(
            "Phấn đấu 100% cán bộ hoàn thành tốt nhiệm vụ; không có cá nhân vi phạm kỷ luật.")
        if unit_code == "BVDK":
            guide_shot(page, "dang-ky-thi-dua")
        page.get_by_role("button", name="Lưu đăng ký").click()
        _alert(page, "Đã lưu đăng ký thi đua của")
        page.context.close()
    page = year.page(*STAFF)
    page.goto(f"{year.base}/campaigns/{year.ids['campaign']}")
    expect(page.get_by_text("2/2 đơn vị trực thuộc đã đăng ký.")).to_be_visible()
    guide_shot(page, "tinh-hinh-dang-ky")
    page.context.close()


def _upload_missing(page, tmp_path, tag):
    """Upload a distinct small PDF for each required document still listed as missing."""
    missing = page.locator("#missing-kinds li")
    n = 0
    while missing.count():
        label = missing.first.inner_text().strip()
        path = tmp_path / f"{tag}-{n}.pdf"
        path.write_bytes(PDF + f"% {tag} {n}\n".encode())
        page.get_by_label("Loại tài liệu").select_option(label=label)
        page.get_by_label("Tệp (PDF, Word, Excel, ảnh)").set_input_files(str(path))
        page.get_by_role("button", name="Tải lên").click()
        _alert(page, f"Đã tải lên “{label}”.")
        n += 1
    expect(page.get_by_text("Đã đủ các tài liệu bắt buộc.")).to_be_visible()


def test_03_officers_send_dossiers(year, tmp_path):
    year.on(date(2025, 10, 6))
    for unit_code, (username, name) in OFFICERS.items():
        page = year.page(username, name)
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ đề nghị").click()
        page.get_by_role("link", name="Lập hồ sơ", exact=True).click()
        code, nominee = NOMINEES[unit_code]
        search = page.get_by_role("combobox", name="Cá nhân, tập thể được đề nghị")
        search.press_sequentially(code, delay=20)
        page.get_by_role("listbox", name="Kết quả tìm kiếm").get_by_role("option", name=nominee).click()
        page.get_by_label("Danh hiệu, hình thức khen thưởng").select_option("CSTDCS")
        page.get_by_label("Năm xét").fill("2025")
        page.get_by_label("Phong trào thi đua").select_option(label=f"{CAMPAIGN} (2025)")
        page.get_by_label("Tóm tắt thành tích").fill(
            "Hoàn thành xuất sắc nhiệm vụ; sáng kiến cải tiến quy trình tiếp đón người bệnh được áp dụng.")
        if unit_code == "BVDK":
            guide_shot(page, "lap-ho-so")
        page.get_by_role("button", name="Lập hồ sơ").click()
        _alert(page, "(bản nháp). Tải lên các tài liệu bắt buộc")
        expect(page.locator("#status")).to_have_text("Đang soạn")
        _upload_missing(page, tmp_path, unit_code)
        if unit_code == "BVDK":
            guide_shot(page, "ho-so-du-tai-lieu")
        page.get_by_role("button", name="Nộp hồ sơ").click()
        _alert(page, "Đã nộp hồ sơ.")
        expect(page.locator("#status")).to_have_text("Đã nộp")
        year.ids[unit_code] = int(re.search(r"/nominations/(\d+)", page.url).group(1))
        page.context.close()


def test_04_staff_return_one_dossier_and_the_officer_supplements_it(year, tmp_path):
    year.on(date(2025, 10, 8))
    page = year.page(*STAFF)
    menu(page, "Hồ sơ", "Thẩm định")
    expect(page.get_by_role("heading", name="Hàng chờ thẩm định hồ sơ")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    guide_shot(page, "hang-cho-tham-dinh")
    page.get_by_role("link", name=NOMINEES["BVSN"][1]).click()
    expect(page.get_by_role("heading", name=f"Hồ sơ #{year.ids['BVSN']}: {NOMINEES['BVSN'][1]}")).to_be_visible()
    page.get_by_label("Nội dung cần bổ sung").fill(SUPPLEMENT)
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    _alert(page, f"Đã trả lại hồ sơ #{year.ids['BVSN']} để đơn vị bổ sung.")
    assert year.asked("Trả lại hồ sơ cho đơn vị bổ sung?")
    expect(rows).to_have_count(1)
    page.context.close()

    year.on(date(2025, 10, 10))
    page = year.page(*OFFICERS["BVSN"])
    page.goto(f"{year.base}/nominations/{year.ids['BVSN']}")
    expect(page.locator("#status")).to_have_text("Trả lại để bổ sung")
    expect(page.get_by_role("status").filter(has_text=SUPPLEMENT)).to_be_visible()
    guide_shot(page, "ho-so-bi-tra-lai")
    minutes = tmp_path / "bien-ban-binh-xet.pdf"
    minutes.write_bytes(PDF + b"% bien ban\n")
    page.get_by_label("Loại tài liệu").select_option(index=0)
    page.get_by_label("Tệp (PDF, Word, Excel, ảnh)").set_input_files(str(minutes))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="bien-ban-binh-xet.pdf")).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    _alert(page, "Đã nộp hồ sơ.")
    expect(page.locator("#status")).to_have_text("Đã nộp")
    page.context.close()


def test_05_staff_appraise_both(year):
    year.on(date(2025, 10, 13))
    page = year.page(*STAFF)
    page.goto(f"{year.base}/nominations/queue")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    for unit_code in ("BVDK", "BVSN"):
        nomination_id = year.ids[unit_code]
        page.get_by_role("link", name=NOMINEES[unit_code][1]).click()
        if unit_code == "BVDK":
            guide_shot(page, "tham-dinh-ho-so")
        page.get_by_label("Ghi chú (không bắt buộc)").fill("Đủ điều kiện, đủ hồ sơ.")
        page.get_by_role("button", name="Thẩm định đạt").click()
        _alert(page, f"Đã thẩm định đạt hồ sơ #{nomination_id}.")
    expect(page.get_by_text("Không có hồ sơ nào đang chờ thẩm định.")).to_be_visible()
    page.context.close()


def test_06_staff_prepare_the_council_session(year):
    year.on(date(2025, 10, 20))
    page = year.page(*STAFF)
    menu(page, "Xét duyệt", "Hội đồng")
    expect(page.get_by_role("heading", name="Phiên họp Hội đồng")).to_be_visible()
    page.get_by_role("link", name="Lập phiên họp").click()
    page.get_by_label("Hội đồng", exact=True).select_option(label="Hội đồng Thi đua – Khen thưởng Sở Y tế (HD-SYT)")
    page.get_by_label("Tên phiên họp").fill(SESSION)
    page.get_by_label("Hạn bỏ phiếu").fill("2025-10-24T17:00")
    page.get_by_role("button", name="Lưu").click()
    _alert(page, "Đã lập phiên họp (chưa mở).")
    expect(page.get_by_role("heading", name=SESSION)).to_be_visible()
    year.ids["session"] = int(re.search(r"/sessions/(\d+)", page.url).group(1))
    for unit_code in ("BVDK", "BVSN"):
        page.get_by_label(NOMINEES[unit_code][1]).check()
    page.get_by_role("button", name="Thêm các hồ sơ đã chọn").click()
    expect(page.get_by_role("heading", name="Chương trình phiên họp (2 hồ sơ)")).to_be_visible()
    expect(page.get_by_text("Không còn hồ sơ nào chờ Hội đồng xét.")).to_be_visible()
    guide_shot(page, "phien-hop-chuong-trinh")
    page.get_by_role("button", name="Mở bỏ phiếu").click()
    _alert(page, "Đã mở bỏ phiếu. Các thành viên Hội đồng đã được thông báo.")
    assert year.asked("Mở bỏ phiếu?")
    page.context.close()


def _vote(year, member, choices, phone):
    """One member signs in, opens the session from the menu, chooses on each dossier, confirms and sends."""
    username, name, _role = member
    page = year.page(username, name, phone=phone)
    if phone:
        page.get_by_role("button", name="Mở menu").click()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hội đồng", exact=True).click()
    page.get_by_role("link", name=SESSION).click()
    expect(page.get_by_role("heading", name=SESSION)).to_be_visible()
    for unit_code, choice in choices.items():
        page.locator(f"label[for='vote-{year.ids[unit_code]}-{choice}']").click()
    if username == MEMBERS[3][0]:
        page.locator(f"#item-{year.ids['BVDK']}").scroll_into_view_if_needed()
        page.wait_for_timeout(300)  # Bootstrap's button transition is over
        guide_shot(page, "phieu-bau-dien-thoai")
    page.get_by_label(re.compile("phiếu đã bỏ không sửa được")).check()
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator("#receipt")).to_have_text(re.compile(r"^\s*[0-9A-F]{4}(-[0-9A-F]{4}){3}\s*$"))
    if username == MEMBERS[3][0]:
        guide_shot(page, "ma-bien-nhan")
    page.get_by_role("link", name=re.compile("Tôi đã ghi lại mã")).click()
    expect(page.locator("#voted")).to_contain_text("Bạn đã bỏ phiếu.")
    return page


def test_07_a_council_of_five_votes_two_on_a_phone(year):
    year.on(date(2025, 10, 22), hour=10)
    for n, member in enumerate(MEMBERS):
        choices = {"BVDK": "yes", "BVSN": "no" if n == 4 else "yes"}
        page = _vote(year, member, choices, phone=n >= 3)
        expect(page.locator("#cast")).to_have_text(f"{n + 1}/5 thành viên đã bỏ phiếu")
        page.context.close()

    page = year.page(*STAFF)
    page.goto(f"{year.base}/council/sessions/{year.ids['session']}")
    page.get_by_role("link", name="Kết thúc bỏ phiếu").click()
    page.get_by_label(re.compile("Tôi xác nhận kết thúc bỏ phiếu")).check()
    page.get_by_role("button", name="Kết thúc bỏ phiếu").click()
    _alert(page, "Đã kết thúc bỏ phiếu và kiểm phiếu.")
    expect(page.get_by_role("heading", name="Kết quả kiểm phiếu")).to_be_visible()
    expect(page.locator("#ballots")).to_have_text("5")
    expect(page.locator("#quorum-met")).to_have_text("Đủ số thành viên tham gia")
    first, second = (page.locator(f"#result-{year.ids[code]}") for code in ("BVDK", "BVSN"))
    expect(first.locator("td").nth(4)).to_have_text("5")
    expect(first).to_contain_text("Đạt")
    expect(second.locator("td").nth(4)).to_have_text("4")
    expect(second.locator("td").nth(5)).to_have_text("1 (0)")
    expect(second).to_contain_text("Đạt")
    guide_shot(page, "ket-qua-kiem-phieu")
    page.context.close()


def test_08_staff_publish_the_public_list(year):
    year.on(date(2025, 10, 23))
    page = year.page(*STAFF)
    menu(page, "Xét duyệt", "Công khai lấy ý kiến")
    page.get_by_role("link", name="Lập danh sách công khai").click()
    expect(page.get_by_role("heading", name="Lập danh sách công khai lấy ý kiến")).to_be_visible()
    page.get_by_label("Tiêu đề danh sách").fill(LIST)
    expect(page.get_by_label("Ngày bắt đầu lấy ý kiến")).to_have_value("23/10/2025")
    page.get_by_label("Ngày kết thúc lấy ý kiến").fill("06/11/2025")
    for unit_code in ("BVDK", "BVSN"):
        page.get_by_label(NOMINEES[unit_code][1]).check()
    guide_shot(page, "lap-danh-sach-cong-khai")
    page.get_by_role("button", name="Kiểm tra ngày và công khai danh sách").click()
    expect(page.locator("#checked")).to_contain_text("đến hết 06/11/2025: 11 ngày làm việc")
    page.get_by_role("button", name="Xác nhận công khai").click()
    _alert(page, f"Đã công khai danh sách “{LIST}” gồm 2 hồ sơ, lấy ý kiến từ 23/10/2025 đến hết 06/11/2025.")
    assert year.asked("Công khai danh sách này?")
    year.ids["list"] = int(re.search(r"/announcements/(\d+)", page.url).group(1))
    page.context.close()


def test_09_a_citizen_writes_in_and_staff_resolve_it(year):
    year.on(date(2025, 10, 27), hour=20)
    page = year.page(phone=True)
    page.goto(f"{year.base}/public/announcements")
    expect(page.get_by_role("heading", name="Công khai danh sách đề nghị khen thưởng")).to_be_visible()
    page.get_by_role("link", name=LIST).click()
    expect(page.get_by_role("heading", name=LIST)).to_be_visible()
    expect(page.get_by_text("Đang lấy ý kiến đến hết ngày 06/11/2025")).to_be_visible()
    expect(page.locator(".nominee")).to_have_count(2)
    guide_shot(page, "danh-sach-cong-khai-dien-thoai")
    nominee = NOMINEES["BVSN"][1]
    page.locator(".nominee", has_text=nominee).get_by_role("link", name=f"Góp ý về {nominee}").click()
    form = page.locator("#gop-y")
    form.get_by_label("Họ và tên của bạn").fill("Vũ Văn Dân")
    form.get_by_label("Số điện thoại hoặc email").fill("0987 654 321")
    form.get_by_label("Nội dung ý kiến").fill("Đề nghị làm rõ sáng kiến chị Ánh đã kê khai có được áp dụng chưa.")
    guide_shot(page, "gui-y-kien")
    form.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("heading", name="Đã nhận ý kiến của bạn")).to_be_visible()
    reference = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"YK-\d{4}-[A-Z2-9]{6}", reference)
    guide_shot(page, "so-tham-chieu")
    page.context.close()

    year.on(date(2025, 10, 29))
    page = year.page(*STAFF)
    page.goto(f"{year.base}/announcements")
    page.get_by_role("link", name=re.compile("^Ý kiến phản ánh")).click()
    expect(page.get_by_role("heading", name="Ý kiến phản ánh")).to_be_visible()
    row = page.locator("table tbody tr", has_text=reference)
    expect(row).to_contain_text(nominee)
    expect(row).to_contain_text("Vũ Văn Dân")
    row.get_by_role("link", name=reference).click()
    page.get_by_label("Kết luận").select_option("dismissed")
    page.get_by_label("Kết quả giải quyết").fill(
        "Đã xác minh: sáng kiến được Hội đồng sáng kiến bệnh viện công nhận và áp dụng từ tháng 6/2025.")
    guide_shot(page, "giai-quyet-y-kien")
    page.get_by_role("button", name="Kết thúc xử lý ý kiến").click()
    _alert(page, f"Đã giải quyết ý kiến {reference}; hồ sơ #{year.ids['BVSN']} được tiếp tục xử lý.")
    page.context.close()


def test_10_after_the_review_staff_issue_the_decision(year):
    year.on(date(2025, 11, 5))
    page = year.page(*STAFF)
    page.goto(f"{year.base}/decisions/new")
    expect(page.get_by_role("heading", name="Hồ sơ đủ điều kiện quyết định (0)")).to_be_visible()  # still in review
    expect(page.get_by_role("heading", name="Hồ sơ chưa thể quyết định (2)")).to_be_visible()
    page.context.close()

    year.on(date(2025, 11, 10))
    page = year.page(*STAFF)
    menu(page, "Xét duyệt", "Quyết định")
    page.get_by_role("link", name="Ban hành quyết định").click()
    expect(page.get_by_role("heading", name="Ban hành quyết định khen thưởng")).to_be_visible()
    expect(page.get_by_role("heading", name="Hồ sơ đủ điều kiện quyết định (2)")).to_be_visible()
    page.get_by_label("Số quyết định").fill(DECISION)
    expect(page.get_by_label("Ngày ký")).to_have_value("10/11/2025")
    page.get_by_label("Người ký").fill("Nguyễn Văn Minh — Giám đốc")
    page.get_by_label("Cơ quan ban hành").fill("Sở Y tế tỉnh Thái An")
    for unit_code in ("BVDK", "BVSN"):
        page.get_by_label(NOMINEES[unit_code][1]).check()
    guide_shot(page, "ban-hanh-quyet-dinh")
    page.get_by_role("button", name="Ban hành quyết định").click()
    _alert(page, f"Đã ban hành quyết định số {DECISION}: 2 người, tập thể được khen thưởng, ghi sổ vàng số 1 đến 2.")
    assert year.asked("Ban hành quyết định?")
    guide_shot(page, "quyet-dinh")
    page.context.close()


def test_11_the_public_results_show_the_decision(year):
    year.on(date(2025, 11, 11))
    page = year.page()
    page.goto(f"{year.base}/public/results")
    expect(page.get_by_role("heading", name="Kết quả khen thưởng")).to_be_visible()
    expect(page.get_by_role("link", name=f"Quyết định số {DECISION} ngày 10/11/2025")).to_be_visible()
    for unit_code in ("BVDK", "BVSN"):
        row = page.locator("tbody tr", has_text=NOMINEES[unit_code][1])
        expect(row).to_contain_text("Chiến sĩ thi đua cơ sở")
    guide_shot(page, "ket-qua-khen-thuong")
    page.context.close()


def test_12_staff_download_the_annual_workbook(year, tmp_path):
    from openpyxl import load_workbook

    year.on(date(2025, 11, 12))
    page = year.page(*STAFF)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Báo cáo").click()
    page.get_by_label("Năm").fill("2025")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.locator("#total-awards")).to_have_text("2")
    guide_shot(page, "bao-cao")
    page.get_by_role("button", name="Tạo báo cáo năm 2025").click()
    download_link = page.locator("#export-download")
    expect(download_link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "bao-cao-nam-2025.xlsx"
    info.value.save_as(path)
    workbook = load_workbook(path, read_only=True)
    rows = [[str(v) for v in row if v is not None] for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)]
    found = [row for row in rows if any(NOMINEES["BVDK"][1] in v for v in row)]
    assert found, "the award's row is in the workbook"
    assert any("Chiến sĩ thi đua cơ sở" in v for v in found[0]) and any(DECISION in v for v in found[0]), found[0]
    page.context.close()


def test_13_the_admin_sees_the_accounts_and_the_audit_log(year):
    page = year.page("quantri", "Quản trị hệ thống")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("button", name="Quản trị", exact=True).click()
    nav.get_by_role("link", name="Tài khoản").click()
    expect(page.get_by_role("heading", name="Tài khoản", exact=True)).to_be_visible()
    expect(page.locator("main tbody tr")).to_have_count(1 + len(OFFICERS) + 1 + len(MEMBERS))
    expect(page.get_by_role("link", name="canbo.bvsn")).to_be_visible()
    guide_shot(page, "tai-khoan")
    nav.get_by_role("button", name="Quản trị", exact=True).click()
    nav.get_by_role("link", name="Nhật ký hệ thống").click()
    expect(page.get_by_role("heading", name="Nhật ký hệ thống")).to_be_visible()
    page.get_by_label("Hành động").select_option("decision.issue")
    page.get_by_role("button", name="Lọc").click()
    row = page.locator("main tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(STAFF[0])
    expect(row).to_contain_text(DECISION)
    guide_shot(page, "nhat-ky")
    page.context.close()


def test_14_the_user_guide_is_one_click_away(year):
    page = year.page()
    page.goto(f"{year.base}/public/results")
    page.get_by_role("link", name="Hướng dẫn sử dụng").click()
    expect(page.get_by_role("heading", name="Hướng dẫn sử dụng", exact=True)).to_be_visible()
    page.get_by_role("link", name="Người dân").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Hướng dẫn cho người dân"))).to_be_visible()
    images = page.locator("main img")
    assert images.count() >= 2
    for n in range(images.count()):  # every picture of the page is served and decodes
        images.nth(n).scroll_into_view_if_needed()
        expect(images.nth(n)).to_have_js_property("complete", True)
        assert images.nth(n).evaluate("i => i.naturalWidth") > 0, images.nth(n).get_attribute("src")
    page.context.close()

    page = year.page(*OFFICERS["BVDK"])
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hướng dẫn").click()
    page.get_by_role("link", name="Cán bộ đơn vị").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Hướng dẫn cho cán bộ đơn vị"))).to_be_visible()
    page.context.close()
