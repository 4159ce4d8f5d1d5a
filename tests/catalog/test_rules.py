"""Table tests of the eligibility rules: each row is a history, a year, a kind, and what must fail."""

import pytest

from awards.catalog.history import AwardHeld, DisciplineFact, InitiativeFact, MemberYear, PersonHistory, UnitHistory
from awards.catalog.rules import (
    RULESETS,
    Check,
    chain_progress,
    check,
    evaluate,
    quota_check,
    ruleset_for,
)
from awards.catalog.types import DEFAULTS

Y = 2025


# ----------------------------------------------------------------------------------------------------------------
# Builders
# ----------------------------------------------------------------------------------------------------------------


def aw(code, year, kind="regular", revoked=False):
    return AwardHeld(code, year, kind=kind, revoked=revoked)


def ini(year, scope="unit", used_by=None, id=1, title=""):
    return InitiativeFact(id, year, scope, title=title, used_by=(used_by,) if used_by else ())


def warn(year, level="warning"):
    return DisciplineFact(year, level)


def rated(rating, *years):
    return {y: rating for y in years}


def person(ratings=None, awards=(), initiatives=(), disciplines=(), frozen=None):
    return PersonHistory(ratings=dict(ratings or {}), awards=list(awards), initiatives=list(initiatives),
                         disciplines=list(disciplines), frozen_reason=frozen)


def unit(ratings=None, awards=(), members=None, frozen=None):
    return UnitHistory(ratings=dict(ratings or {}), awards=list(awards), members=dict(members or {}),
                       frozen_reason=frozen)


def member(rating="good", *titles, discipline=None):
    return MemberYear(rating, frozenset(titles), discipline)


def team(ldtt=6, plain=3, cstdcs=1, plain_rating="done", extra=()):
    """cstdcs members (excellent, CSTĐCS) + ldtt members (good, LĐTT) + plain members + extra."""
    return ([member("excellent", "CSTDCS")] * cstdcs + [member("good", "LDTT")] * ldtt
            + [member(plain_rating)] * plain + list(extra))


def failing(result):
    return {c.rule for c in result.checks if not c.passed}


def assert_row(code, history, year, kind, eligible, fails, settings=None):
    result = evaluate(code, history, year, kind=kind, settings=settings)
    lines = [(c.rule, c.passed, c.detail) for c in result.checks]
    assert failing(result) == set(fails), lines
    assert result.eligible is eligible, lines
    rules = {c.rule for c in result.checks}
    assert {"not_frozen", "no_discipline_in_year"} <= rules  # on every award
    for line in result.checks:
        assert line.basis.article and line.basis.text and line.detail
    return result


# ----------------------------------------------------------------------------------------------------------------
# LĐTT (Điều 24)
# ----------------------------------------------------------------------------------------------------------------

LDTT_ROWS = [
    ("good", person(rated("good", Y)), "regular", True, []),
    ("excellent", person(rated("excellent", Y)), "regular", True, []),
    ("done", person(rated("done", Y)), "regular", False, ["rating_good_or_better"]),
    ("not_done", person(rated("not_done", Y)), "regular", False, ["rating_good_or_better"]),
    ("no_rating", person(), "regular", False, ["rating_good_or_better"]),
    ("good_last_year_only", person(rated("good", Y - 1)), "regular", False, ["rating_good_or_better"]),
    ("warning_in_year", person(rated("good", Y), disciplines=[warn(Y)]), "regular", False, ["no_discipline_in_year"]),
    ("dismissal_in_year", person(rated("good", Y), disciplines=[warn(Y, "dismissal")]), "regular", False,
     ["no_discipline_in_year"]),
    # any level blocks the year it falls in, reprimand included (NĐ 152 Art 4.4)
    ("reprimand_in_year", person(rated("good", Y), disciplines=[warn(Y, "reprimand")]), "regular", False,
     ["no_discipline_in_year"]),
    ("warning_year_before", person(rated("good", Y), disciplines=[warn(Y - 1)]), "regular", True, []),
    ("frozen", person(rated("good", Y), frozen="đang thanh tra"), "regular", False, ["not_frozen"]),
    ("unit_subject", unit(rated("good", Y)), "regular", False, ["subject_matches"]),
    ("adhoc_same_checks", person(rated("done", Y)), "adhoc", False, ["rating_good_or_better"]),
]


@pytest.mark.parametrize(("history", "kind", "eligible", "fails"), [r[1:] for r in LDTT_ROWS],
                         ids=[r[0] for r in LDTT_ROWS])
def test_ldtt(history, kind, eligible, fails):
    assert_row("LDTT", history, Y, kind, eligible, fails)


# ----------------------------------------------------------------------------------------------------------------
# CSTĐCS (Điều 23)
# ----------------------------------------------------------------------------------------------------------------

CSTDCS_ROWS = [
    ("excellent_no_initiative", person(rated("excellent", Y)), True, []),
    ("good_unit_initiative", person(rated("good", Y), initiatives=[ini(Y, "unit")]), True, []),
    ("good_provincial_initiative", person(rated("good", Y), initiatives=[ini(Y, "provincial")]), True, []),
    ("good_initiative_used", person(rated("good", Y), initiatives=[ini(Y, used_by="CSTDCS")]), False,
     ["excellent_or_unit_initiative"]),
    ("good_initiative_last_year", person(rated("good", Y), initiatives=[ini(Y - 1)]), False,
     ["excellent_or_unit_initiative"]),
    ("good_nothing", person(rated("good", Y)), False, ["excellent_or_unit_initiative"]),
    ("done_with_initiative", person(rated("done", Y), initiatives=[ini(Y)]), False, ["rating_good_or_better"]),
    ("excellent_warning", person(rated("excellent", Y), disciplines=[warn(Y)]), False, ["no_discipline_in_year"]),
    ("excellent_reprimand", person(rated("excellent", Y), disciplines=[warn(Y, "reprimand")]), False,
     ["no_discipline_in_year"]),
    # the year's own warning also stops that year's initiative from counting (counts again from Y+1)
    ("good_initiative_warning", person(rated("good", Y), initiatives=[ini(Y)], disciplines=[warn(Y)]), False,
     ["no_discipline_in_year", "excellent_or_unit_initiative"]),
    ("frozen", person(rated("excellent", Y), frozen="khiếu nại"), False, ["not_frozen"]),
]


