"""Eligibility rules as pure functions over the plain history data (RULES.md §0–§4).

Every rule reads a `Case` (the history, the award year, the nomination's kind and route, the rule set's settings
and the legal bases of that year's regime) and returns a `Check` — or a list of them — that names its legal
basis. A `RuleSet` is a table from award code to rule functions with its period in force; the achievement year
picks it (years up to 2023: Luật TĐKT 2003/2013 and NĐ 91/2017; 2024 – 30/06/2025: Luật TĐKT 2022 and NĐ 98/2023;
later: Luật TĐKT 2022 and NĐ 152/2025). No database, no Flask: tests build the history by hand.

Principles applied to every award:
- revoked, ad-hoc and thematic awards never count toward a chain (`AwardHeld.counts`);
- a discipline of any level, reprimand included, blocks the awards of the year it falls in (and of a year its
  execution runs into); achievements count again only from the end of its execution period (NĐ 152 Art 4.4);
- an open discipline review, investigation or complaint freezes every award (`frozen_reason`), collectives too;
- one achievement, one award (Law Art 5.2.c): a chain starts after the period of the previous award of its type;
- an initiative supports one form of commendation, or titles only (CV 5007/BNV-TĐKT III.5.c);
- a form of commendation has several routes ("đạt một trong các tiêu chuẩn"): the nomination's route picks its
  lines; routes that rest on a judgement (đột xuất, phạm vi ảnh hưởng) are lines the appraiser confirms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from math import floor
from types import MappingProxyType

from awards.catalog import blocks
from awards.catalog.bases import (
    BASES_2013_91,
    BASES_2022_98,
    BASES_2022_152,
    KINDS,
    ROUTE_OF_KIND,
    ROUTES,
    Bases,
    Basis,
    Case,
    Check,
)
from awards.catalog.checks import (
    KIND_TEXT,
    Rule,
    as_list,
    at_least,
    by_route,
    confirm,
    for_subject,
    fresh_note,
    initiative_detail,
    initiative_within,
    initiatives,
    member_cstdcs_at_least_one,
    members_all_done_or_better,
    members_ldtt_share,
    members_no_discipline,
    no_discipline_in_year,
    not_frozen,
    period_unused,
    rating_at_least,
    rating_text,
    run_after_prior,
    run_ending,
    span,
    title_detail,
    title_every_year,
    titles_in,
    years_text,
)
from awards.catalog.history import PersonHistory, UnitHistory
from awards.catalog.types import AwardType, name_of

History = PersonHistory | UnitHistory


@dataclass(frozen=True)
class RuleSet:
    name: str
    effective_from: date
    effective_to: date | None
    rules: Mapping[str, tuple[Rule, ...]]
    defaults: Mapping[str, object]
    bases: Bases = BASES_2022_152


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    checks: tuple[Check, ...]
    ruleset: str
    period: tuple[int, int] | None = None  # the achievement years a decision writes (the chain's, when it has one)


@dataclass(frozen=True)
class Progress:
    target: str
    have: int
    need: int
    detail: str


# ---------------------------------------------------------------------------------------------------------------
# Rules of one award each
# ---------------------------------------------------------------------------------------------------------------


def excellent_or_unit_initiative(case: Case) -> Check:
    """CSTĐCS (Law 2022 Art 23): rated excellent in the year, or an initiative of scope ≥ unit that year."""
    rating = case.history.ratings.get(case.year)
    usable, excluded = initiatives(case, "CSTDCS", case.year, case.year, "unit")
    detail = (f"Năm {case.year}: xếp loại {rating_text(rating)}; sáng kiến cơ sở trở lên: "
              f"{initiative_detail(case, usable, excluded)}")
    return Check("excellent_or_unit_initiative", rating == "excellent" or bool(usable), detail, case.b.cstdcs)


def unit_initiative_in_year(case: Case) -> Check:
    """CSTĐCS up to 2023 (Law 2003/2013 Art 23; NĐ 91 Art 9.3): an initiative, research or solution recognised in
    the year; an excellent rating alone is not a route."""
    usable, excluded = initiatives(case, "CSTDCS", case.year, case.year, "unit")
    detail = (f"Năm {case.year}: sáng kiến, đề tài, giải pháp được công nhận: "
              f"{initiative_detail(case, usable, excluded)} (hoàn thành xuất sắc nhiệm vụ không thay được sáng kiến)")
    return Check("initiative_in_year", bool(usable), detail, case.b.cstdcs)


def cstdcs_two_years_or_excellent_initiatives(case: Case) -> Check:
    """BK tỉnh, individual (Law 2022 Art 74.1.d): CSTĐCS in y-1 and y, or HTXSNV both years with 2 initiatives."""
    years = [case.year - 1, case.year]
    have, excluded = titles_in(case, "CSTDCS", years)
    start = case.fresh_from or years[0]
    excellent = [y for y in years if y >= start and case.history.ratings.get(y) == "excellent"]
    usable, skipped = initiatives(case, "BK_TINH", years[0], years[1], "unit")
    passed = len(have) == 2 or (len(excellent) == 2 and len(usable) >= 2)
    detail = (f"{title_detail('CSTDCS', years, have, excluded)}; hoặc HTXSNV cả hai năm (đạt: {years_text(excellent)})"
              f" và 02 sáng kiến cơ sở trở lên ({len(usable)}: {initiative_detail(case, usable, skipped)})")
    return Check("cstdcs_two_years_or_excellent_initiatives", passed, detail + fresh_note(case, years[0]),
                 case.b.bk_tinh, period=(years[0], case.year) if passed else None)


def excellent_two_years_two_initiatives(case: Case) -> Check:
    """BK tỉnh up to 2023 (NĐ 91 Art 39.1, reading [check]): HTXSNV in y-1 and y with 2 unit initiatives then."""
    years = [case.year - 1, case.year]
    start = case.fresh_from or years[0]
    excellent = [y for y in years if y >= start and case.history.ratings.get(y) == "excellent"]
    usable, skipped = initiatives(case, "BK_TINH", years[0], years[1], "unit")
    passed = len(excellent) == 2 and len(usable) >= 2
    detail = (f"HTXSNV {span(years)}: đạt {years_text(excellent)}; sáng kiến cơ sở trở lên: {len(usable)}, cần 02 "
              f"({initiative_detail(case, usable, skipped)})")
    return Check("excellent_two_years_two_initiatives", passed, detail, case.b.bk_tinh,
                 period=(years[0], case.year) if passed else None)


def unit_two_years_excellent_or_ttldxs(case: Case) -> Check:
    """BK tỉnh, collective: each of y-1 and y rated excellent or holding a counting TTLĐXS."""
    years = [case.year - 1, case.year]
    ttldxs, excluded = titles_in(case, "TTLDXS", years)
    start = case.fresh_from or years[0]
    met = [y for y in years if y >= start and (y in ttldxs or case.history.ratings.get(y) == "excellent")]
    detail = (f"HTXSNV hoặc TTLĐXS {span(years)}: đạt {years_text(met)}"
              + (f"; thiếu {years_text(y for y in years if y not in met)}" if len(met) < 2 else "")
              + (f"; TTLĐXS không tính: {', '.join(excluded)}" if excluded else ""))
    return Check("unit_two_years_excellent_or_ttldxs", len(met) == 2, detail, case.b.bk_tinh_unit,
                 period=(years[0], case.year) if len(met) == 2 else None)


def ttldxs_five_years_with_flag(case: Case) -> list[Check]:
    """HCLĐ3, collective, up to 2023 (Law 2003 Art 44.2, reading [check]): TTLĐXS in each of the 5 years ending
    in the award year, and within them 1 Cờ thi đua cấp tỉnh or 1 BK Thủ tướng."""
    years = list(range(case.year - 4, case.year + 1))
    have, excluded = titles_in(case, "TTLDXS", years)
    flags = titles_in(case, "CO_TINH", years)[0] + titles_in(case, "BK_TTG", years)[0]
    b = case.b.hcld3_unit
    return [Check("ttldxs_five_consecutive_years", len(have) == 5, title_detail("TTLDXS", years, have, excluded), b,
                  period=(years[0], case.year) if len(have) == 5 else None),
            Check("flag_or_bk_ttg_in_period", bool(flags), f"Cờ thi đua cấp tỉnh hoặc Bằng khen Thủ tướng {span(years)}"
                                                           f": {years_text(flags)}; cần 01 lần", b)]


# ---------------------------------------------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------------------------------------------

COMMON: tuple[Rule, ...] = (not_frozen, no_discipline_in_year)

_ldtt_rating = rating_at_least("rating_good_or_better", "good", "ldtt")
_ldtt_spirit = confirm("self_reliance_solidarity", "tinh thần tự lực, tự cường; đoàn kết, tương trợ, tích cực tham "
                                                   "gia phong trào thi đua", "ldtt")


def _rules(code: str, person: tuple[Rule, ...] = (), unit: tuple[Rule, ...] = ()) -> tuple[Rule, ...]:
    return (*COMMON, for_subject(code, person, unit))


def _routes(basis: str, chain: tuple[Rule, ...], **judged: str) -> Rule:
    """A form's routes: the chain's rules, and a line the appraiser confirms for each other route it lists."""
    texts = {"campaign": "thành tích xuất sắc được bình xét trong phong trào thi đua (đợt, chuyên đề)",
             "adhoc": "thành tích đột xuất", "contribution": "thành tích đóng góp, cống hiến",
             "other": "đạt một tiêu chuẩn khác của điều luật", **judged}
    routes = {route: (confirm(f"route_{route}", text, basis),) for route, text in texts.items()}
    return by_route({**routes, "chain": chain})


def _giay_khen(unit: bool) -> Rule:
    rating = rating_at_least("unit_rating_good_or_better" if unit else "rating_good_or_better", "good", "giay_khen")
    return _routes("giay_khen", (rating, confirm("has_achievement", "có thành tích", "giay_khen")))


def leads_emulation_cluster(case: Case) -> Check:
    """Law Art 26 (2013 Law Art 26): the collective led its cụm, khối thi đua in the award year, read from the
    cluster's recorded vote (clusters feature); with no cluster result recorded for that year it is a line the
    appraiser confirms, saying so."""
    year, history = case.year, case.history
    name = (getattr(history, "cluster_results", None) or {}).get(year)
    if year in (getattr(history, "led_clusters", None) or ()):
        return Check("leads_emulation_cluster", True, f"Dẫn đầu cụm, khối thi đua “{name}” năm {year}", case.b.co_tinh)
    if name is not None:
        return Check("leads_emulation_cluster", False, f"Không dẫn đầu cụm, khối thi đua “{name}” năm {year} (theo "
                                                       "kết quả bình bầu đã ghi nhận)", case.b.co_tinh)
    return Check("leads_emulation_cluster", True, f"Cần xác nhận: tiêu biểu xuất sắc, dẫn đầu cụm, khối thi đua (năm "
                                                  f"{year}); chưa ghi nhận kết quả cụm, khối thi đua năm {year}",
                 case.b.co_tinh, manual=True)


_CO_TINH = by_route({
    "chain": (rating_at_least("unit_rating_excellent", "excellent", "co_tinh"), leads_emulation_cluster),
    "campaign": (confirm("leads_thematic_campaign", "dẫn đầu phong trào thi đua theo chuyên đề từ 03 năm trở lên",
                         "co_tinh"),),
    "other": (leads_emulation_cluster,),
})

_TITLES: dict[str, tuple[Rule, ...]] = {
    "LDTT": _rules("LDTT", person=(_ldtt_rating, _ldtt_spirit)),
    "CSTD_TINH": _rules("CSTD_TINH", person=(
        period_unused("CSTD_TINH", 3, "cstd_tinh"),
        title_every_year("cstdcs_three_consecutive_years", "CSTDCS", (2, 1, 0), "cstd_tinh"),
        initiative_within("provincial_initiative_in_three_years", "CSTD_TINH", 3, "provincial", "cstd_tinh"),
    )),
    "CSTD_TQ": _rules("CSTD_TQ", person=(
        period_unused("CSTD_TQ", 6, "cstd_tq"),
        title_every_year("cstd_tinh_two_consecutive_times", "CSTD_TINH", (3, 0), "cstd_tq"),
        initiative_within("national_initiative_in_six_years", "CSTD_TQ", 6, "national", "cstd_tq"),
    )),
    "TTLDTT": _rules("TTLDTT", unit=(
        rating_at_least("unit_rating_good_or_better", "good", "ttldtt"),
        members_ldtt_share("members_ldtt_70_percent", "ttldtt_ldtt_percent", "ttldtt"),
        members_no_discipline,
    )),
    "TTLDXS": _rules("TTLDXS", unit=(  # Art 27 has no clause on members' discipline
        rating_at_least("unit_rating_excellent", "excellent", "ttldxs"),
        members_all_done_or_better,
        members_ldtt_share("members_ldtt_70_percent", "ttldxs_ldtt_percent", "ttldxs"),
        member_cstdcs_at_least_one,
    )),
    "CO_TINH": _rules("CO_TINH", unit=(period_unused("CO_TINH", 1, "co_tinh"), _CO_TINH)),
    "CO_CP": _rules("CO_CP", unit=(
        title_every_year("co_tinh_in_year", "CO_TINH", (0,), "co_cp"),
        confirm("most_outstanding_co_tinh", "tiêu biểu xuất sắc nhất trong các tập thể được tặng Cờ thi đua cấp "
                                            "tỉnh", "co_cp"),
    )),
    "GIAY_KHEN": _rules("GIAY_KHEN", person=(_giay_khen(False),), unit=(_giay_khen(True),)),
}

# The Luật TĐKT 2022 (NĐ 98/2023 and NĐ 152/2025 share it; their bases differ).
LAW_2022_RULES: Mapping[str, tuple[Rule, ...]] = MappingProxyType({
    **_TITLES,
    "CSTDCS": _rules("CSTDCS", person=(_ldtt_rating, _ldtt_spirit, excellent_or_unit_initiative)),
    "BK_TINH": _rules(
        "BK_TINH",
        person=(_routes("bk_tinh", (period_unused("BK_TINH", 2, "bk_tinh"),
                                    cstdcs_two_years_or_excellent_initiatives)),),
        unit=(_routes("bk_tinh_unit", (period_unused("BK_TINH", 2, "bk_tinh_unit"),
                                       unit_two_years_excellent_or_ttldxs)),)),
    "BK_TTG": _rules(
        "BK_TTG",
        person=(_routes("bk_ttg", (period_unused("BK_TTG", 5, "bk_ttg"),
                                   run_after_prior("BK_TINH", "BK_TTG", "bk_ttg")),
                        other="lập được nhiều thành tích có phạm vi ảnh hưởng (tiêu chuẩn khác của Điều 73)"),),
        unit=(_routes("bk_ttg_unit", (period_unused("BK_TTG", 5, "bk_ttg_unit"), run_after_prior(
            "BK_TINH", "BK_TTG", "bk_ttg_unit", minimum="excellent", titles=None,
            any_of=(("CO_TINH", 1), ("TTLDXS", 2))))),)),
    "HCLD3": _rules(
        "HCLD3",
        person=(_routes("hcld3", (period_unused("HCLD3", 5, "hcld3"),
                                  run_after_prior("BK_TTG", "HCLD3", "hcld3", excellent=1)),
                        adhoc="thành tích đặc biệt xuất sắc đột xuất",
                        contribution="quá trình cống hiến lâu dài (Điều 44 khoản 1 điểm g)"),),
        unit=(_routes("hcld3_unit", (period_unused("HCLD3", 5, "hcld3_unit"), run_after_prior(
            "BK_TTG", "HCLD3", "hcld3_unit", minimum="excellent", titles=None,
            any_of=(("CO_TINH", 1), ("BK_TINH", 2)))), adhoc="thành tích xuất sắc đột xuất"),)),
})

# The Luật TĐKT 2003 (sửa đổi 2013) and NĐ 91/2017: their own criteria for the years up to 2023.
LAW_2013_RULES: Mapping[str, tuple[Rule, ...]] = MappingProxyType({
    **_TITLES,
    "CSTDCS": _rules("CSTDCS", person=(_ldtt_rating, _ldtt_spirit, unit_initiative_in_year)),
    "BK_TINH": _rules(
        "BK_TINH",
        person=(_routes("bk_tinh", (period_unused("BK_TINH", 2, "bk_tinh"), excellent_two_years_two_initiatives)),),
        unit=(_routes("bk_tinh_unit", (period_unused("BK_TINH", 2, "bk_tinh_unit"),
                                       unit_two_years_excellent_or_ttldxs)),)),
    "BK_TTG": _rules(
        "BK_TTG",
        person=(_routes("bk_ttg", (period_unused("BK_TTG", 5, "bk_ttg"), run_after_prior(
            "BK_TINH", "BK_TTG", "bk_ttg", titles=None, initiative=("unit", 5)))),),
        unit=(_routes("bk_ttg_unit", (period_unused("BK_TTG", 5, "bk_ttg_unit"), run_after_prior(
            "BK_TINH", "BK_TTG", "bk_ttg_unit", minimum="excellent", titles=None,
            any_of=(("CO_TINH", 1), ("TTLDXS", 2))))),)),
    "HCLD3": _rules(
        "HCLD3",
        person=(_routes("hcld3", (period_unused("HCLD3", 5, "hcld3"), run_after_prior(
            "BK_TTG", "HCLD3", "hcld3", minimum="excellent", titles=None, initiative=("provincial", 2))),
            adhoc="thành tích đặc biệt xuất sắc đột xuất"),),
        unit=(_routes("hcld3_unit", (period_unused("HCLD3", 5, "hcld3_unit"), ttldxs_five_years_with_flag),
                      adhoc="thành tích xuất sắc đột xuất"),)),
})

_SHARED_DEFAULTS = {"ttldtt_ldtt_percent": 70, "ttldxs_ldtt_percent": 70, "initiative_title_to_title": True}

RULESETS: tuple[RuleSet, ...] = (
    RuleSet("NĐ 91/2017/NĐ-CP", date(2017, 9, 15), date(2023, 12, 31), LAW_2013_RULES,
            MappingProxyType(_SHARED_DEFAULTS), BASES_2013_91),
    RuleSet("NĐ 98/2023/NĐ-CP", date(2024, 1, 1), date(2025, 6, 30), LAW_2022_RULES,
            MappingProxyType(_SHARED_DEFAULTS), BASES_2022_98),
    RuleSet("NĐ 152/2025/NĐ-CP", date(2025, 7, 1), None, LAW_2022_RULES,
            MappingProxyType(_SHARED_DEFAULTS), BASES_2022_152),
)


# ---------------------------------------------------------------------------------------------------------------
# The public entry points
# ---------------------------------------------------------------------------------------------------------------


def ruleset_for(year: int) -> RuleSet:
    """The set in force on 31 December of the award year: awards are decided at the year-end review, so a
    regime that starts mid-year (NĐ 152 from 1 July 2025) governs that whole year's review."""
    day = date(year, 12, 31)
    for ruleset in RULESETS:
        if ruleset.effective_from <= day and (ruleset.effective_to is None or day <= ruleset.effective_to):
            return ruleset
    raise ValueError(f"Không có bộ quy tắc cho năm {year}")


