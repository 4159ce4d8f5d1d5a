"""Achievement periods (issue 17): every record says which years it rewarded — given, or its award's default —
and a period is corrected only by a correction record with a reason, the hash chain still whole."""

import hashlib
import json
from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook

from awards.archive import imports, services
from awards.archive.models import GENESIS, HASHED, AwardRecord, Entry, content_hash
from awards.catalog.periods import default_period, period_text, procedure_regime, substance_regime
from awards.units.models import Person
from tests import factories

RECORD = {"subject_type": "person", "subject_code": "CB001", "award_code": "BK_TINH", "year": 2024,
          "decision_number": "12/QĐ-UBND", "decision_date": "2025-02-10", "issuer": "UBND tỉnh"}


@pytest.fixture
def people(db):
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    factories.person(code="CB001", full_name="Nguyễn Văn An", unit=hospital)
    db.session.commit()


@pytest.fixture
def staff(api, people):
    return api.as_("staff")


def verify(app):
    return app.test_cli_runner().invoke(args=["archive", "verify"])


# --- the defaults, one row per award with its article ----------------------------------------------------

@pytest.mark.parametrize(("award", "kind", "expected"), [
    pytest.param("LDTT", "regular", (2024, 2024), id="LDTT-Luat2022-Dieu24-yearly"),
    pytest.param("CSTDCS", "regular", (2024, 2024), id="CSTDCS-Luat2022-Dieu23-yearly"),
    pytest.param("TTLDTT", "regular", (2024, 2024), id="TTLDTT-Luat2022-Dieu28-yearly"),
    pytest.param("TTLDXS", "regular", (2024, 2024), id="TTLDXS-Luat2022-Dieu27-yearly"),
    pytest.param("GIAY_KHEN", "regular", (2024, 2024), id="GIAY_KHEN-Luat2022-Dieu75"),
    pytest.param("CO_TINH", "regular", (2024, 2024), id="CO_TINH-Luat2022-Dieu26-yearly"),
    pytest.param("CO_CP", "regular", (2024, 2024), id="CO_CP-Luat2022-Dieu25-in-the-year"),
    pytest.param("CSTD_TINH", "regular", (2022, 2024), id="CSTD_TINH-Luat2022-Dieu22-3-years"),
    pytest.param("CSTD_TQ", "regular", (2019, 2024), id="CSTD_TQ-Luat2022-Dieu21-two-3-year-cycles"),
    pytest.param("BK_TINH", "regular", (2023, 2024), id="BK_TINH-Luat2022-Dieu74.1.d-2-years"),
    pytest.param("BK_TTG", "regular", (2020, 2024), id="BK_TTG-Luat2022-Dieu73.1.b-5-years"),
    pytest.param("HCLD3", "regular", (2020, 2024), id="HCLD3-Luat2022-Dieu44.1.e-5-years"),
    pytest.param("BK_TINH", "adhoc", (2024, 2024), id="BK_TINH-adhoc-NĐ152-Dieu4-one-achievement"),
    pytest.param("BK_TTG", "thematic", (2024, 2024), id="BK_TTG-thematic-NĐ152-Dieu4-one-achievement"),
])
def test_default_period_is_the_chain_ending_in_the_year(award, kind, expected):
    assert default_period(award, 2024, kind) == expected


@pytest.mark.parametrize(("received", "code"), [
    pytest.param(date(2023, 12, 31), "nd91", id="received-2023-NĐ91-2017"),
    pytest.param(date(2024, 1, 1), "nd98", id="received-2024-01-01-NĐ98-2023-Luat2022-Dieu94"),
    pytest.param(date(2025, 6, 30), "nd98", id="received-2025-06-30-NĐ98-2023"),
    pytest.param(date(2025, 7, 1), "nd152", id="received-2025-07-01-NĐ152-2025-Dieu60.3"),
    pytest.param(date(2026, 3, 10), "nd152", id="received-2026-NĐ152-2025-Dieu60.3"),
])
def test_procedure_regime_follows_the_day_received(received, code):
    assert procedure_regime(received).code == code


@pytest.mark.parametrize(("year", "code"), [
    pytest.param(2022, "nd91", id="2022-Luat2003-2013-NĐ91"),
    pytest.param(2023, "nd91", id="2023-Luat2003-2013-NĐ91"),
    pytest.param(2024, "nd98", id="2024-Luat2022-NĐ98"),
    pytest.param(2025, "nd152", id="2025-Luat2022-NĐ152"),
    pytest.param(2026, "nd152", id="2026-Luat2022-NĐ152"),
])
def test_substance_regime_follows_the_achievement_year(year, code):
    assert substance_regime(year).code == code