@pytest.mark.parametrize(("history", "eligible", "fails"), [r[1:] for r in CSTDCS_ROWS],
                         ids=[r[0] for r in CSTDCS_ROWS])
def test_cstdcs(history, eligible, fails):
    assert_row("CSTDCS", history, Y, "regular", eligible, fails)


# ----------------------------------------------------------------------------------------------------------------
# CSTĐ cấp tỉnh (Điều 22): CSTĐCS Y-2, Y-1, Y and a provincial initiative within them
# ----------------------------------------------------------------------------------------------------------------


def cstd_tinh(years=(Y - 2, Y - 1, Y), extra=(), initiative=ini(Y - 1, "provincial"), disciplines=()):
    awards = [aw("CSTDCS", y) for y in years] + list(extra)
    return person(rated("good", *range(Y - 5, Y + 1)), awards, [initiative] if initiative else [], disciplines)


CHAIN = "cstdcs_three_consecutive_years"
PROV = "provincial_initiative_in_three_years"
CSTD_TINH_ROWS = [
    ("three_years", cstd_tinh(), "regular", True, []),
    ("two_years_only", cstd_tinh((Y - 1, Y)), "regular", False, [CHAIN]),
    ("three_ending_last_year", cstd_tinh((Y - 3, Y - 2, Y - 1)), "regular", False, [CHAIN]),
    ("gap_year", cstd_tinh((Y - 2, Y)), "regular", False, [CHAIN]),
    ("four_years", cstd_tinh((Y - 3, Y - 2, Y - 1, Y)), "regular", True, []),
    ("revoked_middle", cstd_tinh((Y - 2, Y), [aw("CSTDCS", Y - 1, revoked=True)]), "regular", False, [CHAIN]),
    ("adhoc_middle", cstd_tinh((Y - 2, Y), [aw("CSTDCS", Y - 1, "adhoc")]), "regular", False, [CHAIN]),
    ("thematic_middle", cstd_tinh((Y - 2, Y), [aw("CSTDCS", Y - 1, "thematic")]), "regular", False, [CHAIN]),
    ("adhoc_beside_regular", cstd_tinh(extra=[aw("CSTDCS", Y - 1, "adhoc")]), "regular", True, []),
    ("initiative_unit_scope", cstd_tinh(initiative=ini(Y - 1, "unit")), "regular", False, [PROV]),
    ("initiative_national", cstd_tinh(initiative=ini(Y - 1, "national")), "regular", True, []),
    ("initiative_used", cstd_tinh(initiative=ini(Y - 1, "provincial", used_by="BK_TINH")), "regular", False, [PROV]),
    ("initiative_window_start", cstd_tinh(initiative=ini(Y - 2, "provincial")), "regular", True, []),
    ("initiative_too_old", cstd_tinh(initiative=ini(Y - 3, "provincial")), "regular", False, [PROV]),
    ("no_initiative", cstd_tinh(initiative=None), "regular", False, [PROV]),
    # warning in Y-1: CSTĐCS of Y-2 and Y-1 no longer count (achievements count again from Y)
    ("warning_year_before", cstd_tinh(initiative=ini(Y, "provincial"), disciplines=[warn(Y - 1)]), "regular",
     False, [CHAIN]),
    ("warning_before_window", cstd_tinh(disciplines=[warn(Y - 3)]), "regular", True, []),
    # a reprimand in Y-1 (12 months from 1/1) ends with Y-1: the chain counts again from Y
    ("reprimand_in_window", cstd_tinh(disciplines=[warn(Y - 1, "reprimand")]), "regular", False, [CHAIN, PROV]),
    ("warning_in_year", cstd_tinh(disciplines=[warn(Y)]), "regular", False,
     ["no_discipline_in_year", CHAIN, PROV]),
    ("adhoc_nomination_same_checks", cstd_tinh(), "adhoc", True, []),
    ("thematic_nomination_two_years", cstd_tinh((Y - 1, Y)), "thematic", False, [CHAIN]),
]


@pytest.mark.parametrize(("history", "kind", "eligible", "fails"), [r[1:] for r in CSTD_TINH_ROWS],
                         ids=[r[0] for r in CSTD_TINH_ROWS])
def test_cstd_tinh(history, kind, eligible, fails):
    assert_row("CSTD_TINH", history, Y, kind, eligible, fails)


def test_cstd_tinh_frozen():
    history = cstd_tinh()
    history.frozen_reason = "đang điều tra"
    assert_row("CSTD_TINH", history, Y, "regular", False, ["not_frozen"])


# ----------------------------------------------------------------------------------------------------------------
# CSTĐ toàn quốc (Điều 21): CSTĐ tỉnh in Y-3 and Y, a national initiative within Y-5..Y
# ----------------------------------------------------------------------------------------------------------------


