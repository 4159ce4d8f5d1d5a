"""The unit picker (issue 21): the lookup a form's script asks as the user types, the fields that read a typed code
or "Name (CODE)", and the forms that no longer carry every unit of the province."""

import pytest
from sqlalchemy import event

from awards.units import picker, queries
from tests import factories


@pytest.fixture
def tree(db):
    """Sở Y tế → Bệnh viện Đa khoa tỉnh → Khoa Nội tổng hợp; Trung tâm Y tế huyện Mường Tè; a closed hospital."""
    so = factories.unit(code="SYT", name="Sở Y tế tỉnh Lai Châu", kind="department_of_health")
    bv = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=so, kind="hospital")
    khoa = factories.unit(code="BVDK-NOI", name="Khoa Nội tổng hợp", parent=bv, kind="division")
    ttyt = factories.unit(code="TTYT-MT", name="Trung tâm Y tế huyện Mường Tè", parent=so, kind="health_centre")
    old = factories.unit(code="BVDK-CU", name="Bệnh viện Đa khoa khu vực (cũ)", parent=so, kind="hospital")
    old.active = False
    db.session.commit()
    return {"so": so, "bv": bv, "khoa": khoa, "ttyt": ttyt, "old": old}


def html(response) -> str:
    return response.get_data(as_text=True)


def codes(response) -> list[str]:
    assert response.status_code == 200, html(response)[:300]
    return [item["code"] for item in response.json]


# --- the lookup -------------------------------------------------------------------------------------------

def test_lookup_finds_a_unit_without_diacritics_by_words_or_by_code(client, login_as, tree):
    login_as("staff")
    found = client.get("/units/lookup", query_string={"q": "benh vien da khoa"}).json
    assert [u["code"] for u in found] == ["BVDK"]  # the closed one is left out
    assert found[0] == {"code": "BVDK", "name": "Bệnh viện Đa khoa tỉnh", "path": "Sở Y tế tỉnh Lai Châu",
                        "depth": 1, "active": True}
    assert codes(client.get("/units/lookup?q=da+khoa")) == ["BVDK"]  # a word inside the name
    assert codes(client.get("/units/lookup?q=Đa Khoa")) == ["BVDK"]  # with diacritics and capitals
    assert codes(client.get("/units/lookup?q=noi tong")) == ["BVDK-NOI"]
    deep = client.get("/units/lookup?q=noi tong").json[0]
    assert deep["path"] == "Sở Y tế tỉnh Lai Châu › Bệnh viện Đa khoa tỉnh" and deep["depth"] == 2
    # by code: the exact code first, then the codes that start with it
    assert codes(client.get("/units/lookup?q=bvdk")) == ["BVDK", "BVDK-NOI"]
    assert codes(client.get("/units/lookup?q=khoa noi")) == ["BVDK-NOI"]  # every word, in any order
    assert codes(client.get("/units/lookup?q=xyz")) == []
    assert codes(client.get("/units/lookup?q=")) == []
    assert codes(client.get("/units/lookup?q=%25")) == []  # a LIKE wildcard is a character, not "anything"


def test_lookup_leaves_out_closed_units_unless_asked(client, login_as, tree):
    login_as("staff")
    assert "BVDK-CU" not in codes(client.get("/units/lookup?q=khu vuc"))
    asked = client.get("/units/lookup?q=khu vuc&inactive=1").json
    assert [u["code"] for u in asked] == ["BVDK-CU"] and asked[0]["active"] is False


def test_lookup_answers_at_most_twenty_units(client, login_as, db, tree):
    for n in range(25):
        factories.unit(code=f"TYT-{n:02d}", name=f"Trạm Y tế xã số {n}", parent=tree["ttyt"], kind="station")
    db.session.commit()
    login_as("staff")
    found = codes(client.get("/units/lookup?q=tram y te"))
    assert len(found) == picker.LOOKUP_LIMIT == 20 and len(set(found)) == 20


def test_lookup_reads_in_a_few_statements_whatever_the_number_of_matches(app, client, login_as, db, tree):
    for n in range(15):
        factories.unit(code=f"K-{n:02d}", name=f"Khoa Nội số {n}", parent=tree["bv"], kind="division")
    db.session.commit()
    login_as("unit_officer", unit=tree["so"])
    statements = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        found = client.get("/units/lookup?q=khoa noi&scope=writable").json
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert len(found) == 16 and all(u["path"].endswith("Bệnh viện Đa khoa tỉnh") for u in found)
    # the user and their session, the matches, their ancestors: not one statement per unit found
    assert len(statements) <= 8, statements


def test_lookup_keeps_to_the_users_scope(client, login_as, tree):
    login_as("unit_officer", unit=tree["bv"])
    assert codes(client.get("/units/lookup?q=bvdk&scope=writable")) == ["BVDK", "BVDK-NOI"]
    assert codes(client.get("/units/lookup?q=muong te&scope=writable")) == []  # another hospital's centre
    assert codes(client.get("/units/lookup?q=muong te&scope=readable")) == []
    assert codes(client.get("/units/lookup?q=muong te")) == ["TTYT-MT"]  # scope=all: every unit's name is public


