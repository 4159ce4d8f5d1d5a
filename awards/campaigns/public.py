"""Public campaign pages (no login)."""

from flask import Blueprint

bp = Blueprint("campaigns_public", __name__, url_prefix="/public")

from awards.campaigns import honour_board  # noqa: E402,F401  (the public honour board lives on this blueprint)
