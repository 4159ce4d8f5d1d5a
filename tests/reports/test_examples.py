"""The dashboard's “Gương điển hình tiên tiến” table: each unit under the Sở with the typical examples discovered in
the chosen year in its subtree, against the plan's 1–2, units lacking first; the status as a table of cases."""

import re
from datetime import date

import pytest

from awards.campaigns import examples
from awards.campaigns.models import Campaign
from awards.reports.examples import example_rows
from awards.reports.rules import example_status
from tests import factories


@pytest.mark.parametrize(("count", "status"), [(0, "none"), (1, "one"), (2, "two_plus"), (5, "two_plus"),
                                                (-1, "none")])
def test_example_status(count, status):
    assert example_status(count) == status


@pytest.fixture
def units(db, at):
    """Sở → BVA (no example), BVB (one, found in its department), BVC (two in 2025, one in 2024), an inactive
    unit, and a unit of another tree (not the Sở's)."""
    so = factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=so, kind="hospital")
    bvb = factories.unit(code="BVB", name="Bệnh viện B", parent=so, kind="hospital")
    khoa = factories.unit(code="BVB-K1", name="Khoa Nhi", parent=bvb)
    bvc = factories.unit(code="BVC", name="Bệnh viện C", parent=so, kind="hospital")
    closed = factories.unit(code="CU", name="Đơn vị đã giải thể", parent=so)
    closed.active = False
    nurse = factories.person(code="DD1", full_name="Lò Thị Hoa", unit=khoa)
    campaign = Campaign(title="Phong trào “Cán bộ y tế vì nhân dân”", organizer_unit_id=so.id, status="launched",
                        kind="regular", year=2025, starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31),
                        registration_deadline=date(2024, 3, 31), nomination_deadline=date(2025, 12, 15),
                        award_codes=["LDTT"])
    db.session.add(campaign)
    db.session.flush()
    for subject_type, code, on in (("person", nurse.code, date(2025, 5, 2)), ("unit", "BVC", date(2025, 2, 1)),
                                   ("unit", "BVC", date(2025, 11, 30)), ("unit", "BVC", date(2024, 12, 31))):
        examples.create_example(campaign, subject_type=subject_type, subject_code=code, title="Mô hình tốt",
                                story_html="<p>Câu chuyện</p>", on=on, by=None)
    db.session.commit()
    return {"bva": bva, "bvb": bvb, "bvc": bvc}


def test_rows_count_the_subtree_of_the_year_lacking_first(units):
    assert [(r.code, r.count, r.status) for r in example_rows(2025)] == [
        ("BVA", 0, "none"), ("BVB", 1, "one"), ("BVC", 2, "two_plus")]
    assert [(r.code, r.count) for r in example_rows(2024)] == [("BVA", 0), ("BVB", 0), ("BVC", 1)]


def rows_of(html):
    table = re.search(r'<table[^>]*id="examples-table".*?</table>', html, re.S).group(0)
    return [(code, int(count), status) for code, count, status in re.findall(
        r'data-unit="([^"]+)".*?<td class="text-end">(\d+)</td><td>1–2</td>\s*<td><span class="badge [^"]+">([^<]+)<',
        table, re.S)]


def test_the_dashboard_table_and_its_year(units, client, login_as):
    login_as("staff")
    html = client.get("/reports/?year=2025").get_data(as_text=True)
    assert "Gương điển hình tiên tiến" in html
    assert rows_of(html) == [("BVA", 0, "Chưa có"), ("BVB", 1, "Đạt 1"), ("BVC", 2, "Đạt 2+")]
    assert "2/3 đơn vị đã có gương điển hình; 1 đơn vị chưa có." in html
    html = client.get("/reports/?year=2024").get_data(as_text=True)
    assert rows_of(html) == [("BVA", 0, "Chưa có"), ("BVB", 0, "Chưa có"), ("BVC", 1, "Đạt 1")]


def test_the_table_is_for_managers_only(units, client, login_as):
    login_as("council_member")
    assert client.get("/reports/?year=2025").status_code == 403
