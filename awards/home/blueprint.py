"""The home page's blueprint: each role's waiting work, and the public home for visitors."""
from flask import Blueprint

bp = Blueprint("home", __name__)
