"""The reports pages' blueprint: the dashboard, the workbooks and the background exports (managers only)."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
