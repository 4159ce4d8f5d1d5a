"""Campaign pages for staff and units: list, create, edit, launch, close, coverage, reviews."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

# registration pages and advanced examples live on this blueprint, in their own modules
from awards.campaigns import example_views, registration_views  # noqa: E402,F401
