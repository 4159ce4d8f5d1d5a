"""How a council vote is counted (RULES.md §5), as plain functions over numbers.

Shares are compared as exact fractions: 0.8 of 10 members is 8, not 7.999…; 2/3 of 10 is 7 (6.67 rounded up)."""

from dataclasses import dataclass
from fractions import Fraction
from math import ceil


def _share(value: float) -> Fraction:
    return Fraction(value).limit_denominator(1000)


def at_least(share: float, of: int) -> int:
    """The smallest whole number of people that is at least `share` of `of`."""
    return ceil(_share(share) * of)


def quorum_met(members: int, ballots_cast: int, quorum: float) -> bool:
    """At least `quorum` of the total membership took part (RULES §5, a setting, default 2/3)."""
    return members > 0 and ballots_cast >= at_least(quorum, members)


def needed_yes(ballot: str, threshold: float | None, members: int, cast_on_item: int) -> int:
    """Yes votes an item needs: with a threshold, a share of the TOTAL membership (≥ 80% / 90%, whether the
    award is voted secretly or openly); without, more than half of the members (secret) or of the ballots cast
    on it (open vote)."""
    if threshold is not None:
        return at_least(threshold, members)
    if ballot == "secret":
        return members // 2 + 1
    return cast_on_item // 2 + 1


@dataclass(frozen=True)
class ItemResult:
    yes: int
    no: int  # every ballot on the item that is not yes (explicit no, or left out)
    blank: int  # of which left out
    needed: int
    passed: bool

    @property
    def shortfall(self) -> int:
        return max(0, self.needed - self.yes)


def tally_item(*, ballot: str, threshold: float | None, members: int, yes: int, no: int, blank: int,
               quorum_ok: bool) -> ItemResult:
    """One item's result: without quorum nothing passes."""
    needed = needed_yes(ballot, threshold, members, yes + no + blank)
    return ItemResult(yes=yes, no=no + blank, blank=blank, needed=needed, passed=quorum_ok and yes >= needed)


def narrow_margin(members: int) -> int:
    """How far short an item may fall and still go to a second round: a tenth of the council, at least 1."""
    return max(1, ceil(members / 10))


def may_go_to_second_round(result: ItemResult, *, members: int, quorum_ok: bool) -> bool:
    """A failed item goes again when it missed by a narrow margin, or when the round had no quorum."""
    if result.passed:
        return False
    return not quorum_ok or result.shortfall <= narrow_margin(members)


# The titles of a unit's head (thủ trưởng) as people's positions spell them, folded; a deputy (phó) is not one.
HEAD_TITLES = ("giam doc", "thu truong", "hieu truong", "vien truong", "cuc truong", "chi cuc truong",
               "chanh van phong", "chanh thanh tra", "chu tich", "truong khoa", "truong phong", "truong tram",
               "truong ban", "truong trung tam")


def is_unit_head(position_folded: str) -> bool:
    """Whether a person's position (folded) names the head of their unit: "Giám đốc bệnh viện", "Trưởng khoa";
    not "Phó Giám đốc", nor "Điều dưỡng trưởng khoa"."""
    return position_folded.startswith(HEAD_TITLES)


def recusal_base(members: int, recused: int, recused_count: bool) -> int:
    """The total membership an item's threshold is a share of: every member (the law's "tổng số thành viên"),
    or, when the council's setting says recused members do not count, the others."""
    return members if recused_count else max(0, members - recused)
