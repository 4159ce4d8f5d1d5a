"""The rule functions: readers of the history and one factory per shape of requirement.

Each function reads a `Case` and returns a `Check` or a list of them, citing `case.b` (the bases of the regime
of the award year). The tables that put them together per award and regime are in catalog/rules.py.

What a discipline does to awards received *before* it: nothing by itself. The Luật TĐKT 2022, Điều 93 khoản 2
điểm d revokes an award only when a competent authority concludes that a violation made the holder fall short
of the standard *within the achievement period* of that award; such a revocation enters the archive (the record
is then `revoked` and counts for nothing). Until then an earlier Bằng khen or title stays a valid prerequisite,
while the years of the chain after it count again only from the end of the execution period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from awards.catalog.bases import Basis, Case, Check
from awards.catalog.history import (
    DISCIPLINE_ORDER,
    FORMS,
    RATING_ORDER,
    SCOPE_ORDER,
    AwardHeld,
    DisciplineFact,
    InitiativeFact,
    MemberYear,
    UnitHistory,
)
from awards.catalog.types import DEFAULTS, name_of

Rule = Callable[[Case], "Check | list[Check]"]

RATING_TEXT = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "done": "Hoàn thành nhiệm vụ",
    "not_done": "Không hoàn thành nhiệm vụ",
}
RATING_SHORT = {"excellent": "HTXSNV", "good": "HTTNV", "done": "HTNV", "not_done": "KHTNV"}
SCOPE_TEXT = {"unit": "cơ sở", "provincial": "cấp tỉnh", "national": "toàn quốc"}
DISCIPLINE_TEXT = {"reprimand": "khiển trách", "warning": "cảnh cáo", "demotion": "giáng chức",
                   "dismissal": "cách chức", "removal": "buộc thôi việc"}
KIND_TEXT = {"regular": "thường xuyên", "adhoc": "khen đột xuất", "thematic": "khen theo chuyên đề"}
SHORT = {
    "LDTT": "LĐTT", "CSTDCS": "CSTĐCS", "CSTD_TINH": "CSTĐ cấp tỉnh", "CSTD_TQ": "CSTĐ toàn quốc",
    "TTLDTT": "TTLĐTT", "TTLDXS": "TTLĐXS", "CO_TINH": "Cờ thi đua cấp tỉnh", "CO_CP": "Cờ thi đua của Chính phủ",
    "GIAY_KHEN": "Giấy khen", "BK_TINH": "Bằng khen cấp tỉnh", "BK_TTG": "Bằng khen Thủ tướng",
    "HCLD3": "HCLĐ hạng Ba",
}


def short(code: str) -> str:
    """The short name of a built-in award in a check line; a stored type's code as it is."""
    return SHORT.get(code, code)


COUNTS_AS_LDTT = frozenset({"LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ"})
COUNTS_AS_CSTDCS = frozenset({"CSTDCS", "CSTD_TINH", "CSTD_TQ"})


# ---------------------------------------------------------------------------------------------------------------
# Small readers of the history
# ---------------------------------------------------------------------------------------------------------------


def as_list(result: Check | list[Check]) -> list[Check]:
    return [result] if isinstance(result, Check) else list(result)


def years_text(years: Iterable[int]) -> str:
    years = sorted(years)
    return ", ".join(str(y) for y in years) if years else "không có"


def span(years: list[int]) -> str:
    if len(years) == 1:
        return f"năm {years[0]}"
    if years == list(range(years[0], years[-1] + 1)):
        return f"các năm {years[0]}–{years[-1]}"
    return f"các năm {years_text(years)}"


def period_text(first: int, last: int) -> str:
    return f"năm {first}" if first == last else f"các năm {first}–{last}"


def rating_text(rating: str | None) -> str:
    return RATING_TEXT.get(rating, rating) if rating else "chưa có xếp loại"


def at_least(rating: str | None, minimum: str) -> bool:
    return RATING_ORDER.get(rating, -1) >= RATING_ORDER[minimum]


