"""The administrator's first-run checklist: what a Department has loaded and what is still missing (issue 26)."""

from flask import Blueprint

bp = Blueprint("setup", __name__, url_prefix="/admin")
