"""The council form's unit is typed (issue 21: the unit picker replaced a select of every unit): by code or
"Name (CODE)"; an unknown unit is named on the field, nothing saved, and the service refuses it too."""

import pytest

from awards.core.db import DomainError
from awards.council import queries, services
from awards.units import queries as units_queries
from tests import factories
from tests.web import text_of, token_of, web


@pytest.fixture
def setup(app, db):
    top = factories.unit(code="SYT", name="Sở Y tế")
    factories.unit(code="BV2", name="Bệnh viện 2", parent=top, kind="hospital")
    chair = factories.user("council_member", full_name="Lê Văn Chủ Tịch")
    staff = factories.user("staff")
    db.session.commit()
    return web(app, staff), chair, staff


def test_council_unit_typed_by_name_and_code(db, setup):
    client, chair, _staff = setup
    url = "/council/councils/new"
    data = {"csrf_token": token_of(client, url), "code": "HD-BV2", "name": "Hội đồng TĐKT Bệnh viện 2",
            "chair_username": chair.username, "seats": "", "recusal_scope": "unit"}
    unknown = client.post(url, data={**data, "unit_code": "BV-KHONG"})
    assert unknown.status_code == 400 and "Không có đơn vị mã “BV-KHONG”" in text_of(unknown)
    assert queries.council_by_code("HD-BV2") is None
    made = client.post(url, data={**data, "unit_code": "Bệnh viện 2 (BV2)"})
    assert made.status_code == 302, text_of(made)[:2000]
    assert queries.council_by_code("HD-BV2").unit.code == "BV2"
    edit = text_of(client.get("/council/councils/HD-BV2/edit"))
    assert 'value="Bệnh viện 2 (BV2)"' in edit and "Bệnh viện 2 (BV2) — Sở Y tế" in edit
    with pytest.raises(DomainError) as refused:  # the service's own door
        services.save_council(code="HD-X", name="Hội đồng X", unit_code="BV-KHONG", chair_username=chair.username,
                              members=[], by=setup[2])
    assert refused.value.field == "unit_code"


def test_council_form_reads_its_accounts_units_at_once(app, db, setup):
    """The form names each account it lists (its chair and seats: the account picker, tests/council/
    test_account_picker.py) with its person's unit and the unit above it: one statement for all of them, not two lazy
    loads per unit."""
    from tests.web import count_statements

    client, chair, staff = setup
    top = units_queries.unit_by_code("SYT")
    seats = []
    for n in range(12):
        hospital = factories.unit(code=f"BVX{n}", name=f"Bệnh viện huyện {n}", parent=top, kind="hospital")
        ward = factories.unit(code=f"BVX{n}-K", name=f"Khoa Nội {n}", parent=hospital)
        person = factories.person(code=f"TVX{n}", full_name=f"Thành viên {n}", unit=ward)
        seats.append((factories.user("council_member", person=person, full_name=f"Thành viên {n}").username, "member"))
    services.save_council(code="HD-SYT", name="Hội đồng Sở Y tế", unit_code="SYT", chair_username=chair.username,
                          members=seats, by=staff)
    db.session.commit()
    count, page = count_statements(app, client, "/council/councils/HD-SYT/edit")
    assert "Khoa Nội 11 — Bệnh viện huyện 11" in page
    assert count <= 12, count


def test_the_councils_list_reads_a_page_of_councils_in_the_same_statements_whatever_their_number(app, db, setup):
    """Each row names the chair, the members not bound to a person and the unit with the one above it: 2 councils
    or 8 councils of departments, the same statements (45 for a province's page before: members and units per row)."""
    from tests.web import count_statements

    client, chair, staff = setup
    top = units_queries.unit_by_code("SYT")

    def councils(n):
        for i in range(n):
            hospital = factories.unit(code=f"BVC{n}{i}", name=f"Bệnh viện {n}-{i}", parent=top, kind="hospital")
            ward = factories.unit(code=f"BVC{n}{i}-K", name=f"Khoa Ngoại {n}-{i}", parent=hospital)
            services.save_council(code=f"HD-{n}-{i}", name=f"Hội đồng khoa {n}-{i}", unit_code=ward.code,
                                  chair_username=chair.username, members=[], by=staff)
        db.session.commit()
        return count_statements(app, client, "/council/councils")

    few, page = councils(2)
    assert "Khoa Ngoại 2-1 — Bệnh viện 2-1" in page and chair.full_name in page
    many, page = councils(6)
    assert "Khoa Ngoại 6-5 — Bệnh viện 6-5" in page
    assert many == few, (few, many)
