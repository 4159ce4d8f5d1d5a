"""Health and readiness, language and the OpenAPI document."""

from functools import cache

from flask import Blueprint, current_app, jsonify, redirect, request, session
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from awards.core.api import openapi_document
from awards.core.web import check_language_post, safe_next
from awards.extensions import csrf, db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness for the load balancer: the process answers and reaches its database."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("healthz: database unreachable", exc_info=True)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok")


@cache
def migration_heads() -> tuple[str, ...]:
    """The head revision(s) of the migrations shipped with this code (read once per process)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from config import ROOT

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return tuple(sorted(ScriptDirectory.from_config(config).get_heads()))


@bp.get("/readyz")
def readyz():
    """Readiness: the database is migrated to this code's head; 503 (naming both) before `flask db upgrade`."""
    from alembic.migration import MigrationContext

    head = migration_heads()
    try:
        current = tuple(sorted(MigrationContext.configure(db.session.connection()).get_current_heads()))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable", current=None, head=list(head)), 503
    finally:
        db.session.rollback()
    ready = current == head
    return jsonify(status="ok" if ready else "not_ready", current=list(current), head=list(head)), 200 if ready else 503


@bp.get("/api/v1/openapi.json")
def openapi():
    return jsonify(openapi_document("awards — Thi đua, khen thưởng API", "1.0"))


@bp.post("/lang/<code>")
@csrf.exempt  # checked here: by its origin, else its token (core/web.py check_language_post)
def set_language(code):
    """Switch the interface language (vi or en) for this browser session."""
    check_language_post()
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or f"{request.script_root}/")  # the home page
