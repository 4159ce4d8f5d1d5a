"""The language form (POST /lang/<code>) is protected against cross-site requests by its origin or, failing that,
by the form's CSRF token: the cached public pages give an anonymous visitor the form without a token, so that a visit
opens no session (issue 21), and a page of another site still cannot switch anyone's language."""

import pytest

from tests.security.test_web_security import CSRF_REFUSAL


def language(client) -> str:
    return '<html lang="en">' in client.get("/login").get_data(as_text=True) and "en" or "vi"


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin"},  # every current browser, for a form of our own page
    {"Origin": "http://localhost"},  # a browser without Fetch metadata
    {"Origin": "https://localhost:8443"},  # behind nginx, which passes the host's name without the port
    {"Referer": "http://localhost/public/results"},  # one that sends no Origin either
])
def test_a_post_from_our_own_page_switches_without_a_token(app, client, db, headers):
    switched = client.post("/lang/en", data={"next": "/public/results"}, headers=headers)
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/public/results")
    assert language(client) == "en"


@pytest.mark.parametrize("headers", [
    {},  # no origin said: the token is needed, as before
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # another origin of the same site is not this one
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},  # Fetch metadata wins over the Origin
    {"Origin": "https://evil.test"},
    {"Origin": "null"},  # a sandboxed page
    {"Origin": "http://localhost.evil.test"},
    {"Origin": "http://[::1"},  # unreadable
    {"Referer": "https://evil.test/?next=http://localhost/"},
])
def test_a_post_from_elsewhere_needs_the_token(app, client, db, headers):
    refused = client.post("/lang/en", data={"next": "/"}, headers=headers)
    assert refused.status_code == 400 and CSRF_REFUSAL in refused.get_data(as_text=True)
    assert language(client) == "vi"


def test_a_post_from_elsewhere_with_the_visitors_token_still_switches(app, client, db, csrf_token):
    token = csrf_token("/login")
    switched = client.post("/lang/en", data={"csrf_token": token, "next": "/"}, headers={"Origin": "https://x.test"})
    assert switched.status_code == 302 and language(client) == "en"
    wrong = client.post("/lang/vi", data={"csrf_token": token + "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert wrong.status_code == 400 and language(client) == "en"


@pytest.mark.parametrize("path", ["/public/archive", "/public/archive?q=nguyen", "/help/", "/public/results"])
def test_a_visitor_reading_public_pages_gets_no_cookie(app, client, db, path):
    """A visitor who only reads opens no session: the footer's language form carries no token for them (a token
    would be the visit's only use of a session), so no page sets a cookie until they post something."""
    page = client.get(path)
    assert page.status_code == 200, path
    assert "Set-Cookie" not in page.headers, (path, page.headers.get("Set-Cookie"))
    assert 'action="/lang/en"' in page.get_data(as_text=True)
    switched = client.post("/lang/en", data={"next": path}, headers={"Sec-Fetch-Site": "same-origin"})
    assert switched.status_code == 302 and language(client) == "en"
