"""Dossier pages: create, checklist, attachments typed by content, submit, withdraw, who sees what, bulk."""

import io
import re
from datetime import timedelta

import pytest

from awards.campaigns import services as campaign_services
from awards.core import clock
from awards.nominations import queries, services
from awards.nominations.models import Nomination
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML_AS_PDF = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def units(db):
    province = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BVA", name="Bệnh viện A", parent=province)
    other = factories.unit(code="BVB", name="Bệnh viện B", parent=province)
    person = factories.person(code="CB1", full_name="Nguyễn Văn An", unit=hospital)
    factories.person(code="CB2", full_name="Trần Thị Bình", unit=hospital)
    factories.person(code="CB9", full_name="Lê Văn Chín", unit=other)
    from awards.units.services import add_person_evaluation

    add_person_evaluation(person, year=2025, rating="good", by=None)
    db.session.commit()
    return hospital, other


def _dossier(db, code="CB1", award="LDTT", year=2025, by=None, **kw) -> int:
    nomination = services.create_nomination(subject_type="person", subject_code=code, award_code=award, year=year,
                                            by=by or factories.user("staff"), **kw)
    db.session.commit()
    return nomination.id


def _upload(client, token, nid, kind="report", data=PDF, name="bao-cao.pdf"):
    return client.post(f"/nominations/{nid}/attachments", content_type="multipart/form-data",
                       data={"csrf_token": token, "kind": kind, "file": (io.BytesIO(data), name)})


def _get(db, nid) -> Nomination:
    db.session.expire_all()
    return queries.nomination_by_id(nid)


def test_officer_creates_a_dossier_and_sees_the_checklist_with_articles(client, db, units, login_as, csrf_token):
    login_as("unit_officer", unit=units[0])
    page = client.get("/nominations/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'role="combobox"' in html and "Lê Văn Chín" not in html
    assert f'value="{clock.today().year}"' in html, "the year defaults to the year being considered now"
    response = client.post("/nominations/new", data={
        "csrf_token": csrf_token("/nominations/new"), "pick": "person:CB1", "subject_type": "person",
        "subject_code": "", "award_code": "LDTT", "year": "2025", "kind": "regular", "campaign_id": "",
        "summary": "Hoàn thành xuất sắc nhiệm vụ."})
    assert response.status_code == 302
    nomination = db.session.scalars(db.select(Nomination)).one()
    assert response.headers["Location"].endswith(f"/nominations/{nomination.id}")
    assert (nomination.subject_code, nomination.status, nomination.year) == ("CB1", "draft", 2025)
    detail = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "Lao động tiên tiến" in detail and "Đang soạn" in detail and "Hoàn thành xuất sắc nhiệm vụ." in detail
    assert "✔" in detail and "Điều" in detail, "each checklist line shows its mark and article"
    assert "Nộp hồ sơ" in detail


def test_new_dossier_needs_a_subject(client, units, login_as, csrf_token):
    login_as("unit_officer", unit=units[0])
    response = client.post("/nominations/new", data={
        "csrf_token": csrf_token("/nominations/new"), "pick": "", "subject_type": "person", "subject_code": "",
        "award_code": "LDTT", "year": "2025", "kind": "regular", "campaign_id": ""})
    assert response.status_code == 400 and "Trường này là bắt buộc." in response.get_data(as_text=True)


def test_officer_cannot_create_for_another_unit_and_duplicates_are_409(client, db, units, login_as, csrf_token):
    login_as("unit_officer", unit=units[0])
    token = csrf_token("/nominations/new")
    form = {"csrf_token": token, "pick": "", "subject_type": "person", "subject_code": "CB9", "award_code": "LDTT",
            "year": "2025", "kind": "regular", "campaign_id": ""}
    assert client.post("/nominations/new", data=form).status_code == 403
    nid = _dossier(db)
    duplicate = client.post("/nominations/new", data={**form, "subject_code": "CB1"})
    assert duplicate.status_code == 409
    assert f"Đã có hồ sơ đề nghị #{nid}" in duplicate.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Nomination.id))) == 1


