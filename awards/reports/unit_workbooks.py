"""The workbooks of the units' reports upward (issue 18), written by the one report writer (reports.workbook):

- a unit's: the annual or six-monthly workbook over the unit's subtree only, built when it submits and kept with
  the submission (reports.services), so that the report the Sở received does not change with later data;
- the Sở's consolidated report to the province: the same workbook over the submitted units' subtrees and the
  Sở's own offices, with a sheet listing every reporting unit (submitted, late or missing, what it reported,
  its narrative)."""

from functools import partial

from awards.core import clock
from awards.reports import figures, queries, workbook

STATUS_SHEET = "Báo cáo các đơn vị"
STATUS_HEADERS = ("STT", "Mã đơn vị", "Tên đơn vị", "Tình trạng", "Quá hạn", "Hạn nộp", "Ngày nộp", "Số lần nộp",
                  "Số lượt khen thưởng đơn vị đã báo cáo", "Số lượt khen thưởng hiện có",
                  "Mã SHA-256 của bảng số liệu đã nộp", "Đánh giá của đơn vị")
STATUS_WIDTHS = (6, 14, 36, 20, 9, 12, 12, 9, 16, 16, 30, 80)
STATUS_LABELS = {"submitted": "Đã nộp", "draft": "Chưa nộp (bản nháp)", "missing": "Chưa nộp"}
PERIOD_SLUGS = {0: "nam", 1: "6-thang-dau", 2: "6-thang-cuoi"}


def filename(unit_code: str, year: int, half: int) -> str:
    """bao-cao-BVA-nam-2025.xlsx, bao-cao-BVA-6-thang-dau-2025.xlsx: a unit's submitted workbook."""
    code = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in unit_code)
    return f"bao-cao-{code}-{PERIOD_SLUGS[half]}-{year}.xlsx"


def combined_filename(year: int, half: int) -> str:
    return f"bao-cao-tong-hop-cac-don-vi-{PERIOD_SLUGS[half]}-{year}.xlsx"


def unit_workbook(unit, year: int, half: int) -> tuple[bytes, int]:
    """The unit's workbook of the period (its subtree's figures, campaigns, dossiers and awards only) and its
    number of live awards."""
    period, scope = queries.period_of(year, half), queries.unit_scope(unit)
    return workbook.build(period, scope=scope), sum(figures.by_award(period, scope).values())


def combined_workbook(year: int, half: int) -> bytes:
    """The Sở's consolidated workbook of the period: the submitted units' figures and the Sở's own offices',
    with the sheet of every unit's report after the cover."""
    rows = queries.status_rows(year, half)
    scope = queries.combined_scope(rows)
    return workbook.build(queries.period_of(year, half), scope=scope,
                          extra_sheets=[partial(_status_sheet, rows=rows)])


def _status_sheet(w: workbook.Writer, rows: list[queries.Row]) -> None:
    sheet = w.table(STATUS_SHEET, "status", headers=STATUS_HEADERS, widths=STATUS_WIDTHS)
    wrap = w.book.add_format({"text_wrap": True, "valign": "top"})
    for i, row in enumerate(rows, start=1):
        report = row.report
        submitted = report is not None and row.status == "submitted"
        sheet.write_number(i, 0, i)
        w.text(sheet, i, 1, row.unit.code)
        w.text(sheet, i, 2, row.unit.name)
        w.text(sheet, i, 3, STATUS_LABELS[row.status])
        w.text(sheet, i, 4, "Quá hạn" if row.late else "Không")
        w.day(sheet, i, 5, row.due)
        w.day(sheet, i, 6, report.submitted_at.astimezone(clock.VIETNAM).date() if submitted else None)
        sheet.write_number(i, 7, report.submissions if report is not None else 0)
        w.number(sheet, i, 8, report.awards_reported if submitted else None, w.int)
        sheet.write_number(i, 9, row.figures.total, w.int)
        w.text(sheet, i, 10, report.workbook_sha256 if submitted else None)
        w.text(sheet, i, 11, report.narrative if submitted else None, wrap)  # a draft is not sent yet
    after = len(rows) + 2
    submitted = sum(1 for row in rows if row.status == "submitted")
    sheet.write_string(after, 2, f"Đã nộp: {submitted}/{len(rows)} đơn vị · Quá hạn: "
                                 f"{sum(1 for row in rows if row.late)}", w.bold)
    sheet.write_string(after + 1, 2, "Các trang số liệu tính các đơn vị đã nộp báo cáo (kể cả đơn vị trực thuộc) và "
                                     "các đơn vị do Sở trực tiếp quản lý; đơn vị chưa nộp không được tính.", w.italic)
    sheet.write_string(after + 2, 2, "“Đã báo cáo”: số lượt khen thưởng lúc đơn vị nộp; “hiện có”: theo dữ liệu "
                                     "hôm nay, khác nhau khi dữ liệu thay đổi sau khi nộp.", w.italic)
