"""Reports over the JSON API (CONTRACT §4): the year's summary and the Excel workbooks; the units' reports upward
(CONTRACT §5, issue 18): their status, submission, stored workbooks, the consolidated workbook and deadlines."""

from datetime import date, datetime

from flask import Blueprint, Response, g
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from awards.core import uploads
from awards.core.api import ApiError, Query, Schema, endpoint
from awards.core.permissions import MANAGERS
from awards.extensions import csrf, db
from awards.reports import figures, permissions, queries, services
from awards.units.queries import unit_by_code

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SummaryQuery(Query):
    year: int = Field(ge=1945, le=2100)
    descendants: bool = False


class HalfYearQuery(Query):
    year: int = Field(ge=1945, le=2100)
    half: int = Field(ge=1, le=2)


class YearQuery(Query):
    year: int = Field(ge=1945, le=2100)


class SharesOut(BaseModel):
    female: float
    young: float
    ethnic_minority: float
    frontline: float
    grassroots: float


class SummaryOut(BaseModel):
    year: int
    by_award: dict[str, int]
    by_unit: dict[str, int]
    shares: SharesOut
    individual_awards: int
    total: int


@endpoint(bp, "/reports/summary", summary="Số liệu tổng hợp khen thưởng của năm (theo loại, đơn vị; tỷ lệ)",
          query=SummaryQuery, response=SummaryOut, roles=MANAGERS)
def summary(query: SummaryQuery):
    result = figures.summary(figures.Period(query.year), descendants=query.descendants)
    return {"year": query.year, "by_award": result.by_award, "by_unit": result.by_unit, "shares": result.shares,
            "individual_awards": result.individuals, "total": result.total}


