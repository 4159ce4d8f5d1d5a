"""The archive as CONTRACT §4 and RULES §8 say: append-only records, revocation as a new row, a hash chain."""

from datetime import date

import pytest
from sqlalchemy import text

from awards.archive import services
from awards.archive.models import AwardRecord
from tests import factories

RECORD = {"subject_type": "person", "subject_code": "CB001", "award_code": "LDTT", "year": 2024,
          "decision_number": "123/QĐ-SYT", "decision_date": "2025-01-15", "issuer": "Sở Y tế tỉnh Thái An"}


@pytest.fixture
def people(db):
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    ward = factories.unit(code="BVDK-NOI", name="Khoa Nội", parent=hospital)
    other = factories.unit(code="TYT-01", name="Trạm Y tế xã Tân An", grassroots=True)
    factories.person(code="CB001", full_name="Nguyễn Văn An", unit=ward)
    factories.person(code="CB002", full_name="Đào Thị Hạnh", unit=hospital)
    factories.person(code="CB003", full_name="Trần Thị Ánh", unit=other)
    db.session.commit()


@pytest.fixture
def staff(api, people):
    return api.as_("staff")


def award(code="CB001", award_code="LDTT", year=2024, number="1/QĐ-SYT", subject_type="person", **kw):
    return services.record_award(subject_type=subject_type, subject_code=code, award_code=award_code, year=year,
                                 decision_number=number, decision_date=date(year + 1, 1, 10),
                                 issuer="Sở Y tế", **kw)


def verify(app):
    return app.test_cli_runner().invoke(args=["archive", "verify"])


def test_create_read_and_search_a_record(staff):
    created = staff.post("/api/v1/archive/records", json=RECORD)
    assert created.status_code == 201
    body = created.json
    assert body["revoked"] is False and body["subject_name"] == "Nguyễn Văn An" and body["unit_code"] == "BVDK-NOI"
    assert body["decision_date"] == "2025-01-15" and len(body["hash"]) == 64
    assert staff.get(f"/api/v1/archive/records/{body['id']}").json["award_code"] == "LDTT"
    found = staff.get("/api/v1/archive/records", query_string={"q": "nguyen van an"}).json
    assert [r["id"] for r in found["items"]] == [body["id"]]
    by_decision = staff.get("/api/v1/archive/records", query_string={"q": "123/qđ-syt"}).json
    assert by_decision["total"] == 1


def test_search_filters_and_unit_descendants(staff, db):
    award("CB001", number="1/QĐ")
    award("CB002", number="2/QĐ", award_code="CSTDCS")
    award("CB003", number="3/QĐ", year=2023)
    db.session.commit()

    def codes(**query):
        return sorted(r["subject_code"] for r in staff.get("/api/v1/archive/records", query_string=query).json["items"])

    assert codes(unit_code="BVDK") == ["CB001", "CB002"]
    assert codes(award_code="CSTDCS") == ["CB002"]
    assert codes(year=2023) == ["CB003"]
    assert codes(q="dao") == ["CB002"]
    assert codes(q="anh") == ["CB003"]
    assert codes(subject_code="CB001") == ["CB001"]


def test_revocation_is_a_new_linked_row_and_the_award_stays(staff, app, db):
    record_id = staff.post("/api/v1/archive/records", json=RECORD).json["id"]
    revoked = staff.post(f"/api/v1/archive/records/{record_id}/revoke", json={
        "reason": "Kê khai thành tích không trung thực", "decision_number": "99/QĐ-SYT",
        "decision_date": "2025-06-01"})
    assert revoked.status_code == 200 and revoked.json["revoked"] is True and revoked.json["id"] == record_id
    rows = db.session.query(AwardRecord).order_by(AwardRecord.id).all()
    assert [(r.entry, r.target_id) for r in rows] == [("award", None), ("revocation", record_id)]
    again = staff.post(f"/api/v1/archive/records/{record_id}/revoke", json={
        "reason": "Lần nữa", "decision_number": "100/QĐ", "decision_date": "2025-06-02"})
    assert again.status_code == 409
    listed = staff.get("/api/v1/archive/records").json["items"]
    assert [(r["id"], r["revoked"]) for r in listed] == [(record_id, True)]
    assert staff.get("/api/v1/archive/records?include_revoked=false").json["total"] == 0
    assert verify(app).output.strip() == "OK 2 records"


