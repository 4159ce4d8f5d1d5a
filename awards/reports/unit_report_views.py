"""Units report upward (issue 18): "Báo cáo của đơn vị", where an awarding unit's secretariat reads its figures
for the period, writes the narrative and submits it to the Sở (with the workbook of its subtree, kept and
downloadable); and, for the Sở, the table of units × submitted / late with the roll-up of their figures, each
unit's workbook, the consolidated workbook for the province, and the period's deadline."""

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from awards.catalog.types import name_of
from awards.core import clock, uploads
from awards.core.forms import REQUIRED, VnDateField, perform
from awards.core.params import int_arg, text_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.reports import permissions, queries, services
from awards.reports.blueprint import bp
from awards.units.queries import unit_by_code

HALF_LABELS = {1: _l("6 tháng đầu năm"), 2: _l("6 tháng cuối năm"), 0: _l("Cả năm")}


class UnitReportForm(FlaskForm):
    narrative = TextAreaField(_l("Đánh giá công tác thi đua, khen thưởng của kỳ"), validators=[
        Length(max=services.MAX_NARRATIVE, message=_l("Phần đánh giá quá dài."))])
    save = SubmitField(_l("Lưu nháp"))
    send = SubmitField(_l("Nộp báo cáo cho Sở"))


class DeadlineForm(FlaskForm):
    deadline = VnDateField(_l("Hạn nộp báo cáo của kỳ"), validators=[InputRequired(REQUIRED)])
    save = SubmitField(_l("Đặt hạn nộp"))


def _period() -> tuple[int, int]:
    year, half = queries.current_period(clock.today())
    return int_arg("year", year, 1945, 2100), int_arg("half", half, 0, 2)


def _periods(year: int) -> list[tuple[int, int, str]]:
    return [(year, half, f"{HALF_LABELS[half]} {year}") for half in (1, 2, 0)]


@bp.route("/unit-report", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def unit_report():
    year, half = _period()
    scope = permissions.reading_scope(current_user)
    if scope is None:
        code = text_arg("unit")
        if not code:
            return redirect(url_for("reports.unit_reports", year=year, half=half))
        scope = unit_by_code(code) or abort(404)
    if not permissions.may_report_for(current_user, scope):
        abort(403)
    (row,) = queries.status_rows(year, half, only=scope)
    form = UnitReportForm()
    status = 200
    if request.method == "GET" and row.report is not None:
        form.narrative.data = row.report.narrative
    if form.validate_on_submit():
        submit = bool(form.send.data)
        outcome = perform(lambda: services.save_unit_report(scope, year, half, form.narrative.data, submit=submit,
                                                            by=current_user), form,
                          success=_("Đã nộp báo cáo cho Sở.") if submit else _("Đã lưu nháp báo cáo."))
        if outcome:
            return redirect(url_for("reports.unit_report", year=year, half=half,
                                    unit=scope.code if permissions.reading_scope(current_user) is None else None))
        status = outcome.status
    elif request.method == "POST":
        status = 400
    awards = sorted(row.figures.by_award.items(), key=lambda item: -item[1])
    return render_template("reports/unit_report.html", row=row, unit=scope, form=form, year=year, half=half,
                           period=f"{HALF_LABELS[half]} {year}", periods=_periods(year), name_of=name_of,
                           awards=awards, editable=not (row.status == "submitted" and clock.today() > row.due),
                           is_default=queries.deadlines([(year, half)])[(year, half)][1],
                           scoped=permissions.reading_scope(current_user) is not None, vn=clock.VIETNAM), status


@bp.get("/unit-report/workbook")
@roles_required(*MANAGERS)
def unit_report_workbook():
    """The workbook a unit submitted with its report: its own secretariat's, or any unit's for the Sở."""
    year, half = _period()
    code = text_arg("unit")
    unit = (unit_by_code(code) or abort(404)) if code else permissions.reading_scope(current_user) or abort(404)
    upload, name = services.submitted_workbook(unit, year, half, by=current_user)
    return uploads.download(upload, name)


@bp.get("/unit-reports/combined.xlsx")
@roles_required(*MANAGERS)
def combined_workbook():
    """The Sở's report to the province, built from the units' reports and its own offices."""
    year, half = _period()
    data, name = services.consolidated_workbook(year, half, by=current_user)
    return Response(data, mimetype=uploads.KINDS["xlsx"][0],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/unit-reports/deadline")
@roles_required(*MANAGERS)
def set_unit_report_deadline():
    year, half = _period()
    if not permissions.may_set_deadlines(current_user):  # a hospital's desk: not even the Sở's table on a refusal
        abort(403)
    form = DeadlineForm()
    if not form.validate_on_submit():
        return _unit_reports_page(year, half, form), 400
    outcome = perform(lambda: services.set_report_deadline(year, half, form.deadline.data, by=current_user), form,
                      success=_("Đã đặt hạn nộp báo cáo %(p)s: %(d)s.", p=queries.period_label(year, half),
                                d=form.deadline.data.strftime("%d/%m/%Y")))
    if outcome:
        return redirect(url_for("reports.unit_reports", year=year, half=half))
    return _unit_reports_page(year, half, form), outcome.status


@bp.get("/unit-reports")
@roles_required(*MANAGERS)
def unit_reports():
    year, half = _period()
    if permissions.reading_scope(current_user) is not None:
        return redirect(url_for("reports.unit_report", year=year, half=half))
    return _unit_reports_page(year, half, DeadlineForm())


def _unit_reports_page(year: int, half: int, form: DeadlineForm) -> str:
    rows = queries.status_rows(year, half)
    due, is_default = queries.deadlines([(year, half)])[(year, half)]
    if form.deadline.data is None and not form.deadline.raw_data:
        form.deadline.data = due
    totals: dict[str, int] = {}
    for row in rows:
        for code, n in row.figures.by_award.items():
            totals[code] = totals.get(code, 0) + n
    return render_template("reports/unit_reports.html", rows=rows, year=year, half=half,
                           period=f"{HALF_LABELS[half]} {year}", periods=_periods(year), due=due,
                           is_default=is_default, form=form,
                           may_set=permissions.may_set_deadlines(current_user),
                           submitted=sum(1 for r in rows if r.status == "submitted"),
                           late=sum(1 for r in rows if r.late), totals=sorted(totals.items(), key=lambda i: -i[1]),
                           name_of=name_of)
