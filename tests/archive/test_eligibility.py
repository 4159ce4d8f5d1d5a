"""The checklist read from the database: the archive, ratings, initiatives and disciplines, with overrides."""

import time
from datetime import date

import pytest
from sqlalchemy import insert

from awards.archive import eligibility, services
from awards.units import services as unit_services
from awards.units.models import PersonEvaluation
from tests import factories


@pytest.fixture
def an(db):
    """Nguyễn Văn An: CSTĐCS 2023–2025 in the archive, excellent every year, one provincial initiative."""
    unit = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    person = factories.person(code="CB001", full_name="Nguyễn Văn An", unit=unit)
    for year in (2023, 2024, 2025):
        unit_services.add_person_evaluation(person, year=year, rating="excellent", by=None)
        services.record_award(subject_type="person", subject_code="CB001", award_code="CSTDCS", year=year,
                              decision_number=f"{year}/QĐ-SYT", decision_date=date(year, 12, 20), issuer="Sở Y tế")
    unit_services.add_initiative(person, year=2024, title="Bệnh án điện tử", scope="provincial", by=None)
    db.session.commit()
    return person


def test_eligible_from_the_archive_with_cited_lines(an):
    result = eligibility.checklist("person", "CB001", "CSTD_TINH", 2025)
    assert result.eligible and result.ruleset.startswith("NĐ 152")
    chain = next(c for c in result.checks if c.rule == "cstdcs_three_consecutive_years")
    assert chain.passed and "2023" in chain.detail and "Điều 22" in chain.article


def test_a_revoked_link_breaks_the_chain(an, db):
    from awards.archive.queries import search_stmt

    record = next(r for r in db.session.scalars(search_stmt(subject_code="CB001")) if r.year == 2024)
    services.revoke_record(record, reason="Thành tích không trung thực", decision_number="5/QĐ-TH",
                           decision_date=date(2025, 12, 30), by=None)
    db.session.commit()
    result = eligibility.checklist("person", "CB001", "CSTD_TINH", 2025)
    assert not result.eligible
    chain = next(c for c in result.checks if c.rule == "cstdcs_three_consecutive_years")
    assert not chain.passed and "2024" in chain.detail


def test_a_warning_discipline_in_the_year_blocks(an, db):
    unit_services.add_discipline(an, year=2025, level="warning", decided_on=date(2025, 3, 1), by=None)
    db.session.commit()
    result = eligibility.checklist("person", "CB001", "LDTT", 2025)
    assert not result.eligible and not next(c for c in result.checks if c.rule == "no_discipline_in_year").passed


def test_an_initiative_that_served_an_award_no_longer_counts(db):
    person = factories.person(code="CB009", full_name="Lê Thị Mai")
    unit_services.add_person_evaluation(person, year=2025, rating="good", by=None)
    initiative = unit_services.add_initiative(person, year=2025, title="Cải tiến kho dược", scope="unit", by=None)
    db.session.commit()
    assert eligibility.checklist("person", "CB009", "CSTDCS", 2025).eligible
    services.record_award(subject_type="person", subject_code="CB009", award_code="GIAY_KHEN", year=2025,
                          decision_number="8/QĐ", decision_date=date(2025, 12, 1), issuer="Sở Y tế",
                          initiative_ids=[initiative.id])
    db.session.commit()
    assert not eligibility.checklist("person", "CB009", "CSTDCS", 2025).eligible


def test_collective_title_reads_its_members(db):
    station = factories.unit(code="TYT-01", name="Trạm Y tế xã Tân An", grassroots=True)
    unit_services.add_unit_evaluation(station, year=2025, rating="good", by=None)
    people = [factories.person(unit=station) for _ in range(10)]
    for i, person in enumerate(people):
        unit_services.add_person_evaluation(person, year=2025, rating="good" if i < 7 else "done", by=None)
        if i < 7:
            services.record_award(subject_type="person", subject_code=person.code, award_code="LDTT", year=2025,
                                  decision_number="20/QĐ", decision_date=date(2025, 12, 1), issuer="TTYT")
    db.session.commit()
    assert eligibility.checklist("unit", "TYT-01", "TTLDTT", 2025).eligible
    from awards.archive.queries import search_stmt

    record = next(iter(db.session.scalars(search_stmt(subject_code=people[0].code))))
    services.revoke_record(record, reason="Sai sót", decision_number="21/QĐ", decision_date=date(2025, 12, 2),
                           by=None)
    db.session.commit()
    result = eligibility.checklist("unit", "TYT-01", "TTLDTT", 2025)
    assert not result.eligible
    assert "60" in next(c for c in result.checks if c.rule == "members_ldtt_70_percent").detail


