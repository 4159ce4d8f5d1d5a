"""Awards at every level (issue 18, CONTRACT §5): awarding units, their competence, and a secretariat bound to a
unit acting on what its level handles only. Two hospitals and a Sở."""

from datetime import date, datetime

import pytest

from awards.catalog.types import DEFAULTS
from awards.core import clock
from awards.council import services as council_services
from awards.council import voting
from awards.extensions import db as _db
from awards.units import competence
from tests import factories


class Province:
    """The Sở (deciding, the top), hospitals A and B (deciding, own secretariats), a ward of A (not deciding)."""

    def __init__(self, api):
        self.api = api
        admin = api.as_("admin")
        self.admin = admin
        for unit in ({"code": "SYT", "name": "Sở Y tế tỉnh Thái An"},
                     {"code": "BVA", "name": "Bệnh viện Đa khoa A", "parent_code": "SYT", "kind": "hospital",
                      "decides_awards": True},
                     {"code": "BVB", "name": "Bệnh viện Sản – Nhi B", "parent_code": "SYT", "kind": "hospital",
                      "decides_awards": True},
                     {"code": "BVA-NOI", "name": "Khoa Nội", "parent_code": "BVA", "kind": "division"}):
            response = admin.post("/api/v1/units", json=unit)
            assert response.status_code == 201, response.json
        from awards.units.queries import unit_by_code
        self.units = {code: unit_by_code(code) for code in ("SYT", "BVA", "BVB", "BVA-NOI")}
        self.staff_a = api.as_("staff", unit=self.units["BVA"])
        self.staff_b = api.as_("staff", unit=self.units["BVB"])
        self.central = api.as_("staff")  # the Sở's desk before issue 18: no unit, acts everywhere

    def dossier(self, unit_code, award="LDTT", status="appraised", by=None):
        subject = factories.person(unit=self.units[unit_code])
        dossier = factories.nomination(subject, award, status=status, by=by or self.central.user)
        _db.session.commit()
        return dossier


@pytest.fixture
def province(api, db, at):
    at(datetime(2026, 3, 2, 9, 0, tzinfo=clock.VIETNAM))
    return Province(api)


def test_defaults_cover_the_catalogue_and_cite_art_80():
    assert set(DEFAULTS) == competence.KNOWN
    assert competence.default_award_codes() == ["CSTDCS", "GIAY_KHEN", "LDTT", "TTLDTT"]
    assert all(competence.basis_of(code) == "Luật TĐKT 2022, Điều 80 khoản 1"
               for code in competence.default_award_codes())
    assert competence.level_outside("BK_TINH").startswith("Chủ tịch UBND tỉnh")
    assert competence.level_outside("HCLD3").startswith("Chủ tịch nước")


def test_units_say_who_decides_and_their_competence(province):
    admin = province.admin
    top = admin.get("/api/v1/units/SYT").json
    assert top["decides_awards"] is True and top["awarding_unit_code"] == "SYT"
    ward = admin.get("/api/v1/units/BVA-NOI").json
    assert ward["decides_awards"] is False and ward["awarding_unit_code"] == "BVA"
    assert admin.get("/api/v1/units/BVA/competence").json == {"award_codes": ["CSTDCS", "GIAY_KHEN", "LDTT",
                                                                               "TTLDTT"]}
    assert admin.get("/api/v1/units/BVA-NOI/competence").json == {"award_codes": []}


def _put(api_client, path, body):
    """PUT with the user's token (the api fixture's client speaks GET and POST)."""
    from flask import current_app
    return current_app.test_client().put(path, json=body, headers={"Authorization": f"Bearer {api_client.token}"})


def test_only_admin_edits_a_competence_table(province):
    assert _put(province.staff_a, "/api/v1/units/BVA/competence", {"award_codes": ["LDTT"]}).status_code == 403
    assert _put(province.central, "/api/v1/units/BVA/competence", {"award_codes": ["LDTT"]}).status_code == 403
    unknown = _put(province.admin, "/api/v1/units/BVA/competence", {"award_codes": ["KHONG_CO"]})
    assert unknown.status_code == 400 and "KHONG_CO" in unknown.get_data(as_text=True)
    done = _put(province.admin, "/api/v1/units/BVA/competence", {"award_codes": ["LDTT", "GIAY_KHEN"]})
    assert done.status_code == 200 and done.json == {"award_codes": ["GIAY_KHEN", "LDTT"]}
    assert province.admin.get("/api/v1/units/BVA/competence").json == {"award_codes": ["GIAY_KHEN", "LDTT"]}


