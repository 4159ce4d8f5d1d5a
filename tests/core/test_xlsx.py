"""Exported workbooks keep user text exactly as typed, and as text: no apostrophe added, no cell ever a formula.

Read back with openpyxl (formulas kept, not evaluated: a formula cell would show data_type "f")."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest

from awards.core import xlsx
from awards.core.xlsx import TEXT_OPTIONS, new_workbook, workbook_bytes

TYPED = ["+84 912 345 678", "- Tổ chức tốt", "=1+1", "@SUM(A1)", '=HYPERLINK("http://x")', "0912345678",
         "http://example.vn", "-5", "1e3", "\t=2+2"]


def text_cells(data: bytes):
    book = openpyxl.load_workbook(BytesIO(data))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_typed(cells, typed=TYPED):
    """Every typed text is found as a text cell with exactly its value, and no cell of the file is a formula."""
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell may be a formula"
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in typed:
        assert text in by_value, (text, sorted(by_value))
        assert by_value[text].data_type == "s"
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith("'")]


def test_the_helper_writes_text_as_typed():
    data = workbook_bytes({"Danh sách": (["Họ và tên", "Ghi chú", "Ngày", "Số"], [
        ["Nguyễn Văn An", TYPED[0], date(2025, 6, 30), 3],
        *[["Đào Thị Hạnh", text, None, 4.5] for text in TYPED[1:]],
    ])})
    sheet = openpyxl.load_workbook(BytesIO(data)).active
    assert sheet.title == "Danh sách"
    assert [c.value for c in sheet[1]] == ["Họ và tên", "Ghi chú", "Ngày", "Số"]
    assert [sheet.cell(row=r, column=2).value for r in range(2, 2 + len(TYPED))] == TYPED
    assert sheet.cell(row=2, column=3).value.date() == date(2025, 6, 30)
    assert sheet.cell(row=3, column=4).value == 4.5 and sheet.cell(row=2, column=4).value == 3
    assert sheet.freeze_panes == "A2"
    assert_typed(text_cells(data))


@pytest.mark.parametrize("options", [{"in_memory": True}, {"constant_memory": True},
                                     {"in_memory": True, "strings_to_formulas": True, "strings_to_numbers": True}])
def test_every_workbook_made_by_the_one_helper_keeps_text_even_through_the_generic_write(options):
    """`new_workbook` applies the text options whatever the caller asks, so even xlsxwriter's generic `write`
    (which would turn "=1+1" into a formula and "0912…" into a number by default) keeps text as text."""
    buffer = BytesIO()
    book = new_workbook(buffer, options)
    sheet = book.add_worksheet("Thử")
    for row, text in enumerate(TYPED):
        sheet.write(row, 0, text)
    book.close()
    assert_typed(text_cells(buffer.getvalue()))
    assert TEXT_OPTIONS == {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def test_no_module_builds_a_workbook_but_the_helper():
    """Every workbook of the app is made by core.xlsx.new_workbook (grep for xlsxwriter.Workbook)."""
    from pathlib import Path

    root = Path(xlsx.__file__).resolve().parents[1]
    makers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                    if "xlsxwriter.Workbook(" in p.read_text(encoding="utf-8") and p.name != "xlsx.py")
    assert makers == [], makers
    assert "xlsxwriter.Workbook(" in Path(xlsx.__file__).read_text(encoding="utf-8")


def test_the_archive_export_keeps_typed_text(client, db, login_as):
    """A real export: people named and decisions numbered with text that starts like a formula."""
    from awards.archive import services
    from tests import factories

    typed = [text for text in TYPED if text == text.strip()]  # the services trim what people type
    unit = factories.unit(code="BVX", name="- Tổ chức tốt")
    for n, text in enumerate(typed):
        factories.person(code=f"CN{n:03d}", full_name=text, unit=unit)
        services.record_award(subject_type="person", subject_code=f"CN{n:03d}", award_code="LDTT", year=2024,
                              decision_number=f"{n}/QĐ", decision_date=date(2025, 1, 15), issuer=typed[n - 1])
    db.session.commit()
    login_as("staff")
    response = client.get("/archive/export.xlsx?year=2024")
    assert response.status_code == 200
    cells = text_cells(response.data)
    assert_typed(cells, typed)
    names = [c.value for c in cells if c.column == 3 and c.row > 1]
    assert sorted(names) == sorted(typed)

