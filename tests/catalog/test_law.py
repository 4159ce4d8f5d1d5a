"""Issue 17, the law read closely: each case a row whose id names its article, for each regime's year."""

from datetime import date

import pytest

from awards.catalog.history import AwardHeld, DisciplineFact, InitiativeFact, PersonHistory, UnitHistory
from awards.catalog.rules import evaluate, quota_percent


def aw(code, year, first=None, last=None, decision="", kind="regular"):
    return AwardHeld(code, year, kind, period_from=first, period_to=last, decision_number=decision)


def good(*years, excellent=()):
    return {y: "excellent" if y in excellent else "good" for y in years}


def failing(result):
    return {c.rule for c in result.checks if not c.passed and not c.manual}


def line(result, rule):
    return next(c for c in result.checks if c.rule == rule)


# --- 1. achievement periods are used once (Law Art 5.2.c; NĐ 98 Art 30.9) -------------------------------------

def cstdcs(*years):
    return [aw("CSTDCS", y) for y in years]


PERIOD_ROWS = [
    pytest.param("BK_TINH", 2025, PersonHistory(good(2023, 2024, 2025), cstdcs(2023, 2024, 2025) + [
        aw("BK_TINH", 2024, 2023, 2024, "12/QĐ-UBND")]), False, "cần 2 năm sau 2024",
        id="Dieu5.2c-BK_TINH-2023_24-then-2025"),
    pytest.param("BK_TINH", 2026, PersonHistory(good(2025, 2026), cstdcs(2025, 2026) + [
        aw("BK_TINH", 2024, 2023, 2024, "12/QĐ-UBND")]), True, None, id="Dieu5.2c-BK_TINH-2023_24-then-2026"),
    pytest.param("CSTD_TINH", 2024, PersonHistory(good(2021, 2022, 2023, 2024), cstdcs(2021, 2022, 2023, 2024) + [
        aw("CSTD_TINH", 2023, 2021, 2023, "40/QĐ-UBND")], [InitiativeFact(1, 2024, "provincial")]), False,
        "cần 3 năm sau 2023", id="Dieu5.2c-CSTD_TINH-2021_23-then-2024"),
    pytest.param("BK_TTG", 2025, PersonHistory(good(*range(2015, 2026)), cstdcs(2021, 2023, 2025) + [
        aw("BK_TINH", 2014), aw("BK_TTG", 2022, 2018, 2022, "99/QĐ-TTg")]), False, "cần 5 năm sau 2022",
        id="Dieu5.2c-BK_TTG-2018_22-then-2025"),
    pytest.param("CSTD_TQ", 2025, PersonHistory(good(*range(2018, 2026)), [
        aw("CSTD_TINH", 2022), aw("CSTD_TINH", 2025), aw("CSTD_TQ", 2022, 2017, 2022)],
        [InitiativeFact(1, 2024, "national")]), False, "cần 6 năm sau 2022", id="Dieu5.2c-CSTD_TQ"),
    pytest.param("HCLD3", 2025, PersonHistory(good(*range(2015, 2026), excellent=(2024,)), cstdcs(2021, 2023, 2025)
                                              + [aw("BK_TTG", 2014), aw("HCLD3", 2022, 2018, 2022)]), False,
                 "cần 5 năm sau 2022", id="Dieu5.2c-HCLD3"),
    pytest.param("CO_TINH", 2025, UnitHistory({2025: "excellent"}, [aw("CO_TINH", 2025, 2025, 2025)]), True, None,
                 id="Dieu26-CO_TINH-same-year-record-is-itself"),
]


@pytest.mark.parametrize(("code", "year", "history", "eligible", "says"), PERIOD_ROWS)
def test_periods_used_once(code, year, history, eligible, says):
    result = evaluate(code, history, year)
    assert result.eligible is eligible, [(c.rule, c.passed, c.detail) for c in result.checks]
    once = line(result, "period_unused")
    if says:
        assert not once.passed and says in once.detail and "Điều 5" in once.basis.article
    if eligible:
        assert result.period is not None and result.period[1] == year


def test_the_refusal_names_the_years_and_the_decision():
    result = evaluate("BK_TINH", PERIOD_ROWS[0].values[2], 2025)
    detail = line(result, "period_unused").detail
    assert "các năm 2023–2024" in detail and "QĐ số 12/QĐ-UBND" in detail and "xét sớm nhất năm 2026" in detail


def test_a_default_period_is_the_chain_ending_in_the_year():
    assert aw("BK_TINH", 2024).period == (2023, 2024)
    assert aw("BK_TTG", 2024).period == (2020, 2024)
    assert aw("CSTDCS", 2024).period == (2024, 2024)
    assert aw("BK_TINH", 2024, kind="adhoc").period == (2024, 2024)