def cstd_tq(years=(Y - 3, Y), extra=(), initiative=ini(Y - 5, "national"), disciplines=()):
    awards = [aw("CSTD_TINH", y) for y in years] + list(extra)
    return person(rated("good", *range(Y - 6, Y + 1)), awards, [initiative] if initiative else [], disciplines)


TWICE = "cstd_tinh_two_consecutive_times"
NAT = "national_initiative_in_six_years"
CSTD_TQ_ROWS = [
    ("two_cycles", cstd_tq(), True, []),
    ("initiative_this_year", cstd_tq(initiative=ini(Y, "national")), True, []),
    ("initiative_too_old", cstd_tq(initiative=ini(Y - 6, "national")), False, [NAT]),
    ("initiative_provincial", cstd_tq(initiative=ini(Y - 1, "provincial")), False, [NAT]),
    ("initiative_used_by_a_form", cstd_tq(initiative=ini(Y - 1, "national", used_by="BK_TTG")), False, [NAT]),
    ("initiative_title_to_title", cstd_tq(initiative=ini(Y - 1, "national", used_by="CSTD_TINH")), True, []),
    ("not_three_years_apart", cstd_tq((Y - 2, Y)), False, [TWICE]),
    ("only_one", cstd_tq((Y,)), False, [TWICE]),
    ("earlier_revoked", cstd_tq((Y,), [aw("CSTD_TINH", Y - 3, revoked=True)]), False, [TWICE]),
    ("earlier_thematic", cstd_tq((Y,), [aw("CSTD_TINH", Y - 3, "thematic")]), False, [TWICE]),
    ("warning_between_cycles", cstd_tq(initiative=ini(Y, "national"), disciplines=[warn(Y - 2)]), False, [TWICE]),
    ("reprimand_between_cycles", cstd_tq(initiative=ini(Y, "national"), disciplines=[warn(Y - 2, "reprimand")]),
     False, [TWICE]),
]


@pytest.mark.parametrize(("history", "eligible", "fails"), [r[1:] for r in CSTD_TQ_ROWS],
                         ids=[r[0] for r in CSTD_TQ_ROWS])
def test_cstd_tq(history, eligible, fails):
    assert_row("CSTD_TQ", history, Y, "regular", eligible, fails)


# ----------------------------------------------------------------------------------------------------------------
# TTLĐTT (Điều 28) and TTLĐXS (Điều 27)
# ----------------------------------------------------------------------------------------------------------------

SHARE = "members_ldtt_70_percent"
TTLDTT_ROWS = [
    ("seventy_percent", unit(rated("good", Y), members={Y: team(6, 3, 1)}), True, []),
    ("excellent_unit", unit(rated("excellent", Y), members={Y: team(6, 3, 1)}), True, []),
    ("sixty_nine_of_100", unit(rated("good", Y), members={Y: team(69, 31, 0)}), False, [SHARE]),
    ("seventy_of_100", unit(rated("good", Y), members={Y: team(70, 30, 0)}), True, []),
    ("69_9_percent", unit(rated("good", Y), members={Y: team(699, 301, 0)}), False, [SHARE]),
    ("cstdcs_count_as_ldtt", unit(rated("good", Y), members={Y: team(5, 3, 2)}), True, []),
    ("higher_title_counts", unit(rated("good", Y), members={Y: team(6, 3, 0, extra=[member("good", "CSTD_TINH")])}),
     True, []),
    ("unit_rating_done", unit(rated("done", Y), members={Y: team()}), False, ["unit_rating_good_or_better"]),
    ("member_warning", unit(rated("good", Y), members={Y: team(6, 2, 1, extra=[member("done", discipline="warning")])}),
     False, ["members_no_discipline"]),
    ("member_reprimand", unit(rated("good", Y), members={Y: team(6, 2, 1,
                                                                 extra=[member("done", discipline="reprimand")])}),
     True, []),
    ("no_members", unit(rated("good", Y)), False, [SHARE, "members_no_discipline"]),
    ("members_other_year", unit(rated("good", Y), members={Y - 1: team()}), False, [SHARE, "members_no_discipline"]),
    ("frozen", unit(rated("good", Y), members={Y: team()}, frozen="khiếu nại"), False, ["not_frozen"]),
    ("person_subject", person(rated("good", Y)), False, ["subject_matches"]),
]


@pytest.mark.parametrize(("history", "eligible", "fails"), [r[1:] for r in TTLDTT_ROWS],
                         ids=[r[0] for r in TTLDTT_ROWS])
def test_ttldtt(history, eligible, fails):
    assert_row("TTLDTT", history, Y, "regular", eligible, fails)


ALL_DONE = "members_all_done_or_better"
TTLDXS_ROWS = [
    ("all_criteria", unit(rated("excellent", Y), members={Y: team(6, 3, 1)}), True, []),
    ("unit_good", unit(rated("good", Y), members={Y: team(6, 3, 1)}), False, ["unit_rating_excellent"]),
    ("99_of_100_done", unit(rated("excellent", Y), members={Y: team(69, 29, 1, extra=[member("not_done")])}), False,
     [ALL_DONE]),
    ("100_of_100_done", unit(rated("excellent", Y), members={Y: team(69, 30, 1)}), True, []),
    ("member_unrated", unit(rated("excellent", Y), members={Y: team(6, 2, 1, extra=[member(None)])}), False,
     [ALL_DONE]),
    ("no_cstdcs_member", unit(rated("excellent", Y), members={Y: team(7, 3, 0)}), False,
     ["member_cstdcs_at_least_one"]),
    ("cstd_tinh_member", unit(rated("excellent", Y), members={Y: team(6, 3, 0, extra=[member("good", "CSTD_TINH")])}),
     True, []),
    ("sixty_percent_ldtt", unit(rated("excellent", Y), members={Y: team(5, 4, 1)}), False, [SHARE]),
    # Điều 27 has no clause on members' discipline (TTLĐTT's Điều 28 has)
    ("member_warning", unit(rated("excellent", Y), members={Y: team(6, 2, 1,
                                                                    extra=[member("done", discipline="warning")])}),
     True, []),
    ("no_members", unit(rated("excellent", Y)), False, [ALL_DONE, SHARE, "member_cstdcs_at_least_one"]),
]


