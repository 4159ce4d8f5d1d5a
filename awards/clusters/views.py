"""Cluster pages: the list, a cụm or khối's year (members, pledge, scoring table, vote), and its actions.

Every view: load (404/403) → guard → validate → one service call through perform() → redirect or render. The
secretariat runs every cluster; a unit officer sees their unit's clusters, signs and scores itself."""

from flask import Response, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from awards.clusters import permissions, queries, services
from awards.clusters.blueprint import bp
from awards.clusters.forms import ClusterForm, CriteriaForm, SignForm, proposal_choices, score_form, vote_form
from awards.clusters.models import Cluster
from awards.clusters.permissions import load_cluster
from awards.clusters.xlsx import XLSX_MIME, scoring_workbook
from awards.core import audit, uploads
from awards.core.forms import perform
from awards.core.params import int_arg, page_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.units import queries as units_queries

PER_PAGE = 20
ACTIONS = {  # POST /clusters/<id>/<action>: one service each, the staff's buttons on the cluster's page
    "lock": (services.lock_pledge, _l("Đã khóa giao ước thi đua.")),
    "open-scoring": (services.open_scoring, _l("Đã mở chấm điểm: các đơn vị tự chấm, cụm, khối chấm từng đơn vị.")),
    "rank": (services.rank_cluster, _l("Đã xếp hạng. Ghi nhận kết quả bình bầu đơn vị dẫn đầu.")),
    "reopen-scoring": (services.reopen_scoring, _l("Đã mở lại chấm điểm.")),
    "close": (services.close_cluster, _l("Đã kết thúc năm thi đua của cụm, khối.")),
}


def _guard_lists() -> None:
    if not permissions.may_read_lists(current_user):
        abort(403)


def _values(form: ClusterForm) -> dict:
    return {"name": form.name.data, "kind": form.kind.data, "year": form.year.data,
            "member_codes": form.member_codes.data or [], "leader_code": form.leader_code.data or None}


def _detail(cluster: Cluster, status: int = 200, **forms):
    table = queries.scoring_table(cluster)
    own = permissions.own_unit_id(current_user)
    context = {"cluster": cluster, "table": table, "own_member": cluster.member_for(own),
               "may_score_cluster": permissions.may_score_cluster(current_user, cluster),
               "sign_form": forms.get("sign_form") or SignForm()}
    return render_template("clusters/detail.html", **context), status


@bp.get("")
@roles_required()
def index():
    _guard_lists()
    year = int_arg("year")
    unit_id = None if current_user.is_manager else permissions.own_unit_id(current_user)
    page = db.paginate(queries.clusters_stmt(year, unit_id), page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template("clusters/index.html", page=page, args={"year": year} if year else {})


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create():
    form = ClusterForm()
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.create_cluster(by=current_user, **_values(form)), form,
                          success=_("Đã tạo cụm, khối thi đua (bản nháp). Tiếp theo: soạn tiêu chí giao ước."))
        if outcome:
            return redirect(url_for("clusters.criteria", cluster_id=outcome.value.id))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("clusters/form.html", form=form, cluster=None), status


@bp.route("/<int:cluster_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(cluster_id):
    cluster = load_cluster(cluster_id, current_user)
    form = ClusterForm(obj=cluster)
    members = [u.code for u in cluster.member_units]
    form.member_codes.keep.update(members)  # a member closed since stays accepted, as the leader does
    form.leader_code.keep.update(members)
    if not form.is_submitted():
        form.member_codes.data = members
        form.leader_code.data = cluster.leader.code if cluster.leader else ""
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.update_cluster(cluster, by=current_user, **_values(form)), form,
                          success=_("Đã lưu cụm, khối thi đua."))
        if outcome:
            return redirect(url_for("clusters.detail", cluster_id=cluster.id))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("clusters/form.html", form=form, cluster=cluster), status


@bp.route("/<int:cluster_id>/criteria", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def criteria(cluster_id):
    cluster = load_cluster(cluster_id, current_user)
    form = CriteriaForm()
    if not form.is_submitted():
        form.criteria.data = CriteriaForm.text_of(cluster.criteria)
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.set_criteria(cluster, form.items, by=current_user), form,
                          fields={"criteria": "criteria"}, success=_("Đã lưu tiêu chí của giao ước thi đua."))
        if outcome:
            return redirect(url_for("clusters.detail", cluster_id=cluster.id))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("clusters/criteria.html", form=form, cluster=cluster), status


@bp.get("/<int:cluster_id>")
@roles_required()
def detail(cluster_id):
    return _detail(load_cluster(cluster_id, current_user))