def test_a_dossier_is_handled_by_its_units_awarding_unit(province):
    ward = province.dossier("BVA-NOI", status="draft")
    top = province.dossier("SYT", status="draft")
    assert province.central.get(f"/api/v1/nominations/{ward.id}").json["handling_unit_code"] == "BVA"
    assert province.central.get(f"/api/v1/nominations/{top.id}").json["handling_unit_code"] == "SYT"


def test_each_hospitals_desk_sees_and_acts_on_its_own_dossiers_only(province, client, login_as):
    mine = province.dossier("BVA-NOI", status="submitted")
    theirs = province.dossier("BVB", status="submitted")
    # the API: B's desk gets 403 on A's dossier (read, appraise, return); A's desk appraises it
    b = province.staff_b
    assert b.get(f"/api/v1/nominations/{mine.id}").status_code == 403
    assert b.post(f"/api/v1/nominations/{mine.id}/appraise", json={"result": "fail"}).status_code == 403
    assert b.post(f"/api/v1/nominations/{mine.id}/return", json={"reason": "Thiếu báo cáo"}).status_code == 403
    listed = b.get("/api/v1/nominations").json["items"]
    assert [n["id"] for n in listed] == [theirs.id]
    returned = province.staff_a.post(f"/api/v1/nominations/{mine.id}/return", json={"reason": "Bổ sung minh chứng"})
    assert returned.status_code == 200 and returned.json["status"] == "returned"
    # the pages: A's queue lists A's dossiers only; B's appraisal page of A's dossier is 403
    province.dossier("BVA", status="submitted")
    login_as("staff", unit=province.units["BVB"])
    queue = client.get("/nominations/queue").get_data(as_text=True)
    assert f"/nominations/{theirs.id}/appraise" in queue
    assert f"/nominations/{mine.id}/" not in queue
    assert client.get(f"/nominations/{mine.id}/appraise").status_code == 403
    assert client.get(f"/nominations/{mine.id}").status_code == 403
    assert client.get(f"/nominations/{theirs.id}/appraise").status_code == 200


def test_a_bulk_appraisal_is_refused_across_levels(province):
    from awards.core.db import DomainError
    from awards.nominations import services

    mine = province.dossier("BVA", status="submitted")
    with pytest.raises(DomainError) as refused:
        services.appraise_many([mine.id], note="", by=province.staff_b.user)
    assert refused.value.status == 403


def _passed_by_hospital_council(province, dossiers):
    """Hospital A's own council (its people) passes the dossiers."""
    member = factories.user("council_member")
    council = council_services.save_council(code="HD-BVA", name="Hội đồng Thi đua – Khen thưởng Bệnh viện A",
                                            unit_code="BVA", chair_username=member.username, members=[],
                                            by=province.staff_a.user)
    closes = datetime(2026, 3, 9, 17, 0, tzinfo=clock.VIETNAM)
    session = council_services.create_session(council=council, title="Phiên xét năm 2025",
                                              nomination_ids=[d.id for d in dossiers], closes_at=closes,
                                              by=province.staff_a.user)
    voting.open_session(session, by=province.staff_a.user)
    voting.cast_ballot(session, votes={d.id: "yes" for d in dossiers}, by=member)
    voting.close_session(session, by=province.staff_a.user)
    _db.session.commit()
    return council


def test_a_hospital_decides_its_cstdcs_in_its_own_name(province, at):
    dossier = province.dossier("BVA-NOI", "CSTDCS", by=province.staff_a.user)
    _passed_by_hospital_council(province, [dossier])
    at(datetime(2026, 3, 20, 9, 0, tzinfo=clock.VIETNAM))
    response = province.staff_a.post("/api/v1/decisions", json={
        "number": "15/QĐ-BVA", "signed_on": date(2026, 3, 20).isoformat(), "signer": "Giám đốc Bệnh viện A",
        "issuer": "Bệnh viện Đa khoa A", "nomination_ids": [dossier.id]})
    assert response.status_code == 201, response.json
    assert response.json["unit_code"] == "BVA"
    assert province.staff_a.get(f"/api/v1/nominations/{dossier.id}").json["status"] == "awarded"


