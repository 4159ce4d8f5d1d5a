"""A decision's signed PDF through the API and the page (CONTRACT §6): verified, kept whatever the verdict, the
valid one published and its SHA-256 sealed into the archive chain; refusals through both doors."""

import hashlib
import io

import pytest
from sqlalchemy import text

from awards.archive.models import RecordSeal
from awards.archive.services import verify_chain
from awards.signing import queries
from awards.signing.models import SignedFile
from tests import factories
from tests.signing import pki as test_pki
from tests.signing.conftest import sign, tampered


@pytest.fixture
def signed(trusted):
    return sign(trusted, "signer", test_pki.simple_pdf())


def _upload(client, decision, data, headers=None, name="quyet-dinh-da-ky.pdf"):
    return client.post(f"/api/v1/decisions/{decision.id}/signed-file", headers=headers,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _bearer(db, *roles, unit=None):
    user = factories.user(*roles, unit=unit)
    raw = factories.token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_a_valid_signed_pdf_is_accepted_published_and_sealed_into_the_archive(client, db, decision, signed):
    response = _upload(client, decision, signed, _bearer(db, "staff"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["valid"] is True and body["signer"] == "Nguyễn Văn Giám Đốc" and body["signed_at"]
    assert body["organisation"] == "Sở Y tế tỉnh" and body["sha256"] == hashlib.sha256(signed).hexdigest()
    assert queries.published(decision.id).sha256 == body["sha256"]
    seals = db.session.scalars(db.select(RecordSeal).order_by(RecordSeal.id)).all()
    assert sorted(s.record_id for s in seals) == sorted(item.record_id for item in decision.items)
    assert {s.sha256 for s in seals} == {body["sha256"]}
    assert verify_chain() == (2, None, "")


def test_the_archive_chain_breaks_when_a_sealed_hash_is_changed(client, db, decision, signed):
    _upload(client, decision, signed, _bearer(db, "staff"))
    first = db.session.scalar(db.select(RecordSeal).order_by(RecordSeal.id))
    with db.engine.begin() as conn:  # what someone with the database's password could do behind the app
        conn.execute(text("UPDATE award_record_seals SET sha256 = :h WHERE id = :i"), {"h": "0" * 64, "i": first.id})
    db.session.rollback()  # the test's own snapshot ends: it reads what was written behind the app
    count, broken, problem = verify_chain()
    assert (count, broken) == (2, first.record_id) and "bản ký số" in problem and "đã bị sửa" in problem


def test_flask_archive_verify_walks_the_seals_too(app, client, db, decision, signed):
    _upload(client, decision, signed, _bearer(db, "staff"))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["archive", "verify"]).output.strip() == "OK 2 records"
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM award_record_seals WHERE id = (SELECT MIN(id) FROM award_record_seals)"))
    db.session.rollback()
    result = runner.invoke(args=["archive", "verify"])
    assert result.exit_code == 1 and "BROKEN at record" in result.output


@pytest.mark.parametrize("kind, code, words", [
    ("tampered", "signature_modified", "sửa đổi sau khi ký"),
    ("untrusted", "signature_untrusted", "không dẫn về chứng thư gốc"),
    ("expired", "signature_expired", "hết hạn"),
    ("unsigned", "signature_unsigned", "không có chữ ký số"),
])
def test_a_refused_pdf_answers_422_with_its_reason_and_is_kept_unpublished(client, db, decision, trusted, signed,
                                                                          kind, code, words):
    data = {"tampered": lambda: tampered(signed),
            "untrusted": lambda: sign(trusted, "rogue_signer", test_pki.simple_pdf()),
            "expired": lambda: sign(trusted, "expired", test_pki.simple_pdf()),
            "unsigned": test_pki.simple_pdf}[kind]()
    response = _upload(client, decision, data, _bearer(db, "staff"))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == code and words in error["message"]
    kept = db.session.scalars(db.select(SignedFile)).all()
    assert [(f.valid, f.reason) for f in kept] == [(False, error["message"])]
    assert queries.published(decision.id) is None and db.session.scalar(db.select(db.func.count(RecordSeal.id))) == 0


def test_not_a_pdf_is_415_and_nothing_is_kept(client, db, decision, trusted):
    response = _upload(client, decision, b"\x89PNG\r\n\x1a\n" + b"0" * 40, _bearer(db, "staff"), name="anh.pdf")
    assert response.status_code == 415 and "không phải PDF" in response.get_json()["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(SignedFile.id))) == 0


def test_the_latest_valid_upload_is_the_published_one_and_nothing_is_deleted(client, db, decision, trusted, signed):
    headers = _bearer(db, "staff")
    again = sign(trusted, "signer", test_pki.simple_pdf("Quyết định số 125/QĐ-SYT (bản ký lại)"))
    for data in (signed, tampered(signed), again):
        _upload(client, decision, data, headers)
    files = queries.signed_files(decision.id)
    assert [f.valid for f in files] == [True, False, True]  # newest first
    assert queries.published(decision.id).sha256 == hashlib.sha256(again).hexdigest()


def test_only_the_issuing_units_secretariat_or_admin_may_upload_through_api_and_page(client, db, decision, signed,
                                                                                      login_as, csrf_token):
    from awards.units.queries import unit_by_code

    other = factories.unit(code="BVX", name="Bệnh viện X")  # decides its own awards: another secretariat
    for roles, unit in ((("unit_officer",), unit_by_code("BVA")), (("staff",), other), (("council_member",), None)):
        assert _upload(client, decision, signed, _bearer(db, *roles, unit=unit)).status_code == 403
    assert _upload(client, decision, signed).status_code == 401
    login_as("staff", unit=other)
    page = client.post(f"/decisions/{decision.id}/signed-files", data={
        "csrf_token": csrf_token("/account"), "file": (io.BytesIO(signed), "qd.pdf")},
        content_type="multipart/form-data")
    assert page.status_code == 403
    assert db.session.scalar(db.select(db.func.count(SignedFile.id))) == 0
    assert _upload(client, decision, signed, _bearer(db, "staff", unit=unit_by_code("SYT"))).status_code == 201
    assert _upload(client, decision, signed, _bearer(db, "admin")).status_code == 201


def test_the_service_refuses_another_secretariat_too(db, decision, signed):
    """The guard is the service's: a CLI or a bulk action calling it is refused alike."""
    from awards.core.db import DomainError
    from awards.signing import services

    outsider = factories.user("staff", unit=factories.unit(code="BVY"))
    with pytest.raises(DomainError) as refused:
        services.receive_signed_file(decision, data=signed, filename="qd.pdf", by=outsider)
    assert refused.value.status == 403


def test_the_decision_page_uploads_and_shows_signer_organisation_time_and_result(client, db, decision, signed,
                                                                               login_as, csrf_token):
    login_as("staff")
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "Ký số và công bố" in page and "Chưa có bản ký số hợp lệ" in page and "In giấy chứng nhận" in page
    response = client.post(f"/decisions/{decision.id}/signed-files", data={
        "csrf_token": csrf_token(f"/decisions/{decision.id}"), "file": (io.BytesIO(signed), "qd.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "đã được lưu và công bố" in page
    assert "Nguyễn Văn Giám Đốc" in page and "Sở Y tế tỉnh" in page and "Chữ ký hợp lệ" in page
    assert "không có dấu thời gian" in page
    response = client.post(f"/decisions/{decision.id}/signed-files", data={
        "csrf_token": csrf_token(f"/decisions/{decision.id}"), "file": (io.BytesIO(tampered(signed)), "qd.pdf")},
        content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "KHÔNG được công bố" in page and "Đã bị sửa đổi sau khi ký" in page


def test_the_page_form_needs_its_csrf_token(client, db, decision, signed, login_as):
    login_as("staff")
    response = client.post(f"/decisions/{decision.id}/signed-files", data={"file": (io.BytesIO(signed), "qd.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 400)
    assert db.session.scalar(db.select(db.func.count(SignedFile.id))) == 0


def test_the_public_pages_link_the_published_signed_pdf(client, db, decision, signed):
    assert "Bản ký số (PDF)" not in client.get("/public/results").get_data(as_text=True)
    assert client.get(f"/public/decisions/{decision.id}/signed.pdf").status_code == 404
    _upload(client, decision, signed, _bearer(db, "staff"))
    results = client.get("/public/results").get_data(as_text=True)
    assert "Bản ký số (PDF)" in results and f"/public/decisions/{decision.id}/signed.pdf" in results
    public_page = client.get(f"/public/decisions/{decision.id}").get_data(as_text=True)
    assert "Tải quyết định đã ký số (PDF)" in public_page and "/public/verify?number=" in public_page
    download = client.get(f"/public/decisions/{decision.id}/signed.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf" and download.data == signed
