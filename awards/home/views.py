"""The home page (/) every signed-in user lands on."""

from flask import render_template
from flask_login import login_required

from awards.home.blueprint import bp
from awards.units import queries


@bp.get("/")
@login_required
def index():
    """A greeting, the user's roles and unit, and how many units and people the app knows."""
    return render_template("home/index.html", stats=queries.home_stats())
