"""Who decides which award (thẩm quyền, RULES.md §9): pure data, each default citing its article.

A unit that decides awards (đơn vị có thẩm quyền: legal status, its own council) has a competence table, the award
codes it decides itself; these are the defaults it starts with, editable by an admin per unit. Everything else is
proposed upward (đề nghị cấp trên), to the nearest unit above that decides it, or outside the system.

Verified against the Công báo text of Luật Thi đua, khen thưởng 06/2022/QH15 (Công báo số 571+572, 15-7-2022,
p. 57), Art 80.1: "Thủ trưởng cơ quan, tổ chức, đơn vị có tư cách pháp nhân thuộc Bộ, ban, ngành, Thủ trưởng cơ
quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh và tương đương quyết định tặng danh hiệu 'Tập thể lao động tiên
tiến', 'Chiến sĩ thi đua cơ sở', 'Lao động tiên tiến' và giấy khen" (the article's title also names units with
legal status "thuộc … tỉnh"). So a hospital or district health centre (legal status) and the Sở Y tế (a
specialised agency of the provincial People's Committee) decide the same four.

The levels above (who decides what no unit in the system decides) follow the Law's chapter IV (thẩm quyền): the
provincial People's Committee chairman (Bằng khen, CSTĐ cấp tỉnh, TTLĐXS, Cờ thi đua cấp tỉnh), the Prime Minister
(Bằng khen TTg, CSTĐ toàn quốc, Cờ thi đua của Chính phủ) and the President (Huân chương). The catalogue's
`decided_by` already names them; the article numbers of those three (Art 77–79) were not checked against the
Công báo page in this session: marked [check] below.
"""

from dataclasses import dataclass

ART_80_1 = "Luật TĐKT 2022, Điều 80 khoản 1"


@dataclass(frozen=True)
class Level:
    """A deciding level outside the unit tree: its name as a user reads it, and the article that gives it."""

    name: str
    basis: str


PROVINCE = Level("Chủ tịch UBND tỉnh (cấp tỉnh)", "Luật TĐKT 2022, Chương IV, Điều 79 [check]")
PRIME_MINISTER = Level("Thủ tướng Chính phủ (cấp Trung ương)", "Luật TĐKT 2022, Chương IV, Điều 78 [check]")
PRESIDENT = Level("Chủ tịch nước (cấp Nhà nước)", "Luật TĐKT 2022, Chương IV, Điều 77 [check]")

# The awards a unit with legal status decides (Art 80.1): LĐTT, CSTĐCS, TTLĐTT and Giấy khen.
UNIT_DEFAULTS: dict[str, str] = {
    "LDTT": ART_80_1,
    "CSTDCS": ART_80_1,
    "TTLDTT": ART_80_1,
    "GIAY_KHEN": ART_80_1,
}

# Who decides the rest, outside the system by default.
ABOVE: dict[str, Level] = {
    "BK_TINH": PROVINCE,
    "CSTD_TINH": PROVINCE,
    "TTLDXS": PROVINCE,
    "CO_TINH": PROVINCE,
    "BK_TTG": PRIME_MINISTER,
    "CSTD_TQ": PRIME_MINISTER,
    "CO_CP": PRIME_MINISTER,
    "HCLD3": PRESIDENT,
}


def default_award_codes() -> list[str]:
    """The competence a unit starts with when it is marked as deciding awards (Art 80.1), sorted."""
    return sorted(UNIT_DEFAULTS)


def basis_of(award_code: str) -> str:
    """The article behind a default: Art 80.1 for what a unit decides, the level above's article otherwise."""
    if award_code in UNIT_DEFAULTS:
        return UNIT_DEFAULTS[award_code]
    level = ABOVE.get(award_code)
    return level.basis if level else ""


def level_outside(award_code: str) -> str | None:
    """The name of the level outside the system that decides an award no unit decides by default, or None."""
    level = ABOVE.get(award_code)
    return level.name if level else None


# Every award code whose decider this module knows (tests/units check it covers the catalogue).
KNOWN = frozenset(UNIT_DEFAULTS) | frozenset(ABOVE)
