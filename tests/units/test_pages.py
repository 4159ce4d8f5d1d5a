"""The unit tree and people pages, used as the secretariat, a unit officer and a council member would."""

from datetime import date

import pytest

from awards.units import queries
from tests import factories


@pytest.fixture
def tree(db):
    """Sở Y tế → Bệnh viện Đa khoa tỉnh → Khoa Nội; and Trung tâm Y tế huyện Mường Tè beside it."""
    so = factories.unit(code="SYT", name="Sở Y tế tỉnh Lai Châu", kind="department_of_health")
    bv = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=so, kind="hospital",
                        grassroots=True)
    khoa = factories.unit(code="BVDK-NOI", name="Khoa Nội", parent=bv, kind="division")
    ttyt = factories.unit(code="TTYT-MT", name="Trung tâm Y tế huyện Mường Tè", parent=so,
                          kind="health_centre", grassroots=True)
    db.session.commit()
    return {"so": so, "bv": bv, "khoa": khoa, "ttyt": ttyt}


def html(response) -> str:
    return response.get_data(as_text=True)


# --- units ---------------------------------------------------------------------------------------

def test_manager_creates_a_unit_under_a_parent_and_sees_it_in_the_tree(client, login_as, post, tree):
    login_as("staff")
    assert "Đơn vị cấp trên" in html(client.get("/units/new"))
    response = post("/units/new", {"code": "BVDK-NGOAI", "name": "Khoa Ngoại", "parent_code": "BVDK",
                                   "kind": "division"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/units/BVDK-NGOAI")
    detail = html(client.get("/units/BVDK-NGOAI"))
    assert "Sở Y tế tỉnh Lai Châu" in detail and "Bệnh viện Đa khoa tỉnh" in detail  # breadcrumb
    page = html(client.get("/units"))
    assert "Khoa Ngoại" in page and "tree-indent-2" in page and "Cơ sở" in page and "Thêm đơn vị" in page
    assert page.index("Sở Y tế tỉnh Lai Châu") < page.index("Khoa Ngoại") < page.index("Trung tâm Y tế huyện")


def test_duplicate_unit_code_is_a_conflict_shown_on_the_code_field(client, login_as, post, tree):
    login_as("admin")
    response = post("/units/new", {"code": "BVDK", "name": "Bệnh viện khác", "kind": "hospital"})
    assert response.status_code == 409
    assert "Mã “BVDK” đã được dùng." in html(response) and "is-invalid" in html(response)


def test_unit_form_errors_are_vietnamese(client, login_as, post, tree):
    login_as("staff")
    response = post("/units/new", {"code": "có dấu", "name": "", "kind": "hospital"})
    assert response.status_code == 400
    body = html(response)
    assert "Trường này là bắt buộc." in body and "Chỉ dùng chữ cái không dấu" in body


def test_manager_edits_a_unit_but_cannot_move_it_under_itself(client, login_as, post, tree):
    login_as("staff")
    assert "BVDK-NOI" not in html(client.get("/units/BVDK/edit"))  # its own subtree is not offered as parent
    response = post("/units/BVDK/edit", {"name": "Bệnh viện Đa khoa tỉnh Lai Châu", "parent_code": "SYT",
                                         "kind": "hospital", "grassroots": "y", "active": "y"})
    assert response.status_code == 302
    assert "Bệnh viện Đa khoa tỉnh Lai Châu" in html(client.get("/units/BVDK"))


def test_unit_search_ignores_diacritics_and_tree_is_paginated(client, login_as, db, tree):
    login_as("council_member")
    found = html(client.get("/units?q=muong te"))
    assert "Trung tâm Y tế huyện Mường Tè" in found and "Khoa Nội" not in found
    for n in range(100):
        factories.unit(code=f"TYT{n:03d}", name=f"Trạm Y tế xã {n:03d}", parent=tree["ttyt"], kind="station")
    db.session.commit()
    first, second = html(client.get("/units")), html(client.get("/units?page=2"))
    assert "Tổng cộng 104 mục" in first and "Trạm Y tế xã 099" not in first
    assert "Trạm Y tế xã 099" in second
    assert "Thêm đơn vị" not in first  # council members read only


def test_unit_detail_lists_children_people_and_ratings(client, login_as, post, db, tree):
    factories.person(code="NV001", full_name="Lò Văn Páo", unit=tree["bv"])
    db.session.commit()
    login_as("staff")
    body = html(client.get("/units/BVDK"))
    assert "Khoa Nội" in body and "Lò Văn Páo" in body and "Chưa có xếp loại năm nào." in body
    assert post("/units/BVDK/evaluations", {"year": "2024", "rating": "excellent"}).status_code == 302
    again = post("/units/BVDK/evaluations", {"year": "2024", "rating": "good"})
    assert again.status_code == 409
    assert "Bệnh viện Đa khoa tỉnh đã có xếp loại năm 2024." in html(again)
    assert "Hoàn thành xuất sắc nhiệm vụ" in html(client.get("/units/BVDK"))


# --- people --------------------------------------------------------------------------------------

def test_manager_creates_a_person_and_finds_them(client, login_as, post, tree):
    login_as("staff")
    assert client.get("/people/new").status_code == 200
    response = post("/people/new", {"code": "NV100", "full_name": "  Đào Thị Hạnh ", "gender": "female",
                                    "birth_date": "1990-03-08", "ethnicity": "Thái", "ethnic_minority": "y",
                                    "unit_code": "BVDK-NOI", "position": "Điều dưỡng trưởng",
                                    "frontline": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/people/NV100")
    detail = html(client.get("/people/NV100"))
    assert "Đào Thị Hạnh" in detail and "08/03/1990" in detail and "Khoa Nội" in detail
    listing = html(client.get("/people"))
    for text in ("Đào Thị Hạnh", "Tuyến đầu", "DTTS", "08/03/1990", "Khoa Nội"):
        assert text in listing


def test_person_form_errors_are_vietnamese(client, login_as, post, db, tree):
    factories.person(code="NV001", unit=tree["bv"])
    db.session.commit()
    login_as("staff")
    response = post("/people/new", {"code": "NV001", "full_name": "", "gender": "female",
                                    "birth_date": "1990-02-31", "unit_code": "BVDK"})
    assert response.status_code == 400
    body = html(response)
    assert "Trường này là bắt buộc." in body and "Ngày không hợp lệ." in body
    duplicate = post("/people/new", {"code": "NV001", "full_name": "Lê Văn Tám", "gender": "male",
                                     "unit_code": "BVDK"})
    assert duplicate.status_code == 409 and "Mã “NV001” đã được dùng." in html(duplicate)


def test_search_ignores_case_and_diacritics(client, login_as, db, tree):
    for code, name in (("A1", "Nguyễn Văn An"), ("A2", "Đào Thị Hạnh"), ("A3", "Trần Thị Bình")):
        factories.person(code=code, full_name=name, unit=tree["bv"])
    db.session.commit()
    login_as("staff")
    found = html(client.get("/people?q=nguyen van an"))
    assert "Nguyễn Văn An" in found and "Trần Thị Bình" not in found
    found = html(client.get("/people?q=DAO"))
    assert "Đào Thị Hạnh" in found and "Nguyễn Văn An" not in found
    assert "Không tìm thấy cá nhân nào" in html(client.get("/people?q=khong+co+ai"))


def test_people_list_is_paginated_and_filters_by_unit_subtree(client, login_as, db, tree):
    for n in range(55):
        factories.person(code=f"K{n:03d}", full_name=f"Người Khoa Nội {n:03d}", unit=tree["khoa"])
    factories.person(code="T001", full_name="Người Mường Tè", unit=tree["ttyt"])
    db.session.commit()
    login_as("staff")
    first, second = html(client.get("/people")), html(client.get("/people?page=2"))
    assert "Tổng cộng 56 mục" in first and "Người Mường Tè" not in first
    assert "Người Mường Tè" in second and "Người Khoa Nội 054" in second
    by_unit = html(client.get("/people?unit=BVDK"))  # the hospital's subtree includes Khoa Nội
    assert "Người Khoa Nội 000" in by_unit and "Người Mường Tè" not in by_unit
    assert "page=2&amp;unit=BVDK" in by_unit or "unit=BVDK&amp;page=2" in by_unit


def test_person_ratings_disciplines_and_initiatives(client, login_as, post, db, tree):
    factories.person(code="NV001", full_name="Nguyễn Văn An", unit=tree["bv"])
    db.session.commit()
    login_as("staff")
    assert post("/people/NV001/evaluations", {"ev-year": "2024", "ev-rating": "excellent"}).status_code == 302
    duplicate = post("/people/NV001/evaluations", {"ev-year": "2024", "ev-rating": "good"})
    assert duplicate.status_code == 409 and "Nguyễn Văn An đã có xếp loại năm 2024." in html(duplicate)
    discipline = {"di-year": "2023", "di-level": "reprimand", "di-decided_on": "2023-06-15",
                  "di-note": "Đi muộn"}
    assert post("/people/NV001/disciplines", discipline).status_code == 302
    assert post("/people/NV001/initiatives", {"in-year": "2024", "in-title": "Quy trình tiếp đón người bệnh",
                                              "in-scope": "provincial"}).status_code == 302
    bad = post("/people/NV001/initiatives", {"in-year": "1800", "in-title": "Cũ", "in-scope": "unit"})
    assert bad.status_code == 400 and "Năm phải từ 1945" in html(bad)
    body = html(client.get("/people/NV001"))
    for text in ("Hoàn thành xuất sắc nhiệm vụ", "Khiển trách", "15/06/2023", "Quy trình tiếp đón người bệnh",
                 "Cấp tỉnh"):
        assert text in body


def test_manager_edits_a_person_and_moves_them(client, login_as, post, db, tree):
    factories.person(code="NV001", full_name="Nguyễn Văn An", unit=tree["bv"], gender="male")
    db.session.commit()
    login_as("staff")
    form = html(client.get("/people/NV001/edit"))
    assert "Nguyễn Văn An" in form and "17/05/1985" in form and "1985-05-17" not in form  # dd/mm/yyyy
    response = post("/people/NV001/edit", {"full_name": "Nguyễn Văn An", "gender": "male",
                                           "birth_date": "1985-05-17", "ethnicity": "Kinh",
                                           "unit_code": "TTYT-MT", "position": "Bác sĩ", "active": "y"})
    assert response.status_code == 302
    assert queries.person_by_code("NV001").unit.code == "TTYT-MT"


# --- who may do what -----------------------------------------------------------------------------

def test_unit_officer_reads_and_writes_only_their_subtree(client, login_as, post, db, tree):
    factories.person(code="K001", full_name="Người Khoa Nội", unit=tree["khoa"])
    factories.person(code="T001", full_name="Người Mường Tè", unit=tree["ttyt"])
    db.session.commit()
    login_as("unit_officer", unit=tree["bv"])
    listing = html(client.get("/people"))
    assert "Người Khoa Nội" in listing and "Người Mường Tè" not in listing and "Nhập từ Excel" in listing
    assert "Người Mường Tè" not in html(client.get("/people?unit=TTYT-MT"))
    assert client.get("/people/K001").status_code == 200
    assert client.get("/people/T001").status_code == 403
    assert client.get("/people/T001/edit").status_code == 403
    assert post("/people/T001/evaluations", {"ev-year": "2024", "ev-rating": "good"}).status_code == 403
    assert client.get("/units/new").status_code == 403
    assert client.get("/units/BVDK/edit").status_code == 403
    assert post("/units/BVDK/evaluations", {"year": "2024", "rating": "good"}).status_code == 403
    assert client.get("/units").status_code == 200  # the tree itself is readable
    assert "Bạn chỉ xem được danh sách cá nhân" in html(client.get("/units/TTYT-MT"))


def test_unit_officer_creates_people_only_in_scope(client, login_as, post, db, tree):
    login_as("unit_officer", unit=tree["bv"])
    form = html(client.get("/people/new"))
    assert "Khoa Nội" in form and "Mường Tè" not in form
    person = {"full_name": "Lê Thị Mai", "gender": "female", "birth_date": "", "ethnicity": "Kinh"}
    assert post("/people/new", {**person, "code": "X1", "unit_code": "TTYT-MT"}).status_code == 403
    assert queries.person_by_code("X1") is None
    assert post("/people/new", {**person, "code": "X2", "unit_code": "BVDK-NOI"}).status_code == 302
    assert post("/people/X2/evaluations", {"ev-year": "2024", "ev-rating": "good"}).status_code == 302
    # moving someone out of one's scope is refused too
    moved = post("/people/X2/edit", {**person, "unit_code": "TTYT-MT", "active": "y"})
    assert moved.status_code == 403 and queries.person_by_code("X2").unit.code == "BVDK-NOI"


def test_council_member_reads_everything_and_writes_nothing(client, login_as, post, db, tree):
    factories.person(code="T001", full_name="Người Mường Tè", unit=tree["ttyt"])
    db.session.commit()
    login_as("council_member")
    listing = html(client.get("/people"))
    assert "Người Mường Tè" in listing and "Thêm cá nhân" not in listing and "Nhập từ Excel" not in listing
    detail = html(client.get("/people/T001"))
    assert "Người Mường Tè" in detail and "Thêm xếp loại" not in detail and "Sửa thông tin" not in detail
    assert client.get("/people/new").status_code == 403
    assert client.get("/people/T001/edit").status_code == 403
    assert client.get("/people/import").status_code == 403
    assert post("/people/T001/evaluations", {"ev-year": "2024", "ev-rating": "good"}).status_code == 403
    assert client.get("/units/new").status_code == 403


def test_post_without_csrf_token_is_refused(client, login_as, tree):
    login_as("staff")
    response = client.post("/units/new", data={"code": "X", "name": "Không token", "kind": "other"})
    assert response.status_code == 400 and "Phiên làm việc đã hết hạn" in html(response)
    assert queries.unit_by_code("X") is None


def test_unknown_codes_are_404_and_signed_out_users_go_to_login(client, login_as, tree):
    assert client.get("/people").status_code == 302
    login_as("staff")
    assert client.get("/units/KHONG-CO").status_code == 404
    assert client.get("/people/KHONG-CO").status_code == 404
    assert "Chưa có cá nhân nào." in html(client.get("/people"))


def test_dates_and_labels_on_the_person_page(client, login_as, db, tree):
    factories.person(code="NV9", full_name="Vàng Thị Dợ", unit=tree["ttyt"], birth_date=date(1979, 12, 1),
                     ethnicity="Mông", ethnic_minority=True)
    db.session.commit()
    login_as("staff")
    body = html(client.get("/people/NV9"))
    assert "01/12/1979" in body and "Nữ" in body and "Mông" in body and "DTTS" in body