@pytest.mark.parametrize(("history", "eligible", "fails"), [r[1:] for r in TTLDXS_ROWS],
                         ids=[r[0] for r in TTLDXS_ROWS])
def test_ttldxs(history, eligible, fails):
    assert_row("TTLDXS", history, Y, "regular", eligible, fails)


# ----------------------------------------------------------------------------------------------------------------
# Cờ thi đua cấp tỉnh (Điều 26) and của Chính phủ (Điều 25): [check] items
# ----------------------------------------------------------------------------------------------------------------

FLAG_ROWS = [
    # Điều 26: no TTLĐXS prerequisite; an excellent year and leading the cluster (a line the appraiser confirms)
    ("CO_TINH", "excellent_without_ttldxs", unit(rated("excellent", Y)), True, []),
    ("CO_TINH", "good_with_ttldxs", unit(rated("good", Y), [aw("TTLDXS", Y)]), False, ["unit_rating_excellent"]),
    ("CO_TINH", "unrated", unit(), False, ["unit_rating_excellent"]),
    ("CO_TINH", "frozen", unit(rated("excellent", Y), frozen="thanh tra"), False, ["not_frozen"]),
    ("CO_TINH", "person_subject", person(rated("excellent", Y)), False, ["subject_matches"]),
    ("CO_CP", "co_tinh_this_year", unit(awards=[aw("CO_TINH", Y)]), True, []),
    ("CO_CP", "co_tinh_last_year", unit(awards=[aw("CO_TINH", Y - 1)]), False, ["co_tinh_in_year"]),
    ("CO_CP", "co_tinh_adhoc", unit(awards=[aw("CO_TINH", Y, "adhoc")]), False, ["co_tinh_in_year"]),
    ("CO_CP", "only_ttldxs", unit(awards=[aw("TTLDXS", Y)]), False, ["co_tinh_in_year"]),
]


@pytest.mark.parametrize(("code", "history", "eligible", "fails"), [(r[0], *r[2:]) for r in FLAG_ROWS],
                         ids=[f"{r[0]}-{r[1]}" for r in FLAG_ROWS])
def test_flags(code, history, eligible, fails):
    result = assert_row(code, history, Y, "regular", eligible, fails)
    if isinstance(history, UnitHistory):
        own = [c for c in result.checks if c.rule not in {"not_frozen", "no_discipline_in_year", "period_unused"}]
        assert own and any(c.manual for c in own)
        if code == "CO_CP":  # RULES.md marks Điều 25 [check]
            assert all(c.basis.confirmed is False for c in own)


# ----------------------------------------------------------------------------------------------------------------
# Giấy khen (Điều 75)
# ----------------------------------------------------------------------------------------------------------------

GIAY_KHEN_ROWS = [
    ("person_good", person(rated("good", Y)), "regular", True, []),
    ("person_excellent", person(rated("excellent", Y)), "regular", True, []),
    ("person_done", person(rated("done", Y)), "regular", False, ["rating_good_or_better"]),
    ("adhoc_done", person(rated("done", Y)), "adhoc", True, []),
    ("adhoc_unrated", person(), "adhoc", True, []),
    ("thematic_done", person(rated("done", Y)), "thematic", True, []),  # the campaign route: a confirm line
    ("adhoc_warning", person(disciplines=[warn(Y)]), "adhoc", False, ["no_discipline_in_year"]),
    ("adhoc_frozen", person(frozen="tố cáo"), "adhoc", False, ["not_frozen"]),
    ("unit_good", unit(rated("good", Y)), "regular", True, []),
    ("unit_done", unit(rated("done", Y)), "regular", False, ["unit_rating_good_or_better"]),
    ("unit_adhoc_done", unit(rated("done", Y)), "adhoc", True, []),
]


@pytest.mark.parametrize(("history", "kind", "eligible", "fails"), [r[1:] for r in GIAY_KHEN_ROWS],
                         ids=[r[0] for r in GIAY_KHEN_ROWS])
def test_giay_khen(history, kind, eligible, fails):
    result = assert_row("GIAY_KHEN", history, Y, kind, eligible, fails)
    assert any(c.manual for c in result.checks)
    if kind == "adhoc":  # the shortcut: no rating line at all
        assert not {"rating_good_or_better", "unit_rating_good_or_better"} & {c.rule for c in result.checks}


# ----------------------------------------------------------------------------------------------------------------
# Bằng khen cấp tỉnh (Điều 74.1.d)
# ----------------------------------------------------------------------------------------------------------------