def test_override_is_stored_shown_and_withdrawable(client, login_as, csrf_token, db):
    person = factories.person(code="CB010", full_name="Phạm Thị Thảo")
    unit_services.add_person_evaluation(person, year=2025, rating="done", by=None)
    db.session.commit()
    login_as("staff")
    url = "/archive/eligibility?subject_type=person&subject_code=CB010&award_code=LDTT&year=2025&kind=regular"
    html = client.get(url).get_data(as_text=True)
    assert "Chưa đủ điều kiện" in html and "Điều 24" in html
    reason = "Xếp loại năm 2025 đã được đơn vị điều chỉnh, chờ văn bản"
    response = client.post("/archive/eligibility/override", data={
        "rule": "rating_good_or_better", "reason": reason, "subject_type": "person", "subject_code": "CB010",
        "award_code": "LDTT", "year": "2025", "kind": "regular", "csrf_token": csrf_token(url)})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Đủ điều kiện" in html and reason in html
    result = eligibility.checklist("person", "CB010", "LDTT", 2025)
    line = next(c for c in result.checks if c.rule == "rating_good_or_better")
    assert result.eligible and line.overridden and not line.passed and line.override_reason == reason
    client.post(f"/archive/overrides/{line.override_id}/withdraw", data={"csrf_token": csrf_token(url)})
    assert not eligibility.checklist("person", "CB010", "LDTT", 2025).eligible


def test_override_needs_a_reason_and_a_failed_line(db):
    person = factories.person(code="CB011")
    unit_services.add_person_evaluation(person, year=2025, rating="good", by=None)
    user = factories.user("staff")
    db.session.commit()
    from awards.core.db import DomainError

    with pytest.raises(DomainError):
        eligibility.override_check("person", "CB011", "LDTT", 2025, "rating_good_or_better", "ngắn", by=user)
    with pytest.raises(DomainError):
        eligibility.override_check("person", "CB011", "LDTT", 2025, "rating_good_or_better",
                                   "dòng này đã đạt, không cần vượt qua", by=user)


def test_eligibility_api_and_bad_years(api, an):
    staff = api.as_("staff")
    body = staff.get("/api/v1/eligibility", query_string={"subject_type": "person", "subject_code": "CB001",
                                                          "award_code": "CSTD_TINH", "year": 2025}).json
    assert body["eligible"] is True and all(c["article"] for c in body["checks"])
    old = staff.get("/api/v1/eligibility", query_string={"subject_type": "person", "subject_code": "CB001",
                                                         "award_code": "LDTT", "year": 2010})
    assert old.status_code == 400 and "2017" in old.json["error"]["fields"]["year"]
    missing = staff.get("/api/v1/eligibility", query_string={"subject_type": "person", "subject_code": "NOPE",
                                                             "award_code": "LDTT", "year": 2025})
    assert missing.status_code == 404


def test_unit_officer_checks_only_their_people(client, login_as, an, db):
    login_as("unit_officer", unit=factories.unit(code="OTHER"))
    db.session.commit()
    url = "/archive/eligibility?subject_type=person&subject_code=CB001&award_code=LDTT&year=2025"
    assert client.get(url).status_code == 403


def test_500_checklists_take_a_few_queries_and_well_under_a_second(db, app):
    """A council session of 500 nominations: histories come from set queries, not one per person."""
    from sqlalchemy import event

    unit = factories.unit(code="BV500")
    people = [factories.person(code=f"S{i:04d}", unit=unit) for i in range(500)]
    db.session.execute(insert(PersonEvaluation), [
        {"person_id": p.id, "year": y, "rating": "excellent"} for p in people for y in range(2021, 2026)])
    codes = [p.code for p in people]
    db.session.commit()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        started = time.perf_counter()
        results = eligibility.checklists([("person", code, "CSTDCS", 2025, "regular") for code in codes])
        elapsed = time.perf_counter() - started
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(results) == 500 and all(r.eligible for r in results)
    assert len(statements) <= 12, statements
    print(f"\n500 checklists: {elapsed * 1000:.0f} ms, {len(statements)} queries")
