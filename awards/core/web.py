"""What every page shares: the language, template helpers, security headers."""

from datetime import date, datetime

from flask import current_app, has_request_context, request, session
from flask_login import current_user

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


def init_app(app) -> None:
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.globals.update(Role=Role, ROLE_LABELS=ROLE_LABELS)

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
