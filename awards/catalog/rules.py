"""Eligibility rules as pure functions over the plain history data (RULES.md §2–§4).

Every rule reads a `Case` (the history, the award year, the nomination kind and the rule set's
settings) and returns a `Check` — or a list of them — that names its legal basis. A `RuleSet`
is a table from award code to rule functions; a new regime is one more `RuleSet` in `RULESETS`
(sets may share functions and tables). No database, no Flask: tests build the history by hand.

Principles applied to every award (NĐ 152/2025/NĐ-CP, Điều 4):
- revoked, ad-hoc and thematic awards never count toward a chain (`AwardHeld.counts`);
- a discipline of warning or above in the award year blocks every award that year, and
  achievements count again only from the year after the last such discipline;
- a frozen history (investigation, unresolved complaint) blocks every award;
- an initiative serves one award only (CV 5007/BNV-TĐKT): `used_by` set → it does not count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from math import floor
from types import MappingProxyType

from awards.catalog.history import (
    DISCIPLINE_ORDER,
    RATING_ORDER,
    SCOPE_ORDER,
    DisciplineFact,
    InitiativeFact,
    MemberYear,
    PersonHistory,
    UnitHistory,
)
from awards.catalog.types import DEFAULTS, AwardType, name_of

History = PersonHistory | UnitHistory
KINDS = ("regular", "adhoc", "thematic")


@dataclass(frozen=True)
class Basis:
    article: str
    text: str
    confirmed: bool = True  # False for RULES.md [check] items: shown as "chưa xác minh"


@dataclass(frozen=True)
class Check:
    rule: str  # stable snake_case id
    passed: bool
    detail: str
    basis: Basis
    manual: bool = False  # a line a person confirms: shown, never blocks


@dataclass(frozen=True)
class Case:
    """What a rule function reads: pure data, nothing else."""

    history: History
    year: int
    kind: str = "regular"
    settings: Mapping[str, object] = field(default_factory=dict)

    @property
    def fresh_from(self) -> int | None:
        """First year whose achievements count (the year after the last warning-or-above discipline)."""
        last = last_blocking_discipline(self.history, self.year)
        return None if last is None else last + 1


Rule = Callable[[Case], "Check | list[Check]"]


@dataclass(frozen=True)
class RuleSet:
    name: str
    effective_from: date
    effective_to: date | None
    rules: Mapping[str, tuple[Rule, ...]]
    defaults: Mapping[str, object]


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    checks: tuple[Check, ...]
    ruleset: str


@dataclass(frozen=True)
class Progress:
    target: str
    have: int
    need: int
    detail: str


# ---------------------------------------------------------------------------------------------------------------
# Vietnamese wording and legal bases
# ---------------------------------------------------------------------------------------------------------------

RATING_TEXT = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "done": "Hoàn thành nhiệm vụ",
    "not_done": "Không hoàn thành nhiệm vụ",
}
RATING_SHORT = {"excellent": "HTXSNV", "good": "HTTNV", "done": "HTNV", "not_done": "KHTNV"}
SCOPE_TEXT = {"unit": "cơ sở", "provincial": "cấp tỉnh", "national": "toàn quốc"}
DISCIPLINE_TEXT = {"reprimand": "khiển trách", "warning": "cảnh cáo", "dismissal": "cách chức, buộc thôi việc"}
KIND_TEXT = {"regular": "thường xuyên", "adhoc": "khen đột xuất", "thematic": "khen theo chuyên đề"}
SHORT = {
    "LDTT": "LĐTT", "CSTDCS": "CSTĐCS", "CSTD_TINH": "CSTĐ cấp tỉnh", "CSTD_TQ": "CSTĐ toàn quốc",
    "TTLDTT": "TTLĐTT", "TTLDXS": "TTLĐXS", "CO_TINH": "Cờ thi đua cấp tỉnh", "CO_CP": "Cờ thi đua của Chính phủ",
    "GIAY_KHEN": "Giấy khen", "BK_TINH": "Bằng khen cấp tỉnh", "BK_TTG": "Bằng khen Thủ tướng",
    "HCLD3": "HCLĐ hạng Ba",
}
# A member holding a higher individual title that year necessarily met the LĐTT / CSTĐCS standard.
COUNTS_AS_LDTT = frozenset({"LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ"})
COUNTS_AS_CSTDCS = frozenset({"CSTDCS", "CSTD_TINH", "CSTD_TQ"})

LAW = "Luật TĐKT 2022"
PRINCIPLES = "NĐ 152/2025/NĐ-CP, Điều 4"
ONE_USE = "CV 5007/BNV-TĐKT"

B_DISCIPLINE = Basis(PRINCIPLES, "Không khen thưởng trong năm bị kỷ luật từ cảnh cáo trở lên; thành tích được tính "
                                 "lại từ năm sau năm bị kỷ luật. Khiển trách không làm mất tiêu chuẩn.")
B_FROZEN = Basis(PRINCIPLES, "Chưa xét khen thưởng khi đang bị xem xét kỷ luật, điều tra, thanh tra, kiểm tra hoặc "
                             "có đơn thư khiếu nại, tố cáo đang được xác minh, chưa có kết luận.")
B_LDTT = Basis(f"{LAW}, Điều 24", "Lao động tiên tiến: hoàn thành tốt nhiệm vụ trở lên; có tinh thần tự lực, tự "
                                  "cường; đoàn kết, tương trợ, tích cực tham gia phong trào thi đua.")
B_CSTDCS = Basis(f"{LAW}, Điều 23; {ONE_USE}", "Chiến sĩ thi đua cơ sở: đạt tiêu chuẩn Lao động tiên tiến và hoàn "
                                               "thành xuất sắc nhiệm vụ hoặc có sáng kiến được cơ sở công nhận.")
B_CSTD_TINH = Basis(f"{LAW}, Điều 22; {ONE_USE}", "Chiến sĩ thi đua cấp tỉnh: 03 lần liên tục đạt CSTĐCS; có sáng "
                                                  "kiến có phạm vi ảnh hưởng cấp tỉnh trong thời gian đó.")
B_CSTD_TQ = Basis(f"{LAW}, Điều 21; {ONE_USE}", "Chiến sĩ thi đua toàn quốc: 02 lần liên tục đạt CSTĐ cấp tỉnh; có "
                                                "sáng kiến có phạm vi ảnh hưởng toàn quốc.")
B_QUOTA = Basis("NĐ 91/2017/NĐ-CP, Điều 9 khoản 3", "Số cá nhân đạt CSTĐCS không quá tỷ lệ quy định (15%) trên tổng "
                                                   "số cá nhân đạt Lao động tiên tiến của đơn vị.")
B_TTLDTT = Basis(f"{LAW}, Điều 28", "Tập thể lao động tiên tiến: hoàn thành tốt nhiệm vụ; có ít nhất 70% cá nhân đạt "
                                    "LĐTT; không có cá nhân bị kỷ luật từ cảnh cáo trở lên.")
B_TTLDXS = Basis(f"{LAW}, Điều 27", "Tập thể lao động xuất sắc: hoàn thành xuất sắc nhiệm vụ; 100% cá nhân hoàn "
                                    "thành nhiệm vụ, ít nhất 70% đạt LĐTT; có cá nhân đạt CSTĐCS.")
B_TTLDXS_DISCIPLINE = Basis(f"{LAW}, Điều 27", "Tập thể lao động xuất sắc: không có cá nhân bị kỷ luật từ cảnh cáo "
                                               "trở lên (chưa có trong RULES.md).", confirmed=False)
B_CO_TINH = Basis(f"{LAW}, Điều 26", "Cờ thi đua cấp tỉnh: tập thể đạt TTLĐXS, tiêu biểu xuất sắc, dẫn đầu cụm, "
                                     "khối thi đua.", confirmed=False)
B_CO_CP = Basis(f"{LAW}, Điều 25", "Cờ thi đua của Chính phủ: tiêu biểu xuất sắc nhất trong các tập thể được tặng Cờ "
                                   "thi đua cấp tỉnh.", confirmed=False)
B_GIAY_KHEN = Basis(f"{LAW}, Điều 75", "Giấy khen: hoàn thành tốt nhiệm vụ và có thành tích; hoặc có thành tích "
                                       "đột xuất.")
B_BK_TINH = Basis(f"{LAW}, Điều 74 khoản 1 điểm d; {ONE_USE}", "Bằng khen cấp tỉnh: 02 năm liên tục đạt CSTĐCS, "
                                                               "hoặc 02 năm liên tục HTXSNV và có 02 sáng kiến được "
                                                               "công nhận trong thời gian đó.")
B_BK_TINH_UNIT = Basis(f"{LAW}, Điều 74", "Bằng khen cấp tỉnh cho tập thể: 02 năm liên tục hoàn thành xuất sắc "
                                          "nhiệm vụ (hoặc đạt TTLĐXS).")
B_BK_TTG = Basis(f"{LAW}, Điều 73 khoản 1 điểm b", "Bằng khen Thủ tướng: đã được tặng Bằng khen cấp tỉnh, 05 năm "
                                                   "tiếp theo liên tục hoàn thành tốt nhiệm vụ trở lên, trong thời "
                                                   "gian đó có 03 lần đạt CSTĐCS.")
B_BK_TTG_UNIT = Basis(f"{LAW}, Điều 73", "Bằng khen Thủ tướng cho tập thể: đã được tặng Bằng khen cấp tỉnh, 05 năm "
                                         "tiếp theo liên tục hoàn thành xuất sắc nhiệm vụ, trong đó có 01 lần Cờ thi "
                                         "đua cấp tỉnh hoặc 02 lần TTLĐXS (chưa có trong RULES.md).", confirmed=False)
B_HCLD3 = Basis(f"{LAW}, Điều 44", "Huân chương Lao động hạng Ba: đã được tặng Bằng khen Thủ tướng, 05 năm tiếp theo "
                                   "liên tục hoàn thành tốt nhiệm vụ trở lên, trong đó có 03 lần đạt CSTĐCS (có cách "
                                   "hiểu yêu cầu thêm năm HTXSNV).", confirmed=False)


# ---------------------------------------------------------------------------------------------------------------
# Small readers of the history
# ---------------------------------------------------------------------------------------------------------------


def _list(years: Iterable[int]) -> str:
    years = sorted(years)
    return ", ".join(str(y) for y in years) if years else "không có"


def _span(years: list[int]) -> str:
    if len(years) == 1:
        return f"năm {years[0]}"
    if years == list(range(years[0], years[-1] + 1)):
        return f"các năm {years[0]}–{years[-1]}"
    return f"các năm {_list(years)}"


def _rating_text(rating: str | None) -> str:
    return RATING_TEXT.get(rating, rating) if rating else "chưa có xếp loại"


def _at_least(rating: str | None, minimum: str) -> bool:
    return RATING_ORDER.get(rating, -1) >= RATING_ORDER[minimum]


def _blocking(level: str | None) -> bool:
    """Warning or above blocks; an unknown level is treated as blocking (the safe side)."""
    if level is None:
        return False
    return DISCIPLINE_ORDER.get(level, DISCIPLINE_ORDER["warning"]) >= DISCIPLINE_ORDER["warning"]


def _disciplines(history: History) -> list[DisciplineFact]:
    # A UnitHistory records no discipline of its own (its members' are checked separately).
    return list(getattr(history, "disciplines", ()) or ())


def last_blocking_discipline(history: History, year: int) -> int | None:
    """The last year up to `year` with a warning-or-above discipline (NĐ 152/2025 Điều 4)."""
    return max((d.year for d in _disciplines(history) if d.year <= year and _blocking(d.level)), default=None)


def _fresh_note(case: Case, first: int) -> str:
    """Say so when a discipline cut the window that starts at `first` (the detail then explains the gap)."""
    start = case.fresh_from
    if start is None or start <= first:
        return ""
    return f"; thành tích đến năm {start - 1} không tính do bị kỷ luật năm {start - 1}"


def _titles_in(case: Case, code: str, years: Iterable[int]) -> tuple[list[int], list[str]]:
    """Years among `years` in which `code` counts, and why other awards of that code in those years do not."""
    wanted, start = set(years), case.fresh_from
    have: set[int] = set()
    excluded: list[str] = []
    for award in sorted(case.history.awards, key=lambda a: a.year):
        if award.code != code or award.year not in wanted:
            continue
        if not award.counts:
            why = "đã bị hủy bỏ" if award.revoked else KIND_TEXT.get(award.kind, award.kind)
            excluded.append(f"{award.year} ({why})")
        elif start is not None and award.year < start:
            excluded.append(f"{award.year} (trước kỷ luật năm {start - 1})")
        else:
            have.add(award.year)
    return sorted(have), excluded


def _title_detail(code: str, years: list[int], have: list[int], excluded: list[str]) -> str:
    text = f"{SHORT[code]} {_span(years)}: " + (f"có {_list(have)}" if have else "không có")
    missing = [y for y in years if y not in have]
    if missing:
        text += f"; thiếu {_list(missing)}"
    if excluded:
        text += f"; không tính: {', '.join(excluded)}"
    return text


def _initiative_label(item: InitiativeFact) -> str:
    return f"«{item.title or f'sáng kiến #{item.id}'}» ({item.year}, {SCOPE_TEXT.get(item.scope, item.scope)})"


def _initiatives(case: Case, first: int, last: int, min_scope: str) -> tuple[list[InitiativeFact], list[str]]:
    """Unused initiatives of scope ≥ min_scope recognised in first..last; notes on the ones that do not count."""
    start = case.fresh_from
    usable: list[InitiativeFact] = []
    excluded: list[str] = []
    for item in sorted(getattr(case.history, "initiatives", ()), key=lambda i: (i.year, i.id)):
        if not first <= item.year <= last:
            continue
        if SCOPE_ORDER.get(item.scope, -1) < SCOPE_ORDER[min_scope]:
            excluded.append(f"{_initiative_label(item)} chưa đủ phạm vi")
        elif item.used_by:  # CV 5007/BNV-TĐKT: one initiative serves one award
            excluded.append(f"{_initiative_label(item)} đã dùng cho {name_of(item.used_by)}")
        elif start is not None and item.year < start:
            excluded.append(f"{_initiative_label(item)} trước kỷ luật năm {start - 1}")
        else:
            usable.append(item)
    return usable, excluded


def _initiative_detail(usable: list[InitiativeFact], excluded: list[str]) -> str:
    text = ", ".join(_initiative_label(i) for i in usable) if usable else "không có"
    return text + (f"; không tính: {'; '.join(excluded)}" if excluded else "")


def _members(case: Case) -> list[MemberYear]:
    return list(getattr(case.history, "members", {}).get(case.year) or [])


def _no_members(rule: str, case: Case, basis: Basis) -> Check:
    detail = f"Chưa có danh sách thành viên năm {case.year}: chưa xét được tiêu chuẩn về thành viên"
    return Check(rule, False, detail, basis)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%"


def _as_list(result: Check | list[Check]) -> list[Check]:
    return [result] if isinstance(result, Check) else list(result)


# ---------------------------------------------------------------------------------------------------------------
# Rules every award carries
# ---------------------------------------------------------------------------------------------------------------


def not_frozen(case: Case) -> Check:
    reason = case.history.frozen_reason
    if reason:
        return Check("not_frozen", False, f"Năm {case.year}: tạm dừng xét khen thưởng ({reason})", B_FROZEN)
    return Check("not_frozen", True, f"Năm {case.year}: không có điều tra, khiếu nại, tố cáo chưa giải quyết", B_FROZEN)


def no_discipline_in_year(case: Case) -> Check:
    found = [d for d in _disciplines(case.history) if d.year == case.year]
    levels = ", ".join(DISCIPLINE_TEXT.get(d.level, d.level) for d in found)
    if any(_blocking(d.level) for d in found):
        return Check("no_discipline_in_year", False, f"Bị kỷ luật {levels} năm {case.year}: không khen thưởng trong "
                                                     "năm bị kỷ luật từ cảnh cáo trở lên", B_DISCIPLINE)
    if found:  # a reprimand does not block (RULES.md §4)
        return Check("no_discipline_in_year", True, f"Năm {case.year} bị {levels}: không làm mất tiêu chuẩn",
                     B_DISCIPLINE)
    return Check("no_discipline_in_year", True, f"Không bị kỷ luật năm {case.year}", B_DISCIPLINE)


def for_subject(code: str, person: tuple[Rule, ...] = (), unit: tuple[Rule, ...] = ()) -> Rule:
    """Dispatch on the subject: a person's rules or a unit's; no rules for that subject → a failing line."""

    def subject_rules(case: Case) -> list[Check]:
        is_unit = isinstance(case.history, UnitHistory)
        rules = unit if is_unit else person
        if not rules:
            who = "tập thể" if is_unit else "cá nhân"
            return [Check("subject_matches", False, f"{name_of(code)} không xét tặng cho {who} (năm {case.year})",
                          Basis(DEFAULTS[code].basis, f"Đối tượng xét tặng {name_of(code)}"))]
        return [c for rule in rules for c in _as_list(rule(case))]

    subject_rules.__name__ = f"{code.lower()}_by_subject"
    return subject_rules


# ---------------------------------------------------------------------------------------------------------------
# Rule factories: one per shape of requirement, instantiated with the article
# ---------------------------------------------------------------------------------------------------------------


def rating_at_least(rule: str, minimum: str, basis: Basis, *, skip_kinds: tuple[str, ...] = ()) -> Rule:
    """The subject's rating in the award year is `minimum` or better (kinds in skip_kinds need no rating)."""

    def rating_rule(case: Case) -> list[Check]:
        if case.kind in skip_kinds:  # Điều 75: an ad-hoc Giấy khen rests on the achievement alone
            return []
        rating = case.history.ratings.get(case.year)
        wanted = RATING_TEXT[minimum] + ("" if minimum == "excellent" else " trở lên")
        detail = f"Xếp loại năm {case.year}: {_rating_text(rating)}; cần {wanted}"
        return [Check(rule, _at_least(rating, minimum), detail, basis)]

    rating_rule.__name__ = rule
    return rating_rule