def heavier_or_equal(level: str | None, minimum: str) -> bool:
    """An unknown level counts as the heaviest (the safe side)."""
    if level is None:
        return False
    return DISCIPLINE_ORDER.get(level, max(DISCIPLINE_ORDER.values())) >= DISCIPLINE_ORDER[minimum]


def disciplines(case: Case) -> list[DisciplineFact]:
    return list(getattr(case.history, "disciplines", ()) or ())


def discipline_label(item: DisciplineFact) -> str:
    when = item.decided_on.strftime("%d/%m/%Y") if item.decided_on else str(item.year)
    return f"{DISCIPLINE_TEXT.get(item.level, item.level)} ({when}, thi hành đến {item.until.strftime('%d/%m/%Y')})"


def fresh_note(case: Case, first: int) -> str:
    """Say so when a discipline cut the window that starts at `first` (the detail then explains the gap)."""
    start = case.fresh_from
    if start is None or start <= first:
        return ""
    return f"; thành tích trước năm {start} không tính (chưa hết thời hạn thi hành kỷ luật)"


def award_label(award: AwardHeld) -> str:
    first, last = award.period
    decision = f", QĐ số {award.decision_number}" if award.decision_number else ""
    return f"{SHORT.get(award.code, award.code)} năm {award.year} ({period_text(first, last)}{decision})"


def counting(case: Case, code: str, before: int | None = None) -> list[AwardHeld]:
    """Counting awards of `code` (regular, unrevoked), oldest first; only those of years before `before`."""
    return sorted((a for a in case.history.awards
                   if a.code == code and a.counts and (before is None or a.year < before)), key=lambda a: a.year)


def titles_in(case: Case, code: str, years: Iterable[int]) -> tuple[list[int], list[str]]:
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
            excluded.append(f"{award.year} (trong thời hạn kỷ luật)")
        else:
            have.add(award.year)
    return sorted(have), excluded


def title_detail(code: str, years: list[int], have: list[int], excluded: list[str]) -> str:
    text = f"{short(code)} {span(years)}: " + (f"có {years_text(have)}" if have else "không có")
    missing = [y for y in years if y not in have]
    if missing:
        text += f"; thiếu {years_text(missing)}"
    if excluded:
        text += f"; không tính: {', '.join(excluded)}"
    return text


def initiative_label(item: InitiativeFact, year: int) -> str:
    scope = item.scope_in(year)
    return f"«{item.title or f'sáng kiến #{item.id}'}» ({item.year}, {SCOPE_TEXT.get(scope, scope)})"


def initiative_blocked(case: Case, item: InitiativeFact, target: str) -> str | None:
    """Why the initiative cannot support `target` (CV 5007/BNV-TĐKT III.5.c), or None when it can: an initiative
    that supported a form supports nothing else; one that supported a title supports no form and not the same
    title again; from a title to another title only when the setting initiative_title_to_title allows [check]."""
    if not item.used_by:
        return None
    used = ", ".join(name_of(code) for code in item.used_by)
    forms = case.settings.get("forms", FORMS)  # the built-in forms, and the stored commendations when given
    if any(code in forms for code in item.used_by) or target in forms or target in item.used_by:
        return f"đã dùng cho {used}"
    if not case.settings.get("initiative_title_to_title", True):
        return f"đã dùng cho {used} (không dùng lại cho danh hiệu khác theo cài đặt)"
    return None


