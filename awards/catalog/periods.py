"""Achievement periods and the procedure's regime: pure functions over plain data, each with its article.

An award that rests on a chain of years rewards a period (thời gian đạt thành tích, "from year – to year"), and
those years cannot support a second award of the same chain: "thành tích đến đâu khen thưởng đến đó" (Luật TĐKT
06/2022/QH15, Điều 5 khoản 2 điểm c) and "thời gian đề nghị khen thưởng lần tiếp theo được tính theo thời gian lập
được thành tích ghi trong quyết định khen thưởng lần trước" (NĐ 98/2023/NĐ-CP, Điều 30 khoản 9; before 2024 the
same words in TT 08/2017/TT-BNV under NĐ 91/2017). A decision written in this system records the period its rule
used; a record entered by hand or imported without one takes the default below, editable with a reason.

Which decree governs the *procedure* of a dossier (documents, deadlines, listing) follows the date the dossier
was received, not the achievement year (NĐ 152/2025/NĐ-CP, Điều 60 khoản 3): `procedure_regime(received_on)`.
"""

from dataclasses import dataclass
from datetime import date

LAW_2022 = "Luật TĐKT 06/2022/QH15"
LAW_2003 = "Luật TĐKT 2003 (sửa đổi 2013)"
NEXT_TIME = "NĐ 98/2023/NĐ-CP, Điều 30 khoản 9"


@dataclass(frozen=True)
class PeriodRule:
    """How many years, ending in the record's year, an award of this code rewards by default."""

    years: int
    basis: str


# The chain (công trạng) route of each award: its length is the period it rewards. Yearly titles reward their
# year. Cờ thi đua is given yearly ("xét tặng hằng năm"; the 2013 Law's Art 25 reads "trong năm"): its
# thematic route of 3+ (Cờ tỉnh) or 5+ years (Cờ Chính phủ, NĐ 91/2017 Art 11.3) is a period the rule gives.
PERIODS: dict[str, PeriodRule] = {
    "LDTT": PeriodRule(1, f"{LAW_2022}, Điều 24 (xét tặng hằng năm)"),
    "CSTDCS": PeriodRule(1, f"{LAW_2022}, Điều 23 (xét tặng hằng năm)"),
    "TTLDTT": PeriodRule(1, f"{LAW_2022}, Điều 28 (xét tặng hằng năm)"),
    "TTLDXS": PeriodRule(1, f"{LAW_2022}, Điều 27 (xét tặng hằng năm)"),
    "GIAY_KHEN": PeriodRule(1, f"{LAW_2022}, Điều 75"),
    "CO_TINH": PeriodRule(1, f"{LAW_2022}, Điều 26 (xét tặng hằng năm)"),
    "CO_CP": PeriodRule(1, f"{LAW_2022}, Điều 25 (thành tích trong năm)"),
    "CSTD_TINH": PeriodRule(3, f"{LAW_2022}, Điều 22 (03 lần liên tục đạt CSTĐCS)"),
    "CSTD_TQ": PeriodRule(6, f"{LAW_2022}, Điều 21 (02 lần liên tục đạt CSTĐ cấp tỉnh: hai chu kỳ 03 năm)"),
    "BK_TINH": PeriodRule(2, f"{LAW_2022}, Điều 74 khoản 1 điểm d (02 năm liên tục)"),
    "BK_TTG": PeriodRule(5, f"{LAW_2022}, Điều 73 khoản 1 điểm b (05 năm trở lên)"),
    "HCLD3": PeriodRule(5, f"{LAW_2022}, Điều 44 khoản 1 điểm e (05 năm trở lên)"),
}

# Ad-hoc (đột xuất) and thematic (chuyên đề) awards reward one achievement, not a chain: the record's year only.
ONE_YEAR_KINDS = ("adhoc", "thematic")


def default_period(award_code: str, year: int, kind: str = "regular") -> tuple[int, int]:
    """(from, to) for a record with no period written: the chain's length ending in the record's year."""
    if kind in ONE_YEAR_KINDS or award_code not in PERIODS:
        return year, year
    return year - PERIODS[award_code].years + 1, year


def period_of(award_code: str, year: int, kind: str, period_from: int | None, period_to: int | None
              ) -> tuple[int, int]:
    """The period a record rewards: the one written on it, else the default (records from before periods)."""
    if period_from is not None and period_to is not None:
        return period_from, period_to
    return default_period(award_code, year, kind)


def period_text(period_from: int, period_to: int) -> str:
    """'2023–2024', or '2024' for one year: how a checklist line and a record page say it."""
    return str(period_to) if period_from == period_to else f"{period_from}–{period_to}"


@dataclass(frozen=True)
class Regime:
    """The decree whose procedure applies to a dossier received on a given day."""

    code: str
    name: str
    effective_from: date
    effective_to: date | None
    basis: str


# NĐ 98/2023 took effect on 01/01/2024 with the 2022 Law (Law Art 94.1: "có hiệu lực thi hành từ ngày 01 tháng 01
# năm 2024"); NĐ 152/2025 on 01/07/2025. A dossier received before a decree took effect keeps the procedure in
# force on the day it was received (NĐ 152/2025 Art 60.3, and the same transition in NĐ 98/2023).
REGIMES: tuple[Regime, ...] = (
    Regime("nd91", "NĐ 91/2017/NĐ-CP", date(2017, 9, 15), date(2023, 12, 31),
           f"{LAW_2003}; NĐ 91/2017/NĐ-CP"),
    Regime("nd98", "NĐ 98/2023/NĐ-CP", date(2024, 1, 1), date(2025, 6, 30),
           f"{LAW_2022}; NĐ 98/2023/NĐ-CP"),
    Regime("nd152", "NĐ 152/2025/NĐ-CP", date(2025, 7, 1), None,
           f"{LAW_2022}; NĐ 152/2025/NĐ-CP, Điều 60 khoản 3"),
)


def procedure_regime(received_on: date) -> Regime:
    """The regime of the procedure for a dossier received that day (NĐ 152/2025 Art 60.3); the oldest before it."""
    for regime in reversed(REGIMES):
        if received_on >= regime.effective_from:
            return regime
    return REGIMES[0]


def substance_regime(year: int) -> Regime:
    """The regime of the conditions for achievements of a year: up to 2023 the 2003/2013 Law and NĐ 91/2017."""
    return procedure_regime(date(year, 12, 31)) if year >= 2024 else REGIMES[0]
