"""Prize money pages: the base-salary table (/prizes/base-salaries), the awarding units' reward funds
(/prizes/ledger) and one unit's ledger of a year with its entries and its Excel export."""

from flask import Response, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.core import audit, clock
from awards.core.forms import perform
from awards.core.params import int_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.prizes import permissions, queries, rules, services
from awards.prizes.blueprint import bp
from awards.prizes.forms import AdjustmentForm, AllocationForm, BaseSalaryForm
from awards.prizes.xlsx import kind_label, ledger_workbook
from awards.units import queries as units_queries

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/base-salaries", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def base_salaries():
    form, status = BaseSalaryForm(), 200
    if form.is_submitted():
        status = 400
        if form.validate():
            outcome = perform(lambda: services.add_base_salary(
                effective_from=form.effective_from.data, amount=form.amount.data, source=form.source.data,
                by=current_user), form, success=_("Đã ghi mức lương cơ sở mới."))
            if outcome:
                return redirect(url_for("prizes.base_salaries"))
            status = outcome.status
    return render_template("prizes/base_salaries.html", rows=queries.base_salaries(), form=form,
                           regimes=rules.REGIMES), status


@bp.post("/base-salaries/<int:row_id>/delete")
@roles_required(*MANAGERS)
def remove_base_salary(row_id):
    row = queries.base_salary(row_id) or abort(404)
    perform(lambda: services.remove_base_salary(row, by=current_user), success=_("Đã xóa dòng mức lương cơ sở."))
    return redirect(url_for("prizes.base_salaries"))


@bp.get("/ledger")
@roles_required(*MANAGERS)
def ledger_index():
    """A unit's secretariat goes to its own ledger; the Sở's sees every awarding unit's balance."""
    scope = units_queries.scope_unit(current_user)
    if scope is not None:
        return redirect(url_for("prizes.ledger", unit_code=scope.code))
    units = queries.fund_units(current_user)
    return render_template("prizes/ledger_index.html", units=units, balances=queries.balances(units))


def _unit(unit_code: str):
    """The awarding unit of the URL (404), which the user must keep (403, written to the audit log by the error
    handler)."""
    unit = units_queries.unit_by_code(unit_code)
    if unit is None or not unit.decides_awards:
        abort(404)
    if not permissions.may_keep_fund(current_user, unit):
        abort(403)
    return unit


def _year() -> int:
    """The year shown (?year=), this year by default."""
    return int_arg("year", clock.today().year, 2000, 2100)


def _ledger_page(unit, allocation=None, adjustment=None, status=200):
    ledger = queries.ledger(unit, _year())
    return render_template("prizes/ledger.html", unit=unit, ledger=ledger, years=queries.ledger_years(ledger),
                           kind_label=kind_label, allocation=allocation or AllocationForm(prefix="a"),
                           adjustment=adjustment or AdjustmentForm(prefix="d")), status


@bp.get("/ledger/<unit_code>")
@roles_required(*MANAGERS)
def ledger(unit_code):
    return _ledger_page(_unit(unit_code))


def _record(unit, form, name: str, action, success: str):
    """One entry from the ledger page's form `name` (allocation, adjustment): the service, then back to the year of
    the entry; a refusal shows the page again with the form's messages."""
    if not form.validate_on_submit():
        return _ledger_page(unit, **{name: form}, status=400)
    outcome = perform(action, form, success=success)
    if outcome:
        return redirect(url_for("prizes.ledger", unit_code=unit.code, year=outcome.value.entry_date.year))
    return _ledger_page(unit, **{name: form}, status=outcome.status)


@bp.post("/ledger/<unit_code>/allocations")
@roles_required(*MANAGERS)
def add_allocation(unit_code):
    unit, form = _unit(unit_code), AllocationForm(prefix="a")
    return _record(unit, form, "allocation", lambda: services.record_allocation(
        unit, entry_date=form.entry_date.data, amount=form.amount.data, source=form.source.data, note=form.note.data,
        by=current_user), _("Đã ghi khoản trích lập vào sổ quỹ."))


@bp.post("/ledger/<unit_code>/adjustments")
@roles_required(*MANAGERS)
def add_adjustment(unit_code):
    unit, form = _unit(unit_code), AdjustmentForm(prefix="d")
    return _record(unit, form, "adjustment", lambda: services.record_adjustment(
        unit, entry_date=form.entry_date.data, amount=form.amount.data, note=form.note.data,
        corrects_id=form.corrects_id.data, by=current_user), _("Đã ghi bút toán điều chỉnh."))


@bp.get("/ledger/<unit_code>/export.xlsx")
@roles_required(*MANAGERS)
def ledger_xlsx(unit_code):
    unit, year = _unit(unit_code), _year()
    data = ledger_workbook(queries.ledger(unit, year))
    audit.record("prizes.fund.export", unit, by=current_user, after={"year": year})
    db.session.commit()
    return Response(data, mimetype=XLSX_MIME, headers={
        "Content-Disposition": f"attachment; filename=so-quy-thi-dua-{unit.code}-{year}.xlsx",
        "Cache-Control": "no-store"})