def _workbook(period: figures.Period, name: str) -> Response:
    from awards.reports import workbook

    try:
        data = workbook.build(period)
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    return Response(data, mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@endpoint(bp, "/reports/annual.xlsx", summary="Báo cáo thi đua, khen thưởng năm (Excel)", query=YearQuery,
          roles=MANAGERS)
def annual(query: YearQuery):
    return _workbook(figures.Period(query.year), f"bao-cao-khen-thuong-nam-{query.year}.xlsx")


@endpoint(bp, "/reports/half-year.xlsx", summary="Báo cáo thi đua, khen thưởng 6 tháng (Excel)",
          query=HalfYearQuery, roles=MANAGERS)
def half_year(query: HalfYearQuery):
    return _workbook(figures.Period(query.year, query.half),
                     f"bao-cao-khen-thuong-{query.year}-{'6-thang-dau' if query.half == 1 else '6-thang-cuoi'}.xlsx")


class UnitReportsQuery(Query):
    year: int = Field(ge=1945, le=2100)
    half: int = Field(0, ge=0, le=2)  # 1, 2: the six-monthly reports; 0 (or absent): the annual report


class UnitReportIn(Schema):
    unit_code: str = Field(min_length=1, max_length=50)
    year: int = Field(ge=1945, le=2100)
    half: int = Field(0, ge=0, le=2)
    narrative: str = Field("", max_length=services.MAX_NARRATIVE)
    submit: bool = True  # false: keep it as a draft


class UnitReportOut(BaseModel):
    unit_code: str
    unit_name: str
    year: int
    half: int
    status: str  # submitted | draft | missing
    late: bool
    deadline: date
    submitted_at: datetime | None
    submitted_by: str | None
    submissions: int
    narrative: str
    awards_total: int  # live awards of the period to the unit, its people and every unit below it
    awards_by_award: dict[str, int]
    awards_reported: int | None  # awards_total when the report was submitted (its workbook's figures)
    workbook_sha256: str | None  # the SHA-256 of the workbook kept with the submitted report


class UnitReportsOut(BaseModel):
    year: int
    half: int
    deadline: date
    submitted: int
    late: int
    units: list[UnitReportOut]


def _rows_out(rows: list[queries.Row], year: int, half: int) -> list[dict]:
    return [_row_out(row, year, half) for row in rows]


def _row_out(row: queries.Row, year: int, half: int) -> dict:
    report = row.report
    return {"unit_code": row.unit.code, "unit_name": row.unit.name, "year": year, "half": half,
            "status": row.status, "late": row.late, "deadline": row.due,
            "submitted_at": report.submitted_at if report else None,
            "submitted_by": report.submitted_by.username if report and report.submitted_by else None,
            "submissions": report.submissions if report else 0, "narrative": report.narrative if report else "",
            "awards_total": row.figures.total, "awards_by_award": row.figures.by_award,
            "awards_reported": report.awards_reported if report and row.status == "submitted" else None,
            "workbook_sha256": report.workbook_sha256 if report and row.status == "submitted" else None}


@endpoint(bp, "/reports/unit-reports", summary="Báo cáo của các đơn vị có thẩm quyền gửi Sở trong kỳ: đã nộp, "
          "nộp muộn, số liệu tổng hợp theo đơn vị", query=UnitReportsQuery, response=UnitReportsOut, roles=MANAGERS)
def unit_reports(query: UnitReportsQuery):
    only = permissions.reading_scope(g.api_user)
    rows = queries.status_rows(query.year, query.half, only=only)
    return {"year": query.year, "half": query.half, "deadline": queries.deadline_for(query.year, query.half),
            "submitted": sum(1 for r in rows if r.status == "submitted"), "late": sum(1 for r in rows if r.late),
            "units": _rows_out(rows, query.year, query.half)}


@endpoint(bp, "/reports/unit-reports", "POST", summary="Nộp (hoặc lưu nháp) báo cáo của đơn vị gửi Sở",
          body=UnitReportIn, response=UnitReportOut, status=201, roles=MANAGERS, errors=(404, 409))
def submit_unit_report(data: UnitReportIn):
    unit = unit_by_code(data.unit_code)
    if unit is None:
        raise ApiError(404, _("Không có đơn vị mã “%(c)s”.", c=data.unit_code))
    services.save_unit_report(unit, data.year, data.half, data.narrative, submit=data.submit, by=g.api_user)
    db.session.commit()
    return _rows_out(queries.status_rows(data.year, data.half, only=unit), data.year, data.half)[0]


def _xlsx(data_or_upload, name: str) -> Response:
    if isinstance(data_or_upload, uploads.Upload):
        return uploads.download(data_or_upload, name)
    return Response(data_or_upload, mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@endpoint(bp, "/reports/unit-reports/<code>/workbook.xlsx", summary="Bảng số liệu (Excel) đơn vị đã nộp kèm báo "
          "cáo của kỳ, đúng như lúc nộp", query=UnitReportsQuery, roles=MANAGERS, errors=(409,))
def unit_report_workbook(code: str, query: UnitReportsQuery):
    unit = unit_by_code(code)
    if unit is None:
        raise ApiError(404, _("Không có đơn vị mã “%(c)s”.", c=code))
    return _xlsx(*services.submitted_workbook(unit, query.year, query.half, by=g.api_user))


@endpoint(bp, "/reports/unit-reports/combined.xlsx", summary="Báo cáo tổng hợp của Sở gửi UBND tỉnh (Excel): số "
          "liệu các đơn vị đã nộp và các đơn vị Sở trực tiếp quản lý, danh sách báo cáo của các đơn vị",
          query=UnitReportsQuery, roles=MANAGERS)
def combined_workbook(query: UnitReportsQuery):
    return _xlsx(*services.consolidated_workbook(query.year, query.half, by=g.api_user))


class DeadlinesQuery(Query):
    year: int = Field(ge=1945, le=2100)


class DeadlineIn(Schema):
    year: int = Field(ge=1945, le=2100)
    half: int = Field(ge=0, le=2)  # 1, 2: the six-monthly reports; 0: the annual report
    deadline: date


class DeadlineOut(BaseModel):
    year: int
    half: int
    deadline: date
    is_default: bool  # the unconfirmed default (15/7, 15/1, 15/12): the Sở has set none for the period


class DeadlinesOut(BaseModel):
    year: int
    deadlines: list[DeadlineOut]


@endpoint(bp, "/reports/unit-report-deadlines", summary="Hạn nộp báo cáo của các đơn vị trong năm (6 tháng đầu, "
          "6 tháng cuối, cả năm)", query=DeadlinesQuery, response=DeadlinesOut, roles=MANAGERS)
def unit_report_deadlines(query: DeadlinesQuery):
    periods = [(query.year, half) for half in (1, 2, 0)]
    found = queries.deadlines(periods)
    return {"year": query.year, "deadlines": [{"year": y, "half": h, "deadline": found[(y, h)][0],
                                               "is_default": found[(y, h)][1]} for y, h in periods]}


@endpoint(bp, "/reports/unit-report-deadlines", "PUT", summary="Đặt hạn nộp báo cáo của các đơn vị cho một kỳ "
          "(quản trị, hoặc thường trực thi đua của Sở không gắn đơn vị)", body=DeadlineIn, response=DeadlineOut,
          roles=MANAGERS)
def set_unit_report_deadline(data: DeadlineIn):
    services.set_report_deadline(data.year, data.half, data.deadline, by=g.api_user)
    db.session.commit()
    return {"year": data.year, "half": data.half, "deadline": queries.deadline_for(data.year, data.half),
            "is_default": False}
