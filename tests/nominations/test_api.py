"""Dossiers as CONTRACT §4 says: the workflow, attachments typed by content, unit scope, the checklist."""

import io
import zipfile

import pytest

from awards.nominations.states import TRANSITIONS
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def units(db):
    hospital = factories.unit(code="BVA", name="Bệnh viện A")
    other = factories.unit(code="BVB", name="Bệnh viện B")
    person = factories.person(code="CB1", full_name="Nguyễn Văn An", unit=hospital)
    factories.person(code="CB2", full_name="Trần Thị Bình", unit=other)
    from awards.units.services import add_person_evaluation

    add_person_evaluation(person, year=2025, rating="good", by=None)
    db.session.commit()
    return hospital, other


@pytest.fixture
def officer(api, units):
    return api.as_("unit_officer", unit=units[0])


@pytest.fixture
def staff(api, units):
    return api.as_("staff")


NOMINATION = {"campaign_id": None, "subject_type": "person", "subject_code": "CB1", "award_code": "LDTT",
              "year": 2025, "kind": "regular", "summary": "Hoàn thành tốt nhiệm vụ, tận tình với người bệnh."}


def attach(client, nomination_id, kind="report", data=PDF, name="bao-cao.pdf"):
    return client.post(f"/api/v1/nominations/{nomination_id}/attachments",
                       data={"kind": kind, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_officer_prepares_submits_and_staff_appraise(officer, staff):
    created = officer.post("/api/v1/nominations", json=NOMINATION)
    assert created.status_code == 201
    body = created.json
    assert body["status"] == "draft" and body["eligibility"]["eligible"] is True
    assert {c["rule"] for c in body["eligibility"]["checks"]} >= {"rating_good_or_better", "no_discipline_in_year"}
    nid = body["id"]
    too_early = officer.post(f"/api/v1/nominations/{nid}/submit")
    assert too_early.status_code == 409 and "Báo cáo thành tích" in too_early.json["error"]["message"]
    uploaded = attach(officer, nid)
    assert uploaded.status_code == 201 and len(uploaded.json["sha256"]) == 64 and uploaded.json["size"] == len(PDF)
    assert attach(officer, nid, kind="proposal", data=docx_bytes(), name="tờ trình.docx").status_code == 201
    assert officer.post(f"/api/v1/nominations/{nid}/submit").json["status"] == "submitted"
    assert attach(officer, nid, kind="other").status_code == 409, "a submitted dossier is closed to new files"
    returned = staff.post(f"/api/v1/nominations/{nid}/return", json={"reason": "Bổ sung biên bản bình xét"})
    assert returned.json["status"] == "returned"
    assert attach(officer, nid, kind="minutes").status_code == 201
    assert officer.post(f"/api/v1/nominations/{nid}/submit").json["status"] == "submitted"
    appraised = staff.post(f"/api/v1/nominations/{nid}/appraise", json={"result": "pass", "note": "Đủ điều kiện"})
    assert appraised.json["status"] == "appraised"
    history = [(h["status"], h["note"]) for h in appraised.json["history"]]
    assert history == [("submitted", ""), ("returned", "Bổ sung biên bản bình xét"), ("submitted", ""),
                       ("appraised", "Đủ điều kiện")]
    assert all(h["by"] for h in appraised.json["history"])


def test_return_and_rejection_need_a_reason_and_notify_the_unit(officer, staff, db, units):
    from awards.notifications.models import Notification

    unit_officer = factories.user("unit_officer", unit=units[0])
    db.session.commit()
    nid = officer.post("/api/v1/nominations", json=NOMINATION).json["id"]
    attach(officer, nid)
    attach(officer, nid, kind="proposal")
    officer.post(f"/api/v1/nominations/{nid}/submit")
    blank = staff.post(f"/api/v1/nominations/{nid}/appraise", json={"result": "fail", "note": ""})
    assert blank.status_code == 400 and "reason" in blank.json["error"]["fields"]
    assert staff.post(f"/api/v1/nominations/{nid}/appraise", json={"result": "fail", "note": "Thiếu minh chứng"}
                      ).json["status"] == "rejected"
    notes = db.session.query(Notification).filter_by(kind="nomination_rejected").all()
    assert unit_officer.id in {n.user_id for n in notes} and notes[0].body == "Lý do: Thiếu minh chứng"


def test_wrong_state_is_409(officer, staff):
    nid = officer.post("/api/v1/nominations", json=NOMINATION).json["id"]
    assert staff.post(f"/api/v1/nominations/{nid}/appraise", json={"result": "pass"}).status_code == 409
    assert staff.post(f"/api/v1/nominations/{nid}/return", json={"reason": "x"}).status_code == 409
    assert officer.post(f"/api/v1/nominations/{nid}/withdraw", json={"reason": "Nhầm đối tượng"}
                        ).json["status"] == "withdrawn"
    assert officer.post(f"/api/v1/nominations/{nid}/withdraw", json={"reason": "Lần nữa"}).status_code == 409
    assert officer.post(f"/api/v1/nominations/{nid}/submit").status_code == 409


def test_only_staff_return_and_appraise(officer, api, units):
    nid = officer.post("/api/v1/nominations", json=NOMINATION).json["id"]
    assert officer.post(f"/api/v1/nominations/{nid}/appraise", json={"result": "pass"}).status_code == 403
    assert officer.post(f"/api/v1/nominations/{nid}/return", json={"reason": "x"}).status_code == 403
    member = api.as_("council_member")
    assert member.get(f"/api/v1/nominations/{nid}").status_code == 200
    assert member.post(f"/api/v1/nominations/{nid}/submit").status_code == 403


def test_unit_scope_for_creating_reading_and_attaching(officer, api, units):
    other_unit = officer.post("/api/v1/nominations", json={**NOMINATION, "subject_code": "CB2"})
    assert other_unit.status_code == 403
    nid = officer.post("/api/v1/nominations", json=NOMINATION).json["id"]
    outsider = api.as_("unit_officer", unit=units[1])
    assert outsider.get(f"/api/v1/nominations/{nid}").status_code == 404
    assert attach(outsider, nid).status_code == 404
    assert outsider.get("/api/v1/nominations").json["total"] == 0
    assert officer.get("/api/v1/nominations?status=draft&year=2025").json["total"] == 1


def test_one_live_dossier_per_subject_award_and_year(officer):
    assert officer.post("/api/v1/nominations", json=NOMINATION).status_code == 201
    twice = officer.post("/api/v1/nominations", json=NOMINATION)
    assert twice.status_code == 409 and twice.json["error"]["code"] == "duplicate"


@pytest.mark.parametrize("data, name, status", [
    (b"MZ\x90\x00\x03" + b"\x00" * 100, "bao-cao.pdf", 415),  # a Windows executable renamed .pdf
    (b"<!doctype html><script>alert(1)</script>", "bao-cao.pdf", 415),  # HTML named .pdf
    (b"PK\x03\x04not really a zip", "bao-cao.docx", 415),
    (b"", "rong.pdf", 400),
    (PDF, "../../etc/passwd", 201),  # the name is metadata only, never a path
    (PDF, "Báo cáo thành tích năm 2025 (bản cuối).pdf", 201),
])
def test_uploads_are_judged_by_content(officer, app, data, name, status):
    nid = officer.post("/api/v1/nominations", json=NOMINATION).json["id"]
    response = attach(officer, nid, data=data, name=name)
    assert response.status_code == status, response.json
    if status == 201:
        from pathlib import Path

        stored = Path(app.config["UPLOAD_DIR"]) / response.json["sha256"][:2] / response.json["sha256"]
        assert stored.read_bytes() == data
        assert not (Path(app.config["UPLOAD_DIR"]).parent / "etc" / "passwd").exists()


def test_oversized_upload_is_413(officer, app):
    nid = officer.post("/api/v1/nominations", json=NOMINATION).json["id"]
    big = PDF + b"0" * (app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    response = attach(officer, nid, data=big)
    assert response.status_code == 413 and response.json["error"]["code"] == "payload_too_large"


def test_simplified_procedure_for_adhoc_awards_needs_proposal_and_report(officer, staff):
    nid = officer.post("/api/v1/nominations", json={**NOMINATION, "award_code": "GIAY_KHEN", "kind": "adhoc",
                                                    "summary": "Cứu người bị nạn ngày 12/03"}).json["id"]
    attach(officer, nid)
    assert officer.post(f"/api/v1/nominations/{nid}/submit").status_code == 409
    attach(officer, nid, kind="proposal")
    assert officer.post(f"/api/v1/nominations/{nid}/submit").json["status"] == "submitted"


def test_every_transition_in_the_table_is_reachable_and_nothing_else():
    """The table is the workflow of CONTRACT: every status has a way forward or is final."""
    assert TRANSITIONS["draft"] == {"submitted", "withdrawn"}
    assert TRANSITIONS["returned"] == {"submitted", "withdrawn"}
    assert "withdrawn" not in TRANSITIONS["awarded"] and TRANSITIONS["awarded"] == set()
    finals = {s for s, targets in TRANSITIONS.items() if not targets}
    assert finals == {"awarded", "withdrawn", "not_awarded"}  # not_awarded: the answer from outside (CONTRACT §5)
    assert all("withdrawn" in targets for s, targets in TRANSITIONS.items() if s not in finals)