def test_a_dossier_received_in_2025_for_2023_keeps_the_two_regimes_apart():
    assert substance_regime(2023).code == "nd91"
    assert procedure_regime(date(2025, 9, 1)).code == "nd152"
    assert period_text(2023, 2024) == "2023–2024" and period_text(2024, 2024) == "2024"


# --- recording and the API -----------------------------------------------------------------------------

def test_a_record_without_a_period_takes_its_awards_default(staff):
    body = staff.post("/api/v1/archive/records", json=RECORD).json
    assert (body["period_from"], body["period_to"], body["period_stated"]) == (2023, 2024, True)
    record = staff.get(f"/api/v1/archive/records/{body['id']}").json
    assert (record["period_from"], record["period_to"]) == (2023, 2024)


def test_a_record_keeps_the_period_its_decision_wrote(staff):
    body = staff.post("/api/v1/archive/records", json={**RECORD, "award_code": "BK_TTG",
                                                        "period_from": 2018, "period_to": 2024}).json
    assert (body["period_from"], body["period_to"]) == (2018, 2024)


@pytest.mark.parametrize(("period", "field"), [
    pytest.param({"period_from": 2023}, "period_to", id="one-year-only"),
    pytest.param({"period_from": 2024, "period_to": 2023}, "period_from", id="from-after-to"),
    pytest.param({"period_from": 2024, "period_to": 2025}, "period_to", id="ends-after-the-year"),
    pytest.param({"period_from": 1900, "period_to": 2024}, "period_from", id="before-1945"),
])
def test_a_wrong_period_is_refused_naming_its_field(staff, period, field):
    response = staff.post("/api/v1/archive/records", json={**RECORD, **period})
    assert response.status_code == 400
    assert field in response.json["error"]["fields"]
    assert staff.get("/api/v1/archive/records").json["total"] == 0


def test_correcting_a_period_is_a_new_record_with_a_reason_and_the_chain_verifies(staff, app):
    first = staff.post("/api/v1/archive/records", json=RECORD).json
    no_reason = staff.post(f"/api/v1/archive/records/{first['id']}/correct", json={"period_from": 2022,
                                                                                    "period_to": 2024})
    assert no_reason.status_code == 400
    corrected = staff.post(f"/api/v1/archive/records/{first['id']}/correct",
                           json={"period_from": 2024, "period_to": 2024,
                                 "reason": "Quyết định ghi thành tích năm 2024 (đột xuất)"})
    assert corrected.status_code == 201
    body = corrected.json
    assert body["entry"] == "correction" and body["target_id"] == first["id"]
    assert (body["period_from"], body["period_to"]) == (2024, 2024)
    assert body["decision_number"] == first["decision_number"] and body["reason"].startswith("Quyết định ghi")
    assert staff.get(f"/api/v1/archive/records/{first['id']}").json["superseded"] is True
    again = staff.post(f"/api/v1/archive/records/{first['id']}/correct",
                       json={"period_from": 2023, "period_to": 2024, "reason": "Sửa lại"})
    assert again.status_code == 409
    assert staff.post(f"/api/v1/archive/records/{body['id']}/correct",
                      json={"period_from": 2024, "period_to": 2026, "reason": "Sai"}).status_code == 400
    result = verify(app)
    assert result.exit_code == 0 and "OK 2 records" in result.output


def test_correction_by_a_council_member_is_refused(api, people):
    record = services.record_award(subject_type="person", subject_code="CB001", award_code="LDTT", year=2024,
                                   decision_number="1/QĐ", decision_date=date(2025, 1, 5), issuer="Sở Y tế")
    from awards.extensions import db

    db.session.commit()
    member = api.as_("council_member")
    response = member.post(f"/api/v1/archive/records/{record.id}/correct",
                           json={"period_from": 2024, "period_to": 2024, "reason": "x"})
    assert response.status_code == 403


def test_a_period_shown_and_corrected_on_the_record_page(client, login_as, people, db, csrf_token, app):
    record = services.record_award(subject_type="person", subject_code="CB001", award_code="BK_TINH", year=2024,
                                   decision_number="7/QĐ-UBND", decision_date=date(2025, 3, 1), issuer="UBND tỉnh")
    db.session.commit()
    login_as("staff")
    page = client.get(f"/archive/records/{record.id}").get_data(as_text=True)
    assert "Thời gian đạt thành tích" in page and "2023–2024" in page
    token = csrf_token(f"/archive/records/{record.id}")
    refused = client.post(f"/archive/records/{record.id}/correct", data={
        "csrf_token": token, "decision_number": "7/QĐ-UBND", "decision_date": "2025-03-01", "issuer": "UBND tỉnh",
        "period_from": "2024", "period_to": "2025", "reason": "Theo quyết định"})
    assert refused.status_code == 400 and "kết thúc trong hoặc trước năm được khen" in refused.get_data(as_text=True)
    done = client.post(f"/archive/records/{record.id}/correct", data={
        "csrf_token": token, "decision_number": "7/QĐ-UBND", "decision_date": "2025-03-01", "issuer": "UBND tỉnh",
        "period_from": "2024", "period_to": "2024", "reason": "Theo quyết định"})
    assert done.status_code == 302
    latest = db.session.scalars(db.select(AwardRecord).order_by(AwardRecord.id.desc())).first()
    assert (latest.period_from, latest.period_to, latest.entry) == (2024, 2024, Entry.correction)
    assert "Theo quyết định" in client.get(f"/archive/records/{latest.id}").get_data(as_text=True)
    assert services.verify_chain() == (2, None, "")


