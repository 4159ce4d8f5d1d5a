"""Campaign pages: staff create, edit, launch and close; coverage, reminders, reopening, export, reviews; what
unit officers and council members may see."""

import re
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from awards.campaigns import services
from awards.campaigns.models import Campaign, CampaignReview, Reopening
from awards.core import clock
from awards.core.audit import AuditEntry
from awards.notifications.models import Notification
from awards.units.queries import unit_by_code
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PLAN = {"kind": "regular", "year": 2026, "organizer_unit_code": "SYT", "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31), "registration_deadline": date(2026, 3, 31),
        "nomination_deadline": date(2026, 12, 15), "award_codes": ["LDTT", "CSTDCS", "TTLDTT"]}


@pytest.fixture
def province(db):
    top = factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=top, kind="hospital")
    factories.unit(code="BVB", name="Bệnh viện B", parent=top, kind="hospital")
    factories.unit(code="TTYT", name="Trung tâm Y tế huyện Mèo Vạc", parent=top, kind="health_centre")
    factories.person(code="CB1", full_name="Nguyễn Văn An", unit=bva)
    factories.person(code="CB2", full_name="Lò Thị Páo", unit=bva)
    db.session.commit()


def make_campaign(db, title="Phong trào thi đua “Cán bộ y tế vì sức khỏe nhân dân”", launch=True, **values):
    campaign = services.create_campaign(title=title, by=None, launch=launch, **{**PLAN, **values})
    db.session.commit()
    return campaign.id


