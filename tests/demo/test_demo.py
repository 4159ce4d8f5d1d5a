"""`flask demo load`: a believable province, the same every time, loaded once, with working logins."""

import random
import re
from datetime import date

from sqlalchemy import func, select

from awards.auth.models import User
from awards.core.text import fold
from awards.demo import cli as demo
from awards.demo import data
from awards.units.models import (
    Discipline,
    Initiative,
    Person,
    PersonEvaluation,
    Unit,
    UnitEvaluation,
    UnitKind,
)
from tests import factories
from tests.conftest import CSRF_INPUT


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_province(db):
    counts = demo.load_demo(db.session)
    assert counts["units"] == _count(db, Unit) and 25 <= counts["units"] <= 40
    assert counts["people"] == _count(db, Person) and 280 <= counts["people"] <= 320

    root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)))
    assert root.code == "SYT" and root.kind == UnitKind.department_of_health
    assert db.session.scalar(select(func.count()).where(Unit.parent_id.is_(None))) == 1
    kinds = {u.kind for u in db.session.scalars(select(Unit))}
    assert {UnitKind.hospital, UnitKind.centre, UnitKind.health_centre, UnitKind.station,
            UnitKind.division} <= kinds
    stations = db.session.scalars(select(Unit).where(Unit.kind == UnitKind.station)).all()
    assert stations and all(s.grassroots and s.parent.kind == UnitKind.health_centre for s in stations)

    people = db.session.scalars(select(Person)).all()
    assert all(re.fullmatch(r"CB\d{5}", p.code) for p in people)
    assert sum(fold(p.full_name) != p.full_name for p in people) > 0.9 * len(people)  # diacritics kept
    assert all(len(p.full_name.split()) >= 3 for p in people)
    assert 0.5 <= sum(p.gender == "female" for p in people) / len(people) <= 0.7
    minority = [p for p in people if p.ethnic_minority]
    assert 0.05 * len(people) <= len(minority) <= 0.4 * len(people)
    assert all(p.ethnic_minority == (p.ethnicity != "Kinh") for p in people)
    assert {"Tày", "Mông", "Dao"} <= {p.ethnicity for p in minority}
    assert all(date(1965, 1, 1) <= p.birth_date <= date(2000, 12, 31) for p in people)
    assert any(p.frontline for p in people) and not all(p.frontline for p in people)
    assert any(p.position == "Trạm trưởng" for p in people)

    years = set(range(date.today().year - 5, date.today().year))
    year = PersonEvaluation.year
    per_person = db.session.execute(
        select(PersonEvaluation.person_id, func.count(), func.min(year), func.max(year))
        .group_by(PersonEvaluation.person_id)).all()
    assert len(per_person) == len(people)
    assert all((n, lo, hi) == (5, min(years), max(years)) for _pid, n, lo, hi in per_person)
    assert _count(db, UnitEvaluation) == 5 * counts["units"]
    ratings = dict(db.session.execute(select(PersonEvaluation.rating, func.count())
                                      .group_by(PersonEvaluation.rating)).all())
    assert ratings["good"] + ratings["excellent"] > 0.75 * sum(ratings.values())
    assert 0 < ratings.get("not_done", 0) < 0.05 * sum(ratings.values())

    scopes = [i.scope for i in db.session.scalars(select(Initiative))]
    assert {"unit", "provincial", "national"} <= set(scopes) and len(scopes) >= 5
    disciplines = db.session.scalars(select(Discipline)).all()
    assert 2 <= len(disciplines) <= 3
    for discipline in disciplines:  # a disciplined year is not a well-rated one
        rating = next(e.rating for e in discipline.person.evaluations if e.year == discipline.year)
        assert rating in ("done", "not_done")


def test_same_people_every_time():
    first = list(demo._people_rows(random.Random(demo.SEED)))
    again = list(demo._people_rows(random.Random(demo.SEED)))
    assert first == again
    assert len({fields["code"] for _unit, fields in first}) == len(first)