def test_a_record_entered_by_hand_on_the_page_with_a_period(client, login_as, people, db, csrf_token):
    login_as("staff")
    response = client.post("/archive/records/new", data={
        "csrf_token": csrf_token("/archive/records/new"), "subject_type": "person", "subject_code": "CB001",
        "award_code": "CSTD_TINH", "year": "2024", "kind": "regular", "decision_number": "9/QĐ-UBND",
        "decision_date": "2025-03-01", "issuer": "UBND tỉnh", "period_from": "2021", "period_to": "2023",
        "published": "y"})
    assert response.status_code == 302
    record = db.session.scalars(db.select(AwardRecord)).one()
    assert (record.period_from, record.period_to) == (2021, 2023)


# --- records from before periods: their hash does not change ---------------------------------------------------

def _old_hash(prev: str, values: dict) -> str:
    """The hash as it was computed before issue 17 (no period)."""
    payload = [values[n].isoformat() if isinstance(values[n], date) else values[n] for n in HASHED]
    return hashlib.sha256((prev + json.dumps(payload, ensure_ascii=False, separators=(",", ":"))).encode()
                          ).hexdigest()


def test_a_record_without_a_period_hashes_as_before_and_reads_the_default(people, db, app):
    person = db.session.scalars(db.select(Person)).one()
    old = AwardRecord(entry=Entry.award, subject_type="person", person=person, unit=person.unit,
                      subject_code="CB001", subject_name=person.full_name, award_code="BK_TINH", year=2023,
                      kind="regular", decision_number="5/QĐ", decision_date=date(2024, 2, 1), issuer="UBND tỉnh",
                      gold_book_number="", source="imported", reason="", published=True)
    services.append(old, prev_hash=GENESIS)
    assert old.hash == _old_hash(GENESIS, old.hashed_values())
    assert old.period == (2022, 2023) and old.period_stated is False
    correction = services.correct_record(old, reason="Số quyết định đúng là 5/QĐ-UBND", by=None,
                                         decision_number="5/QĐ-UBND")
    assert correction.period_from is None  # the period was not corrected: still the default
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 0 and "OK 2 records" in result.output
    assert content_hash(GENESIS, {**old.hashed_values(), "period_from": 2022, "period_to": 2023}) != old.hash


# --- the Excel import ------------------------------------------------------------------------------------------

HEADERS = ["Loại đối tượng", "Mã đối tượng", "Danh hiệu", "Năm", "Số quyết định", "Ngày quyết định",
           "Cơ quan ban hành", "Thành tích từ năm", "Thành tích đến năm"]


def _book(rows) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    data = BytesIO()
    book.save(data)
    data.seek(0)
    return data


def test_import_reads_periods_and_defaults_blank_ones(people, db):
    result = imports.import_records(_book([
        ["Cá nhân", "CB001", "BK_TINH", 2024, "1/QĐ", "10/02/2025", "UBND tỉnh", 2023, 2024],
        ["Cá nhân", "CB001", "CSTD_TINH", 2024, "2/QĐ", "10/02/2025", "UBND tỉnh", None, None],
    ]), dry_run=False)
    db.session.commit()
    assert (result.imported, result.errors) == (2, [])
    periods = db.session.execute(db.select(AwardRecord.award_code, AwardRecord.period_from, AwardRecord.period_to)
                                 .order_by(AwardRecord.id)).all()
    assert [tuple(p) for p in periods] == [("BK_TINH", 2023, 2024), ("CSTD_TINH", 2022, 2024)]
    assert services.verify_chain() == (2, None, "")


def test_import_refuses_a_half_or_wrong_period_and_stores_nothing(people, db):
    result = imports.import_records(_book([
        ["Cá nhân", "CB001", "BK_TINH", 2024, "1/QĐ", "10/02/2025", "UBND tỉnh", 2023, None],
        ["Cá nhân", "CB001", "LDTT", 2024, "2/QĐ", "10/02/2025", "UBND tỉnh", 2024, 2026],
    ]), dry_run=False)
    assert [e["row"] for e in result.errors] == [2, 3]
    assert "Thành tích đến năm" in result.errors[0]["message"]
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(AwardRecord.id))) == 0
