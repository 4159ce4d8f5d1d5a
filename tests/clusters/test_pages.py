"""The cluster pages: the secretariat runs a year, a unit officer signs and scores itself; every refusal is
proved through two doors (the service or the API, and the page)."""

import re

import pytest

from awards.clusters import services
from awards.core.db import DomainError
from tests.clusters.conftest import VOTED_ON, points, scored, unit

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def token(client, path):
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def post(client, path, data, form_path=None):
    return client.post(path, data={**data, "csrf_token": token(client, form_path or path)})


def test_staff_and_a_unit_run_a_year_through_the_pages(db, province, client, login_as):
    staff = login_as("staff")
    made = post(client, "/clusters/new", {"name": "Cụm các bệnh viện", "kind": "cluster", "year": "2025",
                                          "member_codes": ["BVA", "BVB"], "leader_code": "BVA"})
    assert made.status_code == 302, made.get_data(as_text=True)
    cid = int(made.headers["Location"].split("/")[2])
    saved = post(client, f"/clusters/{cid}/criteria", {"criteria": "Chuyên môn | Chỉ tiêu khám bệnh | 2 | 10\n"
                                                                    "Phong trào | Thi đua | 1 | 7,5"})
    assert saved.status_code == 302
    page = client.get(f"/clusters/{cid}").get_data(as_text=True)
    assert "Chỉ tiêu khám bệnh" in page and "Soạn giao ước" in page
    detail = f"/clusters/{cid}"
    assert post(client, f"/clusters/{cid}/sign/BVA", {"signer_name": "Giám đốc BV A"}, detail).status_code == 302
    client.post("/logout", data={"csrf_token": token(client, detail)})

    login_as("unit_officer", unit=unit("BVB"))
    mine = client.get(detail).get_data(as_text=True)
    assert "Giám đốc BV A" in mine and "/sign/BVB" in mine and "/sign/BVA" not in mine
    assert post(client, f"/clusters/{cid}/sign/BVB", {}, detail).status_code == 302
    assert "Đã ký giao ước" in client.get(detail).get_data(as_text=True)  # signed by all: locked
    from awards.clusters.queries import cluster_by_id

    cluster = cluster_by_id(cid)
    services.open_scoring(cluster, by=staff)
    db.session.commit()
    form = f"/clusters/{cid}/scores/self/BVB"
    first, second = (c.id for c in cluster.criteria)
    assert post(client, form, {f"c{first}": "9", f"c{second}": "7,5"}).status_code == 302
    assert "25,5" in client.get(detail).get_data(as_text=True)  # 2 × 9 + 1 × 7,5
    client.post("/logout", data={"csrf_token": token(client, detail)})

    login_as("staff")
    for code, values in (("BVA", ("10", "7")), ("BVB", ("8", "7,5"))):
        scored_page = post(client, f"/clusters/{cid}/scores/cluster/{code}",
                           {f"c{first}": values[0], f"c{second}": values[1]})
        assert scored_page.status_code == 302
    assert post(client, f"/clusters/{cid}/rank", {}, detail).status_code == 302
    voted = post(client, f"/clusters/{cid}/vote", {"voted_on": "15/01/2026", "voters": "2", "for_BVA": "2",
                                                   "against_BVA": "0", "for_BVB": "0", "against_BVB": "2",
                                                   "proposed_award_code": "CO_TINH", "proposed_unit_code": ""})
    assert voted.status_code == 302, voted.get_data(as_text=True)
    assert post(client, f"/clusters/{cid}/close", {}, detail).status_code == 302
    page = client.get(detail).get_data(as_text=True)
    assert re.search(r'id="leading-unit">Bệnh viện A<', page) and "Đã kết thúc" in page
    assert "Đề nghị Cờ thi đua cấp tỉnh cho Bệnh viện A" in page


