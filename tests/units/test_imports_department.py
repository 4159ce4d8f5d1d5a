"""A Department's existing sheets in (issue 26): the unit tree, people and five years of ratings, disciplines and
initiatives — dry runs list every row error and write nothing, one bad row stores none, the checklist shows what
came in, and only the admin or a secretariat with no unit may import, through the page and the API."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from awards.units import imports
from awards.units.models import Discipline, Initiative, PersonEvaluation, Unit
from tests import factories

THIS_YEAR = date.today().year
YEARS = list(range(THIS_YEAR - 5, THIS_YEAR))


def sheet(headers, rows) -> BytesIO:
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def count(db, model) -> int:
    return db.session.scalar(select(func.count(model.id)))


TREE = [  # a child before its parent, headers without diacritics
    ["BVDK-K1", "Khoa Nội", "BVDK", "Có", "Không"],
    ["SYT", "Sở Y tế", "", "Không", "Có"],
    ["BVDK", "Bệnh viện Đa khoa tỉnh", "SYT", "Có", "Có"],
]
TREE_HEADERS = ["Ma don vi", "Tên đơn vị", "Mã đơn vị cấp trên", "Đơn vị cơ sở", "Có thẩm quyền khen thưởng"]


def test_unit_tree_imports_parents_after_children(db):
    result = imports.run_import(imports.UNITS, sheet(TREE_HEADERS, TREE), dry_run=False, by=None)
    assert result.errors == [] and result.imported == 3
    k1 = db.session.scalar(select(Unit).where(Unit.code == "BVDK-K1"))
    assert k1.parent.code == "BVDK" and k1.parent.parent.code == "SYT" and k1.grassroots and not k1.decides_awards


def test_unit_tree_dry_run_lists_loop_and_unknown_parent_and_writes_nothing(db):
    rows = [*TREE, ["A", "Đơn vị A", "B", "", ""], ["B", "Đơn vị B", "A", "", ""],
            ["C", "Đơn vị C", "KHONGCO", "", ""], ["D", "Đơn vị D", "SYT", "có lẽ", ""]]
    result = imports.run_import(imports.UNITS, sheet(TREE_HEADERS, rows), dry_run=True, by=None)
    assert [e["row"] for e in result.errors] == [5, 6, 7, 8]
    assert "vòng lặp" in result.errors[0]["message"] and result.errors[0]["column"] == "Mã đơn vị cấp trên"
    assert "KHONGCO" in result.errors[2]["message"]
    assert result.errors[3]["column"] == "Đơn vị cơ sở" and "Có hoặc Không" in result.errors[3]["message"]
    assert count(db, Unit) == 0 and result.imported == 0


def department(db):
    imports.run_import(imports.UNITS, sheet(TREE_HEADERS, TREE), dry_run=False, by=None)
    people = [["CN01", "Nguyễn Văn An", "Nam", "BVDK"], ["CN02", "Đào Thị Hạnh", "Nữ", "BVDK-K1"]]
    result = imports.run_import(imports.PEOPLE, sheet(["Mã cá nhân", "Họ và tên", "Giới tính", "Mã đơn vị"],
                                                      people), dry_run=False, by=None)
    assert result.errors == []
    db.session.commit()


def test_five_years_of_ratings_import_and_one_bad_row_stores_none(db):
    department(db)
    good = [[code, year, rating] for year in YEARS for code, rating in (("CN01", "HTXSNV"),
                                                                         ("CN02", "Hoàn thành tốt nhiệm vụ"))]
    bad = [*good, ["CN03", YEARS[0], "HTTNV"], ["CN01", YEARS[0], "giỏi"], ["CN02", YEARS[1], "good"]]
    headers = ["Mã cá nhân", "Năm", "Xếp loại"]
    result = imports.run_import(imports.PERSON_RATINGS, sheet(headers, bad), dry_run=False, by=None)
    assert result.imported == 0 and count(db, PersonEvaluation) == 0
    messages = {e["row"]: e["message"] for e in result.errors}
    assert "Không có cá nhân mã “CN03”" in messages[12]
    assert "Xếp loại “giỏi” không hợp lệ" in messages[13]
    assert "trùng với dòng" in messages[14]

    dry = imports.run_import(imports.PERSON_RATINGS, sheet(headers, good), dry_run=True, by=None)
    assert dry.errors == [] and dry.imported == 10 and count(db, PersonEvaluation) == 0
    result = imports.run_import(imports.PERSON_RATINGS, sheet(headers, good), dry_run=False, by=None)
    assert result.imported == 10 and count(db, PersonEvaluation) == 10
    again = imports.run_import(imports.PERSON_RATINGS, sheet(headers, good[:1]), dry_run=False, by=None)
    assert "đã có xếp loại" in again.errors[0]["message"]


def test_unit_ratings_disciplines_and_initiatives(db):
    department(db)
    result = imports.run_import(imports.UNIT_RATINGS, sheet(["Mã đơn vị", "Năm", "Xếp loại"],
                                                            [["BVDK", YEARS[-1], "excellent"]]), dry_run=False, by=None)
    assert result.errors == [] and result.imported == 1
    headers = ["Mã cá nhân", "Mã đơn vị", "Năm", "Hình thức kỷ luật", "Ngày quyết định"]
    rows = [["CN01", "", YEARS[-1], "Khiển trách", f"15/06/{YEARS[-1]}"],
            ["", "BVDK-K1", YEARS[-1], "cảnh cáo", f"01/07/{YEARS[-1]}"],
            ["CN02", "BVDK", YEARS[-1], "Khiển trách", f"01/07/{YEARS[-1]}"]]
    result = imports.run_import(imports.DISCIPLINES, sheet(headers, rows), dry_run=False, by=None)
    assert [e["row"] for e in result.errors] == [4] and count(db, Discipline) == 0
    result = imports.run_import(imports.DISCIPLINES, sheet(headers, rows[:2]), dry_run=False, by=None)
    assert result.imported == 2 and count(db, Discipline) == 2
    headers = ["Mã cá nhân", "Năm", "Tên sáng kiến", "Phạm vi", "Ngày công nhận"]
    rows = [["CN01", YEARS[-1], "Cải tiến quy trình tiếp đón", "Cấp tỉnh", f"20/11/{YEARS[-1]}"],
            ["CN02", YEARS[-1], "", "Cấp cơ sở", ""]]
    result = imports.run_import(imports.INITIATIVES, sheet(headers, rows), dry_run=False, by=None)
    assert result.errors == [{"row": 3, "column": "Tên sáng kiến", "message": "Thiếu “Tên sáng kiến”."}]
    result = imports.run_import(imports.INITIATIVES, sheet(headers, rows[:1]), dry_run=False, by=None)
    assert result.imported == 1 and db.session.scalar(select(Initiative.scope)) == "provincial"


def test_checklist_shows_a_department_with_five_years_of_ratings(client, db, login_as):
    department(db)
    good = [[code, year, "HTTNV"] for year in YEARS for code in ("CN01", "CN02")]
    imports.run_import(imports.PERSON_RATINGS, sheet(["Mã cá nhân", "Năm", "Xếp loại"], good), dry_run=False,
                       by=None)
    db.session.commit()
    login_as("admin")
    html = client.get("/admin/setup").get_data(as_text=True)
    assert "Chuẩn bị dữ liệu" in html and "3 đơn vị." in html and "2 cá nhân." in html
    assert all(f"năm {year}: 2" in html for year in YEARS)
    assert "Còn thiếu" in html  # no unit ratings, no past awards, no mail server yet


@pytest.mark.parametrize("role,unit", [("staff", True), ("unit_officer", True), ("council_member", False)])
def test_others_are_refused_through_page_and_api(client, db, login_as, api, csrf_token, role, unit):
    so = factories.unit(code="SYT", name="Sở Y tế")
    db.session.commit()
    body = sheet(TREE_HEADERS, [["X", "Đơn vị X", "SYT", "", ""]])
    bound = so if unit else None
    answer = api.as_(role, unit=bound).post("/api/v1/imports/units", data={"file": (body, "cay.xlsx")},
                                            content_type="multipart/form-data")
    assert answer.status_code == 403 and answer.get_json()["error"]["message"]
    login_as(role, unit=bound)
    assert client.get("/imports/units").status_code == 403
    assert client.get("/admin/setup").status_code == 403
    with pytest.raises(Exception) as refused:
        imports.run_import(imports.UNITS, sheet(TREE_HEADERS, []), dry_run=True,
                           by=factories.user(role, unit=bound, username=f"x-{role}"))
    assert getattr(refused.value, "status", None) == 403
    assert count(db, Unit) == 1


def test_page_dry_run_shows_row_and_column_and_api_imports(client, db, login_as, api, csrf_token):
    factories.unit(code="SYT", name="Sở Y tế")
    db.session.commit()
    login_as("staff")
    token = csrf_token("/imports/units")
    bad = sheet(TREE_HEADERS, [["X", "Đơn vị X", "NGOAI", "", ""]])
    answer = client.post("/imports/units", data={"csrf_token": token, "file": (bad, "cay.xlsx"), "dry_run": "y"},
                         content_type="multipart/form-data")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "Dòng 2" in html and "Mã đơn vị cấp trên" in html and "NGOAI" in html
    assert client.post("/imports/units", data={"file": (sheet(TREE_HEADERS, []), "cay.xlsx")},
                       content_type="multipart/form-data").status_code == 400  # no CSRF token
    template = client.get("/imports/person-ratings/template.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"
    admin = api.as_("admin")
    good = sheet(TREE_HEADERS, [["X", "Đơn vị X", "SYT", "Có", ""]])
    dry = admin.post("/api/v1/imports/units", data={"file": (good, "cay.xlsx"), "dry_run": "1"},
                     content_type="multipart/form-data")
    assert dry.status_code == 200 and dry.get_json() == {"imported": 1, "errors": [], "dry_run": True}
    good = sheet(TREE_HEADERS, [["X", "Đơn vị X", "SYT", "Có", ""]])
    done = admin.post("/api/v1/imports/units", data={"file": (good, "cay.xlsx")}, content_type="multipart/form-data")
    assert done.status_code == 200 and done.get_json()["imported"] == 1 and count(db, Unit) == 2
    missing = admin.post("/api/v1/imports/ratings-of-cats", data={}, content_type="multipart/form-data")
    assert missing.status_code == 404 and "Không có loại dữ liệu" in missing.get_json()["error"]["message"]


def test_cli_import_tree_dry_run_then_all(app, db, tmp_path):
    path = tmp_path / "cay-don-vi.xlsx"
    path.write_bytes(sheet(TREE_HEADERS, [*TREE, ["Y", "Đơn vị Y", "KHONGCO", "", ""]]).getvalue())
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["units", "import-tree", str(path)])
    assert bad.exit_code == 1 and "Dòng 5 [Mã đơn vị cấp trên]" in bad.output and count(db, Unit) == 0
    path.write_bytes(sheet(TREE_HEADERS, TREE).getvalue())
    dry = runner.invoke(args=["units", "import", "units", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "3 dòng" in dry.output and count(db, Unit) == 0
    done = runner.invoke(args=["units", "import-tree", str(path)])
    assert done.exit_code == 0 and count(db, Unit) == 3