def test_bad_records_are_refused_with_field_messages(staff):
    def fields(**changes):
        response = staff.post("/api/v1/archive/records", json={**RECORD, **changes})
        assert response.status_code == 400, response.json
        return response.json["error"]["fields"]

    assert "subject_code" in fields(subject_code="KHONGCO")
    assert "award_code" in fields(award_code="HUY_HIEU")
    assert "award_code" in fields(award_code="TTLDTT")  # a collective title for a person
    assert "decision_date" in fields(decision_date="2023-12-31")  # before the year it rewards
    assert "decision_date" in fields(decision_date="2999-01-01")
    assert "decision_date" in fields(decision_date="2025-02-30")
    assert "year" in fields(year=1800)
    assert "subject_type" in fields(subject_type="team")


def test_a_title_once_per_year_but_commendations_per_decision(staff):
    assert staff.post("/api/v1/archive/records", json=RECORD).status_code == 201
    twice = staff.post("/api/v1/archive/records", json={**RECORD, "decision_number": "124/QĐ-SYT"})
    assert twice.status_code == 409 and twice.json["error"]["code"] == "duplicate"
    commendation = {**RECORD, "award_code": "GIAY_KHEN"}
    assert staff.post("/api/v1/archive/records", json=commendation).status_code == 201
    assert staff.post("/api/v1/archive/records", json={**commendation, "decision_number": "7/QĐ"}).status_code == 201
    assert staff.post("/api/v1/archive/records", json=commendation).status_code == 409


def test_a_revoked_title_can_be_given_again(staff):
    record_id = staff.post("/api/v1/archive/records", json=RECORD).json["id"]
    staff.post(f"/api/v1/archive/records/{record_id}/revoke", json={
        "reason": "Sai đối tượng", "decision_number": "9/QĐ", "decision_date": "2025-03-01"})
    assert staff.post("/api/v1/archive/records", json={**RECORD, "decision_number": "10/QĐ"}).status_code == 201


def test_correction_supersedes_without_changing_the_old_row(db, people, app):
    record = award()
    db.session.commit()
    corrected = services.correct_record(record, reason="Sai số quyết định", decision_number="1A/QĐ-SYT", by=None)
    db.session.commit()
    db.session.expire_all()
    old = db.session.get(AwardRecord, record.id)
    assert old.decision_number == "1/QĐ-SYT" and old.superseded and not old.live
    assert corrected.decision_number == "1A/QĐ-SYT" and corrected.target_id == record.id and corrected.live
    from awards.archive.queries import search_stmt

    assert [r.id for r in db.session.scalars(search_stmt())] == [corrected.id]
    with pytest.raises(Exception, match="đính chính"):
        services.revoke_record(old, reason="x", decision_number="2", decision_date=date(2025, 2, 1), by=None)


def test_records_cannot_be_edited_through_the_application(db, people):
    record = award()
    db.session.commit()
    record.decision_number = "đã sửa"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_verify_names_the_first_tampered_record(db, people, app):
    _first, second, _third = award("CB001"), award("CB002", number="2/QĐ"), award("CB003", number="3/QĐ")
    db.session.commit()
    assert verify(app).output.strip() == "OK 3 records"
    db.session.execute(text("UPDATE award_records SET year = 2020 WHERE id = :id"), {"id": second.id})
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1 and f"record {second.id}" in result.output and "sửa" in result.output


def test_verify_detects_a_deleted_record(db, people, app):
    _first, second, third = award("CB001"), award("CB002", number="2/QĐ"), award("CB003", number="3/QĐ")
    db.session.commit()
    db.session.execute(text("DELETE FROM award_records WHERE id = :id"), {"id": second.id})
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1 and f"record {third.id}" in result.output


