"""A dossier names the route it takes (issue 17: "đạt một trong các tiêu chuẩn") and shows both regimes it lives
under: the substance by its achievement year, the procedure by the day it was received (NĐ 152/2025 Art 60.3)."""

from datetime import datetime

import pytest

from awards.core import clock
from awards.nominations.models import Nomination

DOSSIER = {"subject_type": "person", "subject_code": "CB1", "award_code": "BK_TINH", "year": 2025}


@pytest.mark.parametrize(("kind", "route"), [
    pytest.param("regular", "chain", id="regular-chain-Luat2022-Dieu74.1.d"),
    pytest.param("thematic", "campaign", id="thematic-campaign-Luat2022-Dieu74.1"),
    pytest.param("adhoc", "adhoc", id="adhoc-Luat2022-Dieu74.1-dot-xuat"),
])
def test_the_route_defaults_from_the_kind(setting, kind, route):
    body = setting["unit_officer"].post("/api/v1/nominations", json={**DOSSIER, "kind": kind}).json
    assert body["route"] == route


def test_a_named_route_is_kept_and_a_wrong_one_refused(setting, db):
    officer = setting["unit_officer"]
    created = officer.post("/api/v1/nominations", json={**DOSSIER, "route": "contribution"})
    assert created.status_code == 201 and created.json["route"] == "contribution"
    assert officer.get(f"/api/v1/nominations/{created.json['id']}").json["route"] == "contribution"
    wrong = officer.post("/api/v1/nominations", json={**DOSSIER, "award_code": "LDTT", "route": "luck"})
    assert wrong.status_code == 400 and "route" in wrong.json["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count(Nomination.id))) == 1


def test_the_two_regimes_of_a_2023_achievement_received_in_2026(setting, at):
    at(datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM))
    officer = setting["unit_officer"]
    body = officer.post("/api/v1/nominations", json={**DOSSIER, "year": 2023}).json
    assert body["received_on"] is None  # a draft: not received yet
    assert "NĐ 91/2017" in body["substance_basis"]
    assert "NĐ 152/2025" in body["procedure_basis"] and "Điều 60 khoản 3" in body["procedure_basis"]


def test_the_dossier_page_shows_route_and_both_regimes(client, login_as, setting, db):
    user = login_as("staff")
    from awards.nominations import services

    dossier = services.create_nomination(**DOSSIER, kind="adhoc", by=user)
    db.session.commit()
    page = client.get(f"/nominations/{dossier.id}").get_data(as_text=True)
    assert "Thành tích đột xuất" in page
    assert "Nội dung (thành tích năm 2025)" in page and "Thủ tục (hồ sơ nhận ngày" in page
