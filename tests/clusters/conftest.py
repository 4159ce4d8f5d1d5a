"""A province with a cụm of three hospitals under the Sở, and a hospital outside it."""

from datetime import date

import pytest

from awards.clusters import services
from awards.units import queries as units_queries
from tests import factories

CRITERIA = [{"group": "Chuyên môn", "text": "Hoàn thành chỉ tiêu khám chữa bệnh", "weight": 2, "max_points": 10},
            {"group": "Chuyên môn", "text": "Không để xảy ra sai sót chuyên môn", "weight": 1, "max_points": 5},
            {"group": "Phong trào", "text": "Tham gia phong trào thi đua của ngành", "weight": 1.5, "max_points": 10}]
VOTED_ON = date(2026, 1, 15)


@pytest.fixture
def province(db):
    top = factories.unit(code="SYT", name="Sở Y tế")
    for code, name in (("BVA", "Bệnh viện A"), ("BVB", "Bệnh viện B"), ("BVC", "Bệnh viện C"),
                       ("BVX", "Bệnh viện X")):
        factories.unit(code=code, name=name, parent=top, kind="hospital")
    staff = factories.user("staff", username="thuongtruc")
    db.session.commit()
    return staff


def unit(code):
    return units_queries.unit_by_code(code)


@pytest.fixture
def cluster(db, province):
    """The 2025 cluster of hospitals A, B, C led by A, with its three criteria (a draft)."""
    made = services.create_cluster(name="Cụm thi đua các bệnh viện tuyến tỉnh", kind="cluster", year=2025,
                                   member_codes=["BVA", "BVB", "BVC"], leader_code="BVA", criteria=CRITERIA,
                                   by=province)
    db.session.commit()
    return made


def points(cluster, *values):
    """{criterion id: points} in the criteria's order."""
    return {c.id: v for c, v in zip(cluster.criteria, values, strict=True)}


def scored(db, cluster, staff, table: dict[str, tuple]):
    """Open the scoring and give each member the cluster's points (and the same as its own)."""
    services.open_scoring(cluster, by=staff)
    for code, values in table.items():
        services.submit_scores(cluster, unit(code), "self", points(cluster, *values), by=staff)
        services.submit_scores(cluster, unit(code), "cluster", points(cluster, *values), by=staff)
    db.session.commit()