def initiatives(case: Case, target: str, first: int, last: int, min_scope: str
                ) -> tuple[list[InitiativeFact], list[str]]:
    """Initiatives recognised in first..last, of scope ≥ min_scope by the award year, that may support `target`;
    and notes on the ones that may not."""
    start = case.fresh_from
    usable: list[InitiativeFact] = []
    excluded: list[str] = []
    for item in sorted(getattr(case.history, "initiatives", ()), key=lambda i: (i.year, i.id)):
        if not first <= item.year <= last:
            continue
        label = initiative_label(item, case.year)
        blocked = initiative_blocked(case, item, target)
        if SCOPE_ORDER.get(item.scope_in(case.year), -1) < SCOPE_ORDER[min_scope]:
            excluded.append(f"{label} chưa đủ phạm vi")
        elif blocked:
            excluded.append(f"{label} {blocked}")
        elif start is not None and item.year < start:
            excluded.append(f"{label} trong thời hạn kỷ luật")
        else:
            usable.append(item)
    return usable, excluded


def initiative_detail(case: Case, usable: list[InitiativeFact], excluded: list[str]) -> str:
    text = ", ".join(initiative_label(i, case.year) for i in usable) if usable else "không có"
    return text + (f"; không tính: {'; '.join(excluded)}" if excluded else "")


def members(case: Case) -> list[MemberYear]:
    return list(getattr(case.history, "members", {}).get(case.year) or [])


def no_members(rule: str, case: Case, basis: Basis) -> Check:
    detail = f"Chưa có danh sách thành viên năm {case.year}: chưa xét được tiêu chuẩn về thành viên"
    return Check(rule, False, detail, basis)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%"


def run_ending(holds: Callable[[int], bool], year: int, start: int | None) -> list[int]:
    """The consecutive years ending at `year` for which `holds`, not before `start` (empty when `year` fails)."""
    years: list[int] = []
    current = year
    while holds(current) and (start is None or current >= start):
        years.append(current)
        current -= 1
    return years[::-1]


# ---------------------------------------------------------------------------------------------------------------
# Lines on every award
# ---------------------------------------------------------------------------------------------------------------


def not_frozen(case: Case) -> Check:
    reason = case.history.frozen_reason
    if reason:
        return Check("not_frozen", False, f"Năm {case.year}: tạm dừng xét khen thưởng ({reason})", case.b.frozen)
    return Check("not_frozen", True, f"Năm {case.year}: không đang bị xem xét kỷ luật, điều tra, khiếu nại, tố cáo",
                 case.b.frozen)


def no_discipline_in_year(case: Case) -> Check:
    """Any discipline decided in the award year, or still executed in it, blocks (reprimand included)."""
    found = [d for d in disciplines(case) if d.year == case.year
             or (d.year < case.year and d.fresh_from > case.year)]
    if found:
        labels = "; ".join(discipline_label(d) for d in found)
        return Check("no_discipline_in_year", False, f"Năm {case.year}: bị kỷ luật {labels}: không khen thưởng trong "
                                                     "năm bị kỷ luật hoặc còn thời hạn thi hành kỷ luật",
                     case.b.discipline)
    return Check("no_discipline_in_year", True, f"Không bị kỷ luật năm {case.year}", case.b.discipline)


def for_subject(code: str, person: tuple[Rule, ...] = (), unit: tuple[Rule, ...] = ()) -> Rule:
    """Dispatch on the subject: a person's rules or a unit's; no rules for that subject → a failing line."""

    def subject_rules(case: Case) -> list[Check]:
        is_unit = isinstance(case.history, UnitHistory)
        chosen = unit if is_unit else person
        if not chosen:
            who = "tập thể" if is_unit else "cá nhân"
            return [Check("subject_matches", False, f"{name_of(code)} không xét tặng cho {who} (năm {case.year})",
                          Basis(DEFAULTS[code].basis, f"Đối tượng xét tặng {name_of(code)}"))]
        return [c for rule in chosen for c in as_list(rule(case))]

    subject_rules.__name__ = f"{code.lower()}_by_subject"
    return subject_rules


def by_route(routes: dict[str, tuple[Rule, ...]]) -> Rule:
    """The lines of the nomination's route ("đạt một trong các tiêu chuẩn"); a route the table does not name
    falls back to 'other' (a line the appraiser confirms)."""

    def route_rules(case: Case) -> list[Check]:
        chosen = routes.get(case.path) or routes["other"]
        return [c for rule in chosen for c in as_list(rule(case))]

    return route_rules


