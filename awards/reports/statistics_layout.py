"""How a statistics form of TT 02/2023/TT-BNV is drawn on a sheet: the header block (form code, text, units,
date received), the title and period, the column headings with their merged groups and their numbers (A, B, C, 1,
2, …), the rows with their codes, and the signatures. reports.statistics says what each row and column counts."""

from collections.abc import Callable
from dataclasses import dataclass, field

NO_DATA = "Chưa có dữ liệu"


@dataclass
class Column:
    """A value column: its heading, its number, the headings above it (group, then sub) and which items it
    counts (None: the system records nothing for it). `total` counts every item of the row."""

    title: str
    number: str
    group: str | None = None
    sub: str | None = None
    keep: Callable | None = None
    total: bool = False


@dataclass
class Line:
    """A row: label, code, unit of measure, which items it counts (None: nothing recorded for it); a heading row
    ("1. Chia theo …") has no code and no values."""

    label: str
    code: str = ""
    unit: str = ""
    keep: Callable | None = None
    heading: bool = False
    bold: bool = False


@dataclass
class Form:
    code: str
    title: str
    columns: list[Column]
    lines: list[Line]
    items: list[tuple] = field(default_factory=list)  # (item, how many)
    unit_of_measure: str | None = None
    unit_column: bool = True  # column C "Đơn vị tính"
    split_title: str | None = None  # a heading over every column but the total ("Chia ra")
    header_rows: int | None = None

    def path(self, column: Column) -> list[str]:
        if column.total or column.group is None:
            return [column.title]
        top = [self.split_title] if self.split_title else []
        return [*top, column.group, *([column.sub] if column.sub is not None else []), column.title]

    def value(self, line: Line, column: Column):
        if line.keep is None or (column.keep is None and not column.total):
            return NO_DATA
        return sum(n for item, n in self.items
                   if line.keep(item) and (column.total or column.keep(item)))


def formats(book) -> dict:
    add = book.add_format
    border = {"border": 1, "valign": "vcenter"}
    return {
        "bold": add({"bold": True}),
        "italic": add({"italic": True}),
        "title": add({"bold": True, "font_size": 13, "align": "center", "text_wrap": True}),
        "title_left": add({"bold": True, "font_size": 13}),
        "center_italic": add({"italic": True, "align": "center"}),
        "right_italic": add({"italic": True, "align": "right"}),
        "center": add({"align": "center"}),
        "center_bold": add({"align": "center", "bold": True}),
        "header": add({**border, "bold": True, "text_wrap": True, "align": "center"}),
        "number": add({**border, "bold": True, "italic": True, "align": "center"}),
        "label": add({**border, "text_wrap": True}),
        "heading": add({**border, "bold": True, "text_wrap": True}),
        "code": add({**border, "align": "center"}),
        "cell": add(border),
        "bold_cell": add({**border, "bold": True}),
        "int": add({**border, "num_format": "#,##0"}),
        "bold_int": add({**border, "bold": True, "num_format": "#,##0"}),
        "no_data": add({**border, "italic": True, "font_color": "#808080", "align": "center", "text_wrap": True}),
        "no_data_left": add({"italic": True, "font_color": "#808080"}),
    }


def _merge(sheet, f, first_row, first_col, last_row, last_col, text):
    if (first_row, first_col) == (last_row, last_col):
        sheet.write_string(first_row, first_col, text, f)
    else:
        sheet.merge_range(first_row, first_col, last_row, last_col, text, f)


