"""Paper documents generated from a unit's dossiers, laid out as Nghị định 30/2020/NĐ-CP asks:
the Tờ trình đề nghị khen thưởng and the Danh sách đề nghị khen thưởng, as .docx bytes.

Pure builders: they read the objects they are given (a Unit, Nominations with their person/unit loaded) and
touch neither the database nor the request."""

import io
import re
from collections.abc import Iterable
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from awards.catalog.types import DEFAULTS, name_of

FONT = "Times New Roman"
BODY_PT, TITLE_PT, TABLE_PT, SMALL_PT = 13, 14, 12, 11
MOTTO_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

KIND_LABELS = {"regular": "Thường xuyên", "adhoc": "Đột xuất", "thematic": "Chuyên đề"}
GENDER_LABELS = {"female": "Nữ", "male": "Nam"}
LEVEL_ORDER = {"national": 0, "provincial": 1, "grassroots": 2}
_AWARD_ORDER = {code: i for i, code in enumerate(DEFAULTS)}
_HEAD = "Thủ trưởng cơ quan, đơn vị"
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


# ---------------------------------------------------------------------------------------------- text helpers

def clean(text) -> str:
    """Text as the user typed it (never interpreted), minus the control characters XML cannot hold."""
    return _XML_UNSAFE.sub("", "" if text is None else str(text))


def date_line(place: str, on: date) -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2025': days below 10 and months 1, 2 take a leading 0 (NĐ 30, Phụ lục I)."""
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"{clean(place).strip() or '……'}, ngày {on.day:02d} tháng {month} năm {on.year}"


