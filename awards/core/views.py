"""Home, health, language and the OpenAPI document."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import login_required
from sqlalchemy import text

from awards.core.api import openapi_document
from awards.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
@login_required
def home():
    from awards.units import queries

    return render_template("home.html", stats=queries.home_stats())


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


@bp.get("/api/v1/openapi.json")
def openapi():
    return jsonify(openapi_document("awards — Thi đua, khen thưởng API", "1.0"))


@bp.post("/lang/<code>")
def set_language(code):
    """Switch the interface language (vi or en) for this browser session."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("core.home"))


def safe_next(target: str | None) -> str | None:
    """A local path to go back to, never another site."""
    if not target:
        return None
    path = urlsplit(target)
    if path.scheme or path.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
