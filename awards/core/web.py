"""What every page shares: the language, template helpers, safe redirects, security headers."""

import hashlib
import os
from datetime import date, datetime
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.url_safe import URLSafeSerializerMixin
from werkzeug.routing import IntegerConverter, UnicodeConverter

from awards.core.permissions import ROLE_LABELS, Role


def select_locale() -> str:
    """The API follows Accept-Language; pages follow the user's choice; Vietnamese otherwise."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return "vi"
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages, default="vi")
    chosen = session.get("lang")
    return chosen if chosen in languages else "vi"


def posted_from_this_site() -> bool:
    """The browser says this request came from one of this site's own pages: Sec-Fetch-Site (every current
    browser) is `same-origin`, or, without it, the Origin (else the Referer, which Referrer-Policy: same-origin
    sends to us) names this host (its name: nginx passes the Host without the port). A page of another site
    cannot forge these headers."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if origin is None:
        origin = request.headers.get("Referer")
    if not origin:
        return False
    try:
        ours = urlsplit(f"//{request.host}").hostname
        return ours is not None and urlsplit(origin).hostname == ours
    except ValueError:  # an unreadable header (a bad port, a stray bracket): not shown to be ours
        return False


def check_language_post() -> None:
    """CSRF for the language form (POST /lang/<code>, exempt from CSRFProtect's own check): a POST from this
    site's pages passes by its origin, any other needs the form's token as every form does (CSRFError: 400).
    The cached public pages give an anonymous visitor the form without a token, so that a visit opens no session
    and sets no cookie (issue 21): a token would be the visit's only use of the session."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True) or posted_from_this_site():
        return
    from awards.extensions import csrf

    csrf.protect()


class SigningSerializer(URLSafeTimedSerializer):
    """itsdangerous' URL-safe timed serializer (the session cookie's, the CSRF token's), which tries zlib on every
    payload and keeps the result when shorter: here only on a payload of COMPRESS_FROM bytes or more. A new
    visitor's session and token are ~60 bytes, which zlib never shortens, and setting up its state for them was an
    eighth of a cached page's CPU (issue 21). Its `loads` reads both forms, so every value stays readable."""

    COMPRESS_FROM = 128

    def dump_payload(self, obj) -> bytes:
        json = super(URLSafeSerializerMixin, self).dump_payload(obj)  # the serializer's bytes, as the mixin reads
        if len(json) >= self.COMPRESS_FROM:
            return super().dump_payload(obj)
        return base64_encode(json)


def csrf_token() -> str:
    """This visitor's CSRF token: Flask-WTF's `generate_csrf` (the same raw token in the session, the same signed
    form, which its `validate_csrf` checks, the same per-request copy in `g`), with the signer built once per key
    instead of on every call (its constructor serializes a probe value: issue 21, a tenth of a cached page's CPU)."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    if field in g or not secret:
        return generate_csrf()  # this request's token already made, or no key: Flask-WTF's own answer or error
    cached = current_app.extensions.get("csrf_serializer")
    if cached is None or cached[0] != secret:
        cached = current_app.extensions["csrf_serializer"] = (secret, SigningSerializer(secret, salt="wtf-csrf-token"))
    if not isinstance(session.get(field), str):
        session[field] = hashlib.sha1(os.urandom(64)).hexdigest()
    token = cached[1].dumps(session[field])
    setattr(g, field, token)
    return token


def vn_date(value) -> str:
    """dd/mm/yyyy, as Vietnamese forms write dates."""
    if isinstance(value, datetime):
        from flask_babel import to_user_timezone

        return to_user_timezone(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return ""


def safe_next(target: str | None) -> str | None:
    """A local path to go back to, never another site."""
    if not target:
        return None
    path = urlsplit(target)
    if path.scheme or path.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def public_url(endpoint: str, **values) -> str:
    """An absolute link for feeds, mails and the public addresses pages show: PUBLIC_BASE_URL and the route's path,
    never the request's Host header, which the client chooses (a forged one would land in a cached feed)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


class IdConverter(IntegerConverter):
    """`<int:…>` in a URL: at most 9 digits. A longer number, which no row can have (ids are PostgreSQL
    `integer`, at most 2,147,483,647), does not match: a 404, not a database overflow (500). Refused by the
    pattern rather than by a maximum, since werkzeug answers a failed conversion on a path with other methods
    with a 405."""

    regex = r"\d{1,9}"


class TextConverter(UnicodeConverter):
    """`<code>` in a URL: one path segment without a NUL character (PostgreSQL text cannot hold one: a 404,
    not a database error)."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")


SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
)


def init_app(app) -> None:
    # before the blueprints add their rules
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.globals.update(Role=Role, ROLE_LABELS=ROLE_LABELS, public_url=public_url)
    app.jinja_env.globals["csrf_token"] = csrf_token  # after CSRFProtect's init_app, which set generate_csrf

    @app.context_processor
    def _user_context():
        return {"current_user": current_user, "lang": select_locale()}

    @app.after_request
    def _security_headers(response):
        """SECURITY_HEADERS on every response, each unless the view set its own (one pass over the headers: a
        lookup that misses raises and catches a KeyError inside werkzeug)."""
        present = {name.lower() for name, _value in response.headers}
        response.headers.extend([(name, value) for name, value in SECURITY_HEADERS if name.lower() not in present])
        return response
