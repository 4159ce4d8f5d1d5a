"""Hướng dẫn sử dụng: the Vietnamese user guide, one page per role, open to everyone (citizens included)."""

from flask import abort, render_template, send_file, url_for

from awards.help import guide
from awards.help.blueprint import bp


def _page_url(name: str) -> str:
    return url_for("help.index") if name == "index" else url_for("help.page", name=name)


def _show(name: str):
    markdown = guide.source(name)
    if markdown is None:
        abort(404)
    title, body = guide.render(markdown, _page_url, lambda image: url_for("help.image", name=image))
    return render_template("help/page.html", title=title, body=body, name=name)


@bp.get("/")
def index():
    return _show("index")


@bp.get("/<name>")
def page(name):
    if name not in guide.PAGES:
        abort(404)
    return _show(name)


@bp.get("/img/<name>")
def image(name):
    path = guide.image_path(name)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/png", max_age=3600)
