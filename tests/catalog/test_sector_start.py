"""Issue 25, years of service: a person's start date in the sector (ngày vào ngành) through the person form, the
people import's optional column and the people API, and the checklist of a years-of-service award reading it."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook

from awards.catalog import services as catalog
from awards.units import queries
from tests import factories


def _workbook(headers, rows) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_person_form_sets_the_start_date_and_refuses_one_before_birth(client, login_as, csrf_token, db):
    login_as("staff")
    person = factories.person(code="P-VN", birth_date=date(1980, 4, 2))
    db.session.commit()
    form = {"full_name": person.full_name, "gender": "female", "birth_date": "02/04/1980", "ethnicity": "Kinh",
            "unit_code": person.unit.code, "position": "", "active": "y",
            "csrf_token": csrf_token(f"/people/{person.code}/edit")}
    bad = client.post(f"/people/{person.code}/edit", data={**form, "sector_start_date": "01/01/1979"})
    assert bad.status_code == 400 and "Ngày vào ngành phải sau ngày sinh." in bad.get_data(as_text=True)
    good = client.post(f"/people/{person.code}/edit", data={**form, "sector_start_date": "01/09/2003"})
    assert good.status_code == 302, good.get_data(as_text=True)[:1500]
    db.session.expire_all()
    assert queries.person_by_code("P-VN").sector_start_date == date(2003, 9, 1)
    assert 'value="01/09/2003"' in client.get(f"/people/{person.code}/edit").get_data(as_text=True)


def test_the_people_import_reads_the_optional_column(client, login_as, csrf_token, db):
    login_as("staff")
    factories.unit(code="BVDK")
    db.session.commit()
    stream = _workbook(["Mã cá nhân", "Họ và tên", "Giới tính", "Mã đơn vị", "Ngày vào ngành"],
                       [["CN1", "Lê Thị Hoa", "Nữ", "BVDK", "15/08/1999"],
                        ["CN2", "Trần Văn Nam", "Nam", "BVDK", None]])
    response = client.post("/people/import", data={"csrf_token": csrf_token("/people/import"),
                                                   "file": (stream, "ds.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    assert queries.person_by_code("CN1").sector_start_date == date(1999, 8, 15)
    assert queries.person_by_code("CN2").sector_start_date is None
    bad = _workbook(["Mã cá nhân", "Họ và tên", "Giới tính", "Mã đơn vị", "Ngày vào ngành"],
                    [["CN3", "Lê Văn Ba", "Nam", "BVDK", "31/02/2001"]])
    refused = client.post("/people/import", data={"csrf_token": csrf_token("/people/import"),
                                                  "file": (bad, "ds.xlsx")}, content_type="multipart/form-data")
    assert "Ngày vào ngành “31/02/2001” không hợp lệ" in refused.get_data(as_text=True)


def test_the_people_api_writes_and_shows_it(api, db):
    unit = factories.unit()
    staff = api.as_("staff")
    created = staff.post("/api/v1/people", json={
        "code": "P-API", "full_name": "Phạm Thị Mai", "gender": "female", "birth_date": "1975-01-20",
        "unit_code": unit.code, "sector_start_date": "1996-07-01"})
    assert created.status_code == 201 and created.json["sector_start_date"] == "1996-07-01"
    assert staff.get("/api/v1/people/P-API").json["sector_start_date"] == "1996-07-01"


def test_the_checklist_of_a_years_of_service_award_reads_the_start_date(api, db):
    admin = factories.user("admin")
    catalog.create_award_type(code="KNC_VSK", name="Kỷ niệm chương thử", subject="individual", ballot="none",
                              threshold=None, by=admin, conditions=[
                                  {"rule": "years_of_service", "params": {"min_years": 25, "min_years_women": 20}}])
    woman = factories.person(code="P-NU", gender="female")
    man = factories.person(code="P-NAM", gender="male")
    for person in (woman, man):
        person.sector_start_date = date(2004, 1, 1)
    db.session.commit()
    staff = api.as_("staff")
    for code, passed in (("P-NU", True), ("P-NAM", False)):
        body = staff.get("/api/v1/eligibility", query_string={
            "subject_type": "person", "subject_code": code, "award_code": "KNC_VSK", "year": 2025}).json
        line = next(c for c in body["checks"] if c["rule"] == "years_of_service")
        assert line["passed"] is passed and "21 năm công tác" in line["detail"], line
