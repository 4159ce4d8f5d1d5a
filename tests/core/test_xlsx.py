"""Exported workbooks keep user text as text: no cell ever becomes a formula."""

from datetime import date
from io import BytesIO

import openpyxl

from awards.core.xlsx import safe_cell, workbook_bytes


def test_formula_like_text_stays_text():
    data = workbook_bytes({"Danh sách": (["Họ và tên", "Ghi chú", "Ngày", "Số"], [
        ["Nguyễn Văn An", "=HYPERLINK(\"http://x\",\"bấm\")", date(2025, 6, 30), 3],
        ["Đào Thị Hạnh", "+1+1", None, 4.5],
        ["Lê Văn Bình", "@SUM(A1)", None, None],
        ["Trần Thị Ánh", "-2+3", None, None],
    ])})
    sheet = openpyxl.load_workbook(BytesIO(data)).active
    assert sheet.title == "Danh sách"
    assert [c.value for c in sheet[1]] == ["Họ và tên", "Ghi chú", "Ngày", "Số"]
    notes = [sheet.cell(row=r, column=2) for r in range(2, 6)]
    assert all(cell.data_type == "s" for cell in notes)
    assert notes[0].value.startswith("'=")
    assert sheet.cell(row=2, column=3).value.date() == date(2025, 6, 30)
    assert sheet.cell(row=3, column=4).value == 4.5
    assert sheet.freeze_panes == "A2"


def test_safe_cell_leaves_ordinary_values():
    assert safe_cell("Bệnh viện Đa khoa") == "Bệnh viện Đa khoa"
    assert safe_cell(-5) == -5
    assert safe_cell("=1+1") == "'=1+1"
