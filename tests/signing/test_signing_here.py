"""Signing a decision in the system: with a PKCS#12 file, and with a PKCS#11 token (SoftHSM2, when installed);
verified like an upload; refused without a key, or for another unit's decision."""

import io
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization

from awards.signing import queries, services
from awards.signing.models import Origin
from tests import factories
from tests.signing import pki as test_pki

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture
def fake_pdf(monkeypatch):
    """The decision's PDF as fpdf2 writes it (LibreOffice's conversion is tested with the documents)."""
    monkeypatch.setattr(services, "decision_pdf", lambda decision: test_pki.simple_pdf(
        f"Quyết định số {decision.number}"))


@pytest.fixture
def pkcs12(app, trusted, tmp_path, monkeypatch):
    path = tmp_path / "khoa-ky-so.p12"
    path.write_bytes(trusted.pkcs12("signer"))
    path.chmod(0o600)
    monkeypatch.setitem(app.config, "SIGNING_PKCS12", str(path))
    monkeypatch.setitem(app.config, "SIGNING_PKCS12_PASSPHRASE", test_pki.PASSPHRASE.decode())
    return path


def test_signing_with_the_configured_pkcs12_file_publishes_a_verified_copy(client, db, decision, pkcs12, fake_pdf,
                                                                           login_as, csrf_token):
    login_as("staff")
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "Ký số quyết định" in page
    token = csrf_token(f"/decisions/{decision.id}")
    response = client.post(f"/decisions/{decision.id}/sign", data={"csrf_token": token}, follow_redirects=True)
    assert "đã được lưu và công bố" in response.get_data(as_text=True)
    signed = queries.published(decision.id)
    assert signed.origin == Origin.system and signed.signer == "Nguyễn Văn Giám Đốc" and signed.valid
    import pdfplumber

    from awards.core.uploads import path_for

    with pdfplumber.open(io.BytesIO(path_for(signed.sha256).read_bytes())) as pdf:
        assert "Quyết định số 125/QĐ-SYT" in pdf.pages[0].extract_text()


def test_a_wrong_passphrase_or_no_key_is_a_clear_refusal(app, client, db, decision, trusted, fake_pdf, monkeypatch,
                                                          pkcs12, login_as, csrf_token):
    from awards.core.db import DomainError

    admin = factories.user("admin")
    monkeypatch.setitem(app.config, "SIGNING_PKCS12_PASSPHRASE", "sai-mat-khau")
    with pytest.raises(DomainError) as refused:
        services.sign_decision(decision, by=admin)
    assert refused.value.status == 503 and "sai mật khẩu" in refused.value.message
    monkeypatch.setitem(app.config, "SIGNING_PKCS12", "")
    with pytest.raises(DomainError) as refused:
        services.sign_decision(decision, by=admin)
    assert refused.value.status == 503 and "chưa được cấu hình khóa ký số" in refused.value.message
    db.session.rollback()
    login_as("staff")
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "Ký số quyết định" not in page  # no key: the page offers the upload only
    token = csrf_token(f"/decisions/{decision.id}")
    response = client.post(f"/decisions/{decision.id}/sign", data={"csrf_token": token}, follow_redirects=True)
    assert "chưa được cấu hình khóa ký số" in response.get_data(as_text=True)


def test_another_units_secretariat_cannot_sign_through_page_or_service(client, db, decision, pkcs12, fake_pdf,
                                                                       login_as, csrf_token):
    from awards.core.db import DomainError

    outsider = factories.unit(code="BVK", name="Bệnh viện K")
    with pytest.raises(DomainError) as refused:
        services.sign_decision(decision, by=factories.user("staff", unit=outsider))
    assert refused.value.status == 403
    db.session.rollback()
    login_as("staff", unit=outsider)
    response = client.post(f"/decisions/{decision.id}/sign", data={"csrf_token": csrf_token("/account")})
    assert response.status_code == 403 and queries.published(decision.id) is None


def _softhsm_token(pki, tmp_path, monkeypatch):
    """A SoftHSM2 token holding the signer's key and certificate and its chain."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "so-y-te", "--pin", "1234",
                    "--so-pin", "5678"], check=True, capture_output=True)
    key = tmp_path / "key.pem"
    key.write_bytes(pki.signer.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(key), "--token", "so-y-te", "--label", "quyet-dinh", "--id", "01",
                    "--pin", "1234"], check=True, capture_output=True)
    library = pkcs11.lib(SOFTHSM)
    token = library.get_token(token_label="so-y-te")
    with token.open(rw=True, user_pin="1234") as session:
        for label, cert, ident in (("quyet-dinh", pki.signer.cert, b"\x01"), ("ca", pki.intermediate.cert, b"\x02")):
            session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE,
                                   Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.TOKEN: True,
                                   Attribute.LABEL: label, Attribute.ID: ident,
                                   Attribute.SUBJECT: cert.subject.public_bytes(),
                                   Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})


@pytest.mark.skipif(shutil.which("softhsm2-util") is None or not __import__("os").path.exists(SOFTHSM),
                    reason="SoftHSM2 is not installed (apt-get install softhsm2)")
def test_signing_with_a_pkcs11_token(app, db, decision, trusted, fake_pdf, tmp_path, monkeypatch):
    pytest.importorskip("pkcs11")
    _softhsm_token(trusted, tmp_path, monkeypatch)
    for name, value in (("SIGNING_PKCS11_MODULE", SOFTHSM), ("SIGNING_PKCS11_TOKEN", "so-y-te"),
                        ("SIGNING_PKCS11_KEY", "quyet-dinh"), ("SIGNING_PKCS11_PIN", "1234")):
        monkeypatch.setitem(app.config, name, value)
    signed = services.sign_decision(decision, by=factories.user("admin"))
    db.session.commit()
    assert signed.valid, signed.reason
    assert signed.origin == Origin.system and signed.signer == "Nguyễn Văn Giám Đốc"
    monkeypatch.setitem(app.config, "SIGNING_PKCS11_PIN", "0000")
    from awards.core.db import DomainError

    with pytest.raises(DomainError) as refused:
        services.sign_decision(decision, by=factories.user("admin"))
    assert refused.value.status == 503 and "thiết bị ký số" in refused.value.message