def _code(award_type: AwardType | str) -> str:
    return award_type.code if isinstance(award_type, AwardType) else award_type


def composed(award: AwardType) -> tuple[Rule, ...]:
    """A stored award type's rules (issue 25): the COMMON lines, the subject it is given to, one achievement one
    award over its period (Law Art 5.2.c), then its composed conditions (catalog.blocks); a block that does not
    apply to the subject (years of service for a collective) is left out for a type given to both."""
    conditions = blocks.compile_conditions(award.code, award.conditions)

    def subject_and_conditions(case: Case) -> list[Check]:
        subject = blocks.subject_of(case)
        if subject not in award.subjects:
            who = "tập thể" if subject == "collective" else "cá nhân"
            return [Check("subject_matches", False, f"{award.name} không xét tặng cho {who} (năm {case.year})",
                          Basis(award.basis or "Chưa ghi căn cứ", f"Đối tượng xét tặng {award.name}"))]
        return [line for block, rule in conditions if subject in block.subjects for line in as_list(rule(case))]

    return (*COMMON, period_unused(award.code, max(award.period_years, 1), "once"), subject_and_conditions)


def check(award_type: AwardType | str, history: History, year: int, *, kind: str = "regular",
          route: str | None = None, settings: Mapping[str, object] | None = None) -> list[Check]:
    """Every check line of the award for this history and year, under the rule set of that year.
    `route` (chain | campaign | adhoc | contribution | other) defaults from `kind`; `settings` overrides the rule
    set's defaults, e.g. {"initiative_title_to_title": False}. A stored award type (AwardType with builtin
    False) is checked by its composed conditions under the year's bases (`composed`)."""
    if kind not in KINDS:
        raise ValueError(f"Loại khen thưởng không hợp lệ: {kind}")
    if route is not None and route not in ROUTES:
        raise ValueError(f"Đường xét khen thưởng không hợp lệ: {route}")
    ruleset = ruleset_for(year)
    code = _code(award_type)
    stored = isinstance(award_type, AwardType) and not award_type.builtin
    if stored:
        table = composed(award_type)
    elif code not in ruleset.rules:
        raise KeyError(f"{ruleset.name} không có quy tắc cho {code}")
    else:
        table = ruleset.rules[code]
    case = Case(history, year, kind, MappingProxyType({**ruleset.defaults, **(settings or {})}), route,
                ruleset.bases)
    return [line for rule in table for line in as_list(rule(case))]


