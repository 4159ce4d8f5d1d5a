"""The working calendar's page blueprint."""

from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