def test_each_demo_account_signs_in(app, db):
    demo.load_demo(db.session)
    for username, password, role, unit_code, person in data.ACCOUNTS:
        user = db.session.scalar(select(User).where(User.username == username))
        assert user.roles == [role]
        assert user.unit_code == unit_code
        if person:
            assert user.person.unit_code == person[0] and user.full_name == user.person.full_name
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        match = CSRF_INPUT.search(html)
        response = client.post("/login", data={"username": username, "password": password,
                                               "csrf_token": match.group(1) or match.group(2)})
        assert response.status_code == 302, (username, response.get_data(as_text=True)[:300])
        assert user.full_name in client.get("/").get_data(as_text=True)


def test_cli_loads_once_and_prints_logins(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "Đã nạp dữ liệu mẫu" in result.stdout and "Mở http://127.0.0.1:5000" in result.stdout
    for username, password, *_rest in data.ACCOUNTS:
        assert re.search(rf"^\s+{username}\s+{password}\s", result.stdout, re.M)
    units, people = _count(db, Unit), _count(db, Person)

    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 1, again.output  # it did nothing: a script sees it
    assert "đã có dữ liệu" in again.stderr and "Đã nạp" not in again.stdout
    assert "demo-admin-2026" in again.stdout  # the logins are shown again
    council = 4 + 6  # council2 … council5, the other members of the Sở's council; three for each hospital's
    assert (_count(db, Unit), _count(db, Person), _count(db, User)) == (units, people, len(data.ACCOUNTS) + council)


def test_cli_never_mixes_into_real_data(app, db):
    factories.user("admin", username="chanh-van-phong")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 1 and "đã có dữ liệu" in result.stderr
    quiet = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])  # make run's call
    assert quiet.exit_code == 0 and "đã có dữ liệu" in quiet.stderr
    assert _count(db, Unit) == 0 and _count(db, User) == 1


