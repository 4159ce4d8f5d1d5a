"""Spreadsheets in and out: reading .xlsx, .xls and .ods the way people type them (one reader, python-calamine),
writing .xlsx cells that never become formulas (xlsxwriter).

Both libraries are imported by the functions that use them, when a workbook is read or written: the pages and APIs
that offer an import or an export import this module, and a web worker that only shows pages never loads them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from io import BytesIO
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from awards.core.db import Invalid
from awards.core.uploads import PACKAGES, SPREADSHEETS, check_package, detect

if TYPE_CHECKING:
    import xlsxwriter
    from python_calamine import CalamineWorkbook

_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")  # dd/mm/yyyy, as Vietnamese forms write it
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


FORMATS = ".xlsx, .xls, .ods"  # what the import pages and APIs say they take


class Sheet:
    """One sheet with the part of openpyxl's read-only interface the imports use: `max_row` and `iter_rows`
    (values only, rows counted from 1 at the sheet's row 1, blank cells None), whatever the file's format."""

    def __init__(self, sheet):
        self._sheet = sheet

    @property
    def max_row(self) -> int:
        return self._sheet.end[0] + 1 if self._sheet.end else 0

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, values_only: bool = True):
        pad = (None,) * (self._sheet.start[1] if self._sheet.start else 0)  # calamine starts at the first column used
        for number, row in enumerate(self._sheet.iter_rows(), start=1):
            if max_row is not None and number > max_row:
                break
            if number >= min_row:
                yield pad + tuple(None if value == "" else value for value in row)


class Workbook:
    def __init__(self, book: CalamineWorkbook):
        self._book = book
        self.sheet_names = list(book.sheet_names)

    @property
    def worksheets(self) -> list[Sheet]:
        return [Sheet(self._book.get_sheet_by_index(n)) for n in range(len(self.sheet_names))]

    def close(self) -> None:
        self._book.close()


def open_workbook(stream) -> Workbook:
    """The workbook in an .xlsx, an .xls (Excel 97–2003) or an .ods (LibreOffice) upload, read by python-calamine
    through one interface; Invalid (400) when the bytes are none of them, whatever the file's name says."""
    from python_calamine import CalamineError, CalamineWorkbook  # when a sheet is read (the module's docstring)

    data = stream.read()
    not_spreadsheet = Invalid(_("Tệp không phải bảng tính hợp lệ: chỉ nhận tệp Excel (.xlsx, .xls) hoặc "
                                "LibreOffice Calc (.ods). Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại "
                                "dưới một trong các dạng đó."), field="file")
    kind = detect(data)
    if kind not in SPREADSHEETS:
        raise not_spreadsheet
    if kind in PACKAGES:
        check_package(data)  # a decompression bomb is refused before anything inflates it
    try:
        return Workbook(CalamineWorkbook.from_filelike(BytesIO(data)))
    except (CalamineError, ValueError, OSError) as exc:  # any broken file is refused
        raise not_spreadsheet from exc


def cell_text(value) -> str:
    """A cell as trimmed text; whole numbers lose their '.0' (a code typed as 123 stays '123')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def cell_date(value) -> date | None:
    """A date cell, or dd/mm/yyyy (or yyyy-mm-dd) text; None when blank; ValueError when not a real date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = _DATE_TEXT.match(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (iso := _ISO_DATE.match(text)):
        parts = iso.groups()
    if parts is None:
        raise ValueError(text)
    return date(int(parts[0]), int(parts[1]), int(parts[2]))

# xlsxwriter's own options: a str is written as a text cell, never turned into a formula ("=1+1", "+84 912…",
# "- Tổ chức…"), a number ("0912…" keeps its zero) or a link. With them, text reaches the sheet exactly as typed and
# a spreadsheet never evaluates it: formula injection is impossible without altering what people wrote.
TEXT_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def new_workbook(target, options: dict | None = None) -> xlsxwriter.Workbook:
    """Every workbook the app writes is made here: `target` a path or a BytesIO, `options` xlsxwriter's (memory
    mode, temporary folder); the text options above always win."""
    import xlsxwriter  # when a workbook is written (the module's docstring)

    return xlsxwriter.Workbook(target, {**(options or {}), **TEXT_OPTIONS})


def write_rows(sheet, row: int, rows: Iterable[Iterable], date_format=None) -> int:
    """Write rows from `row` on with write_string for text (never write_formula: text is stored as typed, a
    leading "=", "+", "-" or "@" included); returns the next row."""
    for values in rows:
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, value)
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
    book = new_workbook(buffer, {"in_memory": True})
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