def confirm(rule: str, text: str, basis: Basis) -> Rule:
    """A line a person confirms (team spirit, leading a cluster, an achievement): shown, never blocks."""

    def manual_rule(case: Case) -> Check:
        return Check(rule, True, f"Cần xác nhận: {text} (năm {case.year})", basis, manual=True)

    manual_rule.__name__ = rule
    return manual_rule


def title_every_year(rule: str, code: str, offsets: tuple[int, ...], basis: Basis) -> Rule:
    """A counting `code` award in each year y - offset (e.g. CSTĐCS in y-2, y-1, y)."""

    def chain_rule(case: Case) -> Check:
        years = sorted(case.year - o for o in offsets)
        have, excluded = _titles_in(case, code, years)
        detail = _title_detail(code, years, have, excluded) + _fresh_note(case, years[0])
        return Check(rule, len(have) == len(years), detail, basis)

    chain_rule.__name__ = rule
    return chain_rule


def title_times_within(rule: str, code: str, span: int, need: int, basis: Basis) -> Rule:
    """At least `need` counting `code` awards within the `span` years ending in the award year."""

    def count_rule(case: Case) -> Check:
        years = list(range(case.year - span + 1, case.year + 1))
        have, excluded = _titles_in(case, code, years)
        detail = f"{SHORT[code]} {_span(years)}: {len(have)} lần ({_list(have)}), cần {need}"
        if excluded:
            detail += f"; không tính: {', '.join(excluded)}"
        return Check(rule, len(have) >= need, detail + _fresh_note(case, years[0]), basis)

    count_rule.__name__ = rule
    return count_rule


