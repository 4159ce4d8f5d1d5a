"""The session cookie and the CSRF token are signed by serializers built once per key (issue 21), which compress
only a long payload: every token and cookie stays what Flask and Flask-WTF read, a form's token and the page's
are one, and a new SECRET_KEY is used at once, the old one read only while it is a fallback."""

from itsdangerous import URLSafeTimedSerializer

from awards.core.web import SigningSerializer
from tests.conftest import CSRF_INPUT
from tests.security.test_web_security import CSRF_REFUSAL


def _tokens(html: str) -> set[str]:
    return {a or b for a, b in CSRF_INPUT.findall(html)}


def test_a_short_value_is_not_compressed_and_both_forms_read_back():
    ours, plain = SigningSerializer("k", salt="wtf-csrf-token"), URLSafeTimedSerializer("k", salt="wtf-csrf-token")
    short, long = "a" * 40, "b" * 400
    assert not ours.dumps(short).startswith(".") and plain.loads(ours.dumps(short)) == short  # Flask-WTF's reader
    assert ours.dumps(long).startswith(".") and plain.loads(ours.dumps(long)) == long  # compressed as before
    assert ours.loads(plain.dumps(long)) == long and len(ours.dumps(long)) < len(long)


def test_the_login_page_has_one_token_for_its_form_and_the_language_form(app, client, db):
    html = client.get("/login").get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 2 and len(_tokens(html)) == 1  # the FlaskForm's and base.html's
    token, = _tokens(html)
    refused = client.post("/login", data={"username": "khong-co", "password": "sai", "csrf_token": token + "x"})
    assert refused.status_code == 400 and CSRF_REFUSAL in refused.get_data(as_text=True)
    wrong = client.post("/login", data={"username": "khong-co", "password": "sai", "csrf_token": token})
    assert wrong.status_code == 200 and CSRF_REFUSAL not in wrong.get_data(as_text=True)  # past the token
    switched = client.post("/lang/en", data={"csrf_token": token, "next": "/login"})
    assert switched.status_code == 302 and '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_a_new_secret_key_signs_at_once_and_the_old_one_is_read_only_as_a_fallback(app, client, db, monkeypatch):
    html = client.get("/login").get_data(as_text=True)
    token, = _tokens(html)
    assert client.post("/lang/en", data={"csrf_token": token, "next": "/login"}).status_code == 302
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    old = app.secret_key
    monkeypatch.setitem(app.config, "SECRET_KEY", old + "-rotated")
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old])
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)  # the old cookie, read with the fallback
    other = app.test_client()
    other.get("/login")
    fresh = other.get_cookie("session").value
    assert URLSafeTimedSerializer(old + "-rotated", salt="cookie-session", signer_kwargs={
        "key_derivation": "hmac", "digest_method": __import__("hashlib").sha1},
        serializer=app.session_interface.serializer).loads(fresh)  # signed with the new key
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page  # the old key no longer read: a new, empty session
