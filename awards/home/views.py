"""The home page (/): for each role the work waiting for them; for anyone not signed in, the public home."""

from flask import render_template
from flask_login import current_user

from awards.catalog.services import award_name
from awards.core.permissions import Role
from awards.extensions import db
from awards.home import queries
from awards.home.blueprint import bp
from awards.nominations import outcomes


@bp.get("/")
def index():
    """Signed in: a section per role held (staff, unit officer, council member). Not signed in: results, lists open
    for comment, archive search, honour board, how to send feedback — and "Đăng nhập" in the corner."""
    if not current_user.is_authenticated:
        return render_template("home/public.html", **queries.public_home())
    context = {}
    if current_user.is_manager:
        context["appraisal"], context["preview"] = queries.appraisal_tasks(current_user)
        context["tasks"] = queries.staff_tasks(current_user)
        if db.session.info.pop(outcomes.REFRESHED, False):
            db.session.commit()  # the queue's stale outcomes it refreshed on the way: kept, not redone next time
    if current_user.has_role(Role.unit_officer) and current_user.unit_id:
        context["campaigns"] = queries.officer_campaigns(current_user)
        context["dossiers"] = queries.officer_dossiers(current_user)
        context["results_total"], context["results"] = queries.officer_results(current_user)
    if current_user.has_role(Role.council_member):
        context["member"] = queries.member_sessions(current_user)
    return render_template("home/index.html", award_name=award_name, **context)
