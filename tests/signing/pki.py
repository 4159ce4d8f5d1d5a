"""A test PKI built with `cryptography`: a root, an intermediate, signers (valid, expired, from an untrusted root)
as PKCS#12 files, and PDFs to sign."""

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = b"mat-khau-ky-so"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _name(common_name: str, organisation: str = "Ban Thi đua – Khen thưởng tỉnh") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Issued:
    key: object
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _issue(subject: x509.Name, key, issuer: "Issued | None", *, ca: bool, not_before=None, not_after=None) -> Issued:
    not_before = not_before or NOW - dt.timedelta(days=365)
    not_after = not_after or NOW + dt.timedelta(days=3650 if ca else 730)
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                                         critical=False)
    cert = builder.sign((issuer or Issued(key, None)).key, hashes.SHA256())
    return Issued(key, cert)


@dataclass
class Pki:
    root: Issued
    intermediate: Issued
    signer: Issued
    expired: Issued
    not_yet: Issued
    rogue_root: Issued
    rogue_signer: Issued

    def pkcs12(self, who: str) -> bytes:
        issued = getattr(self, who)
        chain = [self.rogue_root.cert] if who == "rogue_signer" else [self.intermediate.cert, self.root.cert]
        return pkcs12.serialize_key_and_certificates(
            b"signer", issued.key, issued.cert, chain,
            serialization.BestAvailableEncryption(PASSPHRASE))

    def write_roots(self, folder: Path) -> Path:
        """The trusted root as a PEM file in `folder` (TRUSTED_ROOTS may name a file or a folder)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "root.pem"
        path.write_bytes(self.root.pem)
        return path


def build() -> Pki:
    root = _issue(_name("Root CA thử nghiệm", "Trung tâm chứng thực thử nghiệm"), _key(), None, ca=True,
                  not_before=NOW - dt.timedelta(days=3650))
    intermediate = _issue(_name("CA cấp dưới thử nghiệm", "Trung tâm chứng thực thử nghiệm"), _key(), root, ca=True,
                          not_before=NOW - dt.timedelta(days=3000))
    signer = _issue(_name("Nguyễn Văn Giám Đốc", "Sở Y tế tỉnh"), _key(), intermediate, ca=False)
    expired = _issue(_name("Trần Thị Hết Hạn", "Sở Y tế tỉnh"), _key(), intermediate, ca=False,
                     not_before=NOW - dt.timedelta(days=800), not_after=NOW - dt.timedelta(days=30))
    not_yet = _issue(_name("Lê Văn Chưa Hiệu Lực", "Sở Y tế tỉnh"), _key(), intermediate, ca=False,
                     not_before=NOW + dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=400))
    rogue_root = _issue(_name("Root CA lạ", "Tổ chức không được tin cậy"), _key(), None, ca=True)
    rogue_signer = _issue(_name("Phạm Văn Mạo Danh", "Tổ chức không được tin cậy"), _key(), rogue_root, ca=False)
    return Pki(root, intermediate, signer, expired, not_yet, rogue_root, rogue_signer)


def simple_pdf(text: str = "Quyết định khen thưởng số 12/QĐ-SYT") -> bytes:
    """A one-page PDF with Vietnamese text (fpdf2, the shipped font)."""
    from fpdf import FPDF

    from awards.signing.certificates import FONT_REGULAR

    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.add_font("serif", "", str(FONT_REGULAR))
    pdf.set_font("serif", size=14)
    pdf.cell(text=text)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def tsa(pki: Pki) -> Issued:
    """A timestamp authority under the intermediate (its extended key usage: time stamping, critical)."""
    key = _key()
    cert = (x509.CertificateBuilder().subject_name(_name("TSA thử nghiệm", "Trung tâm chứng thực thử nghiệm"))
            .issuer_name(pki.intermediate.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(NOW - dt.timedelta(days=3000))
            .not_valid_after(NOW + dt.timedelta(days=3000))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(pki.intermediate.key.public_key()),
                           critical=False)
            .sign(pki.intermediate.key, hashes.SHA256()))
    return Issued(key, cert)
