"""Excel writing that never lets a cell become a formula (CSV/formula injection)."""

from collections.abc import Iterable
from datetime import date, datetime
from io import BytesIO

import xlsxwriter

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe-equivalent: it stays text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_rows(sheet, row: int, rows: Iterable[Iterable], date_format=None) -> int:
    """Write rows from `row` on with write_string for text (never write_formula); returns the next row."""
    for values in rows:
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, safe_cell(value))
            elif isinstance(value, (date, datetime)) and date_format is not None:
                sheet.write_datetime(row, col, value, date_format)
            elif isinstance(value, bool):
                sheet.write_boolean(row, col, value)
            else:
                sheet.write(row, col, value)
        row += 1
    return row


def workbook_bytes(sheets: dict[str, tuple[list[str], Iterable[Iterable]]]) -> bytes:
    """A workbook with one sheet per entry: bold frozen header, sensible widths, text written as text."""
    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, (headers, rows) in sheets.items():
        sheet = book.add_worksheet(name[:31])
        for col, title in enumerate(headers):
            sheet.write_string(0, col, title, header)
            sheet.set_column(col, col, max(12, min(40, len(title) + 4)))
        sheet.freeze_panes(1, 0)
        write_rows(sheet, 1, rows, dates)
    book.close()
    return buffer.getvalue()