def test_council_member_cannot_open_the_new_page(client, units, login_as):
    login_as("council_member")
    assert client.get("/nominations/new").status_code == 403


def test_upload_a_real_pdf_as_report_and_the_missing_kinds_shrink(client, db, units, login_as, csrf_token):
    login_as("unit_officer", unit=units[0])
    nid = _dossier(db)
    html = client.get(f"/nominations/{nid}").get_data(as_text=True)
    assert "Còn thiếu tài liệu bắt buộc" in html and "Báo cáo thành tích" in html and "Tờ trình" in html
    response = _upload(client, csrf_token(f"/nominations/{nid}"), nid)
    assert response.status_code == 302
    nomination = _get(db, nid)
    assert [(a.kind, a.upload.kind, a.upload.original_name) for a in nomination.attachments] == [
        ("report", "pdf", "bao-cao.pdf")]
    html = client.get(f"/nominations/{nid}").get_data(as_text=True)
    missing = html.split('id="missing-kinds"')[1].split("</ul>")[0]
    assert "Tờ trình" in missing and "Báo cáo thành tích" not in missing
    assert "bao-cao.pdf" in html


def test_html_named_pdf_is_refused_on_the_file_field(client, db, units, login_as, csrf_token):
    login_as("unit_officer", unit=units[0])
    nid = _dossier(db)
    response = _upload(client, csrf_token(f"/nominations/{nid}"), nid, data=HTML_AS_PDF, name="bao-cao.pdf")
    html = response.get_data(as_text=True)
    assert response.status_code == 415
    file_input = re.search(r'<input[^>]*id="file"[^>]*>', html).group(0)
    assert "is-invalid" in file_input, "the message is on the file field"
    assert "kiểm tra theo nội dung tệp" in html
    assert _get(db, nid).attachments == []


def test_submit_through_the_page(client, db, units, login_as, csrf_token):
    login_as("unit_officer", unit=units[0])
    nid = _dossier(db)
    token = csrf_token(f"/nominations/{nid}")
    too_early = client.post(f"/nominations/{nid}/submit", data={"csrf_token": token})
    assert too_early.status_code == 409 and "Hồ sơ còn thiếu" in too_early.get_data(as_text=True)
    assert _upload(client, token, nid).status_code == 302
    assert _upload(client, token, nid, kind="proposal", name="to-trinh.pdf").status_code == 302
    response = client.post(f"/nominations/{nid}/submit", data={"csrf_token": token})
    assert response.status_code == 302 and _get(db, nid).status == "submitted"
    html = client.get(f"/nominations/{nid}").get_data(as_text=True)
    assert "Đã nộp" in html and "0 ngày làm việc" in html, "the processing clock starts"
    assert f'action="/nominations/{nid}/attachments"' not in html, "no upload form once submitted"
    assert f'action="/nominations/{nid}/submit"' not in html


def test_staff_only_actions_are_not_shown_to_the_officer(client, db, units, login_as, csrf_token):
    nid = _dossier(db)
    login_as("unit_officer", unit=units[0])
    html = client.get(f"/nominations/{nid}").get_data(as_text=True)
    assert "Ghi ý kiến vượt qua" not in html and "Thẩm định hồ sơ" not in html
    client.post("/logout", data={"csrf_token": csrf_token(f"/nominations/{nid}")})
    login_as("staff")
    html = client.get(f"/nominations/{nid}").get_data(as_text=True)
    assert "Ghi ý kiến vượt qua" in html and f"/nominations/{nid}/appraise#checklist-h" in html
    assert "Thẩm định hồ sơ" in html, "the appraisal page exists on this blueprint"


def test_officer_of_another_unit_gets_404_on_detail_and_download(client, db, units, login_as, csrf_token):
    staff = factories.user("staff")
    nid = _dossier(db, by=staff)
    attachment = services.add_attachment(_get(db, nid), data=PDF, filename="bao-cao.pdf", kind="report", by=staff)
    db.session.commit()
    login_as("unit_officer", unit=units[1])
    assert client.get(f"/nominations/{nid}").status_code == 404
    assert client.get(f"/nominations/{nid}/attachments/{attachment.id}").status_code == 404
    token = csrf_token("/nominations")
    assert _upload(client, token, nid).status_code == 404
    assert client.post(f"/nominations/{nid}/submit", data={"csrf_token": token}).status_code == 404
    assert "CB1" not in client.get("/nominations").get_data(as_text=True)


