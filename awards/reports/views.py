"""Reports pages for managers: the dashboard of a year's (or half-year's) figures as SVG charts, each followed
by its data table, and the Excel workbooks downloaded with the browser session (the API serves the same
workbooks to bearer tokens).

Reads only: the figures come from `awards.reports.figures`, registration coverage from the campaigns' queries.
"""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional

from awards.campaigns import queries as campaign_queries
from awards.campaigns.models import Campaign
from awards.catalog import services as catalog
from awards.core import clock
from awards.core.forms import BAD_YEAR
from awards.core.params import int_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.reports import cached, charts, examples, exports, figures, processing, statistics, workbook
from awards.reports.api import XLSX_MIME
from awards.reports.blueprint import bp
from awards.units.models import Unit

TOP_UNITS = 15
LEVELS = ("grassroots", "provincial", "national")
LEVEL_LABELS = {"grassroots": _l("Cấp cơ sở"), "provincial": _l("Cấp tỉnh"), "national": _l("Cấp Nhà nước"),
                "ministerial": _l("Cấp bộ"), "other": _l("Khác")}  # cấp bộ: a stored type's (issue 25)
SHARE_LABELS = {
    "female": _l("Nữ"),
    "young": _l("Dưới 40 tuổi (tính đến 31/12)"),
    "ethnic_minority": _l("Người dân tộc thiểu số"),
    "frontline": _l("Trực tiếp công tác tuyến đầu"),
    "grassroots": _l("Thuộc đơn vị cơ sở"),
}


class DashboardForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter form

    year = IntegerField(_l("Năm"), validators=[Optional(), NumberRange(1945, 2100, message=BAD_YEAR)])
    half = SelectField(_l("Kỳ báo cáo"), choices=lambda: [
        SelectChoice("", _l("Cả năm (theo năm khen thưởng)")),
        SelectChoice("1", _l("6 tháng đầu năm (theo ngày quyết định)")),
        SelectChoice("2", _l("6 tháng cuối năm (theo ngày quyết định)"))], default="")
    campaign = SelectField(_l("Phong trào (tình hình đăng ký)"), choices=[], validate_choice=False, default="")


def period_label(period: figures.Period) -> str:
    if period.half == 1:
        return _("6 tháng đầu năm %(year)s", year=period.year)
    if period.half == 2:
        return _("6 tháng cuối năm %(year)s", year=period.year)
    return _("năm %(year)s", year=period.year)


def _launched_campaigns(year: int) -> list[Campaign]:
    return db.session.scalars(select(Campaign).where(Campaign.year == year, Campaign.status != "draft")
                              .order_by(Campaign.starts_on, Campaign.id)).all()


# --- the figures, shaped for the charts and tables ------------------------------------------------------

def award_rows(by_award: dict[str, int]) -> list[dict]:
    """One row per award type given, by level then in catalogue order (unknown codes last), with its level."""
    types = catalog.types_for(by_award)  # built-in, and stored when the archive holds one (issue 25)
    order = {code: (LEVELS.index(award.level) if award.level in LEVELS else len(LEVELS) - 0.5, i)
             for i, (code, award) in enumerate(types.items())}
    rows = []
    for code in sorted(by_award, key=lambda c: (order.get(c, (len(LEVELS), 0)), c)):
        award = types.get(code)
        rows.append({"code": code, "name": award.name if award else code,
                     "level": award.level if award else "other", "count": by_award[code]})
    return rows


def level_rows(rows: list[dict]) -> list[dict]:
    totals = {level: 0 for level in LEVELS}
    for row in rows:
        totals[row["level"]] = totals.get(row["level"], 0) + row["count"]
    return [{"level": level, "label": str(LEVEL_LABELS[level]), "count": n} for level, n in totals.items()
            if level in LEVELS or n]


def unit_rows(by_unit: dict[str, int]) -> list[dict]:
    """The TOP_UNITS units with most awards (their own and their descendants'), most first, then by name: the
    names of those that can be among them only (the TOP_UNITS-th count and its ties), not of 2,000 units."""
    floor = sorted(by_unit.values(), reverse=True)[TOP_UNITS - 1] if len(by_unit) >= TOP_UNITS else 0
    candidates = [code for code, n in by_unit.items() if n >= floor]
    names = dict(db.session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(candidates))).all())
    ranked = sorted(by_unit.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))[:TOP_UNITS]
    return [{"code": code, "name": names.get(code, code), "count": n} for code, n in ranked]


def coverage_rows(campaigns: list[Campaign]) -> list[dict]:
    rows = []
    for campaign in campaigns:
        coverage = campaign_queries.coverage(campaign)
        rows.append({"campaign": campaign, "expected": coverage["expected"], "registered": coverage["registered"],
                     "share": coverage["registered"] / coverage["expected"] if coverage["expected"] else None})
    return rows


def processing_rows(period: figures.Period) -> dict:
    """Working days per award type against the norms (RULES §6), for the dossiers submitted in the period."""
    times = processing.processing_times(period.start, period.end)
    rows = []
    types = catalog.types_for([item.award_code for item in times.by_award])
    for item in times.by_award:
        award = types.get(item.award_code)
        rows.append({"code": item.award_code, "name": award.name if award else item.award_code,
                     "dossiers": item.dossiers, "pending": item.pending, "returned": item.returned,
                     "appraisal": item.appraisal, "decision": item.decision})
    return {"rows": rows, "total": times.total, "norms": times.norms}


