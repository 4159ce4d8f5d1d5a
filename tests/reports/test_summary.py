"""The year's figures against a hand-counted archive (tests/reports/conftest.py): by award, by unit (with
descendants), equity shares."""

from awards.reports import figures


def test_counts_by_award_and_unit(province, db):
    result = figures.summary(figures.Period(2025))
    assert result.by_award == {"LDTT": 4, "CSTDCS": 1, "TTLDTT": 1}  # the revoked Giấy khen is not counted
    assert result.by_unit == {"BVA": 3, "TYT": 3}
    rolled = figures.summary(figures.Period(2025), descendants=True)
    assert rolled.by_unit == {"SYT": 6, "BVA": 6, "TYT": 3}


def test_equity_shares_of_individual_awards(province, db):
    result = figures.summary(figures.Period(2025))
    assert result.individuals == 5  # 4 LĐTT + 1 CSTĐCS (A twice)
    assert result.counts == {"female": 3, "young": 2, "ethnic_minority": 1, "frontline": 1, "grassroots": 2}
    assert result.shares == {"female": 0.6, "young": 0.4, "ethnic_minority": 0.2, "frontline": 0.2,
                             "grassroots": 0.4}


def test_half_year_counts_decisions_dated_in_that_half(province, db):
    assert figures.summary(figures.Period(2026, 1)).total == 6
    assert figures.summary(figures.Period(2025, 1)).by_award == {"LDTT": 1}
    assert figures.summary(figures.Period(2025, 2)).total == 0


def test_summary_over_the_api(province, api):
    staff = api.as_("staff")
    body = staff.get("/api/v1/reports/summary?year=2025&descendants=true").json
    assert body["year"] == 2025 and body["by_award"]["LDTT"] == 4 and body["by_unit"]["SYT"] == 6
    assert body["shares"]["young"] == 0.4
    assert staff.get("/api/v1/reports/summary").status_code == 400
    assert api.as_("unit_officer").get("/api/v1/reports/summary?year=2025").status_code == 403


def test_an_empty_year_has_zero_shares(db):
    result = figures.summary(figures.Period(2030))
    assert result.total == 0 and result.shares == dict.fromkeys(figures.SHARES, 0.0)