def test_council_member_reads_the_dossier_without_the_upload_form(client, db, units, login_as, csrf_token):
    nid = _dossier(db)
    login_as("council_member")
    response = client.get(f"/nominations/{nid}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nguyễn Văn An" in html
    assert 'enctype="multipart/form-data"' not in html and "Nộp hồ sơ" not in html and "Rút hồ sơ" not in html
    assert _upload(client, csrf_token(f"/nominations/{nid}"), nid).status_code == 403


def test_withdraw_needs_a_reason_and_is_recorded(client, db, units, login_as, csrf_token):
    login_as("unit_officer", unit=units[0])
    nid = _dossier(db)
    token = csrf_token(f"/nominations/{nid}")
    html = client.get(f"/nominations/{nid}").get_data(as_text=True)
    assert "data-confirm=" in html.split(f'action="/nominations/{nid}/withdraw"')[1].split(">")[0]
    assert client.post(f"/nominations/{nid}/withdraw", data={"csrf_token": token, "reason": " "}).status_code == 400
    response = client.post(f"/nominations/{nid}/withdraw",
                           data={"csrf_token": token, "reason": "Cá nhân chuyển công tác"})
    assert response.status_code == 302
    nomination = _get(db, nid)
    assert nomination.status == "withdrawn" and nomination.events[-1].note == "Cá nhân chuyển công tác"
    html = client.get(f"/nominations/{nid}").get_data(as_text=True)
    assert "Đã rút" in html and "Cá nhân chuyển công tác" in html and "Lý do rút hồ sơ" not in html


def test_download_is_an_attachment_with_the_detected_type(client, db, units, login_as):
    staff = factories.user("staff")
    nid = _dossier(db, by=staff)
    attachment = services.add_attachment(_get(db, nid), data=PDF, filename="báo cáo.pdf", kind="report", by=staff)
    db.session.commit()
    login_as("unit_officer", unit=units[0])
    response = client.get(f"/nominations/{nid}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/nominations/{nid}/attachments/{attachment.id + 99}").status_code == 404


def test_anonymous_is_sent_to_login(client, db, units):
    nid = _dossier(db)
    for path in ("/nominations", f"/nominations/{nid}", "/nominations/new", "/nominations/bulk"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_index_filters_by_status_and_year(client, db, units, login_as):
    staff = factories.user("staff")
    draft = _dossier(db, by=staff)
    older = _dossier(db, code="CB2", year=2024, by=staff)
    withdrawn = _dossier(db, code="CB9", by=staff)
    services.withdraw(_get(db, withdrawn), reason="Nhầm", by=staff)
    db.session.commit()
    login_as("council_member")
    html = client.get("/nominations").get_data(as_text=True)
    assert all(f"/nominations/{i}\"" in html for i in (draft, older, withdrawn))
    assert "Lập hồ sơ" not in html, "council members read only"
    html = client.get("/nominations?status=withdrawn").get_data(as_text=True)
    assert f"/nominations/{withdrawn}\"" in html and f"/nominations/{draft}\"" not in html
    assert "Đã rút" in html
    html = client.get("/nominations?year=2024").get_data(as_text=True)
    assert f"/nominations/{older}\"" in html and f"/nominations/{draft}\"" not in html
    html = client.get("/nominations?year=1990").get_data(as_text=True)
    assert "Không có hồ sơ nào khớp điều kiện lọc" in html


def test_officer_index_shows_own_units_and_the_create_button(client, db, units, login_as):
    _dossier(db)
    _dossier(db, code="CB9")
    login_as("unit_officer", unit=units[0])
    html = client.get("/nominations").get_data(as_text=True)
    assert "CB1" in html and "CB9" not in html and "Lập hồ sơ" in html and "Lao động tiên tiến" in html


@pytest.fixture
def campaign(db, units):
    today = clock.today()
    campaign = campaign_services.create_campaign(
        by=None, launch=True, title="Thi đua cán bộ y tế", kind="regular", year=today.year, organizer_unit_code="SYT",
        starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=200),
        registration_deadline=today + timedelta(days=10), nomination_deadline=today + timedelta(days=180),
        award_codes=["LDTT", "CSTDCS"])
    campaign_services.register(campaign, units[0], individuals=[("CB1", "LDTT"), ("CB2", "LDTT")], by=None)
    db.session.commit()
    return campaign


def test_bulk_creates_one_draft_per_ticked_person(client, db, units, campaign, login_as, csrf_token):
    login_as("unit_officer", unit=units[0])
    path = f"/nominations/bulk?campaign_id={campaign.id}&unit_code=BVA&award_code=LDTT"
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nguyễn Văn An" in html and "Trần Thị Bình" in html
    assert html.count("checked") == 2, "everyone is ticked"
    response = client.post("/nominations/bulk", data={
        "csrf_token": csrf_token(path), "campaign_id": campaign.id, "unit_code": "BVA", "award_code": "LDTT",
        "people": ["CB1", "CB2"]})
    assert response.status_code == 302
    rows = db.session.scalars(db.select(Nomination).order_by(Nomination.subject_code)).all()
    assert [(n.subject_code, n.status, n.campaign_id, n.year) for n in rows] == [
        ("CB1", "draft", campaign.id, campaign.year), ("CB2", "draft", campaign.id, campaign.year)]
    assert "Đã lập 2 hồ sơ." in client.get(response.headers["Location"]).get_data(as_text=True)
    html = client.get(path).get_data(as_text=True)
    assert f"/nominations/{rows[0].id}\"" in html and "checked" not in html, "those with a dossier are shown"


def test_bulk_refuses_and_rolls_back_everything_when_one_row_is_a_duplicate(client, db, units, campaign,
                                                                              login_as, csrf_token):
    nid = _dossier(db, code="CB2", year=campaign.year)
    login_as("unit_officer", unit=units[0])
    path = f"/nominations/bulk?campaign_id={campaign.id}&unit_code=BVA&award_code=LDTT"
    response = client.post("/nominations/bulk", data={
        "csrf_token": csrf_token(path), "campaign_id": campaign.id, "unit_code": "BVA", "award_code": "LDTT",
        "people": ["CB1", "CB2"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Trần Thị Bình (CB2)" in html and f"Đã có hồ sơ đề nghị #{nid}" in html and "Không lập hồ sơ nào" in html
    assert [n.subject_code for n in db.session.scalars(db.select(Nomination))] == ["CB2"], "CB1 was rolled back"


def test_bulk_for_another_unit_is_403(client, db, units, campaign, login_as):
    login_as("unit_officer", unit=units[1])
    response = client.get(f"/nominations/bulk?campaign_id={campaign.id}&unit_code=BVA&award_code=LDTT")
    assert response.status_code == 403, "BVA is not among the units this officer acts for (the unit picker refuses it)"


def test_unit_sees_its_cstdcs_quota_while_nominating(client, login_as, db):
    from awards.catalog.services import change_setting
    from awards.nominations import services as nomination_services

    unit = factories.unit(code="QUOTA", name="Trạm Y tế xã Tân An")
    people = [factories.person(unit=unit) for _ in range(5)]
    officer = login_as("unit_officer", unit=unit)
    for person in people:
        nomination_services.create_nomination(subject_type="person", subject_code=person.code, award_code="LDTT",
                                              year=2025, by=officer)
    cstdcs = nomination_services.create_nomination(subject_type="person", subject_code=people[0].code,
                                                   award_code="CSTDCS", year=2025, by=officer)
    db.session.commit()
    assert "Tỷ lệ CSTĐCS" not in client.get(f"/nominations/{cstdcs.id}").get_data(as_text=True), "off by default"
    change_setting("cstdcs_quota_percent", 15, by=None)
    db.session.commit()
    html = client.get(f"/nominations/{cstdcs.id}").get_data(as_text=True)
    assert "Tỷ lệ CSTĐCS" in html and "alert-warning" in html  # 15% of 5 LĐTT rounds down to 0 allowed