def test_lookup_for_a_council_member_reads_everything_and_writes_nothing(client, login_as, tree):
    login_as("council_member")
    assert codes(client.get("/units/lookup?q=muong te&scope=readable")) == ["TTYT-MT"]
    assert codes(client.get("/units/lookup?q=muong te&scope=writable")) == []


def test_lookup_refuses_a_visitor_and_a_bad_scope_in_json(client, login_as, tree):
    anonymous = client.get("/units/lookup?q=benh vien")
    assert anonymous.status_code == 401 and anonymous.json["error"]["message"] == "Hãy đăng nhập để tìm đơn vị."
    login_as("staff")
    bad = client.get("/units/lookup?q=benh vien&scope=everything")
    assert bad.status_code == 400 and "Phạm vi tìm đơn vị không hợp lệ" in bad.json["error"]["message"]
    assert "scope" in bad.json["error"]["fields"]


# --- reading what was typed ---------------------------------------------------------------------------------

def test_what_a_multi_unit_field_reads():
    assert picker.codes_of(["BVA", "BVB"]) == ["BVA", "BVB"]  # repeated values (the old checkboxes)
    assert picker.codes_of(["BVA, BVB;BVC\nBVD  BVE"]) == ["BVA", "BVB", "BVC", "BVD", "BVE"]
    assert picker.codes_of(["Bệnh viện Đa khoa tỉnh, cơ sở 2 (BVDK2)\nBVA\nBVA"]) == ["BVDK2", "BVA"]
    assert picker.codes_of(["Bệnh viện A (BVA), Bệnh viện B (BVB) BVC"]) == ["BVA", "BVB", "BVC"]
    assert picker.codes_of(["", "  "]) == []
    assert picker.code_of("Bệnh viện Đa khoa tỉnh (BVDK)") == "BVDK" and picker.code_of(" BVDK ") == "BVDK"


# --- the unit and person forms ----------------------------------------------------------------------------

def test_unit_form_takes_a_typed_parent_and_names_an_unknown_one(client, login_as, post, db, tree):
    login_as("staff")
    made = post("/units/new", {"code": "BVDK-NGOAI", "name": "Khoa Ngoại", "kind": "division",
                               "parent_code": "Bệnh viện Đa khoa tỉnh (BVDK)"})
    assert made.status_code == 302 and queries.unit_by_code("BVDK-NGOAI").parent.code == "BVDK"
    unknown = post("/units/new", {"code": "X1", "name": "Khoa X", "parent_code": "BVKHONGCO", "kind": "division"})
    assert unknown.status_code == 400 and queries.unit_by_code("X1") is None
    assert "Không có đơn vị mã “BVKHONGCO”" in html(unknown) and 'id="parent_code-chosen"' in html(unknown)
    assert 'value="BVKHONGCO"' in html(unknown)  # what was typed stays in the box
    closed = post("/units/new", {"code": "X2", "name": "Khoa Y", "parent_code": "BVDK-CU", "kind": "division"})
    assert closed.status_code == 400 and "đã ngừng hoạt động" in html(closed) and queries.unit_by_code("X2") is None


def test_unit_edit_shows_the_parent_by_name_and_place(client, login_as, post, tree):
    login_as("staff")
    page = html(client.get("/units/BVDK-NOI/edit"))
    assert 'value="Bệnh viện Đa khoa tỉnh (BVDK)"' in page
    assert "Bệnh viện Đa khoa tỉnh (BVDK) — Sở Y tế tỉnh Lai Châu" in page  # the chosen unit and where it sits
    moved = post("/units/BVDK-NOI/edit", {"name": "Khoa Nội tổng hợp", "parent_code": "TTYT-MT", "kind": "division",
                                          "active": "y"})
    assert moved.status_code == 302 and queries.unit_by_code("BVDK-NOI").parent.code == "TTYT-MT"
    # the service still refuses a parent below the unit itself, on the field
    loop = post("/units/SYT/edit", {"name": "Sở Y tế tỉnh Lai Châu", "parent_code": "BVDK", "kind": "other",
                                    "active": "y"})
    assert loop.status_code == 400 and "Không thể chuyển đơn vị vào chính nó" in html(loop)
    assert queries.unit_by_code("SYT").parent is None