def _headings(sheet, f, form: Form, top: int, lead: int) -> int:
    """The column headings from row `top`, then the row of column numbers; returns the first data row."""
    paths = [form.path(column) for column in form.columns]
    rows = form.header_rows or max(len(p) for p in paths)
    for col, text in enumerate(("", "Mã số", "Đơn vị tính")[:lead]):
        _merge(sheet, f["header"], top, col, top + rows - 1, col, text)
    cells = {}  # (row, column index) → (last row, key, text)
    for index, path in enumerate(paths):
        n = len(path)
        for level, text in enumerate(path):
            if n == 1:
                first, last = 0, rows - 1
            elif level < n - 2:
                first = last = level
            elif level == n - 2:
                first, last = level, rows - 2
            else:
                first = last = rows - 1
            cells[first, index] = (last, tuple(path[:level + 1]), text)
    for (row, index), (last, key, text) in sorted(cells.items()):
        if index and cells.get((row, index - 1), (None, None))[1] == key:
            continue  # merged into the cell on its left
        end = index
        while cells.get((row, end + 1), (None, None))[1] == key:
            end += 1
        _merge(sheet, f["header"], top + row, lead + index, top + last, lead + end, text)
    numbers = top + rows
    for col, letter in enumerate("ABC"[:lead]):
        sheet.write_string(numbers, col, letter, f["number"])
    index = 0
    while index < len(form.columns):
        end = index
        while end + 1 < len(form.columns) and form.columns[end + 1].number == form.columns[index].number:
            end += 1
        _merge(sheet, f["number"], numbers, lead + index, numbers, lead + end, form.columns[index].number)
        index = end + 1
    return numbers + 1


def write_form(book, f, form: Form, header: dict) -> None:
    """One form on its own sheet, named by its code."""
    sheet = book.add_worksheet(form.code)
    lead = 3 if form.unit_column else 2
    width = lead + len(form.columns)
    right = max(2, (width + 1) // 2)
    sheet.set_column(0, 0, 52)
    sheet.set_column(1, 1, 7)
    if form.unit_column:
        sheet.set_column(2, 2, 11)
    sheet.set_column(lead, width - 1, 14)
    sheet.write_string(0, 0, f"Biểu số: {form.code}/BNV-TĐKT", f["bold"])
    sheet.write_string(1, 0, f"Ban hành theo {header['text']}", f["italic"])
    sheet.write_string(2, 0, "Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo", f["italic"])
    sheet.write_string(0, right, f"Đơn vị báo cáo: {header['unit']}".rstrip(), f["bold"])
    sheet.write_string(1, right, f"Đơn vị nhận báo cáo: {header['receiver']}", f["bold"])
    _merge(sheet, f["title"], 4, 0, 4, width - 1, form.title)
    sheet.set_row(4, 36)
    _merge(sheet, f["center_italic"], 5, 0, 5, width - 1, header["period"])
    if form.unit_of_measure:
        _merge(sheet, f["right_italic"], 6, 0, 6, width - 1, f"Đơn vị tính: {form.unit_of_measure}")
    row = _headings(sheet, f, form, 8, lead)
    sheet.freeze_panes(row, lead)
    for line in form.lines:
        sheet.write_string(row, 0, line.label, f["heading"] if line.heading or line.bold else f["label"])
        sheet.write_string(row, 1, line.code, f["code"])
        if form.unit_column:
            sheet.write_string(row, 2, line.unit, f["code"])
        for index, column in enumerate(form.columns):
            col = lead + index
            if line.heading:
                sheet.write_blank(row, col, None, f["cell"])
                continue
            value = form.value(line, column)
            if value == NO_DATA:
                sheet.write_string(row, col, NO_DATA, f["no_data"])
            else:
                sheet.write_number(row, col, value, f["bold_int"] if line.bold else f["int"])
        row += 1
    row += 1
    sheet.write_string(row, right, "…………, ngày …… tháng …… năm ……", f["center_italic"])
    for offset, (left_text, right_text, fmt) in enumerate((("Người lập biểu", "Thủ trưởng đơn vị", "center_bold"),
                                                          ("(Ký, họ tên)", "(Ký, họ tên, đóng dấu)",
                                                           "center_italic")), start=1):
        sheet.write_string(row + offset, 0, left_text, f[fmt])
        sheet.write_string(row + offset, right, right_text, f[fmt])