@bp.post("/<int:cluster_id>/sign/<unit_code>")
@roles_required()
def sign(cluster_id, unit_code):
    cluster = load_cluster(cluster_id, current_user)
    unit = units_queries.unit_by_code(unit_code) or abort(404)
    form = SignForm()
    if not form.validate_on_submit():
        return _detail(cluster, 400, sign_form=form)
    outcome = perform(lambda: services.sign_pledge(cluster, unit, signer_name=form.signer_name.data,
                                                   by=current_user), form,
                      success=_("%(u)s đã ký giao ước thi đua.", u=unit.name))
    if not outcome:
        return _detail(cluster, outcome.status, sign_form=form)
    return redirect(url_for("clusters.detail", cluster_id=cluster.id))


@bp.post("/<int:cluster_id>/<any(lock, 'open-scoring', rank, 'reopen-scoring', close):action>")
@roles_required(*MANAGERS)
def act(cluster_id, action):
    cluster = load_cluster(cluster_id, current_user)
    service, message = ACTIONS[action]
    outcome = perform(lambda: service(cluster, by=current_user), success=str(message))
    if not outcome:
        return _detail(cluster, outcome.status)
    return redirect(url_for("clusters.detail", cluster_id=cluster.id))


@bp.route("/<int:cluster_id>/scores/<any(self, cluster):kind>/<unit_code>", methods=["GET", "POST"])
@roles_required()
def score(cluster_id, kind, unit_code):
    cluster = load_cluster(cluster_id, current_user)
    unit = units_queries.unit_by_code(unit_code) or abort(404)
    member = cluster.member_for(unit.id) or abort(404)
    allowed = (permissions.may_act_for(current_user, cluster, unit.id) if kind == "self"
               else permissions.may_score_cluster(current_user, cluster))
    if not allowed:
        abort(403)
    found = queries.scores(cluster)
    form = score_form(cluster.criteria, {c.id: found.get((member.id, c.id, kind)) for c in cluster.criteria
                                         if (member.id, c.id, kind) in found})
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.submit_scores(cluster, unit, kind, form.points(), by=current_user), form,
                          fields={f"points.{c.id}": f"c{c.id}" for c in cluster.criteria},
                          success=_("Đã lưu điểm của %(u)s.", u=unit.name))
        if outcome:
            return redirect(url_for("clusters.detail", cluster_id=cluster.id, _anchor="scores"))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("clusters/score.html", form=form, cluster=cluster, unit=unit, kind=kind), status


@bp.route("/<int:cluster_id>/vote", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def vote(cluster_id):
    cluster = load_cluster(cluster_id, current_user)
    form = vote_form(cluster.members, proposal_choices())
    status = 200
    if form.validate_on_submit():
        def record():
            minutes = None
            if form.minutes.data:
                minutes = uploads.store(form.minutes.data.read(), form.minutes.data.filename or "",
                                        allowed=uploads.DOCUMENTS, by=current_user)
            return services.record_vote(cluster, voted_on=form.voted_on.data, voters=form.voters.data,
                                        counts=form.counts(), proposed_award_code=form.proposed_award_code.data,
                                        proposed_unit_code=form.proposed_unit_code.data or None, minutes=minutes,
                                        note=form.note.data or "", by=current_user)

        outcome = perform(record, form, file_field="minutes", fields={"counts": "voters"},
                          success=lambda v: _("Đơn vị dẫn đầu: %(u)s.", u=v.leading_unit.name))
        if outcome:
            return redirect(url_for("clusters.detail", cluster_id=cluster.id, _anchor="vote"))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("clusters/vote.html", form=form, cluster=cluster,
                           table=queries.scoring_table(cluster)), status


@bp.post("/<int:cluster_id>/copy")
@roles_required(*MANAGERS)
def copy(cluster_id):
    cluster = load_cluster(cluster_id, current_user)
    outcome = perform(lambda: services.copy_to_next_year(cluster, by=current_user),
                      success=lambda c: _("Đã chép sang năm %(y)s; trưởng cụm, khối mới: %(u)s.", y=c.year,
                                          u=c.leader.name if c.leader else "—"))
    if not outcome:
        return _detail(cluster, outcome.status)
    return redirect(url_for("clusters.detail", cluster_id=outcome.value.id))


@bp.get("/<int:cluster_id>/scores.xlsx")
@roles_required()
def export(cluster_id):
    cluster = load_cluster(cluster_id, current_user)
    data = scoring_workbook(cluster)
    audit.record("cluster.export", cluster, by=current_user, after={"members": len(cluster.members)})
    db.session.commit()
    return Response(data, mimetype=XLSX_MIME, headers={
        "Content-Disposition": f"attachment; filename=bang-diem-cum-khoi-{cluster.id}-{cluster.year}.xlsx"})


@bp.get("/<int:cluster_id>/minutes")
@roles_required()
def minutes(cluster_id):
    cluster = load_cluster(cluster_id, current_user)
    if cluster.vote is None or cluster.vote.minutes is None:
        abort(404)
    return uploads.download(cluster.vote.minutes, f"bien-ban-binh-bau-{cluster.id}")
