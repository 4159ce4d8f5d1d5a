"""Recusal settings per council (RULES §5: the law is silent, so they are settings): who steps back automatically
and whether recused members still count in the "tổng số thành viên" the 80 % / 90 % thresholds are shares of;
each voter is told, per item, how many "Đồng ý" it needs and how many members are recused."""

import pytest
from sqlalchemy import select

from awards.council import queries, services
from awards.nominations.models import Nomination
from awards.units.models import Person
from tests import factories
from tests.web import text_of, web


def _setting(council, db, scope, counted, heads=()):
    """Members 0 and 1 sit in Bệnh viện 1 (member 1 its director when `heads`); the rest in the Sở."""
    person = db.session.get(Person, council.members[1].user.person_id)
    person.unit_id = council.hospitals[0].id
    person.position = "Giám đốc bệnh viện" if heads else "Bác sĩ"
    saved = queries.council_by_code("HD-SYT")
    services.save_council(code="HD-SYT", name=saved.name, unit_code="SYT",
                          chair_username=council.members[0].user.username,
                          members=[(m.user.username, "member") for m in council.members[1:]],
                          council=saved, recusal_scope=scope, recused_count=counted, by=council.staff.user)
    db.session.commit()


CASES = [
    # (scope, recused members count in the total, who is recused, "Đồng ý" needed of 10 at 80 %, passes with 7)
    pytest.param("unit", True, {0, 1}, 8, False, id="RULES-5-default-own-unit-recused-counted-tong-so-thanh-vien"),
    pytest.param("unit", False, {0, 1}, 7, True, id="RULES-5-setting-recused-not-counted-80pct-of-8"),
    pytest.param("nominee", True, set(), 8, False, id="RULES-5-setting-only-the-nominee-recused"),
    pytest.param("unit_head", True, {1}, 8, False, id="RULES-5-setting-nominee-and-head-of-unit-recused"),
    pytest.param("unit_head", False, {1}, 8, False, id="RULES-5-setting-head-not-counted-80pct-of-9"),
]


@pytest.mark.parametrize(("scope", "counted", "recused", "needed", "passes"), CASES)
def test_recusal_settings_decide_who_steps_back_and_the_threshold(council, db, scope, counted, recused, needed,
                                                                  passes):
    _setting(council, db, scope, counted, heads=scope == "unit_head")
    dossier = factories.nomination(factories.person(unit=council.hospitals[0]), "CSTDCS", by=council.staff.user)
    db.session.commit()
    session_id = council.session([dossier])
    session = council.staff.get(f"/api/v1/council-sessions/{session_id}").json
    assert (session["items"][0]["recused"], session["items"][0]["needed_yes"]) == (len(recused), needed)
    voters = [m for n, m in enumerate(council.members) if n not in recused][:7]
    for member in voters:
        assert council.vote(session_id, member, [(dossier, "yes")]).status_code == 201
    for n in recused:
        refused = council.vote(session_id, council.members[n], [(dossier, "yes")])
        assert refused.status_code == 403 and refused.json["error"]["code"] == "recused"
    results = council.close(session_id).json
    item = results["items"][0]
    assert (item["recused"], item["needed"], item["yes"], item["passed"]) == (len(recused), needed, 7, passes)
    status = db.session.scalar(select(Nomination.status).where(Nomination.id == dossier.id))
    assert status == ("passed" if passes else "failed")


def test_the_ballot_page_tells_each_voter_what_an_item_needs(app, council, db):
    _setting(council, db, "unit", False)
    near, far = factories.nomination(factories.person(unit=council.hospitals[0]), "CSTD_TINH", by=council.staff.user), \
        factories.nomination(factories.person(unit=council.hospitals[1]), "CSTDCS", by=council.staff.user)
    open_vote, = council.dossiers("TTLDXS")
    db.session.commit()
    session_id = council.session([near, far, open_vote])
    page = text_of(web(app, council.members[5].user).get(f"/council/sessions/{session_id}"))
    # CSTĐ tỉnh: 90 % of the 8 members who take part (2 recused, not counted) = 7.2 → 8
    assert "Cần ít nhất 8 phiếu “Đồng ý” (trên 8 thành viên) để được thông qua." in page
    assert "2 thành viên không tham gia biểu quyết hồ sơ này (tránh xung đột lợi ích)." in page
    assert "Cần ít nhất 8 phiếu “Đồng ý” (trên 10 thành viên) để được thông qua." in page  # CSTĐCS, no recusal
    assert "Không thành viên nào phải tránh xung đột lợi ích." in page
    assert "Cần quá nửa số phiếu biểu quyết hồ sơ này là “Đồng ý”." in page  # TTLĐXS: open vote


def test_recusal_settings_through_the_api_and_the_council_form(api, app, council, db):
    created = council.staff.post("/api/v1/councils", json={
        "code": "HD-BV1", "name": "Hội đồng TĐKT Bệnh viện 1", "unit_code": "BV1",
        "chair_username": council.members[0].user.username, "recusal_scope": "unit_head", "recused_count": False})
    assert created.status_code == 201, created.json
    assert (created.json["recusal_scope"], created.json["recused_count"]) == ("unit_head", False)
    bad = council.staff.post("/api/v1/councils", json={
        "code": "HD-BV2", "name": "Hội đồng", "unit_code": "BV2", "chair_username": council.members[0].user.username,
        "recusal_scope": "everyone"})
    assert bad.status_code == 400
    staff = web(app, council.staff.user)
    page = text_of(staff.get("/council/councils/HD-BV1"))
    assert "Người được đề nghị và thủ trưởng đơn vị của họ" in page
    assert "không tính vào tổng số thành viên" in page
    form = text_of(staff.get("/council/councils/HD-BV1/edit"))
    assert "Tự động tránh xung đột lợi ích" in form
