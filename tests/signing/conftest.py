"""A test PKI (built once per run), the app trusting its root, and a decision to sign."""

import io
from datetime import date

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from awards.signing import blocking
from tests import factories
from tests.signing import pki as test_pki


@pytest.fixture(scope="session")
def pki():
    return test_pki.build()


@pytest.fixture
def trusted(app, pki, tmp_path, monkeypatch):
    """The app trusts the test root (a folder, as TRUSTED_ROOTS allows)."""
    pki.write_roots(tmp_path / "roots")
    monkeypatch.setitem(app.config, "TRUSTED_ROOTS", str(tmp_path / "roots"))
    return pki


def sign(pki, who: str, data: bytes, timestamper=None) -> bytes:
    """`data` signed by `who` of the test PKI (PAdES, pyHanko), as a leader's signing software would."""
    signer = signers.SimpleSigner.load_pkcs12_data(pki.pkcs12(who), other_certs=[], passphrase=test_pki.PASSPHRASE)
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    return blocking.call(signers.sign_pdf, writer, meta, signer=signer, timestamper=timestamper).getvalue()


def tampered(signed: bytes) -> bytes:
    """An incremental update appended after the signature that changes the page's text."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.content import RawContent

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0]
    content = RawContent(b"BT /F1 24 Tf 100 100 Td (Quyet dinh da bi sua) Tj ET")
    stream = writer.add_object(generic.StreamObject(stream_data=content.data))
    page_obj = page.get_object()
    page_obj["/Contents"] = stream
    writer.update_container(page_obj)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def byte_flipped(signed: bytes) -> bytes:
    """One byte inside the signed content changed (the page's compressed content stream)."""
    at = signed.index(b"stream", signed.index(b"/Contents")) + 20
    return signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1:]


@pytest.fixture
def decision(db, at):
    """A decision of the Sở (a unit that decides) awarding two people, issued by the Sở's staff."""
    from datetime import datetime

    from awards.announcements import decisions
    from awards.core import clock

    at(datetime(2026, 1, 20, 9, 0, tzinfo=clock.VIETNAM))
    province = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BVA", name="Bệnh viện Đa khoa tỉnh", parent=province)
    staff = factories.user("staff", username="thuongtruc")
    dossiers = [factories.nomination(factories.person(unit=hospital, full_name=name), "LDTT", by=staff)
                for name in ("Nguyễn Thị Lan", "Trần Văn Bình")]
    found = decisions.issue_decision(number="125/QĐ-SYT", signed_on=date(2026, 1, 15), signer="Giám đốc Lê Văn Minh",
                                     issuer="Sở Y tế", nomination_ids=[d.id for d in dossiers], by=staff)
    db.session.commit()
    return found
