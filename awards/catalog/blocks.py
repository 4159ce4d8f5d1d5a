"""The building blocks of an admin-composed award type's conditions (issue 25).

A stored award type (catalog.models.StoredAwardType) lists its conditions as `{rule, params, basis}`: `rule` names
a block below, `params` fill the block's schema, `basis` is the citation the line shows (article + text). Each
block's factory turns the params and the basis into a rule function of the same shape as catalog/checks.py's
(`Case -> Check`), built from its readers (titles_in, initiatives, run_ending…). `validate()` checks a list of
conditions before it is stored and says, in Vietnamese, which condition is wrong; `compile_conditions()` turns
stored conditions into rules. Pure: no database, no Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from awards.catalog.bases import Basis, Case, Check
from awards.catalog.checks import (
    COUNTS_AS_CSTDCS,
    COUNTS_AS_LDTT,
    DISCIPLINE_TEXT,
    RATING_SHORT,
    SCOPE_TEXT,
    Rule,
    at_least,
    counting,
    initiative_detail,
    initiatives,
    members,
    no_members,
    percent,
    short,
    span,
    title_detail,
    titles_in,
    years_text,
)
from awards.catalog.history import UnitHistory
from awards.catalog.types import COLLECTIVE, INDIVIDUAL
from awards.core.db import Invalid

RATINGS = (("done", "Hoàn thành nhiệm vụ trở lên"), ("good", "Hoàn thành tốt nhiệm vụ trở lên"),
           ("excellent", "Hoàn thành xuất sắc nhiệm vụ"))
SCOPES = (("unit", "Cơ sở"), ("provincial", "Cấp tỉnh"), ("national", "Toàn quốc"))
MEMBER_TITLES = (("LDTT", "Lao động tiên tiến trở lên"), ("CSTDCS", "Chiến sĩ thi đua cơ sở trở lên"))


@dataclass(frozen=True)
class Param:
    """One parameter of a block: `kind` int | choice | award (an award code) | text."""

    name: str
    label: str
    kind: str = "int"
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    default: object = None

    def as_schema(self) -> dict:
        schema = {"name": self.name, "label": self.label, "type": self.kind, "required": self.required}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.choices:
            schema["choices"] = [value for value, _label in self.choices]
        if self.default is not None:
            schema["default"] = self.default
        return schema


@dataclass(frozen=True)
class Block:
    name: str
    label: str
    params: tuple[Param, ...]
    factory: Callable[..., Rule]  # (params, basis, *, award=code, rule=id) -> Rule
    subjects: tuple[str, ...] = (INDIVIDUAL, COLLECTIVE)
    help: str = ""


# ---------------------------------------------------------------------------------------------------------------
# The factories
# ---------------------------------------------------------------------------------------------------------------


def _window(case: Case, years: int) -> list[int]:
    return list(range(case.year - years + 1, case.year + 1))


def rating_years(params: Mapping, basis: Basis, *, award: str = "", rule: str = "rating_years") -> Rule:
    """Rated `minimum` or better in each of the `years` consecutive years ending in the award year (years before
    a discipline's execution ended do not count)."""
    minimum, need = params["minimum"], int(params["years"])

    def check(case: Case) -> Check:
        years = _window(case, need)
        start = case.fresh_from or years[0]
        met = [y for y in years if y >= start and at_least(case.history.ratings.get(y), minimum)]
        wanted = RATING_SHORT[minimum] + ("" if minimum == "excellent" else " trở lên")
        missing = [y for y in years if y not in met]
        detail = f"{wanted} {span(years)}: đạt {years_text(met)}" + (f"; thiếu {years_text(missing)}" if missing
                                                                      else "")
        if start > years[0]:
            detail += f"; thành tích trước năm {start} không tính (chưa hết thời hạn thi hành kỷ luật)"
        passed = not missing
        return Check(rule, passed, detail, basis, period=(years[0], case.year) if passed else None)

    return check


def consecutive_titles(params: Mapping, basis: Basis, *, award: str = "", rule: str = "consecutive_titles") -> Rule:
    """A counting `award` (regular, unrevoked, after any discipline) in each of the `times` years ending in the
    award year."""
    code, times = params["award"], int(params["times"])

    def check(case: Case) -> Check:
        years = _window(case, times)
        have, excluded = titles_in(case, code, years)
        passed = len(have) == len(years)
        return Check(rule, passed, title_detail(code, years, have, excluded), basis,
                     period=(years[0], case.year) if passed else None)

    return check


def prior_award(params: Mapping, basis: Basis, *, award: str = "", rule: str = "prior_award") -> Rule:
    """Held `award` (counting) at least `times` times up to the award year, within the last `within` years when
    set (0: at any time)."""
    code, times, within = params["award"], int(params.get("times") or 1), int(params.get("within") or 0)

    def check(case: Case) -> Check:
        first = case.year - within + 1 if within else None
        held = [a for a in counting(case, code) if a.year <= case.year and (first is None or a.year >= first)]
        when = f"{span(_window(case, within))}" if within else f"đến năm {case.year}"
        detail = f"{short(code)} {when}: {len(held)} lần ({years_text(a.year for a in held)}); cần {times}"
        return Check(rule, len(held) >= times, detail, basis)

    return check


def initiative(params: Mapping, basis: Basis, *, award: str = "", rule: str = "initiative") -> Rule:
    """At least `count` initiatives of scope ≥ `scope` recognised within the `within` years ending in the award
    year, not already used for another award (CV 5007/BNV-TĐKT III.5.c)."""
    scope, within, count = params["scope"], int(params["within"]), int(params.get("count") or 1)

    def check(case: Case) -> Check:
        first = case.year - within + 1
        usable, excluded = initiatives(case, award, first, case.year, scope)
        detail = (f"Sáng kiến {SCOPE_TEXT[scope]} trở lên {span(_window(case, within))}: {len(usable)}, cần {count} "
                  f"({initiative_detail(case, usable, excluded)})")
        return Check(rule, len(usable) >= count, detail, basis)

    return check


def full_years(start: date, end: date) -> int:
    """Whole years from `start` to `end` (a birthday-style count)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def years_of_service(params: Mapping, basis: Basis, *, award: str = "", rule: str = "years_of_service") -> Rule:
    """At least `min_years` years in the sector by 31 December of the award year, counted from the person's start
    date in the sector (ngày vào ngành); a woman needs `min_years_women` when it is set. No start date: a failing
    line that says so."""
    need, need_women = int(params["min_years"]), params.get("min_years_women")

    def check(case: Case) -> Check:
        history = case.history
        female = bool(getattr(history, "female", False))
        wanted = int(need_women) if female and need_women not in (None, "") else need
        who = " (nữ)" if female and need_women not in (None, "") else ""
        start = getattr(history, "service_start", None)
        if start is None:
            return Check(rule, False, f"Chưa có ngày vào ngành: chưa tính được thời gian công tác (cần {wanted} năm"
                                      f"{who})", basis)
        end = date(case.year, 12, 31)
        have = full_years(start, end)
        detail = (f"Vào ngành ngày {start.strftime('%d/%m/%Y')}: {max(have, 0)} năm công tác đến 31/12/{case.year}; "
                  f"cần {wanted} năm{who}")
        return Check(rule, have >= wanted, detail, basis)

    return check


def no_discipline(params: Mapping, basis: Basis, *, award: str = "", rule: str = "no_discipline") -> Rule:
    """No discipline of any level decided in the `years` years ending in the award year."""
    need = int(params["years"])

    def check(case: Case) -> Check:
        years = _window(case, need)
        found = [d for d in getattr(case.history, "disciplines", ()) or () if years[0] <= d.year <= case.year]
        if found:
            labels = ", ".join(f"{DISCIPLINE_TEXT.get(d.level, d.level)} năm {d.year}" for d in found)
            return Check(rule, False, f"Bị kỷ luật {span(years)}: {labels}", basis)
        return Check(rule, True, f"Không bị kỷ luật {span(years)}", basis)

    return check


def member_share(params: Mapping, basis: Basis, *, award: str = "", rule: str = "member_share") -> Rule:
    """At least `percent`% of the collective's members of the year hold LĐTT (or CSTĐCS) or better."""
    title, need = params["title"], int(params["percent"])
    titles = COUNTS_AS_LDTT if title == "LDTT" else COUNTS_AS_CSTDCS

    def check(case: Case) -> Check:
        group = members(case)
        if not group:
            return no_members(rule, case, basis)
        have = sum(1 for m in group if m.titles & titles)
        detail = (f"Năm {case.year}: {have}/{len(group)} thành viên ({percent(have, len(group))}) đạt {short(title)} "
                  f"trở lên; cần ít nhất {need}%")
        return Check(rule, have * 100 >= need * len(group), detail, basis)

    return check


def confirm(params: Mapping, basis: Basis, *, award: str = "", rule: str = "confirm") -> Rule:
    """A judgement the appraiser confirms (its text as the admin wrote it): shown, never blocks."""
    text = str(params["text"]).strip()

    def check(case: Case) -> Check:
        return Check(rule, True, f"Cần xác nhận: {text} (năm {case.year})", basis, manual=True)

    return check


# ---------------------------------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------------------------------

_AWARD = Param("award", "Danh hiệu, hình thức khen thưởng", "award")

BLOCKS: dict[str, Block] = {b.name: b for b in (
    Block("rating_years", "Xếp loại liên tục nhiều năm",
          (Param("minimum", "Mức xếp loại tối thiểu", "choice", choices=RATINGS),
           Param("years", "Số năm liên tục (tính đến năm xét)", minimum=1, maximum=10)), rating_years),
    Block("consecutive_titles", "Đạt danh hiệu liên tục nhiều năm",
          (_AWARD, Param("times", "Số năm liên tục (tính đến năm xét)", minimum=1, maximum=10)),
          consecutive_titles),
    Block("prior_award", "Đã được khen thưởng trước đó",
          (_AWARD, Param("times", "Số lần tối thiểu", minimum=1, maximum=20, default=1),
           Param("within", "Trong số năm gần nhất (0: bất kỳ lúc nào)", minimum=0, maximum=50, required=False,
                 default=0)), prior_award),
    Block("initiative", "Có sáng kiến được công nhận",
          (Param("scope", "Phạm vi ảnh hưởng tối thiểu", "choice", choices=SCOPES),
           Param("within", "Trong số năm (tính đến năm xét)", minimum=1, maximum=10),
           Param("count", "Số sáng kiến tối thiểu", minimum=1, maximum=10, required=False, default=1)),
          initiative, subjects=(INDIVIDUAL,)),
    Block("years_of_service", "Thời gian công tác trong ngành",
          (Param("min_years", "Số năm công tác tối thiểu", minimum=1, maximum=60),
           Param("min_years_women", "Số năm tối thiểu với nữ (để trống: như nam)", minimum=1, maximum=60,
                 required=False)), years_of_service, subjects=(INDIVIDUAL,),
          help="Tính từ ngày vào ngành đến hết ngày 31/12 của năm xét."),
    Block("no_discipline", "Không bị kỷ luật trong nhiều năm",
          (Param("years", "Số năm (tính đến năm xét)", minimum=1, maximum=10),), no_discipline),
    Block("member_share", "Tỷ lệ thành viên đạt danh hiệu (tập thể)",
          (Param("title", "Danh hiệu của thành viên", "choice", choices=MEMBER_TITLES),
           Param("percent", "Tỷ lệ tối thiểu (%)", minimum=1, maximum=100)), member_share, subjects=(COLLECTIVE,)),
    Block("confirm", "Tiêu chuẩn do người thẩm định xác nhận",
          (Param("text", "Nội dung tiêu chuẩn", "text", minimum=3, maximum=500),), confirm),
)}


def block_label(name: str) -> str:
    block = BLOCKS.get(name)
    return block.label if block else name


def _number(condition: int, block: Block, param: Param, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _bad(condition, block, param)
    try:
        number = int(str(value).strip()) if isinstance(value, str) else value
    except ValueError:
        raise _bad(condition, block, param) from None
    if number != int(number):
        raise _bad(condition, block, param)
    number = int(number)
    if (param.minimum is not None and number < param.minimum) or (param.maximum is not None
                                                                   and number > param.maximum):
        raise Invalid(_("Điều kiện %(n)s (%(b)s): “%(p)s” phải từ %(lo)s đến %(hi)s.", n=condition, b=block.label,
                        p=param.label, lo=param.minimum, hi=param.maximum), field="conditions")
    return number


def _bad(condition: int, block: Block, param: Param) -> Invalid:
    return Invalid(_("Điều kiện %(n)s (%(b)s): “%(p)s” không hợp lệ.", n=condition, b=block.label, p=param.label),
                   field="conditions")


def _param(condition: int, block: Block, param: Param, value, award_codes: Iterable[str]):
    if param.kind == "int":
        return _number(condition, block, param, value)
    if param.kind == "choice":
        if value not in {v for v, _label in param.choices}:
            raise _bad(condition, block, param)
        return value
    if param.kind == "award":
        if not isinstance(value, str) or value not in set(award_codes):
            raise Invalid(_("Điều kiện %(n)s (%(b)s): không có danh hiệu, hình thức khen thưởng mã “%(c)s”.",
                            n=condition, b=block.label, c=value), field="conditions")
        return value
    text = str(value if value is not None else "").strip()
    if not param.minimum <= len(text) <= param.maximum:
        raise Invalid(_("Điều kiện %(n)s (%(b)s): “%(p)s” cần từ %(lo)s đến %(hi)s ký tự.", n=condition,
                        b=block.label, p=param.label, lo=param.minimum, hi=param.maximum), field="conditions")
    return text


def validate(conditions, *, subjects: tuple[str, ...], award_codes: Iterable[str], default_basis: str) -> list[dict]:
    """The conditions checked and normalised ({rule, params, basis: {article, text, confirmed}}), or `Invalid`
    naming the condition (by its number and the block's label) and what is wrong with it."""
    if not isinstance(conditions, list):
        raise Invalid(_("Danh sách điều kiện không hợp lệ."), field="conditions")
    if len(conditions) > 20:
        raise Invalid(_("Tối đa 20 điều kiện cho một loại khen thưởng."), field="conditions")
    codes = list(award_codes)
    result = []
    for number, raw in enumerate(conditions, start=1):
        if not isinstance(raw, Mapping):
            raise Invalid(_("Điều kiện %(n)s không hợp lệ.", n=number), field="conditions")
        block = BLOCKS.get(raw.get("rule"))
        if block is None:
            raise Invalid(_("Điều kiện %(n)s: không có khối điều kiện “%(r)s”.", n=number, r=raw.get("rule")),
                          field="conditions")
        if not set(block.subjects) & set(subjects):
            raise Invalid(_("Điều kiện %(n)s (%(b)s) không áp dụng cho đối tượng của loại khen thưởng này.", n=number,
                            b=block.label), field="conditions")
        given = raw.get("params") or {}
        if not isinstance(given, Mapping):
            raise Invalid(_("Điều kiện %(n)s (%(b)s): tham số không hợp lệ.", n=number, b=block.label),
                          field="conditions")
        unknown = sorted(set(given) - {p.name for p in block.params})
        if unknown:
            raise Invalid(_("Điều kiện %(n)s (%(b)s): không có tham số “%(p)s”.", n=number, b=block.label,
                            p=unknown[0]), field="conditions")
        params = {}
        for param in block.params:
            value = given.get(param.name)
            if value in (None, ""):
                if param.required:
                    raise Invalid(_("Điều kiện %(n)s (%(b)s): cần nhập “%(p)s”.", n=number, b=block.label,
                                    p=param.label), field="conditions")
                if param.default is not None:
                    params[param.name] = param.default
                continue
            params[param.name] = _param(number, block, param, value, codes)
        result.append({"rule": block.name, "params": params, "basis": _basis(number, raw.get("basis"), block,
                                                                              default_basis)})
    return result


def _basis(number: int, raw, block: Block, default_basis: str) -> dict:
    """A condition's citation: as given ({article, text, confirmed}), else the type's basis, unconfirmed."""
    if raw in (None, "", {}):
        return {"article": default_basis or "Chưa ghi căn cứ", "text": block.label, "confirmed": False}
    if not isinstance(raw, Mapping):
        raise Invalid(_("Điều kiện %(n)s (%(b)s): căn cứ không hợp lệ.", n=number, b=block.label), field="conditions")
    article = str(raw.get("article") or "").strip()
    text = str(raw.get("text") or "").strip()
    if not article or len(article) > 300 or len(text) > 2000:
        raise Invalid(_("Điều kiện %(n)s (%(b)s): cần ghi điều, khoản của văn bản làm căn cứ (tối đa 300 ký tự).",
                        n=number, b=block.label), field="conditions")
    return {"article": article, "text": text or block.label, "confirmed": bool(raw.get("confirmed", True))}


def compile_conditions(code: str, conditions) -> list[tuple[Block, Rule]]:
    """The stored conditions as rules (each line's id is its block's name, numbered when a block repeats)."""
    seen: dict[str, int] = {}
    result = []
    for raw in conditions or ():
        block = BLOCKS.get(raw.get("rule"))
        if block is None:
            raise Invalid(_("Loại khen thưởng %(c)s có điều kiện “%(r)s” không còn trong danh mục khối điều kiện.",
                            c=code, r=raw.get("rule")), field="conditions")
        seen[block.name] = seen.get(block.name, 0) + 1
        rule_id = block.name if seen[block.name] == 1 else f"{block.name}_{seen[block.name]}"
        cited = raw.get("basis") or {}
        basis = Basis(cited.get("article") or "Chưa ghi căn cứ", cited.get("text") or block.label,
                      bool(cited.get("confirmed", False)))
        result.append((block, block.factory(raw.get("params") or {}, basis, award=code, rule=rule_id)))
    return result


def subject_of(case: Case) -> str:
    return COLLECTIVE if isinstance(case.history, UnitHistory) else INDIVIDUAL


__all__ = ["BLOCKS", "Block", "Param", "block_label", "compile_conditions", "full_years",
           "subject_of", "validate"]
