"""What every page shares: the language, template helpers, safe redirects, security headers."""

from datetime import date, datetime
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, session, url_for
from flask_login import current_user
from werkzeug.routing import IntegerConverter, UnicodeConverter

from awards.core.permissions import ROLE_LABELS, Role


def select_locale() -> str:
    """The API follows Accept-Language; pages follow the user's choice; Vietnamese otherwise."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return "vi"
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages, default="vi")
    return session.get("lang") if session.get("lang") in languages else "vi"


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


def init_app(app) -> None:
    # before the blueprints add their rules
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.globals.update(Role=Role, ROLE_LABELS=ROLE_LABELS, public_url=public_url)

    @app.context_processor
    def _user_context():
        return {"current_user": current_user, "lang": select_locale()}

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
        return response
