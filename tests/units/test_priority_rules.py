"""The plan's priority flags of a person, as a table: the age boundary on 31 December of the award year, an unknown
birth date, each flag alone, all of them, and the sensitive ones left out for a reader without rights."""

from datetime import date
from types import SimpleNamespace

import pytest

from awards.units.rules import PRIORITY_FLAGS, age_at_year_end, flag_counts, is_young, priority_flags


def person(*, gender="male", birth_date=None, ethnic_minority=False, frontline=False, kind="hospital"):
    return SimpleNamespace(gender=gender, birth_date=birth_date, ethnic_minority=ethnic_minority,
                           frontline=frontline, unit=SimpleNamespace(kind=kind))


@pytest.mark.parametrize(("birth_date", "year", "young"), [
    (date(1986, 1, 1), 2025, True),     # 39 on 31/12/2025
    (date(1985, 12, 31), 2025, False),  # turns 40 on the very last day: not under 40
    (date(1985, 1, 1), 2025, False),    # 40 since January
    (date(1986, 12, 31), 2025, True),   # 39 only on 31/12/2025
    (date(1986, 1, 1), 2026, False),    # the same person a year later: 40 on 31/12/2026
    (date(2000, 6, 1), 2025, True),
    (None, 2025, False),                # an unknown birth date gives no badge
])
def test_under_40_is_read_on_31_december_of_the_award_year(birth_date, year, young):
    assert is_young(birth_date, year) is young
    assert ("under_40" in priority_flags(person(birth_date=birth_date), year)) is young


def test_age_at_year_end():
    assert age_at_year_end(date(1985, 12, 31), 2025) == 40 and age_at_year_end(None, 2025) is None


@pytest.mark.parametrize(("facts", "flags"), [
    ({}, ()),
    ({"frontline": True}, ("frontline",)),
    ({"kind": "station"}, ("station",)),
    ({"kind": "health_centre"}, ()),  # a district health centre is not a commune station
    ({"gender": "female"}, ("female",)),
    ({"ethnic_minority": True}, ("ethnic_minority",)),
    ({"birth_date": date(1990, 3, 8)}, ("under_40",)),
    ({"frontline": True, "kind": "station", "gender": "female", "ethnic_minority": True,
      "birth_date": date(1995, 7, 1)}, tuple(PRIORITY_FLAGS)),
])
def test_each_flag_alone_and_all_together(facts, flags):
    assert priority_flags(person(**facts), 2025) == flags


def test_a_reader_without_rights_gets_no_flag_read_from_sensitive_data():
    everything = person(frontline=True, kind="station", gender="female", ethnic_minority=True,
                        birth_date=date(1995, 7, 1))
    assert priority_flags(everything, 2025, sensitive=False) == ("frontline", "station", "female")


def test_a_person_without_a_loaded_unit_has_no_station_flag():
    assert priority_flags(SimpleNamespace(gender="female", birth_date=None, ethnic_minority=False,
                                          frontline=False, unit=None), 2025) == ("female",)


def test_flag_counts_lists_every_flag_with_zeros():
    assert flag_counts([("female",), ("female", "under_40"), ()]) == {
        "frontline": 0, "station": 0, "female": 2, "ethnic_minority": 0, "under_40": 1}


def test_every_flag_has_a_short_badge_and_full_words():
    for short, full in PRIORITY_FLAGS.values():
        assert str(short) and len(str(full)) > len(str(short))
