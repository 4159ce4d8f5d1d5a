"""Councils: the list (managers see all, a member the councils they sit on), one council with its members and
sessions, and creating or changing one (managers only)."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from awards.auth.models import User, UserRole
from awards.core.forms import perform
from awards.core.params import page_arg
from awards.core.permissions import MANAGERS, Role, roles_required
from awards.council import queries, services
from awards.council.blueprint import bp
from awards.council.forms import ROLE_LABELS, CouncilForm, parse_seats
from awards.council.models import Council
from awards.council.permissions import VIEWERS, load_council
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.models import Unit

PER_PAGE = 20
SESSIONS_SHOWN = 20
ACCOUNTS_SHOWN = 300


def _accounts() -> list[User]:
    """Active accounts that may sit on a council, by username: the form's reference list, each with its person's
    unit and the unit above it read in one statement for them all (it was two lazy loads per account's unit: 40
    statements at full scale)."""
    stmt = (select(User).join(UserRole).where(UserRole.role == Role.council_member.value, User.active.is_(True))
            .order_by(User.username).limit(ACCOUNTS_SHOWN))
    accounts = list(db.session.scalars(stmt).unique())
    units = units_queries.load_with_ancestors(ids={a.person.unit_id for a in accounts if a.person is not None})
    for account in accounts:  # tie each person to its unit (the session keeps a unit only while referred to)
        if account.person is not None:
            set_committed_value(account.person, "unit", units.get(account.person.unit_id))
    return accounts


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
    return render_template("council/council_form.html", form=form, council=None, accounts=_accounts()), status


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
    return render_template("council/council_form.html", form=form, council=council, accounts=_accounts()), status
