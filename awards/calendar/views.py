"""The working calendar page: a year's public holidays (from the library) and the announced days the secretariat
adds or removes."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from awards.calendar import permissions, queries, services
from awards.calendar.blueprint import bp
from awards.calendar.forms import CalendarDayForm
from awards.calendar.models import DayKind
from awards.core import clock
from awards.core.forms import VnDateField, perform
from awards.core.permissions import roles_required

WEEKDAYS = (_l("thứ Hai"), _l("thứ Ba"), _l("thứ Tư"), _l("thứ Năm"), _l("thứ Sáu"), _l("thứ Bảy"), _l("Chủ nhật"))


def _year() -> int:
    year = request.args.get("year", type=int) or clock.today().year
    return year if services.FIRST_YEAR <= year <= services.LAST_YEAR else abort(404)


@bp.route("", methods=["GET", "POST"])
@roles_required()
def index():
    """Everyone signed in reads the calendar; only those who may edit see and use the form (POST: 403 else)."""
    year = _year()
    editable = permissions.may_edit(current_user)
    form = CalendarDayForm()
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            day = form.day.data
            if perform(lambda: services.add_day(day=day, kind=form.kind.data, reason=form.reason.data,
                                                source=form.source.data, by=current_user), form,
                       success=_("Đã thêm ngày %(d)s vào lịch.", d=day.strftime("%d/%m/%Y"))):
                return redirect(url_for("calendar.index", year=day.year))
    return render_template("calendar/index.html", year=year, entries=queries.entries(year),
                           law_days=queries.law_days(year), form=form, editable=editable, DayKind=DayKind,
                           weekday_names=WEEKDAYS), (
        400 if form.errors else 200)


@bp.post("/<day>/delete")
@roles_required()
def remove(day):
    when = VnDateField.parse(day) or abort(404)
    if not permissions.may_edit(current_user):
        abort(403)
    outcome = perform(lambda: services.remove_day(when, by=current_user),
                      success=_("Đã xóa ngày %(d)s khỏi lịch.", d=when.strftime("%d/%m/%Y")))
    if not outcome and outcome.status == 404:
        abort(404)
    return redirect(url_for("calendar.index", year=when.year))