def prior_title(rule: str, code: str, gap: int, basis: Basis) -> Rule:
    """A counting `code` award in year y - gap or earlier (the chain starts after it)."""

    def prior_rule(case: Case) -> Check:
        latest = case.year - gap
        held = {a.year for a in case.history.awards if a.code == code and a.year <= case.year}
        have, excluded = _titles_in(case, code, held)
        early, late = [y for y in have if y <= latest], [y for y in have if y > latest]
        detail = f"{SHORT[code]} từ năm {latest} trở về trước: {_list(early)}"
        if late:
            detail += f"; năm {_list(late)} chưa đủ {gap} năm"
        if excluded:
            detail += f"; không tính: {', '.join(excluded)}"
        return Check(rule, bool(early), detail + _fresh_note(case, latest), basis)

    prior_rule.__name__ = rule
    return prior_rule


def rating_every_year(rule: str, minimum: str, span: int, basis: Basis) -> Rule:
    """Rated `minimum` or better in each of the `span` consecutive years ending in the award year."""

    def run_rule(case: Case) -> Check:
        years = list(range(case.year - span + 1, case.year + 1))
        start = case.fresh_from or years[0]
        met = [y for y in years if y >= start and _at_least(case.history.ratings.get(y), minimum)]
        short_of = [f"{y} (trước kỷ luật năm {start - 1})" if y < start
                    else f"{y} ({RATING_SHORT.get(case.history.ratings.get(y), 'chưa xếp loại')})"
                    for y in years if y not in met]
        wanted = RATING_SHORT[minimum] + ("" if minimum == "excellent" else " trở lên")
        detail = f"Xếp loại {_span(years)}, cần {wanted}: đạt {_list(met)}"
        if short_of:
            detail += f"; chưa đạt {', '.join(short_of)}"
        return Check(rule, len(met) == span, detail + _fresh_note(case, years[0]), basis)

    run_rule.__name__ = rule
    return run_rule


