"""A cluster year from pledge to leading unit through the services and the API, the Cờ thi đua checklist reading
the lead, the Excel scoring table, and copying the cluster into the next year."""

import io

import openpyxl
import pytest

from awards.archive import eligibility
from awards.clusters import queries, services
from awards.core.db import DomainError
from awards.units import services as units_services
from tests import factories
from tests.clusters.conftest import VOTED_ON, points, scored, unit


def test_a_year_from_pledge_to_leading_unit(db, cluster, province):
    staff = province
    officer_b = factories.user("unit_officer", unit=unit("BVB"))
    for code in ("BVA", "BVC"):
        services.sign_pledge(cluster, unit(code), signer_name=f"Giám đốc {code}", by=staff)
    assert cluster.status == "draft"
    services.sign_pledge(cluster, unit("BVB"), by=officer_b)  # the last signature locks the pledge
    assert cluster.status == "pledged"
    assert cluster.member_for(unit("BVB").id).signer_name == officer_b.full_name

    services.open_scoring(cluster, by=staff)
    services.submit_scores(cluster, unit("BVB"), "self", points(cluster, 10, 5, 10), by=officer_b)
    for code, values in (("BVA", (9, 5, 8)), ("BVB", (10, 4, 9)), ("BVC", (7.5, 5, 6))):
        services.submit_scores(cluster, unit(code), "cluster", points(cluster, *values), by=staff)
    services.rank_cluster(cluster, by=staff)
    table = {row.member.unit.code: row for row in queries.scoring_table(cluster)}
    assert table["BVB"].total == 2 * 10 + 4 + 1.5 * 9 == 37.5  # Σ weight × points
    assert table["BVB"].own_total == 2 * 10 + 5 + 1.5 * 10
    assert (table["BVB"].rank, table["BVA"].rank, table["BVC"].rank) == (1, 2, 3)

    vote = services.record_vote(cluster, voted_on=VOTED_ON, voters=3, counts={"BVB": (3, 0), "BVA": (1, 2)},
                                proposed_award_code="CO_TINH", by=staff)
    assert vote.leading_unit.code == "BVB" and vote.proposed_unit.code == "BVB"
    services.close_cluster(cluster, by=staff)
    db.session.commit()
    assert cluster.status == "closed"
    with pytest.raises(DomainError) as refused:  # a closed year is read-only
        services.record_vote(cluster, voted_on=VOTED_ON, voters=3, counts={"BVA": (3, 0)}, by=staff)
    assert refused.value.status == 409 and "đã kết thúc" in refused.value.message


def _led_by_bvb(db, cluster, staff):
    for code in ("BVA", "BVB", "BVC"):
        services.sign_pledge(cluster, unit(code), by=staff)
    scored(db, cluster, staff, {"BVA": (9, 5, 8), "BVB": (10, 5, 9), "BVC": (8, 5, 6)})
    services.rank_cluster(cluster, by=staff)
    services.record_vote(cluster, voted_on=VOTED_ON, voters=3, counts={"BVB": (3, 0)}, by=staff)
    db.session.commit()


def test_the_co_thi_dua_checklist_reads_the_cluster_lead(db, cluster, province):
    for code in ("BVA", "BVB", "BVX"):
        units_services.add_unit_evaluation(unit(code), year=2025, rating="excellent", by=None)
    _led_by_bvb(db, cluster, province)

    led = eligibility.checklist("unit", "BVB", "CO_TINH", 2025).line("leads_emulation_cluster")
    assert led.passed and not led.manual
    assert "Dẫn đầu cụm, khối thi đua “Cụm thi đua các bệnh viện tuyến tỉnh” năm 2025" in led.detail
    assert eligibility.checklist("unit", "BVB", "CO_TINH", 2025).eligible

    other = eligibility.checklist("unit", "BVA", "CO_TINH", 2025)  # in the cluster, not its leader
    assert not other.line("leads_emulation_cluster").passed and not other.eligible
    assert "Không dẫn đầu" in other.line("leads_emulation_cluster").detail

    outside = eligibility.checklist("unit", "BVX", "CO_TINH", 2025).line("leads_emulation_cluster")
    assert outside.manual and "chưa ghi nhận kết quả cụm, khối thi đua năm 2025" in outside.detail
    earlier = eligibility.checklist("unit", "BVB", "CO_TINH", 2024).line("leads_emulation_cluster")
    assert earlier.manual  # the lead of 2025 says nothing about 2024