BK = "cstdcs_two_years_or_excellent_initiatives"
BK_UNIT = "unit_two_years_excellent_or_ttldxs"
EXC2 = rated("excellent", Y - 1, Y)
BK_TINH_ROWS = [
    ("cstdcs_two_years", person(rated("good", Y - 1, Y), [aw("CSTDCS", Y - 1), aw("CSTDCS", Y)]), True, []),
    ("cstdcs_this_year_only", person(rated("good", Y - 1, Y), [aw("CSTDCS", Y)]), False, [BK]),
    ("cstdcs_gap", person(rated("good", Y - 2, Y), [aw("CSTDCS", Y - 2), aw("CSTDCS", Y)]), False, [BK]),
    ("cstdcs_adhoc", person(rated("good", Y - 1, Y), [aw("CSTDCS", Y - 1, "adhoc"), aw("CSTDCS", Y)]), False, [BK]),
    ("cstdcs_revoked", person(rated("good", Y - 1, Y), [aw("CSTDCS", Y - 1, revoked=True), aw("CSTDCS", Y)]), False,
     [BK]),
    ("excellent_two_initiatives", person(EXC2, initiatives=[ini(Y - 1, id=1), ini(Y, id=2)]), True, []),
    ("excellent_two_initiatives_same_year", person(EXC2, initiatives=[ini(Y, id=1), ini(Y, id=2)]), True, []),
    ("excellent_one_initiative", person(EXC2, initiatives=[ini(Y)]), False, [BK]),
    ("excellent_one_used", person(EXC2, initiatives=[ini(Y, id=1), ini(Y, used_by="CSTDCS", id=2)]), False, [BK]),
    ("excellent_initiative_out_of_window", person(EXC2, initiatives=[ini(Y - 2, id=1), ini(Y, id=2)]), False, [BK]),
    ("excellent_one_year", person(rated("excellent", Y) | {Y - 1: "good"}, initiatives=[ini(Y, id=1), ini(Y, id=2)]),
     False, [BK]),
    ("warning_last_year_resets", person(rated("good", Y - 1, Y), [aw("CSTDCS", Y - 1), aw("CSTDCS", Y)],
                                        disciplines=[warn(Y - 1)]), False, [BK]),
    ("reprimand_last_year", person(rated("good", Y - 1, Y), [aw("CSTDCS", Y - 1), aw("CSTDCS", Y)],
                                   disciplines=[warn(Y - 1, "reprimand")]), False, [BK]),
    ("unit_excellent_two_years", unit(EXC2), True, []),
    ("unit_ttldxs_then_excellent", unit(rated("good", Y - 1) | rated("excellent", Y), [aw("TTLDXS", Y - 1)]), True,
     []),
    ("unit_ttldxs_both_years", unit(rated("good", Y - 1, Y), [aw("TTLDXS", Y - 1), aw("TTLDXS", Y)]), True, []),
    ("unit_ttldxs_revoked", unit(rated("good", Y - 1) | rated("excellent", Y), [aw("TTLDXS", Y - 1, revoked=True)]),
     False, [BK_UNIT]),
    ("unit_good_both", unit(rated("good", Y - 1, Y)), False, [BK_UNIT]),
    ("unit_excellent_gap", unit(rated("excellent", Y - 2, Y)), False, [BK_UNIT]),
]


@pytest.mark.parametrize(("history", "eligible", "fails"), [r[1:] for r in BK_TINH_ROWS],
                         ids=[r[0] for r in BK_TINH_ROWS])
def test_bk_tinh(history, eligible, fails):
    assert_row("BK_TINH", history, Y, "regular", eligible, fails)


# ----------------------------------------------------------------------------------------------------------------
# Bằng khen Thủ tướng (Điều 73.1.b) and HCLĐ hạng Ba (Điều 44)
# ----------------------------------------------------------------------------------------------------------------

FIVE = range(Y - 4, Y + 1)


def long_record(prior="BK_TINH", prior_year=Y - 5, prior_kind="regular", prior_revoked=False,
                cstdcs=(Y - 4, Y - 2, Y), ratings=None, disciplines=(), extra=()):
    awards = [aw(prior, prior_year, prior_kind, prior_revoked)] if prior else []
    awards += [aw("CSTDCS", y) for y in cstdcs] + list(extra)
    return person(ratings or rated("good", *FIVE), awards, disciplines=disciplines)


PRIOR, GOOD5, CS3 = "prior_bk_tinh", "good_5_or_more_consecutive_years", "cstdcs_3_times_in_period"
ONCE, EXC5, FLAG = "period_unused", "excellent_5_or_more_consecutive_years", "flag_or_titles_in_period"
BK_TTG_ROWS = [
    ("bk_tinh_five_years_before", long_record(), True, []),
    ("bk_tinh_four_years_before", long_record(prior_year=Y - 4), False, [PRIOR]),
    ("bk_tinh_six_years_before", long_record(prior_year=Y - 6), True, []),
    ("bk_tinh_revoked", long_record(prior_revoked=True), False, [PRIOR]),
    ("bk_tinh_adhoc", long_record(prior_kind="adhoc"), False, [PRIOR]),
    ("no_bk_tinh", long_record(prior=None), False, [PRIOR]),
    # the run is the consecutive years up to the nomination year: a 'done' year cuts it, and the CSTĐCS count in it
    ("a_done_year", long_record(ratings=rated("good", *FIVE) | {Y - 2: "done"}), False, [GOOD5, CS3]),
    ("first_year_unrated", long_record(ratings=rated("good", Y - 3, Y - 2, Y - 1, Y)), False, [GOOD5, CS3]),
    ("excellent_years_count", long_record(ratings=rated("excellent", *FIVE)), True, []),
    ("cstdcs_twice", long_record(cstdcs=(Y - 4, Y)), False, [CS3]),
    ("cstdcs_thematic_third", long_record(cstdcs=(Y - 4, Y), extra=[aw("CSTDCS", Y - 2, "thematic")]), False, [CS3]),
    ("cstdcs_before_run", long_record(cstdcs=(Y - 5, Y - 2, Y)), False, [CS3]),
    # "05 năm trở lên": a longer run counts, its CSTĐCS too, not only the last five years
    ("eight_year_run_cstdcs_early", long_record(prior_year=Y - 8, cstdcs=(Y - 7, Y - 6, Y - 5),
                                                ratings=rated("good", *range(Y - 7, Y + 1))), True, []),
    ("warning_in_window", long_record(disciplines=[warn(Y - 3)]), False, [GOOD5, CS3]),
    ("warning_before_bk_tinh", long_record(disciplines=[warn(Y - 6)]), True, []),
    ("reprimand_in_window", long_record(disciplines=[warn(Y - 3, "reprimand")]), False, [GOOD5, CS3]),
    ("unit_flag", unit(rated("excellent", *FIVE), [aw("BK_TINH", Y - 5), aw("CO_TINH", Y - 2)]), True, []),
    ("unit_two_ttldxs", unit(rated("excellent", *FIVE), [aw("BK_TINH", Y - 5), aw("TTLDXS", Y - 3), aw("TTLDXS", Y)]),
     True, []),
    ("unit_one_ttldxs", unit(rated("excellent", *FIVE), [aw("BK_TINH", Y - 5), aw("TTLDXS", Y)]), False, [FLAG]),
    ("unit_good_year", unit(rated("excellent", *FIVE) | {Y - 3: "good"}, [aw("BK_TINH", Y - 5), aw("CO_TINH", Y)]),
     False, [EXC5]),
    ("unit_bk_tinh_recent", unit(rated("excellent", *FIVE), [aw("BK_TINH", Y - 4), aw("CO_TINH", Y)]), False,
     [PRIOR]),
]


