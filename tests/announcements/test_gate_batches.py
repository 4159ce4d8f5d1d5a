"""The gates read for a page of dossiers at once (issue 21, the N+1 pages): the decision page's list and "Trình cấp
trên" ask each gate once for all their rows. The batch answers are the single dossier's answers, dossier by dossier,
in every situation a gate knows; and the two pages' statements do not grow with their rows."""

from datetime import date, datetime, timedelta

import pytest

from awards.announcements import decisions
from awards.announcements.models import Announcement, AnnouncementItem, Feedback
from awards.auth import sessions
from awards.core import clock
from awards.extensions import db as _db
from awards.nominations import queries
from awards.nominations.models import Nomination
from awards.nominations.states import FREEZES, LEAVE_GATES
from tests.units.test_levels import Province
from tests.web import count_statements, web

CLOSED = (date(2026, 1, 5), date(2026, 1, 23))  # 15 working days, over before today (2 March 2026)
RUNNING = (date(2026, 2, 25), date(2026, 3, 20))


@pytest.fixture
def province(api, db, at):
    at(datetime(2026, 3, 2, 9, 0, tzinfo=clock.VIETNAM))
    return Province(api)


def _dossier(province, unit_code, award, status):
    dossier = province.dossier(unit_code, award=award, status="appraised" if status != "submitted" else "submitted")
    nomination = _db.session.get(Nomination, dossier.id)
    nomination.status = status
    return nomination


def _listed(nominations, period, *, case=False):
    listing = Announcement(title="Công khai danh sách đề nghị khen thưởng", opens_on=period[0], closes_on=period[1])
    listing.items = [AnnouncementItem(nomination=n, position=i) for i, n in enumerate(nominations, start=1)]
    _db.session.add(listing)
    _db.session.flush()
    for n in nominations if case else ():
        _db.session.add(Feedback(reference=f"YK-2026-{n.id:06d}", announcement_id=listing.id, nomination_id=n.id,
                                 name="Nguyễn Văn Bình", contact="0912 345 678", content="Phản ánh về thành tích."))


def _world(province) -> list[Nomination]:
    """One dossier in each situation the gates tell apart, at the hospitals, their ward and the Sở."""
    made = {
        "passed": _dossier(province, "BVA", "BK_TINH", "passed"),  # ready to go up; the hospital does not decide it
        "own": _dossier(province, "BVA", "CSTDCS", "passed"),  # the hospital decides it
        "no_vote": _dossier(province, "BVA-NOI", "LDTT", "appraised"),  # no vote due
        "vote_due": _dossier(province, "BVA", "BK_TINH", "appraised"),
        "review_running": _dossier(province, "BVA", "BK_TINH", "public_review"),
        "review_case": _dossier(province, "BVB", "BK_TINH", "public_review"),
        "review_over": _dossier(province, "BVB", "CSTD_TINH", "public_review"),
        "hcld_unlisted": _dossier(province, "BVA-NOI", "HCLD3", "passed"),  # cites the decree of its receipt
        "hcld_listed": _dossier(province, "BVA", "HCLD3", "passed"),
        "hcld_listing": _dossier(province, "BVB", "HCLD3", "passed"),
        "so": _dossier(province, "SYT", "BK_TINH", "passed"),  # the Sở here decides nothing: no handling unit
        "early": _dossier(province, "BVA", "BK_TINH", "submitted"),
    }
    _listed([made["review_running"], made["hcld_listing"]], RUNNING)
    _listed([made["review_case"]], CLOSED, case=True)
    _listed([made["review_over"], made["hcld_listed"]], CLOSED)
    _db.session.commit()
    return list(made.values())