def test_over_the_maximum_is_refused_by_the_api_and_the_page(db, cluster, province, api, client, login_as):
    services.open_scoring(cluster, by=province)
    db.session.commit()
    first = cluster.criteria[0]
    answer = api.as_("staff").post(f"/api/v1/clusters/{cluster.id}/scores", json={
        "unit_code": "BVA", "kind": "cluster", "points": [{"criterion_id": first.id, "points": 11}]})
    assert answer.status_code == 400 and "điểm phải từ 0 đến 10" in answer.json["error"]["message"]
    login_as("unit_officer", unit=unit("BVA"))
    page = post(client, f"/clusters/{cluster.id}/scores/self/BVA", {f"c{first.id}": "10,5"})
    assert page.status_code == 400 and "điểm phải từ 0 đến 10" in page.get_data(as_text=True)


def test_an_officer_of_another_unit_is_refused(db, cluster, province, api, client, login_as):
    services.open_scoring(cluster, by=province)
    db.session.commit()
    first = cluster.criteria[0]
    outsider = api.as_("unit_officer", unit=unit("BVX"))
    refused = outsider.post(f"/api/v1/clusters/{cluster.id}/scores", json={
        "unit_code": "BVA", "kind": "self", "points": [{"criterion_id": first.id, "points": 5}]})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    neighbour = api.as_("unit_officer", unit=unit("BVB"))  # a member, but for another member's own score
    refused = neighbour.post(f"/api/v1/clusters/{cluster.id}/scores", json={
        "unit_code": "BVA", "kind": "self", "points": [{"criterion_id": first.id, "points": 5}]})
    assert refused.status_code == 403 and "tự chấm điểm cho mình" in refused.json["error"]["message"]
    refused = neighbour.post(f"/api/v1/clusters/{cluster.id}/scores", json={  # the cluster's scoring: the leader's
        "unit_code": "BVB", "kind": "cluster", "points": [{"criterion_id": first.id, "points": 5}]})
    assert refused.status_code == 403
    login_as("unit_officer", unit=unit("BVX"))
    assert client.get(f"/clusters/{cluster.id}").status_code == 403
    assert client.get(f"/clusters/{cluster.id}/scores/self/BVA").status_code == 403
    assert "Cụm thi đua các bệnh viện" not in client.get("/clusters").get_data(as_text=True)


def test_a_unit_outside_the_cluster_cannot_be_scored(db, cluster, province, api, client, login_as):
    services.open_scoring(cluster, by=province)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.submit_scores(cluster, unit("BVX"), "cluster", points(cluster, 5, 5, 5), by=province)
    assert refused.value.status == 400 and "không phải đơn vị thành viên" in refused.value.message
    login_as("staff")
    assert client.get(f"/clusters/{cluster.id}/scores/cluster/BVX").status_code == 404


def test_a_closed_year_is_read_only(db, cluster, province, client, login_as):
    scored(db, cluster, province, {"BVA": (9, 5, 8), "BVB": (10, 5, 9), "BVC": (8, 5, 6)})
    services.rank_cluster(cluster, by=province)
    services.record_vote(cluster, voted_on=VOTED_ON, voters=3, counts={"BVB": (3, 0)}, by=province)
    services.close_cluster(cluster, by=province)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.submit_scores(cluster, unit("BVA"), "cluster", points(cluster, 1, 1, 1), by=province)
    assert refused.value.status == 409
    login_as("staff")
    detail = f"/clusters/{cluster.id}"
    page = client.get(detail).get_data(as_text=True)
    assert "chỉ xem" in page and "Bệnh viện B" in page and "/scores/" not in page.replace("/scores.xlsx", "")
    reopened = post(client, f"/clusters/{cluster.id}/reopen-scoring", {}, detail)
    assert reopened.status_code == 409
    edit = post(client, f"/clusters/{cluster.id}/criteria", {"criteria": "A | B | 1 | 10"})
    assert edit.status_code == 409 and "đã kết thúc" in edit.get_data(as_text=True)


def test_a_unit_officer_sees_only_their_units_clusters(db, cluster, province, client, login_as):
    login_as("unit_officer", unit=unit("BVC"))
    listing = client.get("/clusters").get_data(as_text=True)
    assert "Cụm thi đua các bệnh viện tuyến tỉnh" in listing
    assert client.get("/clusters/new").status_code == 403