@pytest.mark.parametrize(("history", "eligible", "fails"), [r[1:] for r in BK_TTG_ROWS],
                         ids=[f"Dieu73-{r[0]}" for r in BK_TTG_ROWS])
def test_bk_ttg(history, eligible, fails):
    assert_row("BK_TTG", history, Y, "regular", eligible, fails)


ONE_EXC = rated("good", *FIVE) | {Y - 2: "excellent"}
HCLD3_ROWS = [
    ("bk_ttg_five_years_before", long_record("BK_TTG", ratings=ONE_EXC), True, []),
    ("bk_ttg_four_years_before", long_record("BK_TTG", Y - 4, ratings=ONE_EXC), False, ["prior_bk_ttg"]),
    ("only_bk_tinh", long_record("BK_TINH", ratings=ONE_EXC), False, ["prior_bk_ttg"]),
    ("bk_ttg_revoked", long_record("BK_TTG", prior_revoked=True, ratings=ONE_EXC), False, ["prior_bk_ttg"]),
    ("a_done_year", long_record("BK_TTG", ratings=ONE_EXC | {Y: "done"}), False,
     ["good_5_or_more_consecutive_years", CS3, "excellent_year_in_period"]),
    ("cstdcs_twice", long_record("BK_TTG", cstdcs=(Y - 1, Y), ratings=ONE_EXC), False, [CS3]),
    # Điều 44.1.e: one or more years HTXSNV within the run, on by default
    ("no_excellent_year", long_record("BK_TTG"), False, ["excellent_year_in_period"]),
    ("excellent_before_run", long_record("BK_TTG", ratings=rated("good", *FIVE) | {Y - 5: "excellent"}), False,
     ["excellent_year_in_period"]),
    ("unit_flag_in_run", unit(rated("excellent", *FIVE), [aw("BK_TTG", Y - 5), aw("CO_TINH", Y - 1)]), True, []),
    ("unit_two_bk_tinh", unit(rated("excellent", *FIVE), [aw("BK_TTG", Y - 5), aw("BK_TINH", Y - 3),
                                                          aw("BK_TINH", Y - 1)]), True, []),
    ("unit_nothing_in_run", unit(rated("excellent", *FIVE), [aw("BK_TTG", Y - 5)]), False, [FLAG]),
]


@pytest.mark.parametrize(("history", "eligible", "fails"), [r[1:] for r in HCLD3_ROWS],
                         ids=[f"Dieu44-{r[0]}" for r in HCLD3_ROWS])
def test_hcld3(history, eligible, fails):
    assert_row("HCLD3", history, Y, "regular", eligible, fails)


def test_hcld3_excellent_year_is_no_setting():
    assert all("hcld3_requires_excellent" not in rs.defaults for rs in RULESETS)
    line = next(c for c in check("HCLD3", long_record("BK_TTG"), Y) if c.rule == "excellent_year_in_period")
    assert not line.passed and "Điều 44" in line.basis.article and line.basis.confirmed


# ----------------------------------------------------------------------------------------------------------------
# Rule sets, quota, evaluate
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "name"), [
    (2017, "NĐ 91/2017/NĐ-CP"), (2023, "NĐ 91/2017/NĐ-CP"), (2024, "NĐ 98/2023/NĐ-CP"),
    (2025, "NĐ 152/2025/NĐ-CP"), (2026, "NĐ 152/2025/NĐ-CP"), (2030, "NĐ 152/2025/NĐ-CP"),
])
def test_ruleset_for(year, name):
    assert ruleset_for(year).name == name
    assert evaluate("LDTT", person(rated("good", year)), year).ruleset == name


def test_ruleset_before_any_regime():
    with pytest.raises(ValueError):
        ruleset_for(2016)


def test_rulesets_do_not_overlap_and_last_is_open():
    for earlier, later in zip(RULESETS, RULESETS[1:], strict=False):
        assert earlier.effective_to is not None and earlier.effective_to < later.effective_from
    assert RULESETS[-1].effective_to is None