# ---------------------------------------------------------------------------------------------------------------
# Rule factories
# ---------------------------------------------------------------------------------------------------------------


def rating_at_least(rule: str, minimum: str, basis: str) -> Rule:
    """The subject's rating in the award year is `minimum` or better."""

    def rating_rule(case: Case) -> Check:
        rating = case.history.ratings.get(case.year)
        wanted = RATING_TEXT[minimum] + ("" if minimum == "excellent" else " trở lên")
        detail = f"Xếp loại năm {case.year}: {rating_text(rating)}; cần {wanted}"
        return Check(rule, at_least(rating, minimum), detail, getattr(case.b, basis))

    rating_rule.__name__ = rule
    return rating_rule


def confirm(rule: str, text: str, basis: str) -> Rule:
    """A line a person confirms (team spirit, an ad-hoc achievement, leading a cluster): shown, never blocks."""

    def manual_rule(case: Case) -> Check:
        return Check(rule, True, f"Cần xác nhận: {text} (năm {case.year})", getattr(case.b, basis), manual=True)

    manual_rule.__name__ = rule
    return manual_rule


def title_every_year(rule: str, code: str, offsets: tuple[int, ...], basis: str) -> Rule:
    """A counting `code` award in each year y - offset (e.g. CSTĐCS in y-2, y-1, y)."""

    def chain_rule(case: Case) -> Check:
        years = sorted(case.year - o for o in offsets)
        have, excluded = titles_in(case, code, years)
        detail = title_detail(code, years, have, excluded) + fresh_note(case, years[0])
        passed = len(have) == len(years)
        return Check(rule, passed, detail, getattr(case.b, basis), period=(years[0], case.year) if passed else None)

    chain_rule.__name__ = rule
    return chain_rule


def initiative_within(rule: str, target: str, span_years: int, min_scope: str, basis: str) -> Rule:
    """An initiative of scope ≥ min_scope recognised within the `span_years` ending in the award year."""

    def initiative_rule(case: Case) -> Check:
        first = case.year - span_years + 1
        usable, excluded = initiatives(case, target, first, case.year, min_scope)
        years = list(range(first, case.year + 1))
        detail = (f"Sáng kiến {SCOPE_TEXT[min_scope]} trở lên {span(years)}: "
                  f"{initiative_detail(case, usable, excluded)}")
        return Check(rule, bool(usable), detail, getattr(case.b, basis))

    initiative_rule.__name__ = rule
    return initiative_rule


def period_unused(code: str, length: int, basis: str) -> Rule:
    """One achievement, one award (Law Art 5.2.c; NĐ 98 Art 30.9): the `length` years ending in the award year
    start after the achievement period of the previous `code` award (as written in its decision)."""

    def once_rule(case: Case) -> Check:
        first = case.year - length + 1
        earlier = counting(case, code, before=case.year)
        last = max(earlier, key=lambda a: a.period[1], default=None)
        if last is None or last.period[1] < first:
            seen = f"; lần trước: {award_label(last)}" if last else ""
            detail = f"Thời gian tính thành tích {period_text(first, case.year)} chưa dùng cho {short(code)}{seen}"
            return Check("period_unused", True, detail, case.b.once, period=(first, case.year))
        end = last.period[1]
        detail = (f"{award_label(last)} đã dùng thành tích đến năm {end}: cần {length} năm sau {end} "
                  f"(từ {end + 1}), xét sớm nhất năm {end + length}")
        return Check("period_unused", False, detail, case.b.once)

    once_rule.__name__ = f"{code.lower()}_period_unused"
    return once_rule


