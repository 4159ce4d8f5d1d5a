"""Issue 19's frictions on the dossier pages: the appraiser passes a failing line in place and opens the files;
a new dossier's year, awards, person search, several files, and the warning before submitting a failing one."""

import io
import re
from datetime import date, datetime

import pytest

from awards.campaigns import services as campaign_services
from awards.core import clock
from awards.nominations import services
from awards.nominations.models import Nomination
from tests import factories
from tests.nominations.test_appraisal import PDF, dossier


@pytest.fixture
def writer(db):
    user = factories.user("staff")
    db.session.commit()
    return user


# --- 1. overriding a failing line in place ----------------------------------------------------------------

def test_appraiser_overrides_a_failing_line_in_place_and_comes_back(client, login_as, db, writer, csrf_token):
    nomination = dossier(writer, rating=None)
    db.session.commit()
    login_as("staff")
    path = f"/nominations/{nomination.id}/appraise"
    page = client.get(path).get_data(as_text=True)
    assert "Ghi ý kiến vượt qua dòng này (kèm lý do)" in page and "/archive/eligibility?" not in page
    assert 'name="rule" value="rating_good_or_better"' in page
    token = csrf_token(path)
    short = client.post(f"{path}/override", data={"csrf_token": token, "rule": "rating_good_or_better",
                                                  "reason": "ngắn"})
    assert short.status_code == 400 and "ít nhất 10 ký tự" in short.get_data(as_text=True)
    assert f"Hồ sơ #{nomination.id}" in short.get_data(as_text=True)  # still the appraisal page
    done = client.post(f"{path}/override", data={"csrf_token": token, "rule": "rating_good_or_better",
                                                 "reason": "Đơn vị đã xác nhận xếp loại bằng văn bản"})
    assert done.status_code == 302 and done.headers["Location"].startswith(path)
    back = client.get(path).get_data(as_text=True)
    assert "Đã ghi ý kiến thẩm định" in back and "Đơn vị đã xác nhận xếp loại bằng văn bản" in back
    assert 'name="rule" value="rating_good_or_better"' not in back
    passed = client.post(path, data={"csrf_token": token, "action": "pass", "pass-reason": ""})
    assert passed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status == "appraised"


def test_override_is_for_managers_only(client, login_as, db, writer, csrf_token):
    nomination = dossier(writer, rating=None)
    db.session.commit()
    login_as("unit_officer", unit=nomination.unit)
    response = client.post(f"/nominations/{nomination.id}/appraise/override",
                           data={"csrf_token": csrf_token("/nominations"), "rule": "rating_good_or_better",
                                 "reason": "Đơn vị tự xác nhận xếp loại"})
    assert response.status_code == 403


def test_attachments_open_from_the_appraisal_page(client, login_as, db, writer):
    nomination = dossier(writer)
    db.session.commit()
    login_as("staff")
    page = client.get(f"/nominations/{nomination.id}/appraise").get_data(as_text=True)
    links = re.findall(rf'href="(/nominations/{nomination.id}/attachments/\d+)"', page)
    assert links and len(links) == len(nomination.attachments)
    response = client.get(links[0])
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


# --- 2. a new dossier -------------------------------------------------------------------------------------

@pytest.fixture
def hospital(db):
    """A Sở, its hospital with a department; people in both; one person of another hospital."""
    province = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=province, kind="hospital")
    ward = factories.unit(code="BVDK-NOI", name="Khoa Nội tổng hợp", parent=hospital)
    other = factories.unit(code="BVSN", name="Bệnh viện Sản – Nhi tỉnh", parent=province, kind="hospital")
    factories.person(code="CB1", full_name="Nguyễn Văn An", unit=ward)
    factories.person(code="CB2", full_name="Nguyễn Thị Bích", unit=hospital)
    factories.person(code="CB9", full_name="Nguyễn Văn Chín", unit=other)
    db.session.commit()
    return hospital


def test_year_defaults_to_the_year_being_considered_now(client, login_as, hospital, at):
    at(datetime(2026, 12, 7, 9, 0, tzinfo=clock.VIETNAM))
    login_as("unit_officer", unit=hospital)
    html = client.get("/nominations/new").get_data(as_text=True)
    assert re.search(r'id="year"[^>]*value="2026"|value="2026"[^>]*id="year"', html)


def test_search_as_you_type_offers_the_officers_people_and_units(client, login_as, hospital):
    login_as("unit_officer", unit=hospital)
    found = client.get("/nominations/subjects?q=nguyen").get_json()
    assert sorted(f["value"] for f in found) == ["person:CB1", "person:CB2"]  # not CB9 of another hospital
    an = next(f for f in found if f["value"] == "person:CB1")
    assert an["label"] == "Nguyễn Văn An" and "Khoa Nội tổng hợp — Bệnh viện Đa khoa tỉnh" in an["detail"]
    units = client.get("/nominations/subjects?q=khoa noi").get_json()
    assert units == [{"value": "unit:BVDK-NOI", "label": "Khoa Nội tổng hợp — Bệnh viện Đa khoa tỉnh",
                      "code": "BVDK-NOI", "detail": "Tập thể · BVDK-NOI"}]
    assert client.get("/nominations/subjects?q=").get_json() == []