def test_the_scoring_table_exported_to_excel_reads_back(db, cluster, province, login_as, client):
    _led_by_bvb(db, cluster, province)
    login_as("staff")
    response = client.get(f"/clusters/{cluster.id}/scores.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Cụm thi đua các bệnh viện tuyến tỉnh – năm 2025"
    header = rows[2]
    assert header[:3] == ["Xếp hạng", "Mã đơn vị", "Đơn vị"] and header[-1] == "Tổng điểm cụm, khối chấm"
    first = rows[3]
    assert first[:3] == [1, "BVB", "Bệnh viện B"] and first[-1] == 2 * 10 + 5 + 1.5 * 9
    assert [r[1] for r in rows[3:6]] == ["BVB", "BVA", "BVC"]
    assert rows[-2][:2] == ["Đơn vị dẫn đầu", "Bệnh viện B"]


def test_copy_into_the_next_year_rotates_the_leader(db, cluster, province):
    copy = services.copy_to_next_year(cluster, by=province)
    db.session.commit()
    assert (copy.year, copy.status, copy.leader.code, copy.previous_id) == (2026, "draft", "BVB", cluster.id)
    assert [u.code for u in copy.member_units] == ["BVA", "BVB", "BVC"]
    assert [(c.text, c.weight, c.max_points) for c in copy.criteria] == [
        (c.text, c.weight, c.max_points) for c in cluster.criteria]
    with pytest.raises(DomainError) as again:
        services.copy_to_next_year(cluster, by=province)
    assert again.value.status == 409


def test_the_pledge_locks_once_signed_by_all(db, cluster, province):
    for code in ("BVA", "BVB", "BVC"):
        services.sign_pledge(cluster, unit(code), by=province)
    with pytest.raises(DomainError) as locked:
        services.set_criteria(cluster, [{"text": "Khác", "weight": 1, "max_points": 10}], by=province)
    assert locked.value.status == 409 and "đã khóa" in locked.value.message


def test_a_tie_is_voted_again(db, cluster, province):
    scored(db, cluster, province, {"BVA": (9, 5, 8), "BVB": (9, 5, 8), "BVC": (8, 5, 6)})
    services.rank_cluster(cluster, by=province)
    table = queries.scoring_table(cluster)
    assert [row.rank for row in table] == [1, 1, 3]  # equal totals share a rank
    with pytest.raises(DomainError) as tie:
        services.record_vote(cluster, voted_on=VOTED_ON, voters=3, counts={"BVA": (2, 1), "BVB": (2, 1)},
                             by=province)
    assert tie.value.status == 409 and "bình bầu lại" in tie.value.message


def test_the_api_runs_a_year(db, province, api):
    staff = api.as_("staff")
    made = staff.post("/api/v1/clusters", json={
        "name": "Khối các trung tâm", "kind": "block", "year": 2025, "member_codes": ["BVA", "BVB"],
        "leader_code": "BVA", "criteria": [{"group": "", "text": "Chỉ tiêu", "weight": 1, "max_points": 10}]})
    assert made.status_code == 201, made.json
    cid, criterion = made.json["id"], made.json["criteria"][0]["id"]
    for action in ("open_scoring",):
        assert staff.post(f"/api/v1/clusters/{cid}/actions", json={"action": action}).status_code == 200
    for code, value in (("BVA", 8), ("BVB", 9.5)):
        answer = staff.post(f"/api/v1/clusters/{cid}/scores", json={
            "unit_code": code, "kind": "cluster", "points": [{"criterion_id": criterion, "points": value}]})
        assert answer.status_code == 200, answer.json
    assert staff.post(f"/api/v1/clusters/{cid}/actions", json={"action": "rank"}).json["status"] == "ranked"
    voted = staff.post(f"/api/v1/clusters/{cid}/vote", json={
        "voted_on": "2026-01-10", "voters": 2, "counts": [{"unit_code": "BVB", "votes_for": 2, "votes_against": 0}],
        "proposed_award_code": "BK_TINH"})
    assert voted.status_code == 200, voted.json
    body = voted.json
    assert body["vote"]["leading_unit_code"] == "BVB" and body["vote"]["proposed_award_code"] == "BK_TINH"
    assert [(r["unit_code"], r["rank"], r["total"]) for r in body["ranking"]] == [("BVB", 1, 9.5), ("BVA", 2, 8)]


def test_opening_the_scoring_tells_the_member_units(db, cluster, province):
    from awards.notifications.models import Notification

    inside, outside = (factories.user("unit_officer", unit=unit(code)) for code in ("BVB", "BVX"))
    services.open_scoring(cluster, by=province)
    db.session.commit()
    told = {n.user_id for n in db.session.scalars(db.select(Notification).where(
        Notification.kind == "cluster_scoring_opened"))}
    assert inside.id in told and outside.id not in told


def test_a_merged_hospital_carries_its_predecessors_lead(db, cluster, province):
    from datetime import date

    _led_by_bvb(db, cluster, province)
    merged = factories.unit(code="BVM", name="Bệnh viện hợp nhất", parent=unit("SYT"))
    units_services.record_succession(unit("BVB"), successor_code="BVM", kind="merge",
                                     effective_on=date(2026, 1, 1), by=province)
    units_services.add_unit_evaluation(merged, year=2025, rating="excellent", by=None)
    db.session.commit()
    line = eligibility.checklist("unit", "BVM", "CO_TINH", 2025).line("leads_emulation_cluster")
    assert line.passed and not line.manual
