"""Prize money (tiền thưởng) as the decrees set it: a coefficient × the base salary (mức lương cơ sở) in force on
the date of the decision, rounded up to the ten thousand đồng. Pure functions over plain data, each amount with
the article it rests on.

Sources read (search tool, corpus "pages"; see the report of issue 25):
- NĐ 98/2023/NĐ-CP Điều 54 (danh hiệu thi đua: CSTĐ toàn quốc 4,5; CSTĐ tỉnh 3,0; CSTĐCS 1,0; LĐTT 0,3; TTLĐXS
  1,5; TTLĐTT 0,8; Cờ CP 12,0; Cờ tỉnh 8,0) and Điều 55 (Huân chương: HCLĐ hạng Ba 4,5, a collective twice the
  individual's, 55.2), as quoted by thuvienphapluat.vn, vietjack.me and the Thừa Thiên Huế portal; its principles
  (base salary in force on the day the decision is issued; "làm tròn số lên hàng chục nghìn đồng"; a collective
  receives more than an individual) as published by VGP (phunuvietnam.vn, 07/01/2024).
- NĐ 152/2025/NĐ-CP Điều 54.1 (Bằng khen TTg 3,5; bằng khen bộ, ban, ngành, tỉnh 1,5), as quoted by
  giadinh.suckhoedoisong.vn (11/08/2025); its titles keep NĐ 98's coefficients (dantri.com.vn, 03/12/2025).
- NĐ 91/2017/NĐ-CP: Bằng khen TTg 3,5, bằng khen tỉnh 1,0, Giấy khen 0,3, a collective twice an individual
  (plo.vn, hieuluat.vn); titles as NĐ 98 (the Nam Định Sở Nội vụ table of 01/07/2023).
What the pages did not show is marked `confirmed=False` ("chưa xác minh"): the article numbers of NĐ 91/2017, the
Giấy khen and Huân chương coefficients under NĐ 152/2025, the Bằng khen/Giấy khen article of NĐ 98/2023.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from awards.catalog.bases import Basis

INDIVIDUAL, COLLECTIVE = "individual", "collective"
SUBJECTS = {"person": INDIVIDUAL, "unit": COLLECTIVE, INDIVIDUAL: INDIVIDUAL, COLLECTIVE: COLLECTIVE}
ROUND_TO = 10_000  # "làm tròn số lên hàng chục nghìn đồng" (NĐ 98/2023, nguyên tắc tiền thưởng)


@dataclass(frozen=True)
class BaseSalary:
    """One row of the base-salary table: the amount in đồng per month from a date, and the decree that set it."""

    effective_from: date
    amount: int
    source: str = ""


@dataclass(frozen=True)
class Coefficient:
    individual: float | None
    collective: float | None
    basis: Basis


@dataclass(frozen=True)
class Regime:
    """The decree in force for decisions issued between two dates, and its coefficients by award code."""

    name: str
    effective_from: date
    effective_to: date | None
    coefficients: Mapping[str, Coefficient]
    rounding: Basis

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class Prize(NamedTuple):
    """What a recipient gets: the amount in đồng (None when the award has no coefficient or no base salary is
    known for the day), the coefficient, the base salary used and the article it rests on."""

    amount: int | None
    coefficient: float | None
    base: int | None
    basis: Basis | None


def _c(individual, collective, article, text, confirmed=True) -> Coefficient:
    return Coefficient(individual, collective, Basis(article, text, confirmed))


_TITLE_91 = "NĐ 91/2017/NĐ-CP, Chương VI (mức tiền thưởng danh hiệu thi đua)"
_FORM_91 = "NĐ 91/2017/NĐ-CP, Chương VI (mức tiền thưởng bằng khen, giấy khen)"
_MEDAL_91 = "NĐ 91/2017/NĐ-CP, Chương VI (mức tiền thưởng Huân chương)"
ND91 = Regime("NĐ 91/2017/NĐ-CP", date(2017, 10, 1), date(2023, 12, 31), {
    "LDTT": _c(0.3, None, _TITLE_91, "“Lao động tiên tiến”: 0,3 lần mức lương cơ sở", False),
    "CSTDCS": _c(1.0, None, _TITLE_91, "“Chiến sĩ thi đua cơ sở”: 1,0 lần mức lương cơ sở", False),
    "CSTD_TINH": _c(3.0, None, _TITLE_91, "Chiến sĩ thi đua cấp tỉnh: 3,0 lần mức lương cơ sở", False),
    "CSTD_TQ": _c(4.5, None, _TITLE_91, "“Chiến sĩ thi đua toàn quốc”: 4,5 lần mức lương cơ sở", False),
    "TTLDTT": _c(None, 0.8, _TITLE_91, "“Tập thể lao động tiên tiến”: 0,8 lần mức lương cơ sở", False),
    "TTLDXS": _c(None, 1.5, _TITLE_91, "“Tập thể lao động xuất sắc”: 1,5 lần mức lương cơ sở", False),
    "CO_TINH": _c(None, 8.0, _TITLE_91, "Cờ thi đua cấp tỉnh: 8,0 lần mức lương cơ sở", False),
    "CO_CP": _c(None, 12.0, _TITLE_91, "“Cờ thi đua của Chính phủ”: 12,0 lần mức lương cơ sở", False),
    "GIAY_KHEN": _c(0.3, 0.6, _FORM_91, "Giấy khen: cá nhân 0,3, tập thể gấp hai lần (0,6) mức lương cơ sở", False),
    "BK_TINH": _c(1.0, 2.0, _FORM_91, "Bằng khen cấp tỉnh: cá nhân 1,0, tập thể gấp hai lần (2,0)", False),
    "BK_TTG": _c(3.5, 7.0, _FORM_91, "Bằng khen của Thủ tướng Chính phủ: cá nhân 3,5, tập thể gấp hai lần (7,0)",
                 False),
    "HCLD3": _c(4.5, 9.0, _MEDAL_91, "Huân chương Lao động hạng Ba: cá nhân 4,5, tập thể gấp hai lần (9,0)", False),
}, Basis(_TITLE_91, "Tiền thưởng làm tròn số lên hàng chục nghìn đồng", False))

_T98 = "NĐ 98/2023/NĐ-CP, Điều 54"
_F98 = "NĐ 98/2023/NĐ-CP, Chương VI (mức tiền thưởng bằng khen, giấy khen)"
_M98 = "NĐ 98/2023/NĐ-CP, Điều 55"
ND98 = Regime("NĐ 98/2023/NĐ-CP", date(2024, 1, 1), date(2025, 6, 30), {
    "LDTT": _c(0.3, None, f"{_T98}.1", "“Lao động tiên tiến”: 0,3 lần mức lương cơ sở"),
    "CSTDCS": _c(1.0, None, f"{_T98}.1", "“Chiến sĩ thi đua cơ sở”: 1,0 lần mức lương cơ sở"),
    "CSTD_TINH": _c(3.0, None, f"{_T98}.1", "Chiến sĩ thi đua bộ, ban, ngành, tỉnh: 3,0 lần mức lương cơ sở"),
    "CSTD_TQ": _c(4.5, None, f"{_T98}.1", "“Chiến sĩ thi đua toàn quốc”: 4,5 lần mức lương cơ sở"),
    "TTLDTT": _c(None, 0.8, f"{_T98}.2", "“Tập thể Lao động tiên tiến”: 0,8 lần mức lương cơ sở"),
    "TTLDXS": _c(None, 1.5, f"{_T98}.2", "“Tập thể lao động xuất sắc”: 1,5 lần mức lương cơ sở"),
    "CO_TINH": _c(None, 8.0, f"{_T98}.2", "Cờ thi đua của bộ, ban, ngành, tỉnh: 8,0 lần mức lương cơ sở"),
    "CO_CP": _c(None, 12.0, f"{_T98}.2", "“Cờ thi đua của Chính phủ”: 12,0 lần mức lương cơ sở"),
    "GIAY_KHEN": _c(0.3, 0.6, _F98, "Giấy khen: cá nhân 0,3, tập thể gấp hai lần (0,6) mức lương cơ sở", False),
    "BK_TINH": _c(1.0, 2.0, _F98, "Bằng khen bộ, ban, ngành, tỉnh: cá nhân 1,0, tập thể gấp hai lần (2,0)", False),
    "BK_TTG": _c(3.5, 7.0, _F98, "Bằng khen của Thủ tướng Chính phủ: cá nhân 3,5, tập thể gấp hai lần (7,0)",
                 False),
    "HCLD3": _c(4.5, 9.0, f"{_M98}.1.h, 55.2",
                "“Huân chương Lao động” hạng Ba: 4,5 lần mức lương cơ sở; tập thể gấp hai lần cá nhân"),
}, Basis("NĐ 98/2023/NĐ-CP, Chương VI (nguyên tắc tiền thưởng)",
         "Tiền thưởng sau khi nhân với hệ số mức lương cơ sở được làm tròn số lên hàng chục nghìn đồng"))

_T152 = "NĐ 152/2025/NĐ-CP, Chương VI (mức tiền thưởng danh hiệu thi đua)"
_F152 = "NĐ 152/2025/NĐ-CP, Điều 54"
ND152 = Regime("NĐ 152/2025/NĐ-CP", date(2025, 7, 1), None, {
    "LDTT": _c(0.3, None, _T152, "“Lao động tiên tiến”: 0,3 lần mức lương cơ sở"),
    "CSTDCS": _c(1.0, None, _T152, "“Chiến sĩ thi đua cơ sở”: 1 lần mức lương cơ sở"),
    "CSTD_TINH": _c(3.0, None, _T152, "Chiến sĩ thi đua bộ, ban, ngành, tỉnh: 3 lần mức lương cơ sở"),
    "CSTD_TQ": _c(4.5, None, _T152, "“Chiến sĩ thi đua toàn quốc”: 4,5 lần mức lương cơ sở"),
    "TTLDTT": _c(None, 0.8, _T152, "“Tập thể Lao động tiên tiến”: 0,8 lần mức lương cơ sở"),
    "TTLDXS": _c(None, 1.5, _T152, "“Tập thể lao động xuất sắc”: 1,5 lần mức lương cơ sở"),
    "CO_TINH": _c(None, 8.0, _T152, "Cờ thi đua của bộ, ban, ngành, tỉnh: 8 lần mức lương cơ sở", False),
    "CO_CP": _c(None, 12.0, _T152, "“Cờ thi đua của Chính phủ”: 12 lần mức lương cơ sở"),
    "GIAY_KHEN": _c(0.3, 0.6, _F152, "Giấy khen: cá nhân 0,3, tập thể 0,6 lần mức lương cơ sở", False),
    "BK_TINH": _c(1.5, 3.0, f"{_F152}.1",
                  "Bằng khen của bộ, ban, ngành, tỉnh: cá nhân 1,5 lần mức lương cơ sở (tập thể gấp hai lần: "
                  "chưa xác minh)"),
    "BK_TTG": _c(3.5, 7.0, f"{_F152}.1",
                 "“Bằng khen của Thủ tướng Chính phủ”: cá nhân 3,5 lần mức lương cơ sở (tập thể gấp hai lần: "
                 "chưa xác minh)"),
    "HCLD3": _c(4.5, 9.0, "NĐ 152/2025/NĐ-CP, Chương VI (mức tiền thưởng Huân chương)",
                "“Huân chương Lao động” hạng Ba: 4,5 lần mức lương cơ sở; tập thể gấp hai lần", False),
}, Basis("NĐ 152/2025/NĐ-CP, Chương VI (nguyên tắc tiền thưởng)",
         "Tiền thưởng làm tròn số lên hàng chục nghìn đồng (như NĐ 98/2023)", False))

REGIMES = (ND91, ND98, ND152)

# The base salary in force (the migration seeds the table with these; staff add later rows)
BASE_SALARIES = (
    BaseSalary(date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
    BaseSalary(date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    BaseSalary(date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP"),
)


def regime_on(day: date) -> Regime:
    """The decree in force on the decision's date; before NĐ 91/2017, its table (the earliest one kept)."""
    return next((r for r in REGIMES if r.covers(day)), ND91 if day < ND91.effective_from else REGIMES[-1])


