"""The archive as an Excel workbook: search results streamed row by row (constant memory) to a file."""

from sqlalchemy import Select

from awards.archive.models import KIND_LABELS, SOURCE_LABELS, SUBJECT_LABELS, AwardRecord
from awards.catalog import services as catalog
from awards.core.xlsx import new_workbook, write_rows
from awards.extensions import db
from awards.units.models import Unit

MAX_EXPORT_ROWS = 1_000_000  # Excel holds 1,048,576 rows a sheet
EXPORT_HEADERS = ("Loại đối tượng", "Mã đối tượng", "Họ tên / Tên tập thể", "Đơn vị", "Danh hiệu / Hình thức", "Năm",
                  "Loại khen thưởng", "Số quyết định", "Ngày quyết định", "Cơ quan ban hành", "Số sổ vàng", "Nguồn",
                  "Trạng thái")
WIDTHS = (12, 16, 30, 30, 30, 8, 16, 18, 14, 30, 12, 22, 12)
REVOKED, IN_FORCE = "Đã thu hồi", "Hiệu lực"


def _rows(stmt: Select, limit: int):
    columns = stmt.with_only_columns(
        AwardRecord.subject_type, AwardRecord.subject_code, AwardRecord.subject_name, Unit.name,
        AwardRecord.award_code, AwardRecord.year, AwardRecord.kind, AwardRecord.decision_number,
        AwardRecord.decision_date, AwardRecord.issuer, AwardRecord.gold_book_number, AwardRecord.source,
        AwardRecord.revoked, maintain_column_froms=True,
    ).join(Unit, Unit.id == AwardRecord.unit_id).limit(limit)
    result = db.session.execute(columns.execution_options(yield_per=5000))
    for (subject_type, code, name, unit, award, year, kind, decision, decided, issuer, gold, source,
         revoked) in result:
        yield (SUBJECT_LABELS.get(subject_type, subject_type), code, name, unit, catalog.award_name(award), year,
               KIND_LABELS.get(kind, kind), decision, decided, issuer, gold or None,
               SOURCE_LABELS.get(source, source), REVOKED if revoked else IN_FORCE)


def write_export(stmt: Select, output, limit: int = MAX_EXPORT_ROWS) -> int:
    """Write the records `stmt` selects (archive.queries.search_stmt) to `output`; returns the row count.

    Text is written as text (never a formula), dates as dates shown dd/mm/yyyy; xlsxwriter's constant_memory
    flushes each row to disk, so a million rows take no more memory than ten.
    """
    book = new_workbook(output, {"constant_memory": True})
    try:
        sheet = book.add_worksheet("Khen thưởng")
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        dates = book.add_format({"num_format": "dd/mm/yyyy"})
        for col, (title, width) in enumerate(zip(EXPORT_HEADERS, WIDTHS, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, header)
        sheet.freeze_panes(1, 0)
        count = write_rows(sheet, 1, _rows(stmt, limit), dates) - 1
        sheet.autofilter(0, 0, max(count, 1), len(EXPORT_HEADERS) - 1)
    finally:
        book.close()
    return count
