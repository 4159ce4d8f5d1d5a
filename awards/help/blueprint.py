"""The user guide's blueprint (Hướng dẫn sử dụng), open to everyone."""

from flask import Blueprint

bp = Blueprint("help", __name__, url_prefix="/help")
