"""Signing a PDF here (PAdES baseline, pyHanko) with the key the administrator configured: a PKCS#12 file
(SIGNING_PKCS12, its passphrase in SIGNING_PKCS12_PASSPHRASE) or a PKCS#11 token (SIGNING_PKCS11_MODULE, the
token's label, the key's label, the PIN: a USB token's or an HSM's driver library, through python-pkcs11);
with a timestamp from SIGNING_TSA_URL when it is set (RFC 3161 over HTTP). docs/DEPLOY.md lists the settings.

pyHanko (~26 MB with aiohttp and its certificate validator) is imported when a PDF is signed, not when the app
starts: a web worker that never signs never loads it (issue 21)."""

import io
from dataclasses import dataclass

from flask_babel import gettext as _

from awards.core.db import DomainError
from awards.signing import blocking

FIELD = "ChuKySo"


class SigningUnavailable(DomainError):
    """No key is configured on this server (or it cannot be opened): 503, the page says to upload instead."""

    status = 503
    code = "signing_unavailable"


@dataclass
class SigningSettings:
    pkcs12: str = ""
    passphrase: str = ""
    pkcs11_module: str = ""
    pkcs11_token: str = ""
    pkcs11_key: str = ""
    pkcs11_cert: str = ""
    pkcs11_pin: str = ""
    tsa_url: str = ""

    @classmethod
    def from_config(cls, config) -> "SigningSettings":
        return cls(pkcs12=config.get("SIGNING_PKCS12") or "", passphrase=config.get("SIGNING_PKCS12_PASSPHRASE") or "",
                   pkcs11_module=config.get("SIGNING_PKCS11_MODULE") or "",
                   pkcs11_token=config.get("SIGNING_PKCS11_TOKEN") or "",
                   pkcs11_key=config.get("SIGNING_PKCS11_KEY") or "",
                   pkcs11_cert=config.get("SIGNING_PKCS11_CERT") or "",
                   pkcs11_pin=config.get("SIGNING_PKCS11_PIN") or "", tsa_url=config.get("SIGNING_TSA_URL") or "")

    @property
    def configured(self) -> bool:
        return bool(self.pkcs12 or self.pkcs11_module)


def _sign_with(signer, data: bytes, settings: SigningSettings) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # on first signing (module docstring)
    from pyhanko.sign import fields, signers, timestamps

    stamper = timestamps.HTTPTimeStamper(settings.tsa_url) if settings.tsa_url else None
    meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                        reason="Ký số quyết định khen thưởng", md_algorithm="sha256")
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    return blocking.call(signers.sign_pdf, writer, meta, signer=signer, timestamper=stamper).getvalue()


def _pkcs12_signer(settings: SigningSettings):
    from pyhanko.sign import signers  # on first signing (the module's docstring)

    try:
        with open(settings.pkcs12, "rb") as handle:
            blob = handle.read()
    except OSError as exc:
        raise SigningUnavailable(_("Không đọc được tệp khóa ký số (SIGNING_PKCS12): %(e)s.", e=exc.strerror)) from None
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(blob, other_certs=[],
                                                       passphrase=settings.passphrase.encode() or None)
    except ValueError:
        signer = None
    if signer is None:
        raise SigningUnavailable(_("Không mở được tệp khóa ký số (SIGNING_PKCS12): sai mật khẩu hoặc tệp hỏng."))
    return signer


def sign_pdf(data: bytes, settings: SigningSettings) -> bytes:
    """`data` signed with the configured key (PKCS#12 first, else the PKCS#11 token)."""
    if settings.pkcs12:
        return _sign_with(_pkcs12_signer(settings), data, settings)
    if settings.pkcs11_module:
        return _sign_pkcs11(data, settings)
    raise SigningUnavailable(_("Máy chủ chưa được cấu hình khóa ký số (SIGNING_PKCS12 hoặc SIGNING_PKCS11_MODULE): "
                               "hãy ký bằng phần mềm ký số của đơn vị rồi tải tệp đã ký lên."))


def _sign_pkcs11(data: bytes, settings: SigningSettings) -> bytes:
    try:
        from pyhanko.sign import pkcs11
    except ImportError:
        raise SigningUnavailable(_("Chưa cài thư viện python-pkcs11 để dùng thiết bị ký số (PKCS#11).")) from None
    try:
        from pyhanko.config.pkcs11 import TokenCriteria

        criteria = TokenCriteria(label=settings.pkcs11_token) if settings.pkcs11_token else None
        session = pkcs11.open_pkcs11_session(settings.pkcs11_module, token_criteria=criteria,
                                             user_pin=settings.pkcs11_pin or None)
    except Exception as exc:  # the driver's own errors: no token, wrong PIN, missing library
        raise SigningUnavailable(_("Không mở được thiết bị ký số (PKCS#11): %(e)s.", e=str(exc)[:200] or
                                   type(exc).__name__)) from None
    try:
        # every certificate on the token is embedded (other_certs_to_pull=None): tokens carry their CA chain, which
        # a verifier needs to reach its trusted root
        signer = pkcs11.PKCS11Signer(session, key_label=settings.pkcs11_key or None,
                                     cert_label=settings.pkcs11_cert or settings.pkcs11_key or None,
                                     other_certs_to_pull=None)
        return _sign_with(signer, data, settings)
    finally:
        session.close()