def test_the_picked_person_or_a_typed_code_makes_the_dossier(client, db, login_as, hospital, csrf_token):
    login_as("unit_officer", unit=hospital)
    token = csrf_token("/nominations/new")
    base = {"csrf_token": token, "award_code": "LDTT", "year": "2025", "kind": "regular", "campaign_id": ""}
    picked = client.post("/nominations/new", data={**base, "pick": "person:CB1", "subject_q": "Nguyễn Văn An (CB1)"})
    assert picked.status_code == 302
    typed = client.post("/nominations/new", data={**base, "pick": "", "subject_q": "Nguyễn Thị Bích (CB2)"})
    assert typed.status_code == 302  # without the script: the code in brackets
    codes = sorted(n.subject_code for n in db.session.scalars(db.select(Nomination)))
    assert codes == ["CB1", "CB2"]
    unknown = client.post("/nominations/new", data={**base, "pick": "", "subject_q": "Không có ai"})
    assert unknown.status_code == 400 and "Trường này là bắt buộc." in unknown.get_data(as_text=True)


def test_the_campaigns_awards_come_first(client, db, login_as, hospital):
    campaign = campaign_services.create_campaign(
        title="Phong trào thi đua năm 2026", launch=True, by=None, kind="regular", year=2026,
        organizer_unit_code="SYT", award_codes=["CSTDCS"], starts_on=date(2026, 1, 1),
        registration_deadline=date(2026, 3, 31), ends_on=date(2026, 12, 31), nomination_deadline=date(2026, 12, 15))
    db.session.commit()
    login_as("unit_officer", unit=hospital)
    html = client.get(f"/nominations/new?campaign_id={campaign.id}").get_data(as_text=True)
    select = html[html.index('id="award_code"'):]
    select = select[:select.index("</select>")]
    assert select.index('label="Danh hiệu của phong trào"') < select.index('value="CSTDCS"') \
        < select.index('label="Danh hiệu khác"') < select.index('value="LDTT"')
    assert re.search(r'value="CSTDCS"[^>]*selected|selected[^>]*value="CSTDCS"', select)
    assert 'data-awards="CSTDCS"' in html


def test_several_files_at_once(client, db, login_as, hospital, csrf_token):
    user = login_as("unit_officer", unit=hospital)
    nomination = services.create_nomination(subject_type="person", subject_code="CB2", award_code="LDTT",
                                            year=2025, by=user)
    db.session.commit()
    path = f"/nominations/{nomination.id}"
    assert 'multiple' in client.get(path).get_data(as_text=True)
    response = client.post(f"{path}/attachments", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(path), "kind": "evidence",
        "file": [(io.BytesIO(PDF), "minh-chung-1.pdf"), (io.BytesIO(PDF + b"2"), "minh-chung-2.pdf")]})
    assert response.status_code == 302
    html = client.get(path).get_data(as_text=True)
    assert "Đã tải lên 2 tệp" in html and "minh-chung-1.pdf" in html and "minh-chung-2.pdf" in html


def test_warning_before_submitting_a_failing_dossier(client, db, login_as, hospital, csrf_token):
    user = login_as("unit_officer", unit=hospital)
    nomination = services.create_nomination(subject_type="person", subject_code="CB2", award_code="LDTT",
                                            year=2025, by=user)  # no rating for 2025: a line fails
    for kind in sorted(services.required_attachments(nomination)):
        services.add_attachment(nomination, data=PDF + kind.encode(), filename=f"{kind}.pdf", kind=kind, by=user)
    db.session.commit()
    path = f"/nominations/{nomination.id}"
    html = client.get(path).get_data(as_text=True)
    assert "Lưu ý trước khi nộp:" in html and "dòng điều kiện chưa đạt" in html
    assert 'data-confirm="Hồ sơ còn 1 dòng điều kiện chưa đạt. Vẫn nộp hồ sơ?"' in html
    response = client.post(f"{path}/submit", data={"csrf_token": csrf_token(path)})
    assert response.status_code == 302  # the officer may still submit
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status == "submitted"


# --- 7. names, not usernames; a department with its hospital ---------------------------------------------

def test_history_shows_names_and_the_department_with_its_hospital(client, db, login_as, hospital, csrf_token):
    officer = factories.user("unit_officer", unit=hospital, username="canbo.bvdk", full_name="Lò Thị Mai")
    nomination = services.create_nomination(subject_type="person", subject_code="CB1", award_code="LDTT",
                                            year=2025, by=officer)
    for kind in sorted(services.required_attachments(nomination)):
        services.add_attachment(nomination, data=PDF + kind.encode(), filename=f"{kind}.pdf", kind=kind, by=officer)
    services.submit(nomination, by=officer)
    db.session.commit()
    login_as("staff")
    for path in (f"/nominations/{nomination.id}", f"/nominations/{nomination.id}/appraise", "/nominations/queue",
                 "/nominations"):
        html = client.get(path).get_data(as_text=True)
        assert "Khoa Nội tổng hợp — Bệnh viện Đa khoa tỉnh" in html, path
    detail = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    history = detail[detail.index('id="history"'):]
    assert "Lò Thị Mai" in history and "canbo.bvdk" not in history