def test_the_chain_cannot_fork(db, people):
    from sqlalchemy.exc import IntegrityError

    record = award()
    db.session.commit()
    values = {k: getattr(record, k) for k in (
        "subject_type", "person_id", "unit_id", "subject_code", "subject_name", "award_code", "year", "kind",
        "decision_date", "issuer", "gold_book_number", "source", "published")}
    with pytest.raises(IntegrityError, match="prev_hash"):
        services.append(AwardRecord(**values, decision_number="2/QĐ", entry="award", reason=""),
                        prev_hash=record.prev_hash)
    db.session.rollback()


def test_initiative_serves_one_award(db, people):
    from awards.core.db import DomainError
    from awards.units import services as unit_services
    from awards.units.queries import person_by_code

    initiative = unit_services.add_initiative(person_by_code("CB001"), year=2024, title="Quy trình tiếp đón",
                                              scope="unit", by=None)
    award("CB001", award_code="CSTDCS", initiative_ids=[initiative.id])
    with pytest.raises(DomainError):
        award("CB001", award_code="GIAY_KHEN", number="5/QĐ", initiative_ids=[initiative.id])


def test_api_write_is_for_managers(api, people):
    officer = api.as_("unit_officer")
    assert officer.post("/api/v1/archive/records", json=RECORD).status_code == 403
    assert officer.get("/api/v1/archive/records").status_code == 200


def test_award_types_contract(api, db):
    items = api.as_("staff").get("/api/v1/award-types").json["items"]
    by_code = {item["code"]: item for item in items}
    assert set(by_code) == {"LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ", "TTLDTT", "TTLDXS", "CO_TINH", "CO_CP",
                            "GIAY_KHEN", "BK_TINH", "BK_TTG", "HCLD3"}
    assert by_code["CSTD_TINH"] == {**by_code["CSTD_TINH"], "name": "Chiến sĩ thi đua cấp tỉnh",
                                    "subject": "individual", "ballot": "secret", "threshold": 0.9}
    assert by_code["CSTDCS"]["threshold"] == 0.8 and by_code["TTLDXS"]["subject"] == "collective"
    assert by_code["LDTT"]["ballot"] == "none" and by_code["LDTT"]["threshold"] is None
    assert by_code["HCLD3"]["review_days"] == 10


@pytest.fixture
def half_past_midnight_in_vietnam(monkeypatch):
    """The machine's clock at 02/03/2026 00:30 in Vietnam, 01/03/2026 17:30 UTC: the server's own date
    (date.today() on a UTC server) is still 01/03."""
    from datetime import UTC, datetime

    from awards.core import clock

    class Machine(datetime):
        @classmethod
        def now(cls, tz=None):
            moment = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    monkeypatch.setattr(clock, "datetime", Machine)
    assert clock.calendar_today() == date(2026, 3, 2)


def test_a_decision_signed_today_in_vietnam_is_not_in_the_future_past_midnight(staff, half_past_midnight_in_vietnam):
    """A decision dated today in Vietnam is accepted at 00:30 there, tomorrow's refused — through the API and the
    service (a browser test met the UTC date's refusal between 00:00 and 07:00)."""
    from awards.core.db import Invalid

    created = staff.post("/api/v1/archive/records", json={**RECORD, "year": 2025, "decision_date": "2026-03-02"})
    assert created.status_code == 201, created.json
    refused = staff.post("/api/v1/archive/records", json={**RECORD, "year": 2025, "decision_date": "2026-03-03",
                                                          "decision_number": "124/QĐ-SYT"})
    assert refused.status_code == 400 and "decision_date" in refused.json["error"]["fields"]
    with pytest.raises(Invalid):
        services.check_decision(2025, date(2026, 3, 3))


def test_a_person_starting_today_in_vietnam_is_accepted_past_midnight(db, half_past_midnight_in_vietnam):
    from awards.core.db import Invalid
    from awards.units.services import _check_person

    _check_person({"full_name": "Lê Thị Mai", "sector_start_date": date(2026, 3, 2), "birth_date": date(1990, 1, 1)})
    with pytest.raises(Invalid):
        _check_person({"full_name": "Lê Thị Mai", "sector_start_date": date(2026, 3, 3)})