def form(**overrides):
    data = {"title": "Phong trào thi đua “Cán bộ y tế vì sức khỏe nhân dân” năm 2026", "kind": "regular",
            "year": "2026", "organizer_unit_code": "SYT", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "registration_deadline": "2026-03-31", "nominations_open_on": "", "nomination_deadline": "2026-12-15",
            "award_codes": ["LDTT", "CSTDCS", "TTLDTT"], "theme": "Nâng cao chất lượng khám chữa bệnh",
            "targets_html": "<ul><li>100% đơn vị đăng ký</li></ul>", "criteria_html": "<p>Hoàn thành nhiệm vụ</p>"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text(response) -> str:
    return response.get_data(as_text=True)


def field_errors(html: str) -> str:
    return " ".join(re.findall(r'<div class="invalid-feedback[^"]*">([^<]*)</div>', html))


@pytest.fixture
def staff(login_as, csrf_token, province, at):
    user = login_as("staff")
    user.token = csrf_token("/campaigns/new")
    return user


# --- staff: the whole life of a campaign -----------------------------------------------------------------

def test_staff_create_edit_launch_and_close(client, db, staff, at):
    created = client.post("/campaigns/new", data={**form(), "csrf_token": staff.token})
    assert created.status_code == 302, field_errors(text(created))
    campaign = db.session.query(Campaign).one()
    assert created.headers["Location"].endswith(f"/campaigns/{campaign.id}")
    assert campaign.status == "draft" and campaign.organizer.code == "SYT"
    assert campaign.award_codes == ["LDTT", "CSTDCS", "TTLDTT"] and campaign.registration_required is False
    page = text(client.get(f"/campaigns/{campaign.id}"))
    assert "Chưa phát động" in page and "Phát động" in page and 'data-confirm="Phát động phong trào này?' in page

    edited = client.post(f"/campaigns/{campaign.id}/edit", data={
        **form(title="Phong trào “Xanh – Sạch – Đẹp”", kind="thematic", registration_required="y",
               award_codes=["LDTT"]), "csrf_token": staff.token})
    assert edited.status_code == 302
    db.session.refresh(campaign)
    assert (campaign.title, campaign.kind, campaign.award_codes, campaign.registration_required) == (
        "Phong trào “Xanh – Sạch – Đẹp”", "thematic", ["LDTT"], True)
    edit_page = text(client.get(f"/campaigns/{campaign.id}/edit"))
    assert 'value="Phong trào “Xanh – Sạch – Đẹp”"' in edit_page and "31/03/2026" in edit_page

    launched = client.post(f"/campaigns/{campaign.id}/launch", data={"csrf_token": staff.token})
    assert launched.status_code == 302
    page = text(client.get(f"/campaigns/{campaign.id}"))
    assert "Đang đăng ký" in page and "31/03/2026" in page and "01/01/2026" in page
    assert "Kết thúc phong trào" in page and "data-confirm=" in page
    assert "Bắt buộc" not in page and "phải đăng ký thi đua mới được đề nghị khen thưởng" in page

    at(datetime(2026, 6, 1, 9, 0, tzinfo=clock.VIETNAM))
    assert "Đang triển khai" in text(client.get(f"/campaigns/{campaign.id}"))
    assert client.post(f"/campaigns/{campaign.id}/close", data={"csrf_token": staff.token}).status_code == 302
    db.session.refresh(campaign)
    assert campaign.status == "closed" and "Đã kết thúc" in text(client.get("/campaigns"))
    again = client.post(f"/campaigns/{campaign.id}/close", data={"csrf_token": staff.token})
    assert again.status_code == 409 and "Không thể chuyển từ “Đã kết thúc” sang “Đã kết thúc”" in text(again)
    refused = client.post(f"/campaigns/{campaign.id}/edit", data={**form(), "csrf_token": staff.token})
    assert refused.status_code == 409 and "Phong trào đã kết thúc, không sửa được." in text(refused)


def test_the_form_explains_itself(client, staff):
    page = text(client.get("/campaigns/new"))
    for label in ("Tên phong trào", "Thường xuyên", "Chuyên đề", "Đơn vị phát động", "Hạn đăng ký thi đua",
                  "Hạn đề nghị khen thưởng", "Bắt buộc đăng ký mới được đề nghị khen thưởng", "Lao động tiên tiến",
                  "đoạn văn, danh sách, chữ đậm", "Văn bản phát động", 'enctype="multipart/form-data"',
                  'placeholder="dd/mm/yyyy"', 'name="csrf_token"',
                  "Phải nằm trong thời gian phong trào", "Không được trước hạn đăng ký", "Phải sau ngày bắt đầu"):
        assert label in page, label
    assert page.index(">Sở Y tế<") < page.index("Bệnh viện A")  # the unit tree, parents first
    assert 'type="date"' not in page  # a browser shows type="date" in its own locale's order


def test_dates_are_typed_and_shown_as_day_month_year(client, db, staff):
    response = client.post("/campaigns/new", data={**form(), "starts_on": "01/02/2026",
                                                   "registration_deadline": "31/03/2026", "csrf_token": staff.token})
    assert response.status_code == 302, text(response)[:2000]
    campaign = db.session.scalars(db.select(Campaign)).one()
    assert (campaign.starts_on, campaign.registration_deadline) == (date(2026, 2, 1), date(2026, 3, 31))
    page = text(client.get(f"/campaigns/{campaign.id}/edit"))
    assert 'value="01/02/2026"' in page and 'value="31/03/2026"' in page
    wrong = client.post(f"/campaigns/{campaign.id}/edit", data={**form(), "starts_on": "31/02/2026",
                                                                "csrf_token": staff.token})
    assert wrong.status_code == 400 and "Ngày không hợp lệ." in text(wrong)


def test_dates_out_of_order_show_the_message_on_the_field(client, db, staff):
    response = client.post("/campaigns/new", data={**form(registration_deadline="2027-01-10"),
                                                   "csrf_token": staff.token})
    assert response.status_code == 400
    assert "Hạn đăng ký phải nằm trong thời gian phong trào." in field_errors(text(response))
    assert db.session.query(Campaign).count() == 0
    missing = client.post("/campaigns/new", data={**form(title="", ends_on="31/13/2026"), "csrf_token": staff.token})
    assert missing.status_code == 400
    assert "Trường này là bắt buộc." in field_errors(text(missing))
    assert "Ngày không hợp lệ." in field_errors(text(missing))


def test_a_text_file_named_pdf_is_refused(client, db, staff):
    response = client.post("/campaigns/new", data={
        **form(), "csrf_token": staff.token, "document": (BytesIO(b"just some text, not a PDF"), "phat-dong.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 415
    assert "Chỉ nhận tệp PDF" in field_errors(text(response))
    assert db.session.query(Campaign).count() == 0


def test_a_real_pdf_is_kept_and_downloads_as_an_attachment(client, db, staff, login_as):
    response = client.post("/campaigns/new", data={
        **form(), "csrf_token": staff.token, "document": (BytesIO(PDF), "Kế hoạch phát động.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    campaign = db.session.query(Campaign).one()
    upload = campaign.launch_document
    assert upload.kind == "pdf" and upload.original_name == "Kế hoạch phát động.pdf"
    link = f"/campaigns/files/{upload.id}"
    assert link in text(client.get(f"/campaigns/{campaign.id}"))
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    client.post("/logout", data={"csrf_token": staff.token})
    login_as("unit_officer", unit=unit_by_code("BVA"))
    assert client.get(link).status_code == 404  # a draft's document stays with the staff
    services.launch_campaign(db.session.get(Campaign, campaign.id), by=None)
    db.session.commit()
    assert client.get(link).status_code == 200


def test_criteria_are_stored_and_shown_without_scripts_or_handlers(client, db, staff):
    dirty = '<script>alert(1)</script><p onclick="x">Nội dung</p><ul><li><strong>Đậm</strong></li></ul>'
    client.post("/campaigns/new", data={**form(criteria_html=dirty, targets_html="<p style=\"color:red\">Chỉ tiêu</p>"),
                                        "csrf_token": staff.token})
    campaign = db.session.query(Campaign).one()
    assert "script" not in campaign.criteria_html and "onclick" not in campaign.criteria_html
    assert "<p>Nội dung</p>" in campaign.criteria_html and "<strong>Đậm</strong>" in campaign.criteria_html
    page = text(client.get(f"/campaigns/{campaign.id}"))
    assert "<p>Nội dung</p>" in page and "<strong>Đậm</strong>" in page and "<p>Chỉ tiêu</p>" in page
    assert "alert(1)" not in page and "onclick" not in page and "color:red" not in page


def test_the_list_shows_phases_dates_and_filters(client, db, staff, at):
    make_campaign(db, "Phong trào năm 2026")
    make_campaign(db, "Phong trào chuyên đề chuyển đổi số", launch=False, kind="thematic")
    make_campaign(db, "Phong trào năm 2025", year=2025, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31),
                  registration_deadline=date(2025, 3, 31), nomination_deadline=date(2025, 12, 15))
    page = text(client.get("/campaigns"))
    for expected in ("Phong trào năm 2026", "Đang đăng ký", "Phong trào chuyên đề chuyển đổi số", "Chưa phát động",
                     "Phong trào năm 2025", "Đã kết thúc", "hạn đăng ký 31/03/2026", "Tạo phong trào"):
        assert expected in page, expected
    by_year = text(client.get("/campaigns?year=2025"))
    assert "Phong trào năm 2025" in by_year and "Phong trào năm 2026" not in by_year
    drafts = text(client.get("/campaigns?status=draft"))
    assert "chuyển đổi số" in drafts and "Phong trào năm 2025" not in drafts
    assert "Không có phong trào nào khớp" in text(client.get("/campaigns?year=2020"))


def test_an_empty_list_says_what_to_do(client, staff):
    assert "Bấm “Tạo phong trào”" in text(client.get("/campaigns"))


def test_launching_twice_is_refused_with_409(client, db, staff):
    campaign_id = make_campaign(db)
    response = client.post(f"/campaigns/{campaign_id}/launch", data={"csrf_token": staff.token})
    assert response.status_code == 409 and "Không thể chuyển từ “Đã phát động” sang “Đã phát động”" in text(response)


# --- coverage, reminders, reopening, export ---------------------------------------------------------------

def register_bva(db, campaign_id, commitment="Phấn đấu 100% hoàn thành nhiệm vụ"):
    services.register(db.session.get(Campaign, campaign_id), unit_by_code("BVA"), collective_award_codes=["TTLDTT"],
                      individuals=[("CB1", "CSTDCS"), ("CB2", "LDTT"), ("CB1", "LDTT")], commitment=commitment,
                      by=None)
    db.session.commit()


def test_coverage_and_the_units_not_registered(client, db, staff):
    campaign_id = make_campaign(db)
    register_bva(db, campaign_id)
    page = text(client.get(f"/campaigns/{campaign_id}"))
    assert "1/3 đơn vị trực thuộc đã đăng ký." in page and "progress-w-33" in page
    assert "Bệnh viện" in page and "progress-w-50" in page and "progress-w-0" in page  # per level
    missing = page[page.index('id="unregistered"'):]
    missing = missing[:missing.index("</ul>")]
    assert "Bệnh viện B" in missing and "Trung tâm Y tế huyện Mèo Vạc" in missing and "Bệnh viện A" not in missing
    registrations = page[page.index('id="registrations"'):]
    assert "Bệnh viện A" in registrations and "Tập thể lao động tiên tiến" in registrations
    assert "Lao động tiên tiến: <strong>2</strong>" in registrations
    assert "Chiến sĩ thi đua cơ sở: <strong>1</strong>" in registrations
    assert "Nhắc các đơn vị chưa đăng ký" in page and "Xuất Excel đăng ký" in page
    assert "Mở lại đăng ký" not in page  # before the deadline nobody is late


def test_remind_notifies_the_officers_of_units_not_registered(client, db, staff):
    campaign_id = make_campaign(db)
    register_bva(db, campaign_id)
    bva_officer = factories.user("unit_officer", unit=unit_by_code("BVA"))
    bvb_officer = factories.user("unit_officer", unit=unit_by_code("BVB"))
    db.session.query(Notification).delete()
    db.session.commit()
    response = client.post(f"/campaigns/{campaign_id}/remind", data={"csrf_token": staff.token},
                           follow_redirects=True)
    page = text(response)
    assert response.status_code == 200 and "Đã gửi lời nhắc tới 1 cán bộ đơn vị." in page
    assert "chưa có tài khoản cán bộ đơn vị" in page and "Trung tâm Y tế huyện Mèo Vạc (TTYT)" in page
    notes = db.session.query(Notification).all()
    assert [(n.user_id, n.kind) for n in notes] == [(bvb_officer.id, "registration_reminder")]
    assert bva_officer.id not in [n.user_id for n in notes]
    assert db.session.query(AuditEntry).filter_by(action="campaign.remind").count() == 1


def test_remind_waits_for_the_launch(client, db, staff):
    campaign_id = make_campaign(db, launch=False)
    response = client.post(f"/campaigns/{campaign_id}/remind", data={"csrf_token": staff.token})
    assert response.status_code == 409 and "Chỉ nhắc đăng ký được khi phong trào đang được phát động." in text(response)


def test_reopen_a_late_unit_after_the_deadline(client, db, staff, at):
    campaign_id = make_campaign(db)
    at(datetime(2026, 4, 5, 10, 0, tzinfo=clock.VIETNAM))
    page = text(client.get(f"/campaigns/{campaign_id}"))
    assert page.count("Mở lại đăng ký cho đơn vị này") == 3 and 'name="unit_code" value="TTYT"' in page
    no_reason = client.post(f"/campaigns/{campaign_id}/reopen", data={
        "unit_code": "TTYT", "until": "2026-04-10", "reason": " ", "csrf_token": staff.token})
    assert no_reason.status_code == 400 and "Trường này là bắt buộc." in field_errors(text(no_reason))
    assert '<details class="mt-1" open>' in text(no_reason)
    past = client.post(f"/campaigns/{campaign_id}/reopen", data={
        "unit_code": "TTYT", "until": "2026-04-01", "reason": "Mất điện", "csrf_token": staff.token})
    assert past.status_code == 400 and "Ngày mở lại phải từ hôm nay trở đi." in field_errors(text(past))
    response = client.post(f"/campaigns/{campaign_id}/reopen", data={
        "unit_code": "TTYT", "until": "2026-04-10", "reason": "Đơn vị bị sự cố mạng", "csrf_token": staff.token},
        follow_redirects=True)
    assert response.status_code == 200
    page = text(response)
    assert "Đã mở lại đăng ký cho Trung tâm Y tế huyện Mèo Vạc đến hết ngày 10/04/2026." in page
    assert "Đã mở lại đăng ký đến hết ngày 10/04/2026." in page
    reopening = db.session.query(Reopening).one()
    assert (reopening.until, reopening.reason) == (date(2026, 4, 10), "Đơn vị bị sự cố mạng")
    assert services.registration_open_for(db.session.get(Campaign, campaign_id), unit_by_code("TTYT"))


def test_registrations_export_to_excel(client, db, staff):
    campaign_id = make_campaign(db)
    register_bva(db, campaign_id, commitment="=HYPERLINK(\"http://x\")")
    response = client.get(f"/campaigns/{campaign_id}/registrations.xlsx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(response.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Đơn vị", "Mã đơn vị", "Loại", "Mã cá nhân", "Họ và tên", "Danh hiệu đăng ký", "Cam kết",
                       "Cập nhật lúc"]
    assert [r[:6] for r in rows[1:]] == [
        ["Bệnh viện A", "BVA", "Tập thể", None, None, "Tập thể lao động tiên tiến"],
        ["Bệnh viện A", "BVA", "Cá nhân", "CB1", "Nguyễn Văn An", "Chiến sĩ thi đua cơ sở"],
        ["Bệnh viện A", "BVA", "Cá nhân", "CB2", "Lò Thị Páo", "Lao động tiên tiến"],
        ["Bệnh viện A", "BVA", "Cá nhân", "CB1", "Nguyễn Văn An", "Lao động tiên tiến"]]
    assert rows[1][6] == "=HYPERLINK(\"http://x\")"  # as typed: text, never a formula
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", rows[1][7])
    entry = db.session.query(AuditEntry).filter_by(action="campaign.export").one()
    assert entry.object_id == str(campaign_id)


def test_a_review_with_figures_and_a_report(client, db, staff):
    campaign_id = make_campaign(db)
    page = text(client.get(f"/campaigns/{campaign_id}/reviews/new"))
    assert "Sơ kết" in page and "Tổng kết" in page and page.count('name="figures-') == 12
    response = client.post(f"/campaigns/{campaign_id}/reviews/new", data={
        "kind": "midterm", "held_on": "2026-07-15", "csrf_token": staff.token,
        "summary": "<p>Đạt <strong>kết quả tốt</strong></p><script>x()</script>",
        "figures-0-label": "Số đơn vị đăng ký", "figures-0-number": "25",
        "figures-1-label": "Số sáng kiến", "figures-1-number": "1.200",
        "figures-2-label": "Tỷ lệ hoàn thành (%)", "figures-2-number": "97,5",
        "report": (BytesIO(PDF), "Báo cáo sơ kết.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, field_errors(text(response))
    review = db.session.query(CampaignReview).one()
    assert review.figures == {"Số đơn vị đăng ký": 25, "Số sáng kiến": 1200, "Tỷ lệ hoàn thành (%)": 97.5}
    assert "script" not in review.summary_html and review.report.kind == "pdf"
    page = text(client.get(f"/campaigns/{campaign_id}"))
    assert "Sơ kết · 15/07/2026" in page and "<strong>kết quả tốt</strong>" in page and "1.200" in page
    assert "97,5" in page and f"/campaigns/files/{review.report.id}" in page
    download = client.get(f"/campaigns/files/{review.report.id}")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")


def test_a_figure_needs_its_label_and_number(client, db, staff):
    campaign_id = make_campaign(db)
    response = client.post(f"/campaigns/{campaign_id}/reviews/new", data={
        "kind": "final", "held_on": "2026-12-20", "csrf_token": staff.token, "figures-0-label": "Số đơn vị",
        "figures-1-number": "abc"})
    assert response.status_code == 400
    errors = field_errors(text(response))
    assert "Cần ghi cả tên chỉ số và số liệu." in errors and "Số liệu phải là một số" in errors
    early = client.post(f"/campaigns/{campaign_id}/reviews/new", data={
        "kind": "final", "held_on": "2025-12-20", "csrf_token": staff.token})
    assert early.status_code == 400 and "không thể trước khi phong trào bắt đầu" in field_errors(text(early))
    assert db.session.query(CampaignReview).count() == 0


# --- what readers may do ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["unit_officer", "council_member"])
def test_readers_read_but_never_change(client, db, login_as, csrf_token, province, at, role):
    campaign_id = make_campaign(db)
    login_as(role, unit=unit_by_code("BVA") if role == "unit_officer" else None)
    token = csrf_token("/account")
    for path in ("/campaigns/new", f"/campaigns/{campaign_id}/edit", f"/campaigns/{campaign_id}/registrations.xlsx",
                 f"/campaigns/{campaign_id}/reviews/new"):
        assert client.get(path).status_code == 403, path
    for action in ("launch", "close", "remind", "reopen", "edit", "reviews/new"):
        assert client.post(f"/campaigns/{campaign_id}/{action}", data={"csrf_token": token}).status_code == 403
    assert client.post("/campaigns/new", data={**form(), "csrf_token": token}).status_code == 403
    assert client.get("/campaigns").status_code == 200
    page = text(client.get(f"/campaigns/{campaign_id}"))
    assert "Đang đăng ký" in page and "Lao động tiên tiến" in page
    for tool in ("Tình hình đăng ký", "Nhắc các đơn vị", "Xuất Excel", "Tạo phong trào", "/edit"):
        assert tool not in page, tool
    assert db.session.get(Campaign, campaign_id).status == "launched"


def test_officers_see_the_register_link_and_not_drafts(client, db, login_as, province, at, app):
    launched = make_campaign(db, "Phong trào đã phát động")
    draft = make_campaign(db, "Phong trào còn nháp", launch=False)
    login_as("unit_officer", unit=unit_by_code("BVA"))
    assert client.get(f"/campaigns/{draft}").status_code == 404
    listing = text(client.get("/campaigns"))
    assert "Phong trào đã phát động" in listing and "Phong trào còn nháp" not in listing
    page = text(client.get(f"/campaigns/{launched}"))
    if "campaigns.register" in app.view_functions:
        assert f"/campaigns/{launched}/register" in page and "Đăng ký thi đua" in page
    if "campaigns.examples" in app.view_functions:
        assert f"/campaigns/{launched}/examples" in page
    assert client.get("/campaigns/files/999").status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, db, province):
    campaign_id = make_campaign(db)
    for path in ("/campaigns", f"/campaigns/{campaign_id}", "/campaigns/new"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), path

