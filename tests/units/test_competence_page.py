"""The admin's competence page (issue 18): a deciding unit's table of awards as checkboxes with each default's
article, saved through the same service as PUT /api/v1/units/<code>/competence; what a unit decides shows on its
page; a change is what decides() and POST /decisions then read."""

import pytest
from sqlalchemy import select

from awards.core.audit import AuditEntry
from awards.core.db import DomainError
from awards.extensions import db as _db
from awards.units import queries, services
from tests import factories
from tests.units.test_levels import Province, _put
from tests.web import text_of, token_of, web

PAGE = "/units/BVA/competence"


@pytest.fixture
def province(api, db, at):
    return Province(api)


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": token_of(client, path), **data})


def test_the_page_ticks_the_table_groups_by_kind_and_cites_each_default(app, province):
    admin = web(app, province.admin.user)
    html = text_of(admin.get(PAGE))
    for group in ("Danh hiệu thi đua cá nhân", "Danh hiệu thi đua tập thể", "Hình thức khen thưởng"):
        assert group in html
    for code in ("LDTT", "CSTDCS", "TTLDTT", "GIAY_KHEN"):
        assert f'value="{code}" id="award-{code}" checked' in html
    assert 'value="BK_TINH" id="award-BK_TINH" >' in html  # not ticked
    assert "Mặc định: đơn vị quyết định · Luật TĐKT 2022, Điều 80 khoản 1" in html
    assert "Mặc định: Chủ tịch UBND tỉnh (cấp tỉnh) quyết định" in html


def test_saving_and_restoring_go_through_the_service_and_are_audited(app, province):
    admin = web(app, province.admin.user)
    saved = _post(admin, PAGE, award_codes=["LDTT", "GIAY_KHEN", "TTLDXS"], submit="Lưu thẩm quyền")
    assert saved.status_code == 302
    bva = queries.unit_by_code("BVA")
    assert queries.competence_codes(bva) == ["GIAY_KHEN", "LDTT", "TTLDXS"]
    assert queries.decides(bva, "TTLDXS") and not queries.decides(bva, "CSTDCS")
    assert "Đã lưu thẩm quyền khen thưởng của Bệnh viện Đa khoa A." in text_of(admin.get(PAGE))
    entry = _db.session.scalars(select(AuditEntry).where(AuditEntry.action == "unit.competence")
                                .order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == province.admin.user.id and entry.after == {"award_codes": ["GIAY_KHEN", "LDTT",
                                                                                          "TTLDXS"]}
    restored = _post(admin, PAGE, award_codes=["LDTT"], restore="Khôi phục mặc định")
    assert restored.status_code == 302
    assert queries.competence_codes(bva) == ["CSTDCS", "GIAY_KHEN", "LDTT", "TTLDTT"]


def test_a_non_admin_is_refused_by_the_page_the_api_and_the_service(app, province):
    staff = web(app, province.central.user)
    assert staff.get(PAGE).status_code == 403
    csrf = token_of(staff, "/account")
    assert staff.post(PAGE, data={"csrf_token": csrf, "award_codes": ["LDTT"]}).status_code == 403
    assert _put(province.central, "/api/v1/units/BVA/competence", {"award_codes": ["LDTT"]}).status_code == 403
    with pytest.raises(DomainError) as refused:
        services.set_competence(queries.unit_by_code("BVA"), ["LDTT"], by=province.staff_a.user)
    assert refused.value.status == 403 and "Chỉ quản trị hệ thống" in refused.value.message
    assert queries.competence_codes(queries.unit_by_code("BVA")) == ["CSTDCS", "GIAY_KHEN", "LDTT", "TTLDTT"]


def test_unknown_codes_and_a_unit_that_does_not_decide_are_refused_on_both_doors(app, province):
    admin = web(app, province.admin.user)
    page = _post(admin, PAGE, award_codes=["LDTT", "KHONG_CO"], submit="Lưu thẩm quyền")
    assert page.status_code == 400
    assert "Không có danh hiệu, hình thức khen thưởng mã “KHONG_CO”." in text_of(page)
    api = _put(province.admin, "/api/v1/units/BVA/competence", {"award_codes": ["KHONG_CO"]})
    assert api.status_code == 400 and "KHONG_CO" in api.json["error"]["message"]
    ward = _post(admin, "/units/BVA-NOI/competence", award_codes=["LDTT"], submit="Lưu thẩm quyền")
    assert ward.status_code == 409 and "Khoa Nội không phải đơn vị có thẩm quyền khen thưởng" in text_of(ward)
    api = _put(province.admin, "/api/v1/units/BVA-NOI/competence", {"award_codes": ["LDTT"]})
    assert api.status_code == 409 and "không phải đơn vị có thẩm quyền" in api.json["error"]["message"]
    assert queries.competence_codes(queries.unit_by_code("BVA")) == ["CSTDCS", "GIAY_KHEN", "LDTT", "TTLDTT"]
    assert queries.competence_codes(queries.unit_by_code("BVA-NOI")) == []


def test_the_unit_page_says_what_it_decides_and_links_the_admin_to_the_table(app, province):
    officer = factories.user("unit_officer", unit=queries.unit_by_code("BVA"))
    _db.session.commit()
    html = text_of(web(app, officer).get("/units/BVA"))
    assert ("Đơn vị quyết định: Lao động tiên tiến, Chiến sĩ thi đua cơ sở, Tập thể lao động tiên tiến, "
            "Giấy khen.") in html
    assert PAGE not in html
    assert "Hồ sơ khen thưởng do Bệnh viện Đa khoa A xét." in text_of(web(app, officer).get("/units/BVA-NOI"))
    assert f'href="{PAGE}"' in text_of(web(app, province.admin.user).get("/units/BVA"))


def test_a_change_is_what_post_decisions_reads(app, province):
    dossier = province.dossier("BVA", "GIAY_KHEN", by=province.staff_a.user)
    body = {"number": "01/QĐ-BVA", "signed_on": "2026-03-02", "signer": "Giám đốc", "issuer": "Bệnh viện Đa khoa A",
            "nomination_ids": [dossier.id]}
    admin = web(app, province.admin.user)
    assert _post(admin, PAGE, award_codes=["LDTT", "CSTDCS", "TTLDTT"], submit="Lưu thẩm quyền").status_code == 302
    refused = province.staff_a.post("/api/v1/decisions", json=body)
    assert refused.status_code == 409
    assert "thuộc thẩm quyền của Sở Y tế tỉnh Thái An" in refused.json["error"]["message"]  # the Sở still decides it
    assert _post(admin, PAGE, restore="Khôi phục mặc định").status_code == 302
    issued = province.staff_a.post("/api/v1/decisions", json=body)
    assert issued.status_code == 201, issued.json
    assert issued.json["unit_code"] == "BVA"