# --- 2. one initiative, one form (CV 5007/BNV-TĐKT III.5.c) ---------------------------------------------------

def used(*codes, year=2025, scope="unit", rises=()):
    return InitiativeFact(1, year, scope, "Bệnh án điện tử", tuple(codes), tuple(rises))


INITIATIVE_ROWS = [
    pytest.param("CSTDCS", used("GIAY_KHEN"), False, id="CV5007-form-then-title"),
    pytest.param("CSTDCS", used("CSTDCS"), False, id="CV5007-same-title-twice"),
    pytest.param("CSTDCS", used(), True, id="CV5007-unused"),
]


@pytest.mark.parametrize(("code", "initiative", "eligible"), INITIATIVE_ROWS)
def test_initiative_serves_once(code, initiative, eligible):
    assert evaluate(code, PersonHistory(good(2025), initiatives=[initiative]), 2025).eligible is eligible


@pytest.mark.parametrize(("setting", "eligible"), [
    pytest.param(None, True, id="CV5007-title-to-title-default-allowed"),
    pytest.param(False, False, id="CV5007-title-to-title-setting-off"),
])
def test_title_to_title_is_a_setting(setting, eligible):
    history = PersonHistory(good(2023, 2024, 2025), cstdcs(2023, 2024, 2025),
                            [used("CSTDCS", year=2024, scope="provincial")])
    settings = None if setting is None else {"initiative_title_to_title": setting}
    assert evaluate("CSTD_TINH", history, 2025, settings=settings).eligible is eligible


def test_a_risen_scope_counts_from_its_recognition():
    risen = used(year=2023, rises=((2025, "provincial"),))
    history = PersonHistory(good(2023, 2024, 2025), cstdcs(2023, 2024, 2025), [risen])
    assert evaluate("CSTD_TINH", history, 2025).eligible
    assert not evaluate("CSTD_TINH", PersonHistory(good(2022, 2023, 2024), cstdcs(2022, 2023, 2024), [risen]),
                        2024).eligible


# --- 3. every route of a commendation ---------------------------------------------------------------------------

ROUTE_ROWS = [
    pytest.param("BK_TINH", "adhoc", PersonHistory(good(2025)), True, id="Dieu74.1-adhoc-good-no-CSTDCS"),
    pytest.param("BK_TINH", "campaign", PersonHistory(), True, id="Dieu74.1-campaign"),
    pytest.param("BK_TINH", "chain", PersonHistory(good(2025)), False, id="Dieu74.1d-chain-needs-CSTDCS"),
    pytest.param("BK_TTG", "other", PersonHistory(), True, id="Dieu73.1-other"),
    pytest.param("HCLD3", "contribution", PersonHistory(), True, id="Dieu44.1g-contribution"),
    pytest.param("GIAY_KHEN", "adhoc", PersonHistory({2025: "done"}), True, id="Dieu75-adhoc"),
    pytest.param("GIAY_KHEN", "chain", PersonHistory({2025: "done"}), False, id="Dieu75-chain-needs-good"),
]


@pytest.mark.parametrize(("code", "route", "history", "eligible"), ROUTE_ROWS)
def test_routes(code, route, history, eligible):
    result = evaluate(code, history, 2025, route=route)
    assert result.eligible is eligible
    if route != "chain":
        assert any(c.manual and c.rule == f"route_{route}" for c in result.checks)


def test_kind_gives_the_default_route():
    assert evaluate("BK_TINH", PersonHistory(good(2025)), 2025, kind="adhoc").eligible


# --- 5. flags and collective titles -----------------------------------------------------------------------------

def test_co_tinh_campaign_route_and_no_ttldxs_prerequisite():
    assert evaluate("CO_TINH", UnitHistory({2025: "excellent"}), 2025).eligible
    result = evaluate("CO_TINH", UnitHistory(), 2025, route="campaign")
    assert result.eligible and line(result, "leads_thematic_campaign").manual


# --- 6. the regime of each year ---------------------------------------------------------------------------------

REGIME_ROWS = [
    pytest.param(2022, PersonHistory({2022: "excellent"}), False, "Luật TĐKT 2003",
                 id="NĐ91-Dieu9.3-2022-excellent-alone"),
    pytest.param(2022, PersonHistory({2022: "good"}, initiatives=[InitiativeFact(1, 2022, "unit")]), True,
                 "NĐ 91/2017", id="NĐ91-Dieu9.3-2022-initiative"),
    pytest.param(2024, PersonHistory({2024: "excellent"}), True, "NĐ 98/2023", id="Dieu23-2024-excellent"),
    pytest.param(2025, PersonHistory({2025: "excellent"}), True, "NĐ 152/2025", id="Dieu23-2025-excellent"),
    pytest.param(2026, PersonHistory({2026: "excellent"}), True, "NĐ 152/2025", id="Dieu23-2026-excellent"),
]