def test_cli_refuses_in_production_even_on_an_empty_database(app, db):
    app.config["AWARDS_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    finally:
        app.config["AWARDS_ENV"] = "testing"
    assert result.exit_code == 1 and "AWARDS_ENV=production" in result.stderr and result.stdout == ""
    assert _count(db, Unit) == 0 and _count(db, User) == 0


def test_demo_has_a_campaign_with_coverage_to_show_and_a_verified_archive(db):
    from awards.archive.services import verify_chain
    from awards.campaigns import queries
    from awards.campaigns.models import Campaign
    from awards.demo.cli import load_demo

    counts = load_demo(db.session)
    assert counts["campaigns"] == 2 and counts["records"] > 1000
    yearly = db.session.query(Campaign).filter_by(kind="regular").one()
    coverage = queries.coverage(yearly)
    assert coverage["registered"] == coverage["expected"] - 3 and len(coverage["missing"]) == 3
    assert all(r.individuals for r in queries.registrations(yearly))
    checked, broken, _problem = verify_chain()
    # the past awards, one revocation, and this year's decision
    assert broken is None and checked == counts["records"] + 1 + counts["by_status"]["awarded"]


def test_demo_has_dossiers_in_every_state_a_council_and_a_public_list(db):
    """CONTRACT §1: nominations in several states; every later page has something true to show."""
    from awards.announcements.models import Announcement, Decision, Feedback
    from awards.council.models import CouncilSession
    from awards.council.voting import results
    from awards.demo.cli import load_demo

    counts = load_demo(db.session)
    assert counts["by_status"] == {"draft": 2, "submitted": 5, "returned": 1, "appraised": 2,
                                   "public_review": 4, "failed": 1, "awarded": 8, "forwarded": 1}
    closed = db.session.scalars(select(CouncilSession).where(
        CouncilSession.status == "closed", CouncilSession.title.startswith("Phiên xét danh hiệu"))).one()
    tally = results(closed)
    assert tally["members"] == 5 and tally["ballots_cast"] == 5 and tally["quorum_met"]
    assert [row["passed"] for row in tally["items"]] == [True] * 4 + [False]  # 3 of 5 is short of 80%
    assert db.session.scalars(select(CouncilSession).where(CouncilSession.status == "draft")).one().items
    announcement = db.session.scalars(select(Announcement)).one()
    assert announcement.phase == "open" and len(announcement.items) == 4
    assert db.session.scalar(select(func.count()).select_from(Feedback).where(Feedback.status == "open")) == 1
    decision = db.session.scalars(select(Decision).where(Decision.number == "15/QĐ-SYT")).one()
    assert [item.record.gold_book_number for item in decision.items] == [str(n) for n in range(1, 7)]


def test_demo_shows_every_level_and_each_hospital_its_own_queue(app, db):
    """Issue 18: two deciding hospitals with their own desk and council, a CSTĐCS decided by one in its own series
    and gold book, a Bằng khen tỉnh forwarded to the Sở and appraised there, one waiting at the province with its
    working-day count, and one answered by the province in the archive."""
    from awards.announcements.models import Decision
    from awards.archive.models import AwardRecord
    from awards.council.models import Council
    from awards.nominations.models import Nomination
    from awards.nominations.queries import forwarded_workdays
    from tests.web import text_of

    demo.load_demo(db.session)
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    assert {code for code, u in units.items() if u.decides_awards} == {"SYT", "BVDK", "BVSN"}
    councils = {c.unit.code: c for c in db.session.scalars(select(Council))}
    assert set(councils) == {"SYT", "BVDK", "BVSN"}
    for code in ("BVDK", "BVSN"):  # its own people sit on it
        assert all(m.user.person.unit_code == code for m in councils[code].members)
        desk = db.session.scalar(select(User).where(User.username == f"staff-{code.lower()}"))
        assert desk.unit_code == code and desk.roles == ["staff"]

    decided = db.session.scalars(select(Decision).where(Decision.unit_id == units["BVDK"].id)).one()
    assert decided.number == "01/QĐ-BVĐK" and decided.year == date.today().year
    assert [(i.nomination.award_code, i.record.gold_book_number) for i in decided.items] == [("CSTDCS", "1")]

    def dossiers(award, status):
        return db.session.scalars(select(Nomination).where(Nomination.award_code == award,
                                                           Nomination.status == status)).all()
    [at_the_so] = dossiers("BK_TINH", "submitted")
    assert at_the_so.unit.parent.code == "BVDK" and at_the_so.handling_unit.code == "SYT"
    [waiting] = dossiers("BK_TINH", "forwarded")
    assert waiting.unit.code == "BVSN" and waiting.handling_unit.code == "SYT"
    assert forwarded_workdays(waiting) is not None
    [answered] = dossiers("BK_TINH", "awarded")
    record = db.session.scalars(select(AwardRecord).where(AwardRecord.decision_number == "1234/QĐ-UBND")).one()
    assert record.issuer == "Chủ tịch UBND tỉnh Thái An" and record.subject_code == answered.subject_code

    queues = {}
    for username, password in (("staff-bvdk", "demo-staff-bvdk-2026"), ("staff-bvsn", "demo-staff-bvsn-2026")):
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        match = CSRF_INPUT.search(html)
        assert client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": match.group(1) or match.group(2)}).status_code == 302
        queues[username] = text_of(client.get("/nominations/queue"))
    submitted = db.session.scalars(select(Nomination).where(Nomination.status == "submitted")).all()
    for username, code in (("staff-bvdk", "BVDK"), ("staff-bvsn", "BVSN")):
        for dossier in submitted:
            shown = f"/nominations/{dossier.id}/appraise" in queues[username]
            assert shown == (dossier.handling_unit.code == code), (username, dossier.id)