def dashboard_charts(period: figures.Period, summary: figures.Summary, awards: list[dict], levels: list[dict],
                     units: list[dict], coverage: list[dict], times: dict) -> dict:
    label = period_label(period)
    appraised = [(row["name"], times["norms"]["appraisal_days"], row["appraisal"].median) for row in times["rows"]
                 if row["appraisal"].count]
    by_level = [(str(LEVEL_LABELS[level]), [(row["name"], row["count"]) for row in awards if row["level"] == level])
                for level in (*LEVELS, "other")]
    return {
        "processing": charts.paired_bar_chart(
            appraised, title=_("Thời gian thẩm định hồ sơ (trung vị) so với định mức, %(period)s", period=label),
            series=(_("Định mức"), _("Trung vị")), unit_label=_("ngày làm việc")),
        "awards": charts.grouped_bar_chart(
            by_level, title=_("Số khen thưởng theo danh hiệu, hình thức, %(period)s", period=label),
            unit_label=_("khen thưởng"),
            colours=[charts.LEVEL_COLOURS.get(level, charts.GREY) for level in (*LEVELS, "other")
                     if any(row["level"] == level for row in awards)]),
        "levels": charts.bar_chart(
            [(row["label"], row["count"]) for row in levels] if summary.total else [],
            title=_("Số khen thưởng theo cấp, %(period)s", period=label), unit_label=_("khen thưởng")),
        "shares": charts.hbar_shares(
            [(str(SHARE_LABELS[name]), summary.shares[name]) for name in figures.SHARES] if summary.individuals else [],
            title=_("Tỷ lệ trong số khen thưởng cá nhân, %(period)s", period=label)),
        "units": charts.bar_chart(
            [(row["name"], row["count"]) for row in units],
            title=_("Đơn vị có nhiều khen thưởng nhất (gồm đơn vị trực thuộc), %(period)s", period=label),
            unit_label=_("khen thưởng")),
        "coverage": charts.paired_bar_chart(
            [(row["campaign"].title, row["expected"], row["registered"]) for row in coverage],
            title=_("Tình hình đăng ký thi đua theo phong trào năm %(year)s", year=period.year),
            series=(_("Cần đăng ký"), _("Đã đăng ký")), unit_label=_("đơn vị")),
    }


# --- pages ---------------------------------------------------------------------------------------------

@bp.get("/")
@roles_required(*MANAGERS)
def dashboard():
    form = DashboardForm(request.args)
    form.campaign.choices = [SelectChoice("", _("Tất cả phong trào đã phát động trong năm"))]
    if not form.validate():
        return render_template("reports/dashboard.html", form=form, period=None), 400
    year = form.year.data or clock.today().year - 1
    form.year.data = year
    period = figures.Period(year, int(form.half.data) if form.half.data else None)
    campaigns = _launched_campaigns(year)
    form.campaign.choices += [SelectChoice(str(c.id), c.title) for c in campaigns]
    chosen = [c for c in campaigns if str(c.id) == (form.campaign.data or "")]
    if form.campaign.data and not chosen:
        form.campaign.data = ""  # a campaign of another year (the year was changed): show them all
    summary = cached.summary(period)  # the archive's aggregates kept until the archive changes (issue 21)
    awards = award_rows(summary.by_award)
    levels = level_rows(awards)
    units = unit_rows(summary.by_unit)
    coverage = coverage_rows(chosen or campaigns)
    times = processing_rows(period)
    shares = [{"name": name, "label": SHARE_LABELS[name], "count": summary.counts.get(name, 0),
               "share": summary.shares[name]} for name in figures.SHARES]
    return render_template(
        "reports/dashboard.html", form=form, period=period, label=period_label(period), summary=summary,
        collective=summary.total - summary.individuals, awards=awards, levels=levels, units=units,
        coverage=coverage, chosen=chosen[0] if chosen else None, times=times, shares=shares,
        charts=dashboard_charts(period, summary, awards, levels, units, coverage, times),
        made=exports.recent(), LEVEL_LABELS=LEVEL_LABELS, units_limit=TOP_UNITS, number=charts.number,
        percent=charts.percent, examples=examples.example_rows(year),
        EXAMPLE_STATUS={k: str(v) for k, v in examples.STATUS_LABELS.items()},  # translated once, not per unit
        EXAMPLE_BADGES=examples.STATUS_BADGES)


def _year_arg() -> int:
    year = int_arg("year")
    if year is None or not 1945 <= year <= 2100:
        abort(400)
    return year


def _workbook(period: figures.Period, filename: str):
    try:
        data = workbook.build(period)
    except ValueError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("reports.dashboard", year=period.year))
    return Response(data, mimetype=XLSX_MIME, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/annual.xlsx")
@roles_required(*MANAGERS)
def annual_xlsx():
    year = _year_arg()
    return _workbook(figures.Period(year), f"bao-cao-khen-thuong-nam-{year}.xlsx")


@bp.get("/half-year.xlsx")
@roles_required(*MANAGERS)
def half_year_xlsx():
    year, half = _year_arg(), int_arg("half")
    if half not in (1, 2):
        abort(400)
    return _workbook(figures.Period(year, half),
                     f"bao-cao-khen-thuong-{year}-{'6-thang-dau' if half == 1 else '6-thang-cuoi'}.xlsx")


@bp.get("/statistics.xlsx")
@roles_required(*MANAGERS)
def statistics_xlsx():
    """The Ministry of Home Affairs' emulation statistics forms (TT 02/2023/TT-BNV, biểu 0601–0605.N)."""
    year = _year_arg()
    return Response(statistics.statistics_workbook(year), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="thong-ke-tdkt-{year}.xlsx"'})
