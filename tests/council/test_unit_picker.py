"""The council form's unit is typed (issue 21: the unit picker replaced a select of every unit): by code or
"Name (CODE)"; an unknown unit is named on the field, nothing saved, and the service refuses it too."""

import pytest

from awards.core.db import DomainError
from awards.council import queries, services
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