def run_after_prior(prior: str, own: str, basis: str, *, minimum: str = "good", need: int = 5,
                    titles: tuple[str, int] | None = ("CSTDCS", 3), excellent: int = 0,
                    initiative: tuple[str, int] | None = None,
                    any_of: tuple[tuple[str, int], ...] = ()) -> Rule:
    """A chain that follows a prior award (BK Thủ tướng after BK tỉnh, HCLĐ3 after BK Thủ tướng): a counting
    `prior` whose period ended at least `need` years ago, then `need` or more consecutive years (a longer run
    counts: "05 năm trở lên") rated `minimum` or better up to the award year, starting after the prior's period,
    after the previous `own` award's period and after any discipline's execution; within that run `titles`
    (code, times), `excellent` HTXSNV years, `initiative` (scope, count) and one of `any_of` (code, times) as
    the regime asks."""

    def chain_rule(case: Case) -> list[Check]:
        b = getattr(case.b, basis)
        previous = counting(case, own, before=case.year)
        floor = max((a.period[1] for a in previous), default=None)
        priors = [a for a in counting(case, prior) if a.year <= case.year and (floor is None or a.period[1] >= floor)]
        ready = [a for a in priors if a.period[1] <= case.year - need]
        lines = [_prior_line(case, prior, need, priors, ready, previous, b)]
        start = max([ready[0].period[1] + 1] if ready else [case.year - need + 1])
        start = max(start, floor + 1 if floor is not None else start, case.fresh_from or start)
        run = run_ending(lambda y: at_least(case.history.ratings.get(y), minimum), case.year, start)
        period = (run[0], case.year) if run else None
        lines.append(_run_line(case, minimum, need, run, start, b, period if ready and len(run) >= need else None))
        window = run or [case.year]
        if titles:
            code, times = titles
            have, excluded = titles_in(case, code, window)
            detail = f"{SHORT[code]} trong {span(window)}: {len(have)} lần ({years_text(have)}), cần {times}"
            detail += f"; không tính: {', '.join(excluded)}" if excluded else ""
            lines.append(Check(f"{code.lower()}_{times}_times_in_period", len(have) >= times, detail, b))
        if excellent:
            best = [y for y in window if case.history.ratings.get(y) == "excellent"]
            detail = f"Năm HTXSNV trong {span(window)}: {years_text(best)}; cần ít nhất {excellent}"
            lines.append(Check("excellent_year_in_period", len(best) >= excellent, detail, b))
        if initiative:
            scope, count = initiative
            usable, excluded = initiatives(case, own, window[0], case.year, scope)
            detail = (f"Sáng kiến {SCOPE_TEXT[scope]} trở lên trong {span(window)}: {len(usable)}, cần {count} "
                      f"({initiative_detail(case, usable, excluded)})")
            lines.append(Check(f"{scope}_initiatives_in_period", len(usable) >= count, detail, b))
        if any_of:
            found = {code: titles_in(case, code, window)[0] for code, _times in any_of}
            options = " hoặc ".join(f"{times:02d} lần {SHORT[code]}" for code, times in any_of)
            detail = f"Trong {span(window)}: " + "; ".join(
                f"{SHORT[code]} {years_text(found[code])}" for code, _times in any_of) + f" (cần {options})"
            passed = any(len(found[code]) >= times for code, times in any_of)
            lines.append(Check("flag_or_titles_in_period", passed, detail, b))
        return lines

    chain_rule.__name__ = f"{own.lower()}_after_{prior.lower()}"
    return chain_rule


def _prior_line(case, prior, need, priors, ready, previous, basis) -> Check:
    rule = f"prior_{prior.lower()}"
    if ready:
        detail = f"Đã được tặng {award_label(ready[0])}; thành tích tiếp theo tính từ năm {ready[0].period[1] + 1}"
        return Check(rule, True, detail, basis)
    detail = f"Chưa có {SHORT[prior]} kết thúc thời gian tính thành tích trước năm {case.year - need + 1}"
    if priors:
        detail += f" ({'; '.join(award_label(a) for a in priors)}: chưa đủ {need} năm tiếp theo)"
    if previous:
        detail += f"; {award_label(previous[-1])} đã dùng {SHORT[prior]} trước đó"
    others = [a for a in case.history.awards if a.code == prior and not a.counts]
    if others:
        detail += "; không tính: " + ", ".join(f"{a.year} ({'đã bị hủy bỏ' if a.revoked else KIND_TEXT[a.kind]})"
                                               for a in others)
    return Check(rule, False, detail, basis)