def initiative_within(rule: str, span: int, min_scope: str, basis: Basis) -> Rule:
    """An unused initiative of scope ≥ min_scope recognised within the `span` years ending in the award year."""

    def initiative_rule(case: Case) -> Check:
        first = case.year - span + 1
        usable, excluded = _initiatives(case, first, case.year, min_scope)
        years = list(range(first, case.year + 1))
        detail = f"Sáng kiến {SCOPE_TEXT[min_scope]} trở lên {_span(years)}: {_initiative_detail(usable, excluded)}"
        return Check(rule, bool(usable), detail, basis)

    initiative_rule.__name__ = rule
    return initiative_rule


# ---------------------------------------------------------------------------------------------------------------
# Rules of one award each
# ---------------------------------------------------------------------------------------------------------------


def excellent_or_unit_initiative(case: Case) -> Check:
    """CSTĐCS (Điều 23): rated excellent in the year, or an unused initiative of scope ≥ unit that year."""
    rating = case.history.ratings.get(case.year)
    usable, excluded = _initiatives(case, case.year, case.year, "unit")
    detail = (f"Năm {case.year}: xếp loại {_rating_text(rating)}; sáng kiến cơ sở trở lên: "
              f"{_initiative_detail(usable, excluded)}")
    return Check("excellent_or_unit_initiative", rating == "excellent" or bool(usable), detail, B_CSTDCS)


