"""The public check (/public/verify and POST /api/v1/public/verify): a published copy, a valid signature that is
not a published copy, a modified or invalid file; by number; CSRF on the page; rate-limited like the other
public forms."""

import io
import re

import pytest

from awards.signing import services
from tests import factories
from tests.signing import pki as test_pki
from tests.signing.conftest import sign, tampered

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def published(db, decision, trusted):
    """The decision's signed PDF, uploaded by its secretariat and published."""
    data = sign(trusted, "signer", test_pki.simple_pdf("Quyết định số 125/QĐ-SYT"))
    services.receive_signed_file(decision, data=data, filename="qd.pdf", by=factories.user("admin"))
    db.session.commit()
    return data


def _check(client, number="", data=None):
    form = {"number": number}
    if data is not None:
        form["file"] = (io.BytesIO(data), "ban-sao.pdf")
    return client.post("/api/v1/public/verify", data=form, content_type="multipart/form-data")


def _page(client, number="", data=None):
    token = CSRF.search(client.get("/public/verify").get_data(as_text=True)).group(1)
    form = {"csrf_token": token, "number": number}
    if data is not None:
        form["file"] = (io.BytesIO(data), "ban-sao.pdf")
    return client.post("/public/verify", data=form, content_type="multipart/form-data")


def test_the_published_copy_matches(client, published):
    body = _check(client, "125/QĐ-SYT", published).get_json()
    assert body["valid"] is True and body["outcome"] == "match"
    assert body["decision_number"] == "125/QĐ-SYT" and body["signer"] == "Nguyễn Văn Giám Đốc"
    assert body["reason"].startswith("Trùng khớp với bản đã công bố")
    page = _page(client, "", published).get_data(as_text=True)
    assert "Trùng khớp với bản đã công bố" in page and "Tải bản ký số đã công bố" in page


def test_a_valid_signature_that_is_not_the_published_copy_says_who_signed(client, published, trusted):
    other = sign(trusted, "signer", test_pki.simple_pdf("Một văn bản khác"))
    body = _check(client, "", other).get_json()
    assert body == {"valid": True, "decision_number": None, "signer": "Nguyễn Văn Giám Đốc", "outcome": "signature",
                    "reason": body["reason"], "sha256": body["sha256"]}
    assert "Chữ ký hợp lệ, ký bởi Nguyễn Văn Giám Đốc" in body["reason"] and "không trùng" in body["reason"]
    page = _page(client, "", other).get_data(as_text=True)
    assert "Chữ ký hợp lệ" in page and "Nguyễn Văn Giám Đốc" in page


def test_a_modified_copy_is_refused_with_its_reason(client, published):
    body = _check(client, "125/QĐ-SYT", tampered(published)).get_json()
    assert body["valid"] is False and body["outcome"] == "invalid" and body["decision_number"] == "125/QĐ-SYT"
    assert body["reason"].startswith("Đã bị sửa đổi hoặc không hợp lệ") and "sau chữ ký" in body["reason"]
    page = _page(client, "125/QĐ-SYT", tampered(published))
    assert page.status_code == 200 and "Đã bị sửa đổi / không hợp lệ" in page.get_data(as_text=True)


def test_an_unsigned_copy_is_not_valid(client, published):
    body = _check(client, "", test_pki.simple_pdf()).get_json()
    assert body["valid"] is False and "không có chữ ký số" in body["reason"]


def test_the_published_copy_of_another_decision_is_not_this_one(client, published):
    body = _check(client, "999/QĐ-SYT", published).get_json()
    assert body["valid"] is False and "không phải của quyết định số 999/QĐ-SYT" in body["reason"]


def test_by_number_alone_typed_without_diacritics(client, decision, published):
    body = _check(client, "125/qd-syt").get_json()
    assert body["valid"] is True and body["outcome"] == "published" and body["decision_number"] == "125/QĐ-SYT"
    assert body["sha256"] == services.queries.published(decision.id).sha256
    missing = _check(client, "7/QĐ-UBND").get_json()
    assert missing["valid"] is False and missing["outcome"] == "not_found" and missing["decision_number"] is None


def test_a_decision_not_signed_yet(client, decision):
    body = _check(client, "125/QĐ-SYT").get_json()
    assert body["outcome"] == "unsigned" and "chưa có bản ký số" in body["reason"]


def test_bad_input_is_a_400_in_vietnamese_through_both_doors(client, db):
    response = _check(client)
    assert response.status_code == 400 and response.get_json()["error"]["fields"]["file"] == "Trường này là bắt buộc."
    response = _check(client, "1" * 61)
    assert response.status_code == 400 and "Tối đa 60 ký tự" in response.get_json()["error"]["fields"]["number"]
    page = _page(client)
    assert page.status_code == 400 and "Nhập số quyết định hoặc chọn tệp cần kiểm tra." in page.get_data(as_text=True)


def test_the_page_form_needs_its_csrf_token(client, db):
    response = client.post("/public/verify", data={"number": "125/QĐ-SYT"})
    assert response.status_code == 400 and 'id="ket-qua"' not in response.get_data(as_text=True)


def test_the_check_keeps_nothing(client, db, published):
    from awards.core.uploads import Upload

    before = db.session.scalar(db.select(db.func.count(Upload.id)))
    _check(client, "", test_pki.simple_pdf("Tệp của người dân"))
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == before


def test_page_and_api_share_one_rate_limit(client, db):
    statuses = [_check(client, "1/QĐ").status_code for _ in range(6)]
    statuses += [_page(client, "1/QĐ").status_code for _ in range(5)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