@pytest.mark.parametrize("ruleset", RULESETS, ids=[rs.name for rs in RULESETS])
def test_every_award_has_rules_in_every_ruleset(ruleset):
    assert set(DEFAULTS) <= set(ruleset.rules)
    assert all(ruleset.rules[code] for code in DEFAULTS)


@pytest.mark.parametrize(("ldtt", "cstdcs", "percent", "passed"), [
    (20, 3, 15, True), (20, 4, 15, False), (6, 0, 15, True), (6, 1, 15, False), (7, 1, 15, True), (7, 2, 15, False),
    (0, 0, 15, True), (100, 15, 15, True), (100, 16, 15, False), (20, 4, None, True), (0, 9, None, True),
    (10, 1, 12.5, True),
])
def test_quota_check(ldtt, cstdcs, percent, passed):
    line = quota_check(ldtt, cstdcs, percent)
    assert line.passed is passed and line.rule == "cstdcs_quota" and line.basis.article
    if percent is None:
        assert "Không áp dụng" in line.detail


def test_quota_detail_names_the_allowance():
    assert "tối đa 3" in quota_check(20, 4, 15).detail


def test_evaluate_overridden():
    history = person(rated("good", Y))
    assert not evaluate("CSTDCS", history, Y).eligible
    assert evaluate("CSTDCS", history, Y, overridden=frozenset({"excellent_or_unit_initiative"})).eligible
    assert not evaluate("CSTDCS", history, Y, overridden=frozenset({"rating_good_or_better"})).eligible
    # an override keeps the failing line visible: the written record shows what was overridden
    result = evaluate("CSTDCS", history, Y, overridden=frozenset({"excellent_or_unit_initiative"}))
    assert "excellent_or_unit_initiative" in failing(result)


def test_check_accepts_award_type_and_rejects_bad_kind():
    assert check(DEFAULTS["LDTT"], person(rated("good", Y)), Y) == check("LDTT", person(rated("good", Y)), Y)
    with pytest.raises(ValueError):
        check("LDTT", person(), Y, kind="special")


# Every award against a person and a unit with thin histories: every line names its basis and has a detail,
# and manual lines never block.
SUBJECTS = [("person", person(rated("good", Y))), ("unit", unit(rated("good", Y), members={Y: team()}))]


@pytest.mark.parametrize("code", sorted(DEFAULTS))
@pytest.mark.parametrize(("subject", "history"), SUBJECTS, ids=[s[0] for s in SUBJECTS])
def test_every_line_has_basis_and_manual_never_blocks(code, subject, history):
    for line in check(code, history, Y):
        assert isinstance(line, Check)
        assert line.basis.article.strip() and line.basis.text.strip() and line.detail.strip()
        if line.manual:
            assert line.passed and line.detail.startswith("Cần xác nhận")


@pytest.mark.parametrize(("code", "history"), [
    ("LDTT", person(rated("good", Y))),
    ("CO_TINH", unit(rated("excellent", Y))),
    ("CO_CP", unit(awards=[aw("CO_TINH", Y)])),
    ("GIAY_KHEN", person(rated("good", Y))),
])
def test_manual_lines_shown_but_not_blocking(code, history):
    result = evaluate(code, history, Y)
    manual = [c for c in result.checks if c.manual]
    assert manual and result.eligible


def test_firm_and_check_bases():
    ldtt = {c.rule: c for c in check("LDTT", person(rated("good", Y)), Y)}
    assert ldtt["rating_good_or_better"].basis.confirmed
    assert "Điều 24" in ldtt["rating_good_or_better"].basis.article
    assert "Điều 4" in ldtt["no_discipline_in_year"].basis.article
    hcld3 = {c.rule: c for c in check("HCLD3", long_record("BK_TTG"), Y)}
    assert hcld3["prior_bk_ttg"].basis.confirmed  # Điều 44.1.e read in the Bộ Nội vụ's answer
    co_cp = {c.rule: c for c in check("CO_CP", unit(awards=[aw("CO_TINH", Y)]), Y)}
    assert not co_cp["co_tinh_in_year"].basis.confirmed


# ----------------------------------------------------------------------------------------------------------------
# Detail texts name the concrete years and titles
# ----------------------------------------------------------------------------------------------------------------


def line(code, history, rule, year=Y, **kw):
    return next(c for c in check(code, history, year, **kw) if c.rule == rule)


def test_detail_chain_gap():
    detail = line("CSTD_TINH", cstd_tinh((Y - 2, Y)), CHAIN).detail
    assert detail == "CSTĐCS các năm 2023–2025: có 2023, 2025; thiếu 2024"


def test_detail_names_why_an_award_does_not_count():
    detail = line("CSTD_TINH", cstd_tinh((Y - 2, Y), [aw("CSTDCS", Y - 1, "adhoc")]), CHAIN).detail
    assert "thiếu 2024" in detail and "2024 (khen đột xuất)" in detail
    detail = line("CSTD_TINH", cstd_tinh((Y - 2, Y), [aw("CSTDCS", Y - 1, revoked=True)]), CHAIN).detail
    assert "2024 (đã bị hủy bỏ)" in detail


def test_detail_discipline_window():
    detail = line("CSTD_TINH", cstd_tinh(disciplines=[warn(Y - 1)]), CHAIN).detail
    assert "2023 (trong thời hạn kỷ luật)" in detail and "thành tích trước năm 2025 không tính" in detail


def test_detail_initiative_used():
    history = cstd_tinh(initiative=ini(Y - 1, "provincial", used_by="BK_TINH", title="Phần mềm một cửa"))
    detail = line("CSTD_TINH", history, PROV).detail
    assert "«Phần mềm một cửa» (2024, cấp tỉnh)" in detail and "đã dùng cho Bằng khen cấp tỉnh" in detail