def cstdcs_two_years_or_excellent_initiatives(case: Case) -> Check:
    """BK tỉnh, individual (Điều 74.1.d): CSTĐCS in y-1 and y, or HTXSNV both years with 2 initiatives then."""
    years = [case.year - 1, case.year]
    have, excluded = _titles_in(case, "CSTDCS", years)
    start = case.fresh_from or years[0]
    excellent = [y for y in years if y >= start and case.history.ratings.get(y) == "excellent"]
    usable, skipped = _initiatives(case, years[0], years[1], "unit")
    passed = len(have) == 2 or (len(excellent) == 2 and len(usable) >= 2)
    detail = (f"{_title_detail('CSTDCS', years, have, excluded)}; hoặc HTXSNV cả hai năm (đạt: {_list(excellent)}) "
              f"và 02 sáng kiến cơ sở trở lên ({len(usable)}: {_initiative_detail(usable, skipped)})")
    return Check("cstdcs_two_years_or_excellent_initiatives", passed, detail + _fresh_note(case, years[0]), B_BK_TINH)


def unit_two_years_excellent_or_ttldxs(case: Case) -> Check:
    """BK tỉnh, collective: each of y-1 and y rated excellent or holding a counting TTLĐXS."""
    years = [case.year - 1, case.year]
    ttldxs, excluded = _titles_in(case, "TTLDXS", years)
    met = [y for y in years if y in ttldxs or case.history.ratings.get(y) == "excellent"]
    detail = (f"HTXSNV hoặc TTLĐXS {_span(years)}: đạt {_list(met)}"
              + (f"; thiếu {_list(y for y in years if y not in met)}" if len(met) < 2 else "")
              + (f"; TTLĐXS không tính: {', '.join(excluded)}" if excluded else ""))
    return Check("unit_two_years_excellent_or_ttldxs", len(met) == 2, detail, B_BK_TINH_UNIT)


def co_tinh_or_two_ttldxs_in_five_years(case: Case) -> Check:
    """BK Thủ tướng, collective (reading of Điều 73, [check]): 1 Cờ tỉnh or 2 TTLĐXS within y-4..y."""
    years = list(range(case.year - 4, case.year + 1))
    flags, _ = _titles_in(case, "CO_TINH", years)
    ttldxs, _ = _titles_in(case, "TTLDXS", years)
    detail = (f"{_span(years).capitalize()}: Cờ thi đua cấp tỉnh {_list(flags)}; TTLĐXS {_list(ttldxs)} "
              "(cần 1 Cờ hoặc 2 TTLĐXS)")
    passed = bool(flags) or len(ttldxs) >= 2
    return Check("co_tinh_or_two_ttldxs_in_five_years", passed, detail + _fresh_note(case, years[0]), B_BK_TTG_UNIT)