def evaluate(award_type: AwardType | str, history: History, year: int, *, kind: str = "regular",
             route: str | None = None, overridden: frozenset[str] = frozenset(),
             settings: Mapping[str, object] | None = None) -> Eligibility:
    """Eligible when every non-manual line passed or was overridden in writing by an appraiser; `period` is the
    achievement period the chain used (the widest a passing line names), for the decision to write."""
    lines = check(award_type, history, year, kind=kind, route=route, settings=settings)
    eligible = all(c.passed or c.manual or c.rule in overridden for c in lines)
    periods = [c.period for c in lines if c.period and c.passed]
    period = (min(p[0] for p in periods), year) if periods and eligible else None
    return Eligibility(eligible, tuple(lines), ruleset_for(year).name, period)


def quota_percent(year: int, setting: float | None) -> float | None:
    """The CSTĐCS cap for the year: the setting when set, else NĐ 91's 15% for years up to 2023, else none."""
    if setting is not None:
        return setting
    return 15 if year <= RULESETS[0].effective_to.year else None


def quota_check(ldtt_count: int, cstdcs_count: int, percent: float | None) -> Check:
    """CSTĐCS ≤ percent% of the unit's LĐTT, rounded down (NĐ 91/2017 Điều 9.3; off afterwards unless set)."""
    basis = Basis("NĐ 91/2017/NĐ-CP, Điều 9 khoản 3", "Số cá nhân đạt CSTĐCS không quá 15% tổng số cá nhân đạt Lao "
                                                      "động tiên tiến của đơn vị (sau năm 2023: tỷ lệ do đơn vị quy "
                                                      "định, nếu có).")
    if percent is None:
        return Check("cstdcs_quota", True, f"Không áp dụng giới hạn tỷ lệ CSTĐCS ({cstdcs_count} CSTĐCS, "
                                           f"{ldtt_count} LĐTT)", basis)
    allowed = floor(Fraction(ldtt_count) * Fraction(str(percent)) / 100)
    detail = f"{cstdcs_count} CSTĐCS / tối đa {allowed} ({percent:g}% của {ldtt_count} LĐTT, làm tròn xuống)"
    return Check("cstdcs_quota", cstdcs_count <= allowed, detail, basis)