def test_detail_rating_and_discipline_years():
    assert "2025" in line("LDTT", person(rated("done", Y)), "rating_good_or_better").detail
    detail = line("LDTT", person(rated("good", Y), disciplines=[warn(Y)]), "no_discipline_in_year").detail
    assert "cảnh cáo" in detail and "2025" in detail
    assert "khiển trách" in line("LDTT", person(disciplines=[warn(Y, "reprimand")]), "no_discipline_in_year").detail


def test_detail_prior_and_members():
    detail = line("BK_TTG", long_record(prior_year=Y - 4), PRIOR).detail
    assert "2020" in detail and "2021" in detail
    detail = line("TTLDTT", unit(rated("good", Y), members={Y: team(69, 31, 0)}), SHARE).detail
    assert "69/100" in detail and "69,0%" in detail and "2025" in detail
    assert "Chưa có danh sách thành viên năm 2025" in line("TTLDTT", unit(rated("good", Y)), SHARE).detail


# ----------------------------------------------------------------------------------------------------------------
# Chain progress
# ----------------------------------------------------------------------------------------------------------------


def progress_of(history, target, year=Y):
    return next(p for p in chain_progress(history, year) if p.target == target)


def cstdcs_years(*years, extra=(), disciplines=(), ratings=None):
    return person(ratings or {}, [aw("CSTDCS", y) for y in years] + list(extra), disciplines=disciplines)


PROGRESS_ROWS = [
    ("two_years", cstdcs_years(Y - 1, Y), "CSTD_TINH", 2, 3),
    ("ending_last_year", cstdcs_years(Y - 2, Y - 1), "CSTD_TINH", 2, 3),
    ("capped_at_three", cstdcs_years(*range(Y - 4, Y + 1)), "CSTD_TINH", 3, 3),
    ("gap", cstdcs_years(Y - 2, Y), "CSTD_TINH", 1, 3),
    ("too_old", cstdcs_years(Y - 3), "CSTD_TINH", 0, 3),
    ("adhoc_breaks_run", cstdcs_years(Y - 2, Y, extra=[aw("CSTDCS", Y - 1, "adhoc")]), "CSTD_TINH", 1, 3),
    ("warning_resets", cstdcs_years(Y - 2, Y - 1, Y, disciplines=[warn(Y - 1)]), "CSTD_TINH", 1, 3),
    ("reprimand_resets_too", cstdcs_years(Y - 2, Y - 1, Y, disciplines=[warn(Y - 1, "reprimand")]), "CSTD_TINH", 1,
     3),
    ("bk_tinh_two", cstdcs_years(Y - 2, Y - 1, Y), "BK_TINH", 2, 2),
    ("bk_tinh_one", cstdcs_years(Y), "BK_TINH", 1, 2),
    ("cstd_tq_two_cycles", person(awards=[aw("CSTD_TINH", Y - 3), aw("CSTD_TINH", Y)]), "CSTD_TQ", 2, 2),
    ("cstd_tq_one", person(awards=[aw("CSTD_TINH", Y)]), "CSTD_TQ", 1, 2),
    ("cstd_tq_not_consecutive", person(awards=[aw("CSTD_TINH", Y - 2), aw("CSTD_TINH", Y)]), "CSTD_TQ", 1, 2),
    ("cstd_tq_none", person(), "CSTD_TQ", 0, 2),
    ("bk_ttg_three_good", person(rated("good", Y - 2, Y - 1, Y), [aw("BK_TINH", Y - 3)]), "BK_TTG", 3, 5),
    ("bk_ttg_capped", person(rated("good", *range(Y - 7, Y + 1)), [aw("BK_TINH", Y - 8)]), "BK_TTG", 5, 5),
    ("bk_ttg_since_last", person(rated("good", *range(Y - 7, Y + 1)), [aw("BK_TINH", Y - 8), aw("BK_TINH", Y - 1)]),
     "BK_TTG", 1, 5),
    ("bk_ttg_no_bk_tinh", person(rated("good", *FIVE)), "BK_TTG", 0, 5),
    ("bk_ttg_revoked_bk_tinh", person(rated("good", *FIVE), [aw("BK_TINH", Y - 5, revoked=True)]), "BK_TTG", 0, 5),
    ("unit_two", unit(rated("excellent", Y - 1, Y)), "BK_TINH", 2, 2),
    ("unit_ttldxs_then_excellent", unit(rated("excellent", Y), [aw("TTLDXS", Y - 1)]), "BK_TINH", 2, 2),
    ("unit_one", unit(rated("good", Y - 1) | rated("excellent", Y)), "BK_TINH", 1, 2),
    ("unit_none", unit(), "BK_TINH", 0, 2),
]


@pytest.mark.parametrize(("history", "target", "have", "need"), [r[1:] for r in PROGRESS_ROWS],
                         ids=[r[0] for r in PROGRESS_ROWS])
def test_chain_progress(history, target, have, need):
    got = progress_of(history, target)
    assert (got.have, got.need) == (have, need)
    assert got.detail.startswith(f"{have}/{need}")


def test_chain_progress_detail_and_targets():
    got = progress_of(cstdcs_years(Y - 1, Y), "CSTD_TINH")
    assert got.detail == "2/3 năm CSTĐCS liên tiếp (2024, 2025) hướng tới Chiến sĩ thi đua cấp tỉnh"
    assert [p.target for p in chain_progress(person(), Y)] == ["CSTD_TINH", "CSTD_TQ", "BK_TINH", "BK_TTG"]
    assert [p.target for p in chain_progress(unit(), Y)] == ["BK_TINH"]
