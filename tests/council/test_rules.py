"""RULES.md §5 as tables: thresholds on the total membership, quorum, open votes, second rounds."""

import pytest

from awards.council import rules


@pytest.mark.parametrize("members, cast, quorum, met", [
    (10, 6, 2 / 3, False), (10, 7, 2 / 3, True), (10, 10, 2 / 3, True), (9, 6, 2 / 3, True), (9, 5, 2 / 3, False),
    (10, 7, 0.8, False), (10, 8, 0.8, True), (0, 0, 2 / 3, False), (3, 2, 2 / 3, True),
])
def test_quorum_is_a_share_of_all_members(members, cast, quorum, met):
    assert rules.quorum_met(members, cast, quorum) is met


@pytest.mark.parametrize("ballot, threshold, members, yes, no, blank, passed", [
    ("secret", 0.8, 10, 8, 2, 0, True),    # 8 of 10 members: 80%
    ("secret", 0.8, 10, 7, 1, 0, False),   # 7 yes of 8 cast: 87.5% of those present, 70% of the council
    ("secret", 0.9, 10, 9, 1, 0, True),    # CSTĐ cấp tỉnh / toàn quốc: 90%
    ("secret", 0.9, 10, 8, 0, 0, False),
    ("secret", 0.9, 11, 9, 0, 0, False),   # 9/11 = 81.8%: 10 needed
    ("secret", 0.9, 11, 10, 0, 0, True),
    ("secret", 0.8, 7, 5, 2, 0, False),    # 0.8 × 7 = 5.6 → 6
    ("secret", 0.8, 7, 6, 1, 0, True),
    ("open", None, 10, 4, 2, 1, True),     # more than half of the 7 cast on the item
    ("open", None, 10, 4, 4, 0, False),    # a tie is not more than half
    ("open", None, 10, 4, 3, 1, False),    # left out counts as not yes
])
def test_items_pass_on_their_threshold(ballot, threshold, members, yes, no, blank, passed):
    result = rules.tally_item(ballot=ballot, threshold=threshold, members=members, yes=yes, no=no, blank=blank,
                              quorum_ok=True)
    assert result.passed is passed
    assert result.no == no + blank


def test_without_quorum_nothing_passes():
    result = rules.tally_item(ballot="secret", threshold=0.8, members=10, yes=6, no=0, blank=0, quorum_ok=False)
    assert not result.passed and result.needed == 8


@pytest.mark.parametrize("members, yes, quorum_ok, again", [
    (10, 7, True, True),    # one short of 8
    (10, 6, True, False),   # two short: a clear no
    (20, 14, True, True),   # 16 needed, 2 short, a tenth of 20 is 2
    (10, 2, False, True),   # no quorum: the round did not really take place
])
def test_second_round_only_for_a_narrow_miss(members, yes, quorum_ok, again):
    result = rules.tally_item(ballot="secret", threshold=0.8, members=members, yes=yes, no=0, blank=0,
                              quorum_ok=quorum_ok)
    assert rules.may_go_to_second_round(result, members=members, quorum_ok=quorum_ok) is again