def title_in_year(rule: str, code: str, basis: Basis) -> Rule:
    """A counting `code` award in the award year itself (Cờ tỉnh needs TTLĐXS; Cờ CP needs Cờ tỉnh)."""
    return title_every_year(rule, code, (0,), basis)


def excellent_year_in_five(case: Case) -> list[Check]:
    """HCLĐ hạng Ba, the stricter reading (setting hcld3_requires_excellent): one HTXSNV year within y-4..y."""
    if not case.settings.get("hcld3_requires_excellent"):
        return []
    years = list(range(case.year - 4, case.year + 1))
    start = case.fresh_from or years[0]
    excellent = [y for y in years if y >= start and case.history.ratings.get(y) == "excellent"]
    detail = f"Năm HTXSNV {_span(years)}: {_list(excellent)} (cách hiểu yêu cầu ít nhất 01 năm)"
    return [Check("excellent_year_in_five", bool(excellent), detail, B_HCLD3)]


def members_ldtt_share(rule: str, setting: str, basis: Basis) -> Rule:
    """At least the set share (70%) of the year's members hold LĐTT (CSTĐCS holders count as LĐTT)."""

    def share_rule(case: Case) -> Check:
        members = _members(case)
        if not members:
            return _no_members(rule, case, basis)
        need = Fraction(str(case.settings.get(setting, 70)))
        ldtt = sum(1 for m in members if m.titles & COUNTS_AS_LDTT)
        passed = ldtt * 100 >= need * len(members)  # exact: 69.9% fails, 70% passes
        detail = (f"Năm {case.year}: {ldtt}/{len(members)} thành viên ({_percent(ldtt, len(members))}) đạt LĐTT trở "
                  f"lên; cần ít nhất {need}%")
        return Check(rule, passed, detail, basis)

    share_rule.__name__ = rule
    return share_rule


def members_no_discipline(basis: Basis) -> Rule:
    """No member disciplined at warning or above in the year."""

    def discipline_rule(case: Case) -> Check:
        members = _members(case)
        if not members:
            return _no_members("members_no_discipline", case, basis)
        hit = [m.discipline for m in members if _blocking(m.discipline)]
        levels = ", ".join(DISCIPLINE_TEXT.get(level, level) for level in hit)
        detail = (f"Năm {case.year}: {len(hit)} thành viên bị kỷ luật từ cảnh cáo trở lên ({levels})" if hit
                  else f"Năm {case.year}: không có thành viên bị kỷ luật từ cảnh cáo trở lên")
        return Check("members_no_discipline", not hit, detail, basis)

    discipline_rule.__name__ = "members_no_discipline"
    return discipline_rule


def members_all_done_or_better(case: Case) -> Check:
    """TTLĐXS (Điều 27): 100% of members rated 'done' or better (an unrated member does not count)."""
    members = _members(case)
    if not members:
        return _no_members("members_all_done_or_better", case, B_TTLDXS)
    done = sum(1 for m in members if _at_least(m.rating, "done"))
    detail = f"Năm {case.year}: {done}/{len(members)} thành viên ({_percent(done, len(members))}) hoàn thành nhiệm " \
             "vụ trở lên; cần 100%"
    return Check("members_all_done_or_better", done == len(members), detail, B_TTLDXS)


def member_cstdcs_at_least_one(case: Case) -> Check:
    members = _members(case)
    if not members:
        return _no_members("member_cstdcs_at_least_one", case, B_TTLDXS)
    count = sum(1 for m in members if m.titles & COUNTS_AS_CSTDCS)
    detail = f"Năm {case.year}: {count} thành viên đạt CSTĐCS; cần ít nhất 1"
    return Check("member_cstdcs_at_least_one", count >= 1, detail, B_TTLDXS)


# ---------------------------------------------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------------------------------------------

COMMON: tuple[Rule, ...] = (not_frozen, no_discipline_in_year)

_ldtt_rating = rating_at_least("rating_good_or_better", "good", B_LDTT)
_ldtt_spirit = confirm("self_reliance_solidarity", "tinh thần tự lực, tự cường; đoàn kết, tương trợ, tích cực tham "
                                                   "gia phong trào thi đua", B_LDTT)
_cstdcs_five = title_times_within("cstdcs_three_times_in_five_years", "CSTDCS", 5, 3, B_BK_TTG)
_good_five = rating_every_year("good_five_consecutive_years", "good", 5, B_BK_TTG)


def _rules(code: str, person: tuple[Rule, ...] = (), unit: tuple[Rule, ...] = ()) -> tuple[Rule, ...]:
    return (*COMMON, for_subject(code, person, unit))