def _run_line(case, minimum, need, run, start, basis, period) -> Check:
    wanted = RATING_SHORT[minimum] + ("" if minimum == "excellent" else " trở lên")
    if run:
        detail = f"{wanted} liên tục {span(run)} ({len(run)} năm, tính từ năm {start}); cần {need:02d} năm trở lên"
    else:
        rating = case.history.ratings.get(case.year)
        detail = f"Năm {case.year}: {rating_text(rating)}; chưa có chuỗi {wanted} liên tục (cần {need:02d} năm)"
    if start > case.year - need + 1 and len(run) < need:
        detail += f"; chỉ tính từ năm {start}"
    return Check(f"{minimum}_{need}_or_more_consecutive_years", len(run) >= need, detail, basis, period=period)


def members_ldtt_share(rule: str, setting: str, basis: str) -> Rule:
    """At least the set share (70%) of the year's members hold LĐTT (CSTĐCS holders count as LĐTT)."""
    from fractions import Fraction

    def share_rule(case: Case) -> Check:
        group = members(case)
        b = getattr(case.b, basis)
        if not group:
            return no_members(rule, case, b)
        need = Fraction(str(case.settings.get(setting, 70)))
        ldtt = sum(1 for m in group if m.titles & COUNTS_AS_LDTT)
        passed = ldtt * 100 >= need * len(group)  # exact: 69.9% fails, 70% passes
        detail = (f"Năm {case.year}: {ldtt}/{len(group)} thành viên ({percent(ldtt, len(group))}) đạt LĐTT trở "
                  f"lên; cần ít nhất {need}%")
        return Check(rule, passed, detail, b)

    share_rule.__name__ = rule
    return share_rule


def members_no_discipline(case: Case) -> Check:
    """TTLĐTT (Điều 28): no member disciplined at warning or above in the year."""
    group = members(case)
    if not group:
        return no_members("members_no_discipline", case, case.b.ttldtt)
    hit = [m.discipline for m in group if heavier_or_equal(m.discipline, "warning")]
    levels = ", ".join(DISCIPLINE_TEXT.get(level, level) for level in hit)
    detail = (f"Năm {case.year}: {len(hit)} thành viên bị kỷ luật từ cảnh cáo trở lên ({levels})" if hit
              else f"Năm {case.year}: không có thành viên bị kỷ luật từ cảnh cáo trở lên")
    return Check("members_no_discipline", not hit, detail, case.b.ttldtt)


def members_all_done_or_better(case: Case) -> Check:
    """TTLĐXS (Điều 27): 100% of members rated 'done' or better (an unrated member does not count)."""
    group = members(case)
    if not group:
        return no_members("members_all_done_or_better", case, case.b.ttldxs)
    done = sum(1 for m in group if at_least(m.rating, "done"))
    detail = (f"Năm {case.year}: {done}/{len(group)} thành viên ({percent(done, len(group))}) hoàn thành nhiệm "
              "vụ trở lên; cần 100%")
    return Check("members_all_done_or_better", done == len(group), detail, case.b.ttldxs)


def member_cstdcs_at_least_one(case: Case) -> Check:
    group = members(case)
    if not group:
        return no_members("member_cstdcs_at_least_one", case, case.b.ttldxs)
    count = sum(1 for m in group if m.titles & COUNTS_AS_CSTDCS)
    detail = f"Năm {case.year}: {count} thành viên đạt CSTĐCS; cần ít nhất 1"
    return Check("member_cstdcs_at_least_one", count >= 1, detail, case.b.ttldxs)
