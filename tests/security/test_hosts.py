"""Links in feeds, mails and pages come from PUBLIC_BASE_URL, never from the request's Host header; in production
a Host that is not trusted is refused (issue 23, finding 8)."""

import xml.etree.ElementTree as ET

import pytest

from awards import create_app
from config import load_config

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostless_app(app, db):
    """The test app's database, served without SERVER_NAME so that any Host header reaches it, as behind a proxy."""
    other = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "UPLOAD_DIR": app.config["UPLOAD_DIR"], "PUBLIC_BASE_URL": "https://thiduakhenthuong.example.vn"})
    yield other
    with other.app_context():
        from awards.extensions import db as _db

        _db.engine.dispose()


def test_a_forged_host_does_not_reach_the_feed_links(hostless_app):
    response = hostless_app.test_client().get("/public/decisions.atom", headers={"Host": "evil.example"})
    assert response.status_code == 200
    feed = ET.fromstring(response.data)
    assert feed.findtext(f"{ATOM}id") == "https://thiduakhenthuong.example.vn/public/decisions.atom"
    assert b"evil.example" not in response.data
    page = hostless_app.test_client().get("/public/results", headers={"Host": "evil.example"})
    assert b"evil.example" not in page.data
    assert b"https://thiduakhenthuong.example.vn/public/decisions.atom" in page.data


def test_production_trusts_only_the_public_host(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://thiduakhenthuong.example.vn")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    assert load_config("production")["TRUSTED_HOSTS"] == ["thiduakhenthuong.example.vn", "127.0.0.1", "localhost"]
    monkeypatch.setenv("TRUSTED_HOSTS", "a.example, b.example")
    assert load_config("production")["TRUSTED_HOSTS"] == ["a.example", "b.example"]
    assert load_config("development")["TRUSTED_HOSTS"] == ["a.example", "b.example"]
    monkeypatch.delenv("TRUSTED_HOSTS")
    assert load_config("development")["TRUSTED_HOSTS"] is None


def test_an_untrusted_host_gets_400(app, db):
    trusting = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                           "UPLOAD_DIR": app.config["UPLOAD_DIR"], "TRUSTED_HOSTS": ["thiduakhenthuong.example.vn"]})
    client = trusting.test_client()
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "thiduakhenthuong.example.vn"}).status_code == 200
    with trusting.app_context():
        from awards.extensions import db as _db

        _db.engine.dispose()