def test_the_batch_gates_answer_as_each_dossier_alone(province):
    _world(province)
    _world(province)
    _db.session.expire_all()
    nominations = list(_db.session.scalars(_db.select(Nomination).order_by(Nomination.id)))
    single_decidable = {n.id: decisions.why_not_decidable(n) for n in nominations}
    single_forward = {n.id: queries.forward_refusal(n) for n in nominations}
    assert decisions.why_not_decidable_many(nominations) == single_decidable
    assert queries.forward_refusals(nominations) == single_forward
    for scope in (None, province.units["BVA"], province.units["BVB"]):
        issuable = {n.id: single_decidable[n.id] or (
            decisions.why_not_issuable(scope or n.handling_unit, n) if (scope or n.handling_unit) else None)
            for n in nominations}
        assert decisions.pick_refusals(nominations, scope) == issuable
    # the world holds every kind of answer, so the comparison above means something
    codes = {answer[0] if answer else None for answer in single_forward.values()}
    assert codes == {None, "wrong_level", "wrong_state", "not_ready"}
    reasons = " ".join(r for r in single_decidable.values() if r)
    for words in ("phải được công khai danh sách", "đang công khai danh sách đến hết ngày", "ý kiến phản ánh",
                  "đang trong thời gian công khai", "chưa thể quyết định khen thưởng", "Nghị định"):
        assert words in reasons, words
    ready = {n.id for n in nominations if not single_decidable[n.id]}
    assert len(ready) >= 8  # passed, own, no_vote, review_over, hcld_listed, so: twice


def test_every_gate_on_the_way_up_answers_a_page_at_once_as_it_answers_one_dossier(province):
    """Each gate a dossier must pass to go up or be decided (LEAVE_GATES, FREEZES) has its batch form, asked once
    for a page of rows instead of row by row, and the batch gives each dossier the answer it gives alone; so does
    next_levels, where each one goes."""
    _world(province)
    _world(province)
    _db.session.expire_all()
    nominations = list(_db.session.scalars(_db.select(Nomination).order_by(Nomination.id)))
    assert len(LEAVE_GATES) + len(FREEZES) >= 2
    for gate in (*LEAVE_GATES, *FREEZES):
        assert hasattr(gate, "many"), f"{gate.__name__} has no batch form: the pages would ask it row by row"
        single = {n.id: gate(n) for n in nominations}
        assert any(single.values()) and not all(single.values()), gate.__name__  # both answers in the world
        _db.session.expire_all()
        assert gate.many(nominations) == single, gate.__name__
    levels = {n.id: queries.next_level(n) for n in nominations}
    _db.session.expire_all()
    assert queries.next_levels(nominations) == levels
    assert {u.code if u else None for u in levels.values()} == {"SYT", None}


def test_the_two_pages_take_the_same_statements_for_twice_the_rows(app, province, monkeypatch):
    """The decision page (the province-wide secretariat and a hospital's) and "Trình cấp trên" (the hospital's, the
    province-wide one): their statements counted with one world of dossiers, then with three."""
    monkeypatch.setattr(sessions, "TOUCH_EVERY", timedelta(days=1))  # "last seen", written once a minute, would
    # fall in one count and not the other when making the dossiers takes more than a minute (a loaded machine)
    _world(province)
    desks = {"central": web(app, province.central.user), "BVA": web(app, province.staff_a.user)}
    pages = [(desk, path) for desk in desks for path in ("/decisions/new", "/nominations/forwarding")]
    for desk, path in pages:  # warm: the first request of each page loads what every later one finds cached
        count_statements(app, desks[desk], path)
    before = {(desk, path): count_statements(app, desks[desk], path) for desk, path in pages}
    _world(province)
    _world(province)
    after = {(desk, path): count_statements(app, desks[desk], path) for desk, path in pages}
    for key, (count, _html) in after.items():
        assert count == before[key][0], f"{key}: {before[key][0]} statements, then {count} with three times the rows"
        assert count <= 30, key
    decision_page = after[("central", "/decisions/new")][1]
    assert decision_page.count('name="ids"') > before[("central", "/decisions/new")][1].count('name="ids"')
    forwarding = after[("BVA", "/nominations/forwarding")][1]
    assert forwarding.count('name="ids"') == 6 and "Sở Y tế tỉnh Thái An" in forwarding
