"""Prize money as the decrees set it: coefficient × the base salary in force on the decision date, rounded up to the
ten thousand đồng — table cases across the 01/07/2024 base salary and the decrees, individual and collective."""

from datetime import date

import pytest

from awards.prizes import rules
from awards.prizes.rules import BaseSalary, prize_amount

CASES = [
    # code, subject, decided on, coefficient, base, amount
    ("LDTT", "person", date(2024, 6, 30), 0.3, 1_800_000, 540_000),
    ("LDTT", "person", date(2024, 7, 1), 0.3, 2_340_000, 710_000),  # 702.000 rounded up to the ten thousand
    ("CSTDCS", "person", date(2024, 6, 30), 1.0, 1_800_000, 1_800_000),
    ("CSTDCS", "person", date(2024, 7, 1), 1.0, 2_340_000, 2_340_000),
    ("CSTD_TINH", "person", date(2026, 3, 20), 3.0, 2_340_000, 7_020_000),
    ("CSTD_TQ", "person", date(2026, 3, 20), 4.5, 2_340_000, 10_530_000),
    ("TTLDTT", "unit", date(2024, 7, 1), 0.8, 2_340_000, 1_880_000),  # 1.872.000 ↑
    ("TTLDXS", "unit", date(2024, 6, 30), 1.5, 1_800_000, 2_700_000),
    ("CO_TINH", "unit", date(2026, 3, 20), 8.0, 2_340_000, 18_720_000),
    ("CO_CP", "unit", date(2026, 3, 20), 12.0, 2_340_000, 28_080_000),
    ("GIAY_KHEN", "person", date(2026, 3, 20), 0.3, 2_340_000, 710_000),
    ("GIAY_KHEN", "unit", date(2026, 3, 20), 0.6, 2_340_000, 1_410_000),  # 1.404.000 ↑
    ("BK_TINH", "person", date(2025, 6, 30), 1.0, 2_340_000, 2_340_000),  # NĐ 98/2023
    ("BK_TINH", "person", date(2025, 7, 1), 1.5, 2_340_000, 3_510_000),  # NĐ 152/2025 Điều 54.1
    ("BK_TINH", "unit", date(2025, 7, 1), 3.0, 2_340_000, 7_020_000),
    ("BK_TTG", "person", date(2026, 3, 20), 3.5, 2_340_000, 8_190_000),
    ("BK_TTG", "unit", date(2026, 3, 20), 7.0, 2_340_000, 16_380_000),
    ("HCLD3", "person", date(2024, 9, 2), 4.5, 2_340_000, 10_530_000),  # NĐ 98/2023 Điều 55.1.h
    ("HCLD3", "unit", date(2024, 9, 2), 9.0, 2_340_000, 21_060_000),  # twice the individual's (55.2)
    ("LDTT", "person", date(2023, 6, 30), 0.3, 1_490_000, 450_000),  # 447.000 ↑, NĐ 91/2017
    ("CSTDCS", "individual", date(2023, 7, 1), 1.0, 1_800_000, 1_800_000),
]


@pytest.mark.parametrize(("code", "subject", "day", "coefficient", "base", "amount"), CASES)
def test_prize_amount(code, subject, day, coefficient, base, amount):
    prize = prize_amount(code, subject, day)
    assert (prize.amount, prize.coefficient, prize.base) == (amount, coefficient, base)
    assert prize.basis is not None and prize.basis.article


def test_it_unpacks_as_the_brief_names_it():
    amount, coefficient, base, basis = prize_amount("LDTT", "person", date(2024, 7, 1))
    assert (amount, coefficient, base) == (710_000, 0.3, 2_340_000) and "98/2023" in basis.article


def test_the_decree_of_the_decision_date_is_cited():
    assert "98/2023" in prize_amount("CSTDCS", "person", date(2025, 6, 30)).basis.article
    assert "152/2025" in prize_amount("CSTDCS", "person", date(2025, 7, 1)).basis.article
    assert "91/2017" in prize_amount("CSTDCS", "person", date(2023, 12, 31)).basis.article
    assert not prize_amount("BK_TINH", "person", date(2023, 12, 31)).basis.confirmed  # read, article not seen
    assert prize_amount("HCLD3", "person", date(2024, 9, 2)).basis.confirmed


def test_a_later_row_of_the_table_is_used_from_its_day_only():
    table = [*rules.BASE_SALARIES, BaseSalary(date(2026, 7, 1), 2_530_000, "thử")]
    assert prize_amount("CSTDCS", "person", date(2026, 6, 30), base_table=table).amount == 2_340_000
    assert prize_amount("CSTDCS", "person", date(2026, 7, 1), base_table=table).amount == 2_530_000


def test_an_award_the_decrees_do_not_list_takes_the_catalogue_coefficient():
    assert prize_amount("BK_BYT", "person", date(2026, 3, 20)) == (None, None, 2_340_000, None)
    prize = prize_amount("BK_BYT", "person", date(2026, 3, 20), coefficient_override=1.0)
    assert (prize.amount, prize.coefficient) == (2_340_000, 1.0) and not prize.basis.confirmed


def test_no_base_salary_known_gives_no_amount():
    assert prize_amount("LDTT", "person", date(2018, 1, 1)).amount is None
    assert prize_amount("LDTT", "person", date(2026, 1, 1), base_table=[]).amount is None


@pytest.mark.parametrize(("value", "expected"), [(702_000, 710_000), (540_000.0000001, 540_000), (1, 10_000),
                                                 (0, 0), (2_340_000, 2_340_000)])
def test_round_up_to_the_ten_thousand(value, expected):
    assert rules.round_up(value) == expected


def test_money_and_coefficients_are_written_the_vietnamese_way():
    assert rules.format_dong(2_340_000) == "2.340.000" and rules.format_dong(-500_000) == "-500.000"
    assert rules.format_dong(None) == "" and rules.format_dong(0) == "0"
    assert rules.format_coefficient(0.3) == "0,3" and rules.format_coefficient(12.0) == "12,0"
    assert rules.format_coefficient(1.25) == "1,25"


def test_the_migrations_frozen_copy_agrees_with_the_rules():
    """The back-fill of decisions issued before prize money existed uses its own copy of the table (a migration
    must not change with the code): at the time of writing it gives what rules.py gives."""
    import importlib.util
    from pathlib import Path

    path = next((Path(__file__).parents[2] / "migrations" / "versions").glob("*_c7d2e4f6a8b1_prize_money_*.py"))
    spec = importlib.util.spec_from_file_location("prize_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    days = (date(2019, 7, 1), date(2023, 6, 30), date(2023, 7, 1), date(2024, 6, 30), date(2024, 7, 1),
            date(2025, 6, 30), date(2025, 7, 1), date(2026, 12, 31))
    for code in migration.TITLES:
        for subject in ("person", "unit"):
            for day in days:
                prize = prize_amount(code, subject, day)
                assert migration._prize(code, subject, day) == (prize.coefficient, prize.amount), (code, subject, day)
    assert migration._prize("BK_BYT", "person", date(2026, 1, 1)) == (None, None)
