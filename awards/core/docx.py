"""The .docx toolkit of every paper the app prints (Tờ trình, Quyết định, Biên bản…), laid out as Nghị định
30/2020/NĐ-CP asks: A4 pages with 3 cm / 2 cm margins, Times New Roman for every script, the national motto.

Public building blocks over python-docx; the documents themselves live in their features. Text given to them is
written, never interpreted, minus the control characters XML cannot hold.

python-docx (with lxml, ~8 MB) is imported inside the builders, the first time a .docx is built: every feature
imports this module for its dates, and a web worker that only shows pages never loads it (issue 21)."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document

FONT = "Times New Roman"
BODY_PT, TITLE_PT, TABLE_PT, SMALL_PT = 13, 14, 12, 11
MOTTO_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CENTRE, JUSTIFY = "CENTER", "JUSTIFY"  # `align` of write(): names of python-docx's WD_ALIGN_PARAGRAPH
PORTRAIT_CM, LANDSCAPE_CM = 21 - 3 - 2, 29.7 - 3 - 2  # usable width of A4 with margins 3 cm / 2 cm

_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ---------------------------------------------------------------------------------------------- text

def clean(text) -> str:
    """Text as the user typed it (never interpreted), minus the control characters XML cannot hold."""
    return _XML_UNSAFE.sub("", "" if text is None else str(text))


def long_date(on: date) -> str:
    """'ngày 05 tháng 02 năm 2025': the date as NĐ 30 writes it (leading 0 for days < 10 and months 1, 2)."""
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"ngày {on.day:02d} tháng {month} năm {on.year}"


def date_line(place: str, on: date) -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2025': the place and date under the motto (NĐ 30, Phụ lục I); without a
    known place, the date alone ('Ngày 05 tháng 02 năm 2025') rather than dots to fill by hand."""
    place = clean(place).strip()
    return f"{place}, {long_date(on)}" if place else long_date(on).capitalize()


# ---------------------------------------------------------------------------------------------- document

def set_font(target, size: float | None = None) -> None:
    """Times New Roman for every script (ascii, hAnsi, cs, eastAsia), on a run or a style."""
    from docx.oxml import OxmlElement  # python-docx on first use (the module's docstring)
    from docx.oxml.ns import qn
    from docx.shared import Pt

    target.font.name = FONT
    if size is not None:
        target.font.size = Pt(size)
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def new_document(*, landscape: bool = False) -> Document:
    """An empty A4 document (portrait or landscape), body text 13 pt with no spacing between paragraphs."""
    import docx  # python-docx on first use (the module's docstring)
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    for name in ("Normal", "Table Grid"):
        style = document.styles[name]
        set_font(style, BODY_PT if name == "Normal" else None)
    normal = document.styles["Normal"].paragraph_format
    normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(0), 1.0
    section = document.sections[0]
    width, height = Cm(21), Cm(29.7)  # A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    return document


def write(paragraph, text: str, *, size: float = BODY_PT, bold=False, italic=False, underline=False,
          align=None, space_after: float = 0, space_before: float = 0):
    """Append `text` to a paragraph as one run in the given style (`align`: CENTRE, JUSTIFY, or any member of
    python-docx's WD_ALIGN_PARAGRAPH); the run."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # python-docx on first use (the module's docstring)
    from docx.shared import Pt

    run = paragraph.add_run(clean(text))
    set_font(run, size)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if align is not None:
        paragraph.alignment = WD_ALIGN_PARAGRAPH[align] if isinstance(align, str) else align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(space_before)
    return run


def para(container, text: str = "", **kwargs):
    """A new paragraph at the end of a document or cell, with `text` written in it (`write`'s options)."""
    from docx.shared import Pt  # python-docx on first use (the module's docstring)

    paragraph = container.add_paragraph()
    if text:
        write(paragraph, text, **kwargs)
    else:
        paragraph.paragraph_format.space_after = Pt(kwargs.get("space_after", 0))
    return paragraph


def to_bytes(document) -> bytes:
    """The document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- tables

def cell_lines(cell, lines: list[dict]) -> None:
    """Fill a cell with paragraphs: each a dict of `write` keyword arguments plus 'text'."""
    first = True
    for line in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        options = {k: v for k, v in line.items() if k != "text"}
        write(paragraph, line["text"], **options)


def set_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths in centimetres (Word otherwise sizes the columns to their text)."""
    from docx.shared import Cm  # python-docx on first use (the module's docstring)

    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the grid (w:gridCol), which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def repeat_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement  # python-docx on first use (the module's docstring)
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def table_row(table, values: list[str], *, bold=False, align_first=True, size: float = TABLE_PT):
    """A new row of text cells (the first centred, as a number column is); its cells."""
    cells = table.add_row().cells
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        centre = CENTRE if (bold or (align_first and index == 0)) else None
        write(cell.paragraphs[0], value, size=size, bold=bold, align=centre)
    return cells


def group_row(table, text: str) -> None:
    """A new row merged across the table, in bold: the heading of a group of rows ('I. Bằng khen…')."""
    cells = table.add_row().cells
    merged = cells[0].merge(cells[-1])
    write(merged.paragraphs[0], text, size=TABLE_PT, bold=True)


def header(document, issuer_lines: list[dict], *, date_text: str | None, usable_cm: float, left_cm: float = 6.5,
           nation_pt: float = BODY_PT - 1, size: float = TITLE_PT):
    """The two columns above every administrative document (NĐ 30/2020, Phụ lục I), in a table without
    borders: the issuer's lines (`cell_lines`) on the left; the national motto and the place and date on the
    right (no date line when `date_text` is None)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT  # python-docx on first use (the module's docstring)

    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, [left_cm, usable_cm - left_cm])
    left, right = table.rows[0].cells
    cell_lines(left, issuer_lines)
    lines = [{"text": MOTTO_NATION, "size": nation_pt, "bold": True, "align": CENTRE},
             {"text": MOTTO, "size": size, "bold": True, "underline": True, "align": CENTRE, "space_after": 6}]
    if date_text is not None:
        lines.append({"text": date_text, "size": size, "italic": True, "align": CENTRE})
    cell_lines(right, lines)
    return table


def indented(container, text: str, **kwargs):
    """A justified paragraph with its first line indented 1 cm and 6 pt after, as the body of a decision."""
    from docx.shared import Cm  # python-docx on first use (the module's docstring)

    paragraph = para(container, text, align=JUSTIFY, space_after=6, **kwargs)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def landscape_section(document):
    """A new page in landscape A4 (an annexed list after a portrait decision)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION  # python-docx on first use (the module's docstring)
    from docx.shared import Cm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    return section


# ---------------------------------------------------------------------------------------------- template tags

def tag(container, text: str):
    """A paragraph holding only a docxtpl tag ('{%p for row in rows %}'): the whole paragraph becomes the tag
    when the template is rendered, so it leaves no empty line behind."""
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    set_font(run, BODY_PT)
    return paragraph


def tag_row(table, text: str) -> None:
    """A table row holding only a docxtpl row tag ('{%tr for row in rows %}'), replaced whole when rendered."""
    cells = table.add_row().cells
    write(cells[0].paragraphs[0], text, size=TABLE_PT)


def page_section(document):
    """A section break (new page) with the same page setup: one certificate per section."""
    from docx.enum.section import WD_SECTION  # python-docx on first use (the module's docstring)

    return document.add_section(WD_SECTION.NEW_PAGE)
