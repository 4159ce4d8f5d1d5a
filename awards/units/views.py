"""Pages for the unit tree and its people."""

from flask import Blueprint, render_template

from awards.core.permissions import roles_required

bp = Blueprint("units", __name__)


@bp.get("/units")
@roles_required()
def units():
    return render_template("home.html", stats={})


@bp.get("/people")
@roles_required()
def people():
    return render_template("home.html", stats={})
