"""The units' reports read their figures from the page cache (issue 21: counting the province's year of records was
most of "Báo cáo của các đơn vị" at full scale, 60–160 ms), and a unit's own report counts only its subtree's
records; every write that changes the figures — an award recorded, a revocation, a unit moved — shows on the
next view. The archive of tests/reports/conftest.py: BVA's subtree has 6 live awards of 2025 (TYT's 3 of them)."""

import re
from datetime import date

from awards.archive import services as archive
from awards.reports import figures, queries
from awards.units import services as units
from tests import factories
from tests.reports.test_unit_reports import hospitals  # noqa: F401  (the fixture)


def _totals(client) -> dict[str, int]:
    html = client.get("/reports/unit-reports?year=2025&half=0").get_data(as_text=True)
    return {code: int(n) for code, n in re.findall(
        r'<tr data-unit="(\w+)">.*?<td class="text-end">(\d+)</td>', html, re.S)}


def _counted(seen: list[str]) -> list[str]:
    return [s for s in seen if "FROM award_records" in s and "count(" in s]


def test_the_table_between_two_writes_reads_the_cached_figures_and_every_write_shows(
        hospitals, warm_page_cache, client, login_as, statements, db):  # noqa: F811
    so, bva, bvb, tram = hospitals
    staff = login_as("staff")
    assert _totals(client) == {"BVA": 6, "BVB": 0}
    assert len(_counted(statements)) == 1
    statements.clear()
    assert _totals(client) == {"BVA": 6, "BVB": 0} and _counted(statements) == []

    record = archive.record_award(subject_type="unit", subject_code="TYT", award_code="GIAY_KHEN", year=2025,
                                  decision_number="60/QĐ", decision_date=date(2026, 2, 2), issuer="Sở Y tế")
    db.session.commit()
    assert _totals(client) == {"BVA": 7, "BVB": 0}
    archive.revoke_record(record, reason="Ghi nhầm", decision_number="TH/9", decision_date=date(2026, 2, 3), by=staff)
    db.session.commit()
    assert _totals(client) == {"BVA": 6, "BVB": 0}

    units.update_unit(tram, name=tram.name, parent_code="BVB", kind=tram.kind, grassroots=tram.grassroots, by=staff)
    db.session.commit()
    assert _totals(client) == {"BVA": 3, "BVB": 3}  # the station's three awards go with it


def test_a_units_own_report_counts_its_subtree_only_and_as_the_table_does(hospitals, statements, app):  # noqa: F811
    so, bva, bvb, tram = hospitals
    others = [factories.unit(parent=so) for _ in range(queries.FEW_UNITS)]
    period = figures.Period(2025)
    statements.clear()
    own = queries.subtree_figures(period, [bva.id])
    (count,) = _counted(statements)
    assert "unit_id IN" in count  # the hospital's subtree, not the province's year
    every = queries.subtree_figures(period, [bva.id, bvb.id, *(u.id for u in others)])
    assert own[bva.id] == every[bva.id] == queries.Figures(6, {"LDTT": 4, "CSTDCS": 1, "TTLDTT": 1})
    assert every[bvb.id] == queries.Figures()


def test_a_half_year_of_the_province_is_read_by_decision_date(hospitals, statements, db):  # noqa: F811
    """SQLite: a half-year's records are chosen by decision date, by its index (migration c7d2a4e9f1b3); the count
    groups on `unit_id + 0` so that SQLite never walks the unit index at random instead (7.5 s → 0.8 s at full scale
    when no index held the date), with the same figures."""
    so, bva, bvb, tram = hospitals
    others = [factories.unit(parent=so) for _ in range(queries.FEW_UNITS)]
    first_half = queries.subtree_figures(figures.Period(2026, 1), [bva.id, bvb.id, *(u.id for u in others)])
    assert first_half[bva.id] == queries.Figures(6, {"LDTT": 4, "CSTDCS": 1, "TTLDTT": 1})  # decided 15/01/2026
    if db.engine.dialect.name != "sqlite":
        return
    (sql,) = _counted(statements)
    with db.engine.connect() as conn:
        plan = " ".join(row[-1] for row in conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {sql}", ("revocation", "revocation", "correction", "2026-01-01", "2026-06-30")))
    assert "ix_award_records_decision_date" in plan and "ix_award_records_unit_id" not in plan, plan