@pytest.mark.parametrize(("year", "history", "eligible", "cites"), REGIME_ROWS)
def test_cstdcs_by_regime(year, history, eligible, cites):
    result = evaluate("CSTDCS", history, year)
    assert result.eligible is eligible
    articles = " ".join(c.basis.article for c in result.checks)
    assert cites in articles
    if year <= 2023:
        assert "152/2025" not in articles and "98/2023" not in articles
    if year == 2024:
        assert "152/2025" not in articles


def test_hcld3_by_nd91_needs_excellent_years_and_provincial_initiatives():
    history = PersonHistory(good(*range(2016, 2023), excellent=range(2018, 2023)), [aw("BK_TTG", 2017)])
    result = evaluate("HCLD3", history, 2022)
    assert failing(result) == {"provincial_initiatives_in_period"}
    assert "NĐ 91/2017/NĐ-CP, Điều 24" in line(result, "provincial_initiatives_in_period").basis.article
    history.initiatives = [InitiativeFact(1, 2019, "provincial"), InitiativeFact(2, 2021, "provincial")]
    assert evaluate("HCLD3", history, 2022).eligible


def test_bk_ttg_by_nd91_needs_five_initiatives():
    history = PersonHistory(good(*range(2017, 2023)), [aw("BK_TINH", 2016)],
                            [InitiativeFact(i, 2018 + i % 5, "unit") for i in range(5)])
    assert evaluate("BK_TTG", history, 2022).eligible
    history.initiatives.pop()
    assert failing(evaluate("BK_TTG", history, 2022)) == {"unit_initiatives_in_period"}


@pytest.mark.parametrize(("year", "setting", "percent"), [
    pytest.param(2022, None, 15, id="NĐ91-Dieu9.3-2022-cap"), pytest.param(2023, None, 15, id="NĐ91-Dieu9.3-2023-cap"),
    pytest.param(2024, None, None, id="2024-no-cap"), pytest.param(2026, 20, 20, id="2026-unit-setting"),
])
def test_quota_by_year(year, setting, percent):
    assert quota_percent(year, setting) == percent


# --- 7. discipline with dates ------------------------------------------------------------------------------------

DISCIPLINE_ROWS = [
    pytest.param(DisciplineFact(2025, "reprimand", date(2025, 3, 1)), 2025, False, id="NĐ152-Dieu4.4-reprimand-year"),
    pytest.param(DisciplineFact(2024, "warning", date(2024, 10, 1)), 2025, False,
                 id="NĐ152-Dieu4.4-execution-runs-into-year"),
    pytest.param(DisciplineFact(2024, "warning", date(2024, 1, 15), date(2024, 12, 31)), 2025, True,
                 id="NĐ152-Dieu4.4-ended-last-year"),
    pytest.param(DisciplineFact(2022, "dismissal", date(2022, 6, 1)), 2025, True, id="NĐ152-Dieu4.4-24-months-over"),
    pytest.param(DisciplineFact(2024, "dismissal", date(2024, 6, 1)), 2025, False, id="NĐ152-Dieu4.4-24-months-on"),
]


@pytest.mark.parametrize(("discipline", "year", "eligible"), DISCIPLINE_ROWS)
def test_discipline_dates(discipline, year, eligible):
    history = PersonHistory({year: "good"}, disciplines=[discipline])
    assert evaluate("LDTT", history, year).eligible is eligible


def test_prior_award_survives_a_later_discipline_but_the_run_restarts():
    history = PersonHistory(good(*range(2014, 2026)), cstdcs(2021, 2023, 2025) + [aw("BK_TINH", 2013)],
                            disciplines=[DisciplineFact(2019, "warning", date(2019, 2, 1))])
    result = evaluate("BK_TTG", history, 2025)
    assert line(result, "prior_bk_tinh").passed
    assert result.eligible and result.period == (2021, 2025)


def test_collectives_are_disciplined_and_frozen_too():
    disciplined = UnitHistory({2025: "excellent"}, disciplines=[DisciplineFact(2025, "reprimand", date(2025, 5, 1))])
    assert failing(evaluate("CO_TINH", disciplined, 2025)) == {"no_discipline_in_year"}
    frozen = UnitHistory({2025: "excellent"}, frozen_reason="Đang thanh tra từ 01/03/2025")
    assert failing(evaluate("CO_TINH", frozen, 2025)) == {"not_frozen"}
