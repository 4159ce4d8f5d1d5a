"""Errors: JSON with the CONTRACT body under /api/, friendly Vietnamese pages elsewhere."""

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from awards.core import audit
from awards.core.api import ApiError, domain_error_response, error_response, is_api_request
from awards.core.db import DomainError


def _log_refusal(status: int) -> None:
    """Permission refusals go to the audit log, in a transaction of their own."""
    from flask import request

    from awards.extensions import db

    db.session.rollback()
    if is_api_request():  # the token's user, not a browser session that happens to ride along
        from flask import g

        user = g.get("api_user")
    else:
        user = current_user if current_user and current_user.is_authenticated else None
    count = _refusals_counted(user)
    if not _written_at(count):
        return
    audit.record("access.denied", by=user, object_type="route", object_id=request.path[:80],
                 after={"refusals_in_window": count} if count > 1 else None)
    db.session.commit()


REFUSAL_WINDOW = 600  # seconds over which one actor's refusals are counted together


def _refusals_counted(user) -> int:
    """How many refusals this actor (account, or address when signed out) has met in the current window, counted in
    the limiter's storage (shared between instances when REDIS_URL is set); 1 when it cannot count."""
    from flask import request

    from awards.extensions import limiter

    actor = f"user:{user.id}" if user is not None else f"ip:{request.remote_addr}"
    try:
        return int(limiter.storage.incr(f"awards/refusals/{actor}", REFUSAL_WINDOW))
    except Exception:  # noqa: BLE001  (no storage: every refusal is written, as before)
        return 1


def _written_at(count: int) -> bool:
    """A refusal is written the 1st, 10th, 100th… time in a window: a flood of 10,000 refusals is 5 rows, each
    saying how many came before it, instead of 10,000 writes."""
    while count % 10 == 0:
        count //= 10
    return count == 1


def _no_routes() -> bool:
    """True when the request could not be routed at all (Flask built no URL adapter: a Host not in TRUSTED_HOSTS)."""
    from flask.globals import request_ctx

    return request_ctx.url_adapter is None


def _page(status: int, message=None):
    template = status if status in (400, 403, 404, 405, 409, 413, 429, 500) else 500
    return render_template(f"errors/{template}.html", status=status, message=message), status


RETRY_AFTER = 30  # seconds: a restarted database or a failed-over primary is usually back by then


def _unavailable():
    """The database cannot be reached: 503 with Retry-After, on a page that needs no database (no base.html,
    whose menu reads the signed-in user)."""
    message = _("Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.")
    if is_api_request():
        response, status = error_response(503, message, code="service_unavailable")
    else:
        response, status = render_template("errors/503.html", message=message), 503
    return response, status, {"Retry-After": str(RETRY_AFTER)}


def init_app(app) -> None:
    @app.errorhandler(OperationalError)
    @app.errorhandler(DisconnectionError)
    @app.errorhandler(PoolTimeout)  # every pooled connection busy for DB_POOL_TIMEOUT: overloaded, try again
    def _database_down(exc):
        from awards.extensions import db

        app.logger.error("database unavailable: %s", exc)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001  (the connection is gone: nothing to undo)
            db.session.close()
        return _unavailable()

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        if exc.status == 403:
            _log_refusal(403)
        return error_response(exc.status, exc.message, code=exc.code, fields=exc.fields)

    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        from awards.extensions import db

        db.session.rollback()
        if is_api_request():
            return domain_error_response(exc)
        return _page(exc.status, exc.message)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc):
        if is_api_request():
            return error_response(400, exc.description, code="csrf_failed", fields={})
        return _page(400, "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang.")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        if _no_routes():  # an untrusted Host header: no URL can be built, so no page with links either
            return exc.description or "Bad Request", status, {"Content-Type": "text/plain; charset=utf-8"}
        if status == 403:
            _log_refusal(403)
        if is_api_request():
            response = error_response(status, code="invalid_json" if status == 400 else None, fields={})
            if status == 429 and exc.get_response().headers.get("Retry-After"):
                response[0].headers["Retry-After"] = exc.get_response().headers["Retry-After"]
            return response
        return _page(status)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        from awards.extensions import db

        db.session.rollback()
        app.logger.exception("unhandled error")
        if is_api_request():
            return error_response(500)
        return _page(500) if not isinstance(exc, HTTPException) else _http_error(InternalServerError())
