"""Units and people over the JSON API (CONTRACT §4)."""

from flask import Blueprint

from awards.extensions import csrf

bp = Blueprint("units_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
