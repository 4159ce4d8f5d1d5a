"""Issue 25, the admin's catalogue page: add an award type composing two conditions, edit it, deactivate it, and
preview it against ten people of the database; refusals through the page and the API alike."""

from datetime import date

from awards.catalog import services
from awards.catalog.models import StoredAwardType
from awards.units import services as units
from tests import factories

FORM = {"code": "BK_BYT", "name": "Bằng khen của Bộ trưởng Bộ Y tế", "subject": "both",
        "award_form": "commendation", "level": "ministerial", "decided_by": "Bộ trưởng Bộ Y tế", "ballot": "open",
        "threshold": "", "review_days": "5", "required_attachments": ["proposal", "report", "minutes"],
        "period_years": "2", "prize_coefficient": "", "basis": "Thông tư của Bộ Y tế về TĐKT ngành Y tế",
        "notes": "",
        "cond-0-rule": "rating_years", "cond-0-rating_years-minimum": "excellent", "cond-0-rating_years-years": "2",
        "cond-0-article": "Thông tư Bộ Y tế, Điều 8 [check]", "cond-0-text": "02 năm liên tục HTXSNV",
        "cond-1-rule": "confirm", "cond-1-confirm-text": "có thành tích xuất sắc trong phong trào thi đua",
        "cond-2-rule": ""}


def test_the_admin_adds_a_type_with_two_conditions_through_the_page(client, login_as, csrf_token, db):
    login_as("admin")
    page = client.get("/catalog/new")
    assert page.status_code == 200 and "Khối điều kiện" in page.get_data(as_text=True)
    response = client.post("/catalog/new", data={**FORM, "csrf_token": csrf_token("/catalog/new")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    award = services.award_type("BK_BYT")
    assert award.subjects == ("individual", "collective") and award.period_years == 2 and award.ballot == "open"
    assert [(c["rule"], c["params"]) for c in award.conditions] == [
        ("rating_years", {"minimum": "excellent", "years": 2}),
        ("confirm", {"text": "có thành tích xuất sắc trong phong trào thi đua"})]
    assert award.conditions[0]["basis"] == {"article": "Thông tư Bộ Y tế, Điều 8 [check]",
                                            "text": "02 năm liên tục HTXSNV", "confirmed": False}
    assert award.conditions[1]["basis"]["article"] == "Thông tư của Bộ Y tế về TĐKT ngành Y tế"
    listing = client.get("/catalog").get_data(as_text=True)
    assert "Bằng khen của Bộ trưởng Bộ Y tế" in listing and "Tự định nghĩa" in listing
    edit = client.get("/catalog/types/BK_BYT/edit").get_data(as_text=True)
    assert 'value="excellent" selected' in edit and "02 năm liên tục HTXSNV" in edit


def test_a_bad_condition_is_shown_on_the_page_and_nothing_is_stored(client, login_as, csrf_token, db):
    login_as("admin")
    data = {**FORM, "cond-0-rating_years-years": "40", "csrf_token": csrf_token("/catalog/new")}
    response = client.post("/catalog/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Điều kiện 1 (Xếp loại liên tục nhiều năm): “Số năm liên tục (tính đến năm xét)” phải từ 1 đến 10." in html
    assert 'value="40"' in html  # the rows come back as typed
    assert db.session.query(StoredAwardType).count() == 0


def test_a_built_in_code_is_refused_by_the_page_as_by_the_api(client, login_as, csrf_token, db):
    login_as("admin")
    response = client.post("/catalog/new", data={**FORM, "code": "BK_TINH", "csrf_token": csrf_token("/catalog/new")})
    assert response.status_code == 409 and "không định nghĩa lại" in response.get_data(as_text=True)
    assert db.session.query(StoredAwardType).count() == 0


def test_only_the_admin_adds_or_edits_types(client, login_as, csrf_token, api, db):
    login_as("staff")
    assert client.get("/catalog/new").status_code == 403
    assert client.post("/catalog/new", data={**FORM, "csrf_token": csrf_token("/catalog")}).status_code == 403
    assert api.as_("staff").post("/api/v1/award-types", json={
        "code": "BK_BYT", "name": "Bằng khen", "subject": "individual", "ballot": "none", "threshold": None,
        "conditions": []}).status_code == 403
    assert db.session.query(StoredAwardType).count() == 0


def test_edit_then_deactivate(client, login_as, csrf_token, db):
    admin = login_as("admin")
    services.create_award_type(by=admin, code="KT_SUA", name="Khen thưởng cũ", subject="individual",
                               ballot="none", threshold=None, conditions=[])
    db.session.commit()
    token = csrf_token("/catalog/types/KT_SUA/edit")
    response = client.post("/catalog/types/KT_SUA/edit", data={
        **FORM, "code": "KHAC", "name": "Khen thưởng mới", "subject": "individual", "ballot": "none",
        "csrf_token": token})
    assert response.status_code == 302
    award = services.award_type("KT_SUA")  # the code never changes
    assert award.name == "Khen thưởng mới" and len(award.conditions) == 2
    assert 'value="KT_SUA"' in client.get("/nominations/new").get_data(as_text=True)  # offered while active
    client.post("/catalog/types/KT_SUA/active", data={"active": "0", "csrf_token": token})
    services.forget()  # this test's context read the types before the request changed them
    assert services.award_type("KT_SUA").active is False and "KT_SUA" not in services.award_types()
    new_dossier = client.get("/nominations/new").get_data(as_text=True)
    assert "Đã ngừng sử dụng Khen thưởng mới" in new_dossier and 'value="KT_SUA"' not in new_dossier


def test_the_preview_runs_the_type_against_ten_people(client, login_as, db):
    admin = login_as("admin")
    services.create_award_type(by=admin, code="KNC_VSK", name="Kỷ niệm chương thử", subject="individual",
                               ballot="none", threshold=None,
                               conditions=[{"rule": "years_of_service", "params": {"min_years": 25,
                                                                                    "min_years_women": 20}}])
    unit = factories.unit()
    people = [factories.person(unit=unit, gender="female" if n % 2 else "male") for n in range(12)]
    units.update_person(people[0], sector_start_date=date(1990, 3, 1), by=admin)
    db.session.commit()
    response = client.get("/archive/award-types/KNC_VSK/preview?year=2025")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('class="card mb-2"') == 10
    assert "35 năm công tác đến 31/12/2025" in html and html.count("Chưa có ngày vào ngành") == 9
    assert html.count("Đủ điều kiện") == 1