def birth(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _is_person(nomination) -> bool:
    return nomination.subject_type == "person"


def _subject_name(nomination) -> str:
    return clean(nomination.person.full_name if _is_person(nomination) and nomination.person
                 else nomination.unit.name)


def _position_and_unit(nomination) -> str:
    """'Điều dưỡng, Khoa Nội' for a person; for a collective, the unit it belongs to."""
    if _is_person(nomination) and nomination.person:
        position = clean(nomination.person.position).strip()
        unit = clean(nomination.person.unit.name if nomination.person.unit else nomination.unit.name)
        return f"{position}, {unit}" if position else unit
    parent = nomination.unit.parent
    return clean(parent.name) if parent else ""


def _count_text(items) -> str:
    people = sum(1 for n in items if _is_person(n))
    collectives = len(items) - people
    parts = [f"{people} cá nhân" if people else "", f"{collectives} tập thể" if collectives else ""]
    return ", ".join(p for p in parts if p)


def grouped(nominations: Iterable) -> list[tuple[str, list]]:
    """(award code, dossiers) from the highest level down, in catalogue order; people before collectives."""
    groups: dict[str, list] = {}
    for nomination in nominations:
        groups.setdefault(nomination.award_code, []).append(nomination)

    def order(code):
        award = DEFAULTS.get(code)
        return (LEVEL_ORDER.get(award.level, 9) if award else 9, _AWARD_ORDER.get(code, 99), code)

    return [(code, sorted(groups[code], key=lambda n: (not _is_person(n), n.id or 0)))
            for code in sorted(groups, key=order)]


def addressee(unit, nominations: list) -> str:
    """Who decides the first dossier's award (DEFAULTS[...].decided_by); for awards the head of a unit
    decides, the parent unit; else the unit's own emulation council."""
    award = DEFAULTS.get(nominations[0].award_code) if nominations else None
    if award is not None and award.decided_by != _HEAD:
        return award.decided_by
    if unit.parent is not None:
        return clean(unit.parent.name)
    return award.decided_by if award else "Hội đồng Thi đua - Khen thưởng"


# ---------------------------------------------------------------------------------------------- docx helpers

def _set_font(target, size: float | None = None):
    """Times New Roman for every script (ascii, hAnsi, cs, eastAsia), on a run or a style."""
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


def _new_document(*, landscape: bool = False) -> Document:
    document = Document()
    for name in ("Normal", "Table Grid"):
        style = document.styles[name]
        _set_font(style, BODY_PT if name == "Normal" else None)
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


def _write(paragraph, text: str, *, size: float = BODY_PT, bold=False, italic=False, underline=False,
           align=None, space_after: float = 0, space_before: float = 0):
    run = paragraph.add_run(clean(text))
    _set_font(run, size)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(space_before)
    return run


def _para(container, text: str = "", **kwargs):
    paragraph = container.add_paragraph()
    if text:
        _write(paragraph, text, **kwargs)
    else:
        paragraph.paragraph_format.space_after = Pt(kwargs.get("space_after", 0))
    return paragraph


def _cell_lines(cell, lines: list[dict]):
    """Fill a cell with paragraphs: each a dict of `_write` keyword arguments plus 'text'."""
    first = True
    for line in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        options = {k: v for k, v in line.items() if k != "text"}
        _write(paragraph, line["text"], **options)


def _widths(table, widths_cm: list[float]):
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _header(document, unit, *, symbol: str, number: str, place: str, on: date, usable_cm: float):
    """The two columns above every administrative document, in a table without borders."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left_cm = 6.5 if usable_cm < 20 else 10
    _widths(table, [left_cm, usable_cm - left_cm])
    left, right = table.rows[0].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    lines = []
    if unit.parent is not None:
        lines.append({"text": clean(unit.parent.name).upper(), "size": BODY_PT, "align": centre})
    lines.append({"text": clean(unit.name).upper(), "size": BODY_PT, "bold": True, "align": centre})
    lines.append({"text": "───────", "size": BODY_PT, "align": centre, "space_after": 4})
    number_text = clean(number).strip() or "      "
    lines.append({"text": f"Số: {number_text}/{symbol}-{clean(unit.code).upper()}", "size": BODY_PT,
                  "align": centre})
    _cell_lines(left, lines)
    _cell_lines(right, [
        {"text": MOTTO_NATION, "size": BODY_PT - 1 if usable_cm < 20 else BODY_PT, "bold": True, "align": centre},
        {"text": MOTTO, "size": TITLE_PT, "bold": True, "underline": True, "align": centre, "space_after": 6},
        {"text": date_line(place, on), "size": TITLE_PT, "italic": True, "align": centre},
    ])
    return table


def _signature(document, *, left_lines: list[str], title: str, usable_cm: float):
    """'Nơi nhận:' on the left (italic, small), the signer on the right with room to sign."""
    table = document.add_table(rows=1, cols=2)
    _widths(table, [usable_cm / 2, usable_cm / 2])
    left, right = table.rows[0].cells
    _cell_lines(left, [{"text": "Nơi nhận:", "size": TABLE_PT, "bold": True, "italic": True},
                       *({"text": line, "size": SMALL_PT, "italic": True} for line in left_lines)])
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell_lines(right, [{"text": title, "size": BODY_PT, "bold": True, "align": centre},
                        {"text": "(Ký, ghi rõ họ tên và đóng dấu)", "size": BODY_PT, "italic": True,
                         "align": centre},
                        *({"text": "", "size": BODY_PT} for _ in range(4))])


def _table_row(table, values: list[str], *, bold=False, align_first=True, size: float = TABLE_PT):
    cells = table.add_row().cells
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        centre = WD_ALIGN_PARAGRAPH.CENTER if (bold or (align_first and index == 0)) else None
        _write(cell.paragraphs[0], value, size=size, bold=bold, align=centre)
    return cells


def _group_row(table, text: str):
    cells = table.add_row().cells
    merged = cells[0].merge(cells[-1])
    _write(merged.paragraphs[0], text, size=TABLE_PT, bold=True)


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- documents

def proposal_docx(unit, nominations, *, number: str = "", place: str = "", on: date, year: int | None = None,
                  ) -> bytes:
    """Tờ trình đề nghị khen thưởng of `unit` for `nominations` (any order), dated `on`."""
    nominations = list(nominations)
    year = year or (nominations[0].year if nominations else on.year)
    usable = 21 - 3 - 2
    document = _new_document()
    _header(document, unit, symbol="TTr", number=number, place=place, on=on, usable_cm=usable)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "TỜ TRÌNH", size=TITLE_PT, bold=True, align=centre, space_before=18)
    _para(document, f"Về việc đề nghị khen thưởng năm {year}", size=TITLE_PT, bold=True, align=centre,
          space_after=12)
    to = addressee(unit, nominations)
    _para(document, f"Kính gửi: {to}.", align=centre, space_after=12)

    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    for line in ("Căn cứ Luật Thi đua, khen thưởng năm 2022;",
                 "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của "
                 "Luật Thi đua, khen thưởng;",
                 f"Căn cứ kết quả thực hiện nhiệm vụ năm {year} và đề nghị của Hội đồng Thi đua - Khen thưởng "
                 f"{clean(unit.name)},"):
        paragraph = _para(document, line, italic=True, align=justify, space_after=6)
        paragraph.paragraph_format.first_line_indent = Cm(1)

    groups = grouped(nominations)
    if not nominations:
        paragraph = _para(document, f"{clean(unit.name)} không có hồ sơ đề nghị khen thưởng nào trong năm {year}.",
                          align=justify, space_after=6)
        paragraph.paragraph_format.first_line_indent = Cm(1)
    else:
        paragraph = _para(document, f"{clean(unit.name)} kính trình {to} xem xét, khen thưởng cho "
                                    f"{_count_text(nominations)} đã có thành tích xuất sắc trong năm {year}, "
                                    "cụ thể như sau:", align=justify, space_after=6)
        paragraph.paragraph_format.first_line_indent = Cm(1)
        for code, items in groups:
            bullet = _para(document, f"- {name_of(code)}: {_count_text(items)};", align=justify)
            bullet.paragraph_format.first_line_indent = Cm(1)
        _para(document, "(Có danh sách và tóm tắt thành tích kèm theo)", italic=True, align=centre,
              space_before=6, space_after=6)

        table = document.add_table(rows=1, cols=5)
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, title in zip(table.rows[0].cells, ("STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị",
                                                     "Danh hiệu / hình thức đề nghị", "Tóm tắt thành tích"),
                               strict=True):
            _write(cell.paragraphs[0], title, size=TABLE_PT, bold=True, align=centre)
        _repeat_header(table.rows[0])
        number_in_table = 0
        for index, (code, items) in enumerate(groups):
            roman = _ROMAN[index] if index < len(_ROMAN) else str(index + 1)
            _group_row(table, f"{roman}. {name_of(code)} ({_count_text(items)})")
            for nomination in items:
                number_in_table += 1
                _table_row(table, [str(number_in_table), _subject_name(nomination), _position_and_unit(nomination),
                                   name_of(code), clean(nomination.summary)])
        _widths(table, [1.1, 3.6, 3.4, 3.0, 4.9])

    closing = _para(document, f"{clean(unit.name)} kính trình {to} xem xét, quyết định./.", align=justify,
                    space_before=12, space_after=12)
    closing.paragraph_format.first_line_indent = Cm(1)
    _signature(document, left_lines=["- Như trên;", "- Hội đồng TĐKT đơn vị;", "- Lưu: VT, TĐKT."],
               title="THỦ TRƯỞNG ĐƠN VỊ", usable_cm=usable)
    return _bytes(document)


def nominee_list_docx(unit, nominations, *, year: int, on: date | None = None, number: str = "",
                      place: str = "") -> bytes:
    """Danh sách đề nghị khen thưởng (landscape A4): one row per dossier, grouped by award, with the total."""
    from awards.core import clock

    nominations = list(nominations)
    on = on or clock.today()
    usable = 29.7 - 3 - 2
    document = _new_document(landscape=True)
    _header(document, unit, symbol="TTr", number=number, place=place, on=on, usable_cm=usable)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", size=TITLE_PT, bold=True, align=centre, space_before=12)
    _para(document, f"Năm {year}", size=TITLE_PT, bold=True, align=centre)
    _para(document, f"(Kèm theo Tờ trình số {clean(number).strip() or '      '}/TTr-{clean(unit.code).upper()} "
                    f"ngày {on.strftime('%d/%m/%Y')} của {clean(unit.name)})", italic=True, align=centre,
          space_after=12)

    if not nominations:
        _para(document, f"Không có hồ sơ đề nghị khen thưởng nào trong năm {year}.", align=centre, space_after=12)
    else:
        titles = ("STT", "Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ", "Đơn vị", "Danh hiệu/hình thức",
                  "Loại khen thưởng", "Ghi chú")
        table = document.add_table(rows=1, cols=len(titles))
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, title in zip(table.rows[0].cells, titles, strict=True):
            _write(cell.paragraphs[0], title, size=TABLE_PT, bold=True, align=centre)
        _repeat_header(table.rows[0])
        counter = 0
        for index, (code, items) in enumerate(grouped(nominations)):
            roman = _ROMAN[index] if index < len(_ROMAN) else str(index + 1)
            _group_row(table, f"{roman}. {name_of(code)} ({_count_text(items)})")
            for nomination in items:
                counter += 1
                person = nomination.person if _is_person(nomination) else None
                if person is not None:
                    gender = GENDER_LABELS.get(str(getattr(person.gender, "value", person.gender)), "")
                    row = [str(counter), clean(person.full_name), gender, birth(person.birth_date),
                           clean(person.position), clean(person.unit.name if person.unit else nomination.unit.name)]
                else:
                    parent = nomination.unit.parent
                    row = [str(counter), clean(nomination.unit.name), "", "", "", clean(parent.name) if parent else ""]
                row += [name_of(code), KIND_LABELS.get(nomination.kind, clean(nomination.kind)), ""]
                _table_row(table, row)
        _widths(table, [1.1, 4.2, 1.7, 2.4, 3.2, 4.2, 3.6, 2.4, 1.9])
        _para(document, f"Tổng cộng: {len(nominations)} ({_count_text(nominations)}).", bold=True,
              space_before=6, space_after=12)

    _signature(document, left_lines=["- Như trên;", "- Lưu: VT, TĐKT."], title="THỦ TRƯỞNG ĐƠN VỊ",
               usable_cm=usable)
    return _bytes(document)
