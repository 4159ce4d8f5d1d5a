"""Whom the plan's priorities favour: pure functions over a person's plain facts, no database.

The provincial plan (issue 25) asks that rewards favour people who work directly with patients or in commune health
stations, women, ethnic minorities and people under 40; the law asks that those who work directly be given weight
(Luật Thi đua, khen thưởng 06/2022/QH15, Điều 5 khoản 2 — [check]: only a summary of the article was read). These
flags are shown beside a dossier to help the appraiser and the council; they decide nothing.

Two flags come from sensitive personal data (the ethnic-minority flag, the birth date: NĐ 13/2023/NĐ-CP, Law
91/2025/QH15; docs/PERSONAL-DATA.md): they are computed only for a reader who may see that data."""

from datetime import date

from flask_babel import lazy_gettext as _l

YOUNG_BELOW = 40  # "young": under 40 on 31 December of the year (the reports' share, CONTRACT §4)
STATION_KIND = "station"  # UnitKind.station, “Trạm Y tế xã”

# In the order the badges are shown: (short text on the badge, the full words of its tooltip and screen reader).
PRIORITY_FLAGS = {
    "frontline": (_l("Trực tiếp"), _l("Trực tiếp làm chuyên môn, phục vụ người bệnh")),
    "station": (_l("Trạm y tế xã"), _l("Công tác tại trạm y tế xã")),
    "female": (_l("Nữ"), _l("Cán bộ nữ")),
    "ethnic_minority": (_l("DTTS"), _l("Người dân tộc thiểu số")),
    "under_40": (_l("Dưới 40"), _l("Dưới 40 tuổi tính đến ngày 31/12 của năm khen thưởng")),
}
SENSITIVE_FLAGS = frozenset({"ethnic_minority", "under_40"})  # read from sensitive personal data


def age_at_year_end(birth_date: date | None, year: int) -> int | None:
    """Full years of age on 31 December of `year` (everyone born that year has had their birthday by then)."""
    return None if birth_date is None else year - birth_date.year


def is_young(birth_date: date | None, year: int) -> bool:
    """Under 40 on 31 December of the award year; an unknown birth date is not young."""
    age = age_at_year_end(birth_date, year)
    return age is not None and age < YOUNG_BELOW


def young_born_after(year: int) -> date:
    """A person is young for `year` when born strictly after this day (the same rule, as a bound for queries)."""
    return date(year - YOUNG_BELOW, 12, 31)


def priority_flags(person, year: int, *, sensitive: bool = True) -> tuple[str, ...]:
    """The priority flags of `person` (frontline, gender, ethnic_minority, birth_date, unit.kind) for an award of
    `year`, in PRIORITY_FLAGS order; without `sensitive`, the flags read from sensitive data are left out."""
    unit = getattr(person, "unit", None)
    found = {
        "frontline": bool(person.frontline),
        "station": unit is not None and str(unit.kind) == STATION_KIND,
        "female": str(person.gender) == "female",
        "ethnic_minority": sensitive and bool(person.ethnic_minority),
        "under_40": sensitive and is_young(person.birth_date, year),
    }
    return tuple(flag for flag in PRIORITY_FLAGS if found[flag])


def flag_counts(flag_sets) -> dict[str, int]:
    """How many of the given flag tuples carry each flag (every flag present, zeros included)."""
    counts = dict.fromkeys(PRIORITY_FLAGS, 0)
    for flags in flag_sets:
        for flag in flags:
            counts[flag] += 1
    return counts