def test_person_form_takes_a_typed_unit(client, login_as, post, tree):
    login_as("staff")
    person = {"full_name": "Lê Thị Mai", "gender": "female", "ethnicity": "Kinh"}
    made = post("/people/new", {**person, "code": "M1", "unit_code": "Khoa Nội tổng hợp (BVDK-NOI)"})
    assert made.status_code == 302 and queries.person_by_code("M1").unit.code == "BVDK-NOI"
    unknown = post("/people/new", {**person, "code": "M2", "unit_code": "KHOA-X"})
    assert unknown.status_code == 400 and "Không có đơn vị mã “KHOA-X”" in html(unknown)
    assert queries.person_by_code("M2") is None
    edit = html(client.get("/people/M1/edit"))
    assert 'value="Khoa Nội tổng hợp (BVDK-NOI)"' in edit
    assert "Sở Y tế tỉnh Lai Châu › Bệnh viện Đa khoa tỉnh" in edit


def test_a_unit_outside_the_officers_scope_is_refused_by_the_page_and_the_api(client, login_as, post, api, tree):
    login_as("unit_officer", unit=tree["bv"])
    person = {"full_name": "Lê Thị Mai", "gender": "female", "ethnicity": "Kinh"}
    refused = post("/people/new", {**person, "code": "X1", "unit_code": "TTYT-MT"})
    assert refused.status_code == 403 and queries.person_by_code("X1") is None
    assert "Bạn không được chọn đơn vị “Trung tâm Y tế huyện Mường Tè” (TTYT-MT)" in html(refused)
    assert 'name="full_name"' in html(refused)  # the form again, with what was typed
    page = html(client.get("/people/new"))
    assert 'value="BVDK-NOI"' in page and 'value="TTYT-MT"' not in page  # the suggestions: their own units only
    officer = api.as_("unit_officer", unit=tree["bv"])
    by_api = officer.post("/api/v1/people", json={"code": "X2", "full_name": "Lê Thị Mai", "gender": "female",
                                                  "birth_date": "1990-01-01", "unit_code": "TTYT-MT"})
    assert by_api.status_code == 403 and queries.person_by_code("X2") is None


def test_people_filter_reads_a_typed_unit(client, login_as, db, tree):
    factories.person(code="K001", full_name="Người Khoa Nội", unit=tree["khoa"])
    factories.person(code="T001", full_name="Người Mường Tè", unit=tree["ttyt"])
    db.session.commit()
    login_as("staff")
    page = html(client.get("/people", query_string={"unit": "Bệnh viện Đa khoa tỉnh (BVDK)"}))
    assert "Người Khoa Nội" in page and "Người Mường Tè" not in page
    assert 'value="Bệnh viện Đa khoa tỉnh (BVDK)"' in page
    assert "Không có đơn vị mã “NOPE”" in html(client.get("/people?unit=NOPE"))


# --- the pages stay small --------------------------------------------------------------------------------------

@pytest.fixture
def big_tree(db):
    """A Sở, 12 hospitals, each with 25 departments: 313 units."""
    so = factories.unit(code="SYT", name="Sở Y tế", kind="department_of_health")
    for h in range(12):
        hospital = factories.unit(code=f"BV{h:02d}", name=f"Bệnh viện số {h}", parent=so, kind="hospital")
        for d in range(25):
            factories.unit(code=f"BV{h:02d}-K{d:02d}", name=f"Khoa sâu {h}-{d}", parent=hospital, kind="division")
    db.session.commit()


@pytest.mark.parametrize("path", ["/units/new", "/units/BV00/edit", "/people/new", "/people", "/clusters/new",
                                  "/council/councils/new", "/campaigns/new", "/nominations/bulk"])
def test_forms_do_not_carry_every_unit(client, login_as, big_tree, path):
    login_as("staff")
    response = client.get(path)
    page = html(response)
    assert response.status_code == 200
    assert "Bệnh viện số 11" in page or "nominations" in path  # the top two levels are suggested
    assert "Khoa sâu" not in page, "a department three levels down is found by typing, not shipped with the page"
    assert len(response.data) < 40_000, len(response.data)


def test_public_archive_filter_suggests_the_top_levels_only(client, big_tree):
    response = client.get("/public/archive")
    page = html(response)
    assert response.status_code == 200 and "Bệnh viện số 11" in page and "Khoa sâu" not in page
    assert "data-unit-picker=\"\"" in page  # a visitor's page asks no lookup (it needs a sign-in)
    filtered = html(client.get("/public/archive", query_string={"unit": "Bệnh viện số 3 (BV03)"}))
    assert 'value="Bệnh viện số 3 (BV03)"' in filtered


def test_people_list_reads_its_rows_at_once_after_logging_the_read(app, client, login_as, db, tree):
    """The list logs the sensitive read and commits, which expires its rows: they are read again in one statement
    (it took one per person, 51 for a page of 50, at 1/10 scale)."""
    from tests.web import count_statements

    for n in range(40):
        factories.person(code=f"N{n:03d}", full_name=f"Nguyễn Văn Số {n}", unit=(tree["khoa"], tree["ttyt"])[n % 2])
    db.session.commit()
    login_as("staff")
    count, page = count_statements(app, client, "/people")
    assert "Nguyễn Văn Số 39" in page and "Khoa Nội tổng hợp — Bệnh viện Đa khoa tỉnh" in page
    assert count <= 16, count