# The titles and forms of the Luật TĐKT 2022 text as RULES.md reads them; NĐ 91, NĐ 98 and NĐ 152 share this
# table and differ in their defaults. A regime that changes a rule gets its own table: {**LAW_2022_RULES, ...}.
LAW_2022_RULES: Mapping[str, tuple[Rule, ...]] = MappingProxyType({
    "LDTT": _rules("LDTT", person=(_ldtt_rating, _ldtt_spirit)),
    "CSTDCS": _rules("CSTDCS", person=(_ldtt_rating, _ldtt_spirit, excellent_or_unit_initiative)),
    "CSTD_TINH": _rules("CSTD_TINH", person=(
        title_every_year("cstdcs_three_consecutive_years", "CSTDCS", (2, 1, 0), B_CSTD_TINH),
        initiative_within("provincial_initiative_in_three_years", 3, "provincial", B_CSTD_TINH),
    )),
    "CSTD_TQ": _rules("CSTD_TQ", person=(
        title_every_year("cstd_tinh_two_consecutive_times", "CSTD_TINH", (3, 0), B_CSTD_TQ),
        initiative_within("national_initiative_in_six_years", 6, "national", B_CSTD_TQ),
    )),
    "TTLDTT": _rules("TTLDTT", unit=(
        rating_at_least("unit_rating_good_or_better", "good", B_TTLDTT),
        members_ldtt_share("members_ldtt_70_percent", "ttldtt_ldtt_percent", B_TTLDTT),
        members_no_discipline(B_TTLDTT),
    )),
    "TTLDXS": _rules("TTLDXS", unit=(
        rating_at_least("unit_rating_excellent", "excellent", B_TTLDXS),
        members_all_done_or_better,
        members_ldtt_share("members_ldtt_70_percent", "ttldxs_ldtt_percent", B_TTLDXS),
        member_cstdcs_at_least_one,
        members_no_discipline(B_TTLDXS_DISCIPLINE),
    )),
    "CO_TINH": _rules("CO_TINH", unit=(
        title_in_year("ttldxs_in_year", "TTLDXS", B_CO_TINH),
        confirm("leads_emulation_cluster", "dẫn đầu cụm, khối thi đua", B_CO_TINH),
    )),
    "CO_CP": _rules("CO_CP", unit=(
        title_in_year("co_tinh_in_year", "CO_TINH", B_CO_CP),
        confirm("most_outstanding_co_tinh", "tiêu biểu xuất sắc nhất trong các tập thể được tặng Cờ thi đua cấp "
                                            "tỉnh", B_CO_CP),
    )),
    "GIAY_KHEN": _rules(
        "GIAY_KHEN",
        person=(rating_at_least("rating_good_or_better", "good", B_GIAY_KHEN, skip_kinds=("adhoc",)),
                confirm("has_achievement", "có thành tích", B_GIAY_KHEN)),
        unit=(rating_at_least("unit_rating_good_or_better", "good", B_GIAY_KHEN, skip_kinds=("adhoc",)),
              confirm("has_achievement", "có thành tích", B_GIAY_KHEN)),
    ),
    "BK_TINH": _rules("BK_TINH", person=(cstdcs_two_years_or_excellent_initiatives,),
                      unit=(unit_two_years_excellent_or_ttldxs,)),
    "BK_TTG": _rules(
        "BK_TTG",
        person=(prior_title("prior_bk_tinh", "BK_TINH", 5, B_BK_TTG), _good_five, _cstdcs_five),
        unit=(prior_title("prior_bk_tinh", "BK_TINH", 5, B_BK_TTG_UNIT),
              rating_every_year("unit_excellent_five_consecutive_years", "excellent", 5, B_BK_TTG_UNIT),
              co_tinh_or_two_ttldxs_in_five_years),
    ),
    "HCLD3": _rules("HCLD3", person=(
        prior_title("prior_bk_ttg", "BK_TTG", 5, B_HCLD3),
        rating_every_year("good_five_consecutive_years", "good", 5, B_HCLD3),
        title_times_within("cstdcs_three_times_in_five_years", "CSTDCS", 5, 3, B_HCLD3),
        excellent_year_in_five,
    )),
})

_SHARED_DEFAULTS = {"hcld3_requires_excellent": False, "ttldtt_ldtt_percent": 70, "ttldxs_ldtt_percent": 70}

