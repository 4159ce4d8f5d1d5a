"""Issue 17's headline cases through the JSON API (GET /api/v1/eligibility), histories read from the database."""

from datetime import date

from awards.archive import services
from awards.units import services as unit_services
from tests import factories


def _ask(api, **query):
    staff = api.as_("staff")
    return staff.get("/api/v1/eligibility", query_string={"subject_type": "person", **query}).json


def _award(code, subject, year, **extra):
    return services.record_award(subject_type="person", subject_code=subject, award_code=code, year=year,
                                 decision_number=f"{year}/QĐ-{code}", decision_date=date(year, 12, 20),
                                 issuer="UBND tỉnh", **extra)


def test_bk_tinh_period_used_once_through_the_api(api, db):
    person = factories.person(code="P17A", full_name="Trần Thị Hoa")
    for year in (2023, 2024, 2025):
        unit_services.add_person_evaluation(person, year=year, rating="good", by=None)
        _award("CSTDCS", "P17A", year)
    _award("BK_TINH", "P17A", 2024, period_from=2023, period_to=2024)
    db.session.commit()
    body = _ask(api, subject_code="P17A", award_code="BK_TINH", year=2025)
    assert body["eligible"] is False
    once = next(c for c in body["checks"] if c["rule"] == "period_unused")
    assert not once["passed"] and "cần 2 năm sau 2024" in once["detail"] and "2024/QĐ-BK_TINH" in once["detail"]


def test_adhoc_bk_tinh_for_a_good_year_without_cstdcs(api, db):
    person = factories.person(code="P17B")
    unit_services.add_person_evaluation(person, year=2025, rating="good", by=None)
    db.session.commit()
    chain = _ask(api, subject_code="P17B", award_code="BK_TINH", year=2025)
    adhoc = _ask(api, subject_code="P17B", award_code="BK_TINH", year=2025, route="adhoc")
    assert chain["eligible"] is False and adhoc["eligible"] is True and adhoc["route"] == "adhoc"
    assert any(c["manual"] and c["rule"] == "route_adhoc" for c in adhoc["checks"])


def test_2022_cstdcs_needs_an_initiative_and_cites_the_old_law(api, db):
    person = factories.person(code="P17C")
    unit_services.add_person_evaluation(person, year=2022, rating="excellent", by=None)
    db.session.commit()
    body = _ask(api, subject_code="P17C", award_code="CSTDCS", year=2022)
    assert body["eligible"] is False and body["ruleset"].startswith("NĐ 91")
    assert all("152/2025" not in c["article"] for c in body["checks"])


def test_a_reprimand_with_dates_and_an_open_proceeding(api, db):
    person = factories.person(code="P17D")
    unit_services.add_person_evaluation(person, year=2025, rating="good", by=None)
    unit_services.add_discipline(person, year=2024, level="reprimand", decided_on=date(2024, 9, 1), by=None)
    db.session.commit()
    body = _ask(api, subject_code="P17D", award_code="LDTT", year=2025)
    line = next(c for c in body["checks"] if c["rule"] == "no_discipline_in_year")
    assert body["eligible"] is False and not line["passed"] and "khiển trách" in line["detail"]
    other = factories.person(code="P17E")
    unit_services.add_person_evaluation(other, year=2025, rating="good", by=None)
    unit_services.open_proceeding(other, kind="complaint", opened_on=date(2025, 11, 1), by=None)
    db.session.commit()
    body = _ask(api, subject_code="P17E", award_code="LDTT", year=2025)
    assert body["eligible"] is False and not next(c for c in body["checks"] if c["rule"] == "not_frozen")["passed"]


def test_the_eligible_chain_reports_its_period(api, db):
    person = factories.person(code="P17F")
    for year in (2024, 2025):
        unit_services.add_person_evaluation(person, year=year, rating="good", by=None)
        _award("CSTDCS", "P17F", year)
    db.session.commit()
    body = _ask(api, subject_code="P17F", award_code="BK_TINH", year=2025)
    assert body["eligible"] is True and body["period"] == [2024, 2025]