def test_a_council_takes_only_what_its_level_handles(province):
    from awards.core.db import DomainError

    theirs = province.dossier("BVB", "CSTDCS", by=province.staff_b.user)
    with pytest.raises(DomainError) as refused:
        _passed_by_hospital_council(province, [theirs])
    assert "Bệnh viện Sản – Nhi B" in refused.value.message and "Bệnh viện Đa khoa A" in refused.value.message


def test_a_hospital_cannot_decide_a_provincial_award_nor_another_hospitals(province):
    bk = province.dossier("BVA", "BK_TINH", by=province.staff_a.user)
    body = {"number": "16/QĐ-BVA", "signed_on": "2026-03-02", "signer": "Giám đốc Bệnh viện A",
            "issuer": "Bệnh viện Đa khoa A", "nomination_ids": [bk.id]}
    refused = province.staff_a.post("/api/v1/decisions", json=body)
    assert refused.status_code == 409
    message = refused.get_data(as_text=True)
    assert "Bằng khen cấp tỉnh" in message and "Chủ tịch UBND tỉnh" in message
    # the central desk naming hospital A is refused alike
    assert province.central.post("/api/v1/decisions", json={**body, "unit_code": "BVA"}).status_code == 409
    # B's desk cannot issue in A's name, nor decide A's dossier in its own
    ldtt = province.dossier("BVA", "LDTT", by=province.staff_a.user)
    other = {**body, "number": "17/QĐ-BVB", "nomination_ids": [ldtt.id]}
    assert province.staff_b.post("/api/v1/decisions", json={**other, "unit_code": "BVA"}).status_code == 403
    wrong = province.staff_b.post("/api/v1/decisions", json=other)
    assert wrong.status_code == 409 and "không do Bệnh viện Sản – Nhi B xử lý" in wrong.get_data(as_text=True)


def test_a_provincial_award_above_a_hospital_names_the_so_when_it_decides_it(province):
    _put(province.admin, "/api/v1/units/SYT/competence",
         {"award_codes": ["BK_TINH", "CSTDCS", "GIAY_KHEN", "LDTT", "TTLDTT"]})
    bk = province.dossier("BVA", "BK_TINH", by=province.staff_a.user)
    refused = province.staff_a.post("/api/v1/decisions", json={
        "number": "18/QĐ-BVA", "signed_on": "2026-03-02", "signer": "Giám đốc", "issuer": "Bệnh viện Đa khoa A",
        "nomination_ids": [bk.id]})
    assert refused.status_code == 409 and "Sở Y tế tỉnh Thái An" in refused.get_data(as_text=True)


def test_the_admin_marks_a_unit_as_deciding_on_its_page(province, client, login_as, csrf_token):
    login_as("admin")
    page = client.get("/units/BVA-NOI").get_data(as_text=True)
    assert "Hồ sơ khen thưởng do Bệnh viện Đa khoa A xét." in page
    form = client.get("/units/BVA-NOI/edit").get_data(as_text=True)
    assert "Có thẩm quyền khen thưởng" in form
    saved = client.post("/units/BVA-NOI/edit", data={
        "csrf_token": csrf_token("/units/BVA-NOI/edit"), "name": "Khoa Nội", "parent_code": "BVA",
        "kind": "division", "active": "y", "decides_awards": "y"})
    assert saved.status_code == 302
    assert "Có thẩm quyền khen thưởng: tự xét hồ sơ" in client.get("/units/BVA-NOI").get_data(as_text=True)
    assert province.admin.get("/api/v1/units/BVA-NOI/competence").json["award_codes"] == [
        "CSTDCS", "GIAY_KHEN", "LDTT", "TTLDTT"]


def test_staff_do_not_see_nor_change_who_decides(province, client, login_as, csrf_token):
    login_as("staff")
    assert "Có thẩm quyền khen thưởng (" not in client.get("/units/BVA-NOI/edit").get_data(as_text=True)
    client.post("/units/BVA-NOI/edit", data={
        "csrf_token": csrf_token("/units/BVA-NOI/edit"), "name": "Khoa Nội", "parent_code": "BVA",
        "kind": "division", "active": "y", "decides_awards": "y"})
    assert province.admin.get("/api/v1/units/BVA-NOI").json["decides_awards"] is False
