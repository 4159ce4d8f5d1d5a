"""The verdict on a signed PDF (awards/signing/verification.py), called directly with the test PKI: a valid
signature, and each refusal with its Vietnamese reason."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from awards.signing.models import Outcome, TimeSource
from awards.signing.verification import load_roots, verify_pdf
from tests.signing import pki as test_pki
from tests.signing.conftest import byte_flipped, sign, tampered


@pytest.fixture(scope="module")
def roots(pki, tmp_path_factory):
    return load_roots(str(pki.write_roots(tmp_path_factory.mktemp("roots"))))


@pytest.fixture(scope="module")
def document():
    return test_pki.simple_pdf()


@pytest.fixture(scope="module")
def signed(pki, document):
    return sign(pki, "signer", document)


def test_a_valid_signature_names_the_signer_and_the_time_it_was_checked_at(roots, signed):
    verdict = verify_pdf(signed, roots)
    assert verdict.outcome == Outcome.valid and verdict.valid
    assert verdict.signer == "Nguyễn Văn Giám Đốc" and verdict.organisation == "Sở Y tế tỉnh"
    assert abs(verdict.signed_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert verdict.time_source == TimeSource.claimed  # no timestamp: the signing software's clock, said so
    assert "Chữ ký số hợp lệ" in verdict.reason and "không có dấu thời gian" in verdict.reason


def test_an_unsigned_pdf_is_refused(roots, document):
    verdict = verify_pdf(document, roots)
    assert verdict.outcome == Outcome.unsigned and verdict.reason == "Tệp PDF không có chữ ký số nào."


def test_something_that_is_not_a_pdf_is_refused(roots):
    assert verify_pdf(b"PK\x03\x04 not a pdf", roots).outcome == Outcome.not_pdf
    broken = verify_pdf(b"%PDF-1.7\nrac", roots)
    assert broken.outcome == Outcome.not_pdf and "bị hỏng" in broken.reason


def test_an_incremental_update_after_the_signature_is_refused_as_modified(roots, signed):
    verdict = verify_pdf(tampered(signed), roots)
    assert verdict.outcome == Outcome.modified
    assert "sửa đổi sau khi ký" in verdict.reason and "sau chữ ký" in verdict.reason
    assert verdict.signer == "Nguyễn Văn Giám Đốc"  # whose signature it was is still said


def test_a_flipped_byte_inside_the_signed_content_is_refused_as_modified(roots, signed):
    verdict = verify_pdf(byte_flipped(signed), roots)
    assert verdict.outcome == Outcome.modified and "không còn khớp" in verdict.reason


def test_a_certificate_from_an_untrusted_root_is_refused(roots, pki, document):
    verdict = verify_pdf(sign(pki, "rogue_signer", document), roots)
    assert verdict.outcome == Outcome.untrusted
    assert "không dẫn về chứng thư gốc nào được tin cậy" in verdict.reason and "Root CA lạ" in verdict.reason


def test_a_certificate_expired_at_signing_time_is_refused(roots, pki, document):
    verdict = verify_pdf(sign(pki, "expired", document), roots)
    assert verdict.outcome == Outcome.expired
    assert "đã hết hạn vào thời điểm ký" in verdict.reason and "không có dấu thời gian" in verdict.reason


def test_a_certificate_not_yet_valid_at_signing_time_is_refused(roots, pki, document):
    verdict = verify_pdf(sign(pki, "not_yet", document), roots)
    assert verdict.outcome == Outcome.not_yet_valid and "chưa có hiệu lực" in verdict.reason


def test_without_configured_roots_nothing_is_trusted(signed):
    verdict = verify_pdf(signed, [])
    assert verdict.outcome == Outcome.untrusted and "TRUSTED_ROOTS" in verdict.reason


def test_a_timestamp_token_is_the_time_the_certificate_is_judged_at(roots, pki, document):
    """A certificate that has expired since is still valid for a signature timestamped while it was valid — the
    expired signer here signs with a timestamp from before its expiry (pyHanko's local test timestamper: no network
    TSA is contacted by the tests)."""
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat
    from pyhanko.sign.timestamps import DummyTimeStamper

    tsa = test_pki.tsa(pki)
    tsa_cert = x509.Certificate.load(tsa.cert.public_bytes(Encoding.DER))
    tsa_key = keys.PrivateKeyInfo.load(tsa.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
    moment = test_pki.NOW - timedelta(days=60)  # the expired signer's certificate was valid then
    stamper = DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key, fixed_dt=moment,
                               certs_to_embed=[x509.Certificate.load(pki.intermediate.cert.public_bytes(Encoding.DER))])
    verdict = verify_pdf(sign(pki, "expired", document, timestamper=stamper), roots)
    assert verdict.outcome == Outcome.valid, verdict.reason
    assert verdict.time_source == TimeSource.timestamp and verdict.signed_at == moment
    assert "dấu thời gian" in verdict.reason


def test_roots_are_read_from_files_and_folders_and_bad_files_are_skipped(pki, tmp_path):
    folder = tmp_path / "roots"
    pki.write_roots(folder)
    (folder / "rac.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    der = tmp_path / "rogue.der"
    der.write_bytes(pki.rogue_root.cert.public_bytes(Encoding.DER))
    roots = load_roots(f"{folder}, {der}, {tmp_path / 'missing.pem'}")
    assert sorted(r.subject.native["common_name"] for r in roots) == ["Root CA lạ", "Root CA thử nghiệm"]
    assert load_roots("") == [] and load_roots([str(folder)])[0].subject.native["common_name"] == "Root CA thử nghiệm"


def test_pdf_text_survives_signing(signed):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(signed)) as pdf:
        assert "Quyết định khen thưởng số 12/QĐ-SYT" in pdf.pages[0].extract_text()


def test_signing_and_verifying_work_inside_a_running_event_loop(roots, pki, document):
    """pyHanko's synchronous API starts its own event loop: inside a running one (an async server; a Playwright
    session in the same test worker) it would raise "asyncio.run() cannot be called from a running event loop"."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside():
        return verify_pdf(sign(pki, "signer", document), roots)

    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread with no loop of its own yet (this worker's may run one)
        verdict = pool.submit(asyncio.run, inside()).result()
    assert verdict.outcome == Outcome.valid and verdict.signer == "Nguyễn Văn Giám Đốc"