def last_blocking_discipline(history: History, year: int) -> int | None:
    """The last year whose achievements a discipline decided by `year` keeps from counting."""
    fresh = Case(history, year).fresh_from
    return None if fresh is None else fresh - 1


# ---------------------------------------------------------------------------------------------------------------
# Chain progress: how far a subject is toward the next title in its chain
# ---------------------------------------------------------------------------------------------------------------


def _counting_years(history: History, code: str, year: int) -> set[int]:
    start = Case(history, year).fresh_from
    return {a.year for a in history.awards
            if a.code == code and a.counts and a.year <= year and (start is None or a.year >= start)}


def _run(holds, year: int, start: int | None) -> list[int]:
    """The run ending at `year`, or at `year - 1` when `year` does not hold yet."""
    return run_ending(holds, year if holds(year) else year - 1, start)


def _progress(target: str, years: list[int], need: int, what: str) -> Progress:
    shown = years[-need:] if years else []
    detail = f"{len(shown)}/{need} {what} ({years_text(shown) if shown else 'chưa có'}) hướng tới {name_of(target)}"
    return Progress(target, len(shown), need, detail)


def _person_progress(history: PersonHistory, year: int) -> list[Progress]:
    start = Case(history, year).fresh_from
    cstdcs = _counting_years(history, "CSTDCS", year)
    run = _run(lambda y: y in cstdcs, year, start)
    tinh = sorted(_counting_years(history, "CSTD_TINH", year))
    cycles = ([tinh[-1] - 3, tinh[-1]] if tinh[-1] - 3 in tinh else [tinh[-1]]) if tinh else []
    result = [_progress("CSTD_TINH", run, 3, "năm CSTĐCS liên tiếp"),
              _progress("CSTD_TQ", cycles, 2, "lần CSTĐ cấp tỉnh liên tiếp"),
              _progress("BK_TINH", run, 2, "năm CSTĐCS liên tiếp")]
    bk_tinh = sorted((a for a in history.awards if a.code == "BK_TINH" and a.counts and a.year <= year),
                     key=lambda a: a.period[1])
    if not bk_tinh:
        result.append(Progress("BK_TTG", 0, 5, f"0/5: chưa có Bằng khen cấp tỉnh được tính đến năm {year} "
                                               f"hướng tới {name_of('BK_TTG')}"))
        return result
    end = bk_tinh[-1].period[1]
    good = _run(lambda y: at_least(history.ratings.get(y), "good"), year, max(end + 1, start or end + 1))
    result.append(_progress("BK_TTG", good, 5, f"năm HTTNV trở lên liên tiếp sau Bằng khen cấp tỉnh năm "
                                               f"{bk_tinh[-1].year}"))
    return result


def chain_progress(history: History, year: int) -> list[Progress]:
    """Progress toward the chained titles (RULES.md §2–§4) as of `year`: people toward CSTĐ tỉnh, CSTĐ toàn quốc,
    Bằng khen tỉnh and Bằng khen Thủ tướng; units toward Bằng khen tỉnh."""
    if isinstance(history, PersonHistory):
        return _person_progress(history, year)
    ttldxs = _counting_years(history, "TTLDXS", year)
    run = _run(lambda y: y in ttldxs or history.ratings.get(y) == "excellent", year, None)
    return [_progress("BK_TINH", run, 2, "năm HTXSNV hoặc TTLĐXS liên tiếp")]


__all__ = [
    "KINDS", "KIND_TEXT", "ROUTES", "ROUTE_OF_KIND", "Basis", "Case", "Check", "Eligibility", "Progress", "RULESETS",
    "RuleSet", "chain_progress", "check", "evaluate", "last_blocking_discipline", "quota_check", "quota_percent",
    "ruleset_for",
]
