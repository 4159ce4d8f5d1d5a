"""Councils: the list (managers see all, a member the councils they sit on), one council with its members and
sessions, and creating or changing one (managers only)."""

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from awards.core.api import error_response
from awards.core.forms import perform
from awards.core.params import page_arg, text_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.council import account_picker, queries, services
from awards.council.blueprint import bp
from awards.council.forms import ROLE_LABELS, CouncilForm, parse_seats
from awards.council.models import Council
from awards.council.permissions import VIEWERS, load_council
from awards.extensions import db
from awards.units.models import Unit

PER_PAGE = 20
SESSIONS_SHOWN = 20


def _accounts(form: CouncilForm) -> dict:
    """What the form shows of accounts (issue 21: it carried every council account, 114–120 KB a page at province
    scale): those it names — its chair and seats, with their names and units, so the secretary sees who each
    username is — and the picker's suggestions, those plus the accounts of the council's unit (at most 30). The
    rest is found by typing (`account_lookup`). Seat lines are read loosely here (their first word): parse_seats and
    the service judge them."""
    usernames = [form.chair_username.data or ""]
    usernames += [line.split()[0] for line in (form.seats.data or "").splitlines() if line.strip()]
    chosen = account_picker.named(usernames)
    return {"chosen": chosen, "suggested": account_picker.suggestions(form.unit_code.data, chosen)}


def _seat_lines(council: Council) -> str:
    return "\n".join(f"{m.user.username} {ROLE_LABELS[m.role]}" for m in council.members if m.role != "chair")


def _save(form: CouncilForm, council: Council | None, success):
    """One service call; a refusal shown on the form's field (the API's member_usernames are its seats)."""
    return perform(lambda: services.save_council(
        code=form.code.data, name=form.name.data, unit_code=form.unit_code.data,
        chair_username=form.chair_username.data, members=parse_seats(form.seats.data), term_from=form.term_from.data,
        term_to=form.term_to.data, council=council, recusal_scope=form.recusal_scope.data,
        recused_count=form.recused_count.data, by=current_user), form, success=success,
        fields={"member_usernames": "seats"})


@bp.get("/accounts/lookup")
def account_lookup():
    """The account picker's list (JSON, for those who manage councils): accounts that may sit on a council whose
    username starts with `q` or whose person's name (diacritics or not) or unit has words starting with its words;
    at most 20, each {username, name, unit, bound}."""
    if not current_user.is_authenticated:
        return error_response(401, _("Hãy đăng nhập để tìm tài khoản."))
    if not account_picker.may_look_up(current_user):
        return error_response(403)
    if "q" not in request.args:
        return error_response(400, _("Thiếu nội dung cần tìm."), fields={"q": _("Trường này là bắt buộc.")})
    q = text_arg("q").strip()
    if len(q) > account_picker.MAX_QUERY:
        return error_response(400, _("Nội dung cần tìm quá dài."),
                              fields={"q": _("Tối đa %(max)d ký tự.", max=account_picker.MAX_QUERY)})
    return jsonify([account.as_json() for account in account_picker.lookup(q)])


@bp.get("/councils")
@roles_required(*VIEWERS)
def councils():
    # each row shows its members (chair, count, unbound accounts) and its unit with the one above: read for the
    # page at once, not per council (45 statements for a province's page of councils before)
    stmt = queries.councils_stmt(current_user).options(
        selectinload(Council.members), joinedload(Council.unit).joinedload(Unit.parent))
    page = db.paginate(stmt, page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template("council/councils.html", page=page)


@bp.get("/councils/<code>")
@roles_required(*VIEWERS)
def council(code):
    council = load_council(code, current_user)
    sessions = db.session.scalars(queries.sessions_stmt(current_user, council.id).limit(SESSIONS_SHOWN)).all()
    return render_template("council/council.html", council=council, sessions=sessions)


@bp.route("/councils/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create_council():
    form = CouncilForm()
    if not form.is_submitted() and current_user.unit_code:
        form.unit_code.data = current_user.unit_code
    status = 200
    if form.validate_on_submit():
        outcome = _save(form, None, lambda council: _("Đã lập hội đồng “%(n)s”.", n=council.name))
        if outcome:
            return redirect(url_for("council.council", code=outcome.value.code))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("council/council_form.html", form=form, council=None, **_accounts(form)), status


@bp.route("/councils/<code>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_council(code):
    council = load_council(code, current_user)
    form = CouncilForm(obj=council)
    form.unit_code.keep.add(council.unit.code)  # its unit, closed since, stays accepted
    if not form.is_submitted():
        form.unit_code.data = council.unit.code
        form.chair_username.data = next((m.user.username for m in council.members if m.role == "chair"), "")
        form.seats.data = _seat_lines(council)
    status = 200
    if form.validate_on_submit():
        outcome = _save(form, council, lambda saved: _(
            "Đã lưu hội đồng “%(n)s”. Các phiên họp đã mở giữ danh sách thành viên lúc mở.", n=saved.name))
        if outcome:
            return redirect(url_for("council.council", code=outcome.value.code))
        status, council = outcome.status, load_council(code, current_user)
    elif form.is_submitted():
        status = 400
    return render_template("council/council_form.html", form=form, council=council, **_accounts(form)), status