def base_salary_on(table: Iterable[BaseSalary], day: date) -> BaseSalary | None:
    """The row in force on `day`: the latest that starts on or before it."""
    rows = [row for row in table if row.effective_from <= day]
    return max(rows, key=lambda row: row.effective_from, default=None)


def round_up(amount: float, step: int = ROUND_TO) -> int:
    """Up to the next multiple of `step` (0,3 × 2.340.000 = 702.000 → 710.000); exact multiples stay."""
    units = round(amount / step, 6)  # 0.3 × 1.8M is 540000.0000001 in floating point: not a reason to round up
    return int(math.ceil(units) * step)


def coefficient(code: str, subject: str, day: date) -> tuple[float | None, Basis | None]:
    """The decree's coefficient for the award and subject on the day, with its article; (None, None) when the
    decree sets none (a type added in the catalogue without a coefficient)."""
    found = regime_on(day).coefficients.get(code)
    if found is None:
        return None, None
    value = found.collective if SUBJECTS.get(subject, INDIVIDUAL) == COLLECTIVE else found.individual
    if value is None:  # a title of the other kind of subject: its only coefficient
        value = found.individual if found.individual is not None else found.collective
    return value, found.basis


def prize_amount(code: str, subject: str, decided_on: date, coefficient_override: float | None = None,
                 base_table: Iterable[BaseSalary] = BASE_SALARIES) -> Prize:
    """The prize of one recipient: coefficient (the catalogue's override, else the decree's) × the base salary
    in force on the decision date, rounded up to the ten thousand đồng."""
    if coefficient_override is not None:
        value = float(coefficient_override)
        basis = Basis("Danh mục loại khen thưởng", f"Hệ số tiền thưởng do quản trị khai báo: {value:g}", False)
    else:
        value, basis = coefficient(code, subject, decided_on)
    base = base_salary_on(base_table, decided_on)
    if value is None or base is None:
        return Prize(None, value, base.amount if base else None, basis)
    return Prize(round_up(value * base.amount), value, base.amount, basis)


def format_dong(amount: int | None) -> str:
    """2340000 → "2.340.000" (Vietnamese thousands separator); "" for None."""
    if amount is None:
        return ""
    return f"{'-' if amount < 0 else ''}{abs(int(amount)):,}".replace(",", ".")


def format_coefficient(value: float | None) -> str:
    """0.3 → "0,3", 12.0 → "12,0" (the decrees write one decimal)."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0")
    return (text + "0" if text.endswith(".") else text).replace(".", ",")
