"""The nginx examples in deploy/ pass `nginx -t` on Debian 12's nginx 1.22 (issue 26): the HTTP-only bootstrap before
any certificate exists, and the TLS config once certbot has written one (a throwaway self-signed certificate at the
documented paths, under a temporary prefix). `make nginx` installs Debian's nginx when root; otherwise skipped."""

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NAME = "thiduakhenthuong.example.gov.vn"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (`make nginx` as root installs it)")


def _self_signed(live: Path) -> None:
    """fullchain.pem and privkey.pem where certbot puts them, for NAME."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
            .sign(key, hashes.SHA256()))
    live.mkdir(parents=True)
    (live / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (live / "privkey.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.TraditionalOpenSSL,
                                                         serialization.NoEncryption()))


def _nginx_t(tmp_path: Path, site: str) -> subprocess.CompletedProcess:
    """`nginx -t -c` on a main config like Debian's (the site included in `http`), every file it would open moved
    under tmp_path: the certificates' /etc/letsencrypt and the logs' /var/log/nginx."""
    text = (DEPLOY / site).read_text(encoding="utf-8")
    text = text.replace("/etc/letsencrypt/", f"{tmp_path}/letsencrypt/").replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(text, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"worker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    return subprocess.run([NGINX, "-t", "-p", f"{tmp_path}/", "-e", f"{tmp_path}/error.log", "-c",
                           f"{tmp_path}/nginx.conf"], capture_output=True, text=True, timeout=30)


@needs_nginx
def test_the_bootstrap_config_passes_before_any_certificate(tmp_path):
    result = _nginx_t(tmp_path, "nginx-awards-bootstrap.conf")
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr
    assert not (tmp_path / "letsencrypt").exists()


@needs_nginx
def test_the_tls_config_passes_once_certbot_wrote_the_certificate(tmp_path):
    refused = _nginx_t(tmp_path, "nginx-awards.conf")  # before certbot: why the bootstrap step exists
    assert refused.returncode != 0 and "fullchain.pem" in refused.stderr
    _self_signed(tmp_path / "letsencrypt" / "live" / NAME)
    result = _nginx_t(tmp_path, "nginx-awards.conf")
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr and "warn" not in result.stderr


def test_the_tls_config_speaks_http2_as_nginx_1_22_does():
    text = (DEPLOY / "nginx-awards.conf").read_text(encoding="utf-8")
    directives = [line.split("#")[0].strip() for line in text.splitlines()]
    assert "listen 443 ssl http2;" in directives and "listen [::]:443 ssl http2;" in directives
    assert not any(d.startswith("http2 ") for d in directives)  # the directive is nginx ≥ 1.25.1 only
    for site in ("nginx-awards.conf", "nginx-awards-bootstrap.conf"):
        assert "location /.well-known/acme-challenge/ {" in (DEPLOY / site).read_text(encoding="utf-8")
