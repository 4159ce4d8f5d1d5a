"""Feedback cases (ý kiến phản ánh): the list across every public list, and one case with its notes, its
assignment to a member of the secretariat and its resolution. While a case is open its dossier is frozen."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from awards.announcements import queries, services
from awards.announcements.blueprint import bp
from awards.announcements.forms import AssignForm, NoteForm, ResolveForm
from awards.announcements.models import Feedback
from awards.auth.models import User, UserRole
from awards.core.forms import perform
from awards.core.params import int_arg, page_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db

FILTERS = ("open", "resolved", "all")
PER_PAGE = 30


def _case(feedback_id: int) -> Feedback:
    return queries.feedback_by_id(feedback_id) or abort(404)


def _managers() -> list[User]:
    """Who a case may go to: the active accounts of the secretariat (admin, staff)."""
    return list(db.session.scalars(select(User).where(
        User.active.is_(True), User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(MANAGERS))))
        .order_by(User.full_name, User.username)).unique())


def _assign_form(formdata=None) -> AssignForm:
    form = AssignForm(formdata=formdata)
    form.assignee.choices = [("", _("— Chọn cán bộ —"))] + [
        (str(u.id), f"{u.full_name} ({u.username})" if u.full_name else u.username) for u in _managers()]
    return form


def _case_page(case: Feedback, status: int = 200, *, assign_form=None, note_form=None, resolve_form=None):
    forms = {}
    if case.status == "open":
        forms = {"assign_form": assign_form or _assign_form(),
                 "note_form": note_form or NoteForm(formdata=None),
                 "resolve_form": resolve_form or ResolveForm(formdata=None)}
        if case.assignee_id and not forms["assign_form"].assignee.data:
            forms["assign_form"].assignee.data = str(case.assignee_id)
    else:
        forms = {"note_form": note_form or NoteForm(formdata=None)}
    resolved_by = db.session.get(User, case.resolved_by_id) if case.resolved_by_id else None
    return render_template("announcements/case.html", case=case, n=case.nomination, resolved_by=resolved_by,
                           **forms), status


@bp.get("/feedback")
@roles_required(*MANAGERS)
def cases():
    status = request.args.get("status", "open")
    status = status if status in FILTERS else "open"
    mine = request.args.get("mine") == "1"
    announcement_id = int_arg("announcement")
    stmt = queries.feedback_stmt(announcement_id=announcement_id, status=None if status == "all" else status)
    if mine:
        stmt = stmt.where(Feedback.assignee_id == current_user.id)
    page = db.paginate(stmt, page=page_arg(), per_page=PER_PAGE, error_out=False)
    args = {k: v for k, v in (("status", status if status != "open" else None), ("mine", "1" if mine else None),
                              ("announcement", announcement_id)) if v}
    announcement = queries.announcement_by_id(announcement_id) if announcement_id else None
    return render_template("announcements/cases.html", page=page, args=args, status=status, mine=mine,
                           announcement=announcement)


@bp.get("/feedback/<int:feedback_id>")
@roles_required(*MANAGERS)
def case(feedback_id):
    return _case_page(_case(feedback_id))


@bp.post("/feedback/<int:feedback_id>/assign")
@roles_required(*MANAGERS)
def assign(feedback_id):
    case = _case(feedback_id)
    form = _assign_form(request.form)
    if not form.validate_on_submit():
        return _case_page(case, 400, assign_form=form)
    assignee = db.session.get(User, int(form.assignee.data))
    outcome = perform(lambda: services.assign(case, assignee=assignee, by=current_user), form,
                      success=_("Đã giao ý kiến %(r)s cho %(u)s.", r=case.reference,
                                u=assignee.full_name or assignee.username))
    if not outcome:
        return _case_page(_case(feedback_id), outcome.status, assign_form=form)
    return redirect(url_for("announcements.case", feedback_id=feedback_id))


@bp.post("/feedback/<int:feedback_id>/notes")
@roles_required(*MANAGERS)
def add_note(feedback_id):
    case = _case(feedback_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _case_page(case, 400, note_form=form)
    outcome = perform(lambda: services.add_note(case, body=form.body.data, by=current_user), form,
                      success=_("Đã thêm ghi chú."))
    if not outcome:
        return _case_page(_case(feedback_id), outcome.status, note_form=form)
    return redirect(url_for("announcements.case", feedback_id=feedback_id, _anchor="notes"))


@bp.post("/feedback/<int:feedback_id>/resolve")
@roles_required(*MANAGERS)
def resolve(feedback_id):
    case = _case(feedback_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        return _case_page(case, 400, resolve_form=form)
    outcome = perform(lambda: services.resolve(case, resolution=form.resolution.data, outcome=form.outcome.data,
                                               action=form.action.data, by=current_user), form,
                      success=lambda _result: _resolved_message(case))
    if not outcome:
        return _case_page(_case(feedback_id), outcome.status, resolve_form=form)
    return redirect(url_for("announcements.case", feedback_id=feedback_id))


def _resolved_message(case: Feedback) -> str:
    messages = {"none": _("Đã giải quyết ý kiến %(r)s; hồ sơ #%(i)s được tiếp tục xử lý.",
                          r=case.reference, i=case.nomination_id),
                "return": _("Đã giải quyết ý kiến %(r)s và trả lại hồ sơ #%(i)s để đơn vị bổ sung, giải trình.",
                            r=case.reference, i=case.nomination_id),
                "reject": _("Đã giải quyết ý kiến %(r)s và loại hồ sơ #%(i)s.", r=case.reference,
                            i=case.nomination_id)}
    return messages[case.action or "none"]
