"""The cluster form's units are typed (issue 21: the unit picker replaced a checkbox per unit of the province):
members as codes or "Name (CODE)" lines, the leader as one unit; unknown or closed units are named on the field and
nothing is saved, and the service refuses the same through its own door."""

import re

import pytest

from awards.clusters import services
from awards.clusters.models import Cluster
from awards.core.db import DomainError
from tests.clusters.conftest import unit

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def post(client, path, data):
    token = CSRF.search(client.get(path).get_data(as_text=True)).group(1)
    return client.post(path, data={**data, "csrf_token": token})


def html(response) -> str:
    return response.get_data(as_text=True)


def clusters(db) -> list[Cluster]:
    return list(db.session.scalars(db.select(Cluster)))


def test_members_typed_as_one_text_or_as_repeated_values(db, province, client, login_as):
    login_as("staff")
    made = post(client, "/clusters/new", {"name": "Cụm các bệnh viện", "kind": "cluster", "year": "2025",
                                          "member_codes": "Bệnh viện A (BVA)\nBVB, BVC\n",
                                          "leader_code": "Bệnh viện B (BVB)"})
    assert made.status_code == 302, html(made)
    (cluster,) = clusters(db)
    assert sorted(u.code for u in cluster.member_units) == ["BVA", "BVB", "BVC"] and cluster.leader.code == "BVB"
    edit = html(client.get(f"/clusters/{cluster.id}/edit"))
    assert "Bệnh viện A (BVA)\nBệnh viện B (BVB)\nBệnh viện C (BVC)" in edit or all(
        f"Bệnh viện {c} (BV{c})" in edit for c in "ABC")
    assert 'value="Bệnh viện B (BVB)"' in edit and "Bệnh viện B (BVB) — Sở Y tế" in edit
    # the checkboxes' way (the same name several times), as outside tools post it
    again = post(client, f"/clusters/{cluster.id}/edit", {"name": "Cụm các bệnh viện", "kind": "cluster",
                                                          "year": "2025", "member_codes": ["BVA", "BVX"],
                                                          "leader_code": "BVX"})
    assert again.status_code == 302, html(again)
    db.session.refresh(cluster)
    assert sorted(u.code for u in cluster.member_units) == ["BVA", "BVX"] and cluster.leader.code == "BVX"


def test_unknown_members_are_named_on_the_field_and_nothing_is_saved(db, province, client, login_as):
    login_as("staff")
    bad = post(client, "/clusters/new", {"name": "Cụm lỗi", "kind": "cluster", "year": "2025",
                                         "member_codes": "BVA, BV-KHONG, BV-SAI", "leader_code": "BVA"})
    assert bad.status_code == 400 and clusters(db) == []
    assert "Không có đơn vị mã: BV-KHONG, BV-SAI." in html(bad)
    assert "BVA, BV-KHONG, BV-SAI" in html(bad)  # what was typed is kept
    leader = post(client, "/clusters/new", {"name": "Cụm lỗi", "kind": "cluster", "year": "2025",
                                            "member_codes": "BVA BVB", "leader_code": "BV-KHONG"})
    assert leader.status_code == 400 and "Không có đơn vị mã “BV-KHONG”" in html(leader) and clusters(db) == []
    outside = post(client, "/clusters/new", {"name": "Cụm lỗi", "kind": "cluster", "year": "2025",
                                             "member_codes": "BVA BVB", "leader_code": "BVC"})
    assert outside.status_code == 400 and "Trưởng cụm, khối phải là một đơn vị thành viên." in html(outside)
    with pytest.raises(DomainError) as refused:  # the service's own door
        services.create_cluster(name="Cụm lỗi", kind="cluster", year=2025, member_codes=["BVA", "BV-KHONG"],
                                by=province)
    assert refused.value.field == "member_codes" and "BV-KHONG" in refused.value.message


def test_a_closed_unit_is_refused_as_a_new_member(db, province, client, login_as):
    unit("BVC").active = False
    db.session.commit()
    login_as("staff")
    bad = post(client, "/clusters/new", {"name": "Cụm", "kind": "cluster", "year": "2025",
                                         "member_codes": "BVA BVB BVC"})
    assert bad.status_code == 400 and "Các đơn vị đã ngừng hoạt động: Bệnh viện C (BVC)." in html(bad)
    assert clusters(db) == []