# The CSTĐCS quota (NĐ 91 Điều 9.3's 15% cap) is not a rule-set default: it is the catalogue setting
# cstdcs_quota_percent (catalog/types.py), read by the dossier checklist (nominations/eligibility.py).
RULESETS: tuple[RuleSet, ...] = (
    RuleSet("NĐ 91/2017/NĐ-CP", date(2017, 9, 15), date(2023, 12, 31), LAW_2022_RULES,
            MappingProxyType(_SHARED_DEFAULTS)),
    RuleSet("NĐ 98/2023/NĐ-CP", date(2024, 1, 1), date(2025, 6, 30), LAW_2022_RULES,
            MappingProxyType(_SHARED_DEFAULTS)),
    RuleSet("NĐ 152/2025/NĐ-CP", date(2025, 7, 1), None, LAW_2022_RULES,
            MappingProxyType(_SHARED_DEFAULTS)),
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


def check(award_type: AwardType | str, history: History, year: int, *, kind: str = "regular",
          settings: Mapping[str, object] | None = None) -> list[Check]:
    """Every check line of the award for this history and year, under the rule set of that year.
    `settings` (optional) overrides the rule set's defaults, e.g. {"hcld3_requires_excellent": True}."""
    if kind not in KINDS:
        raise ValueError(f"Loại khen thưởng không hợp lệ: {kind}")
    ruleset = ruleset_for(year)
    code = _code(award_type)
    if code not in ruleset.rules:
        raise KeyError(f"{ruleset.name} không có quy tắc cho {code}")
    case = Case(history, year, kind, MappingProxyType({**ruleset.defaults, **(settings or {})}))
    return [line for rule in ruleset.rules[code] for line in _as_list(rule(case))]


def evaluate(award_type: AwardType | str, history: History, year: int, *, kind: str = "regular",
             overridden: frozenset[str] = frozenset(), settings: Mapping[str, object] | None = None) -> Eligibility:
    """Eligible when every non-manual line passed or was overridden in writing by an appraiser."""
    lines = check(award_type, history, year, kind=kind, settings=settings)
    eligible = all(c.passed or c.manual or c.rule in overridden for c in lines)
    return Eligibility(eligible, tuple(lines), ruleset_for(year).name)


def quota_check(ldtt_count: int, cstdcs_count: int, percent: float | None) -> Check:
    """CSTĐCS ≤ percent% of the unit's LĐTT, rounded down (NĐ 91/2017 Điều 9.3; off afterwards unless set)."""
    if percent is None:
        return Check("cstdcs_quota", True, f"Không áp dụng giới hạn tỷ lệ CSTĐCS ({cstdcs_count} CSTĐCS, "
                                           f"{ldtt_count} LĐTT)", B_QUOTA)
    allowed = floor(Fraction(ldtt_count) * Fraction(str(percent)) / 100)
    detail = (f"{cstdcs_count} CSTĐCS / tối đa {allowed} ({percent:g}% của {ldtt_count} LĐTT, làm tròn xuống)")
    return Check("cstdcs_quota", cstdcs_count <= allowed, detail, B_QUOTA)


# ---------------------------------------------------------------------------------------------------------------
# Chain progress: how far a subject is toward the next title in its chain
# ---------------------------------------------------------------------------------------------------------------


def _run_ending(holds: Callable[[int], bool], year: int, start: int | None) -> list[int]:
    """The consecutive years ending at `year` (or `year - 1` when `year` does not hold yet), not before `start`."""
    last = year if holds(year) else year - 1
    years: list[int] = []
    while holds(last) and (start is None or last >= start):
        years.append(last)
        last -= 1
    return years[::-1]


def _counting_years(history: History, code: str, year: int) -> set[int]:
    start = last_blocking_discipline(history, year)
    return {a.year for a in history.awards
            if a.code == code and a.counts and a.year <= year and (start is None or a.year > start)}


def _progress(target: str, years: list[int], need: int, what: str) -> Progress:
    shown = years[-need:] if years else []
    detail = f"{len(shown)}/{need} {what} ({_list(shown) if shown else 'chưa có'}) hướng tới {name_of(target)}"
    return Progress(target, len(shown), need, detail)


def _person_progress(history: PersonHistory, year: int) -> list[Progress]:
    last = last_blocking_discipline(history, year)
    start = None if last is None else last + 1
    cstdcs = _counting_years(history, "CSTDCS", year)
    run = _run_ending(lambda y: y in cstdcs, year, start)
    tinh = sorted(_counting_years(history, "CSTD_TINH", year))
    cycles = ([tinh[-1] - 3, tinh[-1]] if tinh[-1] - 3 in tinh else [tinh[-1]]) if tinh else []
    result = [_progress("CSTD_TINH", run, 3, "năm CSTĐCS liên tiếp"),
              _progress("CSTD_TQ", cycles, 2, "lần CSTĐ cấp tỉnh liên tiếp"),
              _progress("BK_TINH", run, 2, "năm CSTĐCS liên tiếp")]
    bk_tinh = sorted(_counting_years(history, "BK_TINH", year))
    if not bk_tinh:
        result.append(Progress("BK_TTG", 0, 5, f"0/5: chưa có Bằng khen cấp tỉnh được tính đến năm {year} "
                                               f"hướng tới {name_of('BK_TTG')}"))
        return result
    good = _run_ending(lambda y: _at_least(history.ratings.get(y), "good"), year, bk_tinh[-1] + 1)
    what = f"năm HTTNV trở lên liên tiếp sau Bằng khen cấp tỉnh năm {bk_tinh[-1]}"
    result.append(_progress("BK_TTG", good, 5, what))
    return result


def chain_progress(history: History, year: int) -> list[Progress]:
    """Progress toward the chained titles (RULES.md §3) as of `year`: people toward CSTĐ tỉnh, CSTĐ toàn quốc,
    Bằng khen tỉnh and Bằng khen Thủ tướng; units toward Bằng khen tỉnh."""
    if isinstance(history, PersonHistory):
        return _person_progress(history, year)
    ttldxs = _counting_years(history, "TTLDXS", year)
    run = _run_ending(lambda y: y in ttldxs or history.ratings.get(y) == "excellent", year, None)
    return [_progress("BK_TINH", run, 2, "năm HTXSNV hoặc TTLĐXS liên tiếp")]


__all__ = [
    "Basis", "Case", "Check", "Eligibility", "Progress", "RULESETS", "RuleSet",
    "chain_progress", "check", "evaluate", "last_blocking_discipline", "quota_check", "ruleset_for",
]
