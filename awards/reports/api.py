"""Reports over the JSON API (CONTRACT §4): the year's summary and the Excel workbooks."""

from flask import Blueprint, Response
from pydantic import BaseModel, Field

from awards.core.api import ApiError, Query, endpoint
from awards.core.permissions import MANAGERS
from awards.extensions import csrf
from awards.reports import figures

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
