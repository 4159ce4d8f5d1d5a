"""Paper documents generated from a unit's dossiers, laid out as Nghị định 30/2020/NĐ-CP asks:
the Tờ trình đề nghị khen thưởng and the Danh sách đề nghị khen thưởng, as .docx bytes.

Pure builders: they read the objects they are given (a Unit, Nominations with their person/unit loaded) and
touch neither the database nor the request."""

from collections.abc import Iterable
from datetime import date

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from awards.catalog.types import DEFAULTS, name_of
from awards.core.docx import (
    BODY_PT,
    CENTRE,
    DOCX_MIME,
    SMALL_PT,
    TABLE_PT,
    TITLE_PT,
    cell_lines,
    clean,
    date_line,
    group_row,
    header,
    new_document,
    para,
    repeat_header,
    set_widths,
    table_row,
    to_bytes,
    write,
)

__all__ = ["DOCX_MIME", "addressee", "birth", "clean", "count_text", "date_line", "grouped", "is_person",
           "nominee_list_docx", "position_and_unit", "proposal_docx", "subject_name"]

KIND_LABELS = {"regular": "Thường xuyên", "adhoc": "Đột xuất", "thematic": "Chuyên đề"}
GENDER_LABELS = {"female": "Nữ", "male": "Nam"}
LEVEL_ORDER = {"national": 0, "provincial": 1, "grassroots": 2}
_AWARD_ORDER = {code: i for i, code in enumerate(DEFAULTS)}
_HEAD = "Thủ trưởng cơ quan, đơn vị"
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


# ---------------------------------------------------------------------------------------------- text helpers

def birth(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def is_person(nomination) -> bool:
    return nomination.subject_type == "person"


def subject_name(nomination) -> str:
    return clean(nomination.person.full_name if is_person(nomination) and nomination.person
                 else nomination.unit.name)


def position_and_unit(nomination) -> str:
    """'Điều dưỡng, Khoa Nội' for a person; for a collective, the unit it belongs to."""
    if is_person(nomination) and nomination.person:
        position = clean(nomination.person.position).strip()
        unit = clean(nomination.person.unit.name if nomination.person.unit else nomination.unit.name)
        return f"{position}, {unit}" if position else unit
    parent = nomination.unit.parent
    return clean(parent.name) if parent else ""


def count_text(items) -> str:
    people = sum(1 for n in items if is_person(n))
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

    return [(code, sorted(groups[code], key=lambda n: (not is_person(n), n.id or 0)))
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


# ---------------------------------------------------------------------------------------------- layout

def _header(document, unit, *, symbol: str, number: str, place: str, on: date, usable_cm: float):
    """The two columns above every administrative document: the unit (under its parent) and the number."""
    lines = []
    if unit.parent is not None:
        lines.append({"text": clean(unit.parent.name).upper(), "size": BODY_PT, "align": CENTRE})
    lines.append({"text": clean(unit.name).upper(), "size": BODY_PT, "bold": True, "align": CENTRE})
    lines.append({"text": "───────", "size": BODY_PT, "align": CENTRE, "space_after": 4})
    number_text = clean(number).strip() or "      "
    lines.append({"text": f"Số: {number_text}/{symbol}-{clean(unit.code).upper()}", "size": BODY_PT,
                  "align": CENTRE})
    return header(document, lines, date_text=date_line(place, on), usable_cm=usable_cm,
                  left_cm=6.5 if usable_cm < 20 else 10, nation_pt=BODY_PT - 1 if usable_cm < 20 else BODY_PT)


def _signature(document, *, left_lines: list[str], title: str, usable_cm: float):
    """'Nơi nhận:' on the left (italic, small), the signer on the right with room to sign."""
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [usable_cm / 2, usable_cm / 2])
    left, right = table.rows[0].cells
    cell_lines(left, [{"text": "Nơi nhận:", "size": TABLE_PT, "bold": True, "italic": True},
                      *({"text": line, "size": SMALL_PT, "italic": True} for line in left_lines)])
    cell_lines(right, [{"text": title, "size": BODY_PT, "bold": True, "align": CENTRE},
                       {"text": "(Ký, ghi rõ họ tên và đóng dấu)", "size": BODY_PT, "italic": True,
                        "align": CENTRE},
                       *({"text": "", "size": BODY_PT} for _ in range(4))])


# ---------------------------------------------------------------------------------------------- documents

def proposal_docx(unit, nominations, *, number: str = "", place: str = "", on: date, year: int | None = None,
                  ) -> bytes:
    """Tờ trình đề nghị khen thưởng of `unit` for `nominations` (any order), dated `on`."""
    nominations = list(nominations)
    year = year or (nominations[0].year if nominations else on.year)
    usable = 21 - 3 - 2
    document = new_document()
    _header(document, unit, symbol="TTr", number=number, place=place, on=on, usable_cm=usable)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    para(document, "TỜ TRÌNH", size=TITLE_PT, bold=True, align=centre, space_before=18)
    para(document, f"Về việc đề nghị khen thưởng năm {year}", size=TITLE_PT, bold=True, align=centre,
         space_after=12)
    to = addressee(unit, nominations)
    para(document, f"Kính gửi: {to}.", align=centre, space_after=12)

    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    for line in ("Căn cứ Luật Thi đua, khen thưởng năm 2022;",
                 "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của "
                 "Luật Thi đua, khen thưởng;",
                 f"Căn cứ kết quả thực hiện nhiệm vụ năm {year} và đề nghị của Hội đồng Thi đua - Khen thưởng "
                 f"{clean(unit.name)},"):
        paragraph = para(document, line, italic=True, align=justify, space_after=6)
        paragraph.paragraph_format.first_line_indent = Cm(1)

    groups = grouped(nominations)
    if not nominations:
        paragraph = para(document, f"{clean(unit.name)} không có hồ sơ đề nghị khen thưởng nào trong năm {year}.",
                         align=justify, space_after=6)
        paragraph.paragraph_format.first_line_indent = Cm(1)
    else:
        paragraph = para(document, f"{clean(unit.name)} kính trình {to} xem xét, khen thưởng cho "
                                   f"{count_text(nominations)} đã có thành tích xuất sắc trong năm {year}, "
                                   "cụ thể như sau:", align=justify, space_after=6)
        paragraph.paragraph_format.first_line_indent = Cm(1)
        for code, items in groups:
            bullet = para(document, f"- {name_of(code)}: {count_text(items)};", align=justify)
            bullet.paragraph_format.first_line_indent = Cm(1)
        para(document, "(Có danh sách và tóm tắt thành tích kèm theo)", italic=True, align=centre,
             space_before=6, space_after=6)

        table = document.add_table(rows=1, cols=5)
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, title in zip(table.rows[0].cells, ("STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị",
                                                     "Danh hiệu / hình thức đề nghị", "Tóm tắt thành tích"),
                               strict=True):
            write(cell.paragraphs[0], title, size=TABLE_PT, bold=True, align=centre)
        repeat_header(table.rows[0])
        number_in_table = 0
        for index, (code, items) in enumerate(groups):
            roman = _ROMAN[index] if index < len(_ROMAN) else str(index + 1)
            group_row(table, f"{roman}. {name_of(code)} ({count_text(items)})")
            for nomination in items:
                number_in_table += 1
                table_row(table, [str(number_in_table), subject_name(nomination), position_and_unit(nomination),
                                  name_of(code), clean(nomination.summary)])
        set_widths(table, [1.1, 3.6, 3.4, 3.0, 4.9])

    closing = para(document, f"{clean(unit.name)} kính trình {to} xem xét, quyết định./.", align=justify,
                   space_before=12, space_after=12)
    closing.paragraph_format.first_line_indent = Cm(1)
    _signature(document, left_lines=["- Như trên;", "- Hội đồng TĐKT đơn vị;", "- Lưu: VT, TĐKT."],
               title="THỦ TRƯỞNG ĐƠN VỊ", usable_cm=usable)
    return to_bytes(document)


def nominee_list_docx(unit, nominations, *, year: int, on: date | None = None, number: str = "",
                      place: str = "") -> bytes:
    """Danh sách đề nghị khen thưởng (landscape A4): one row per dossier, grouped by award, with the total."""
    from awards.core import clock

    nominations = list(nominations)
    on = on or clock.today()
    usable = 29.7 - 3 - 2
    document = new_document(landscape=True)
    _header(document, unit, symbol="TTr", number=number, place=place, on=on, usable_cm=usable)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    para(document, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", size=TITLE_PT, bold=True, align=centre, space_before=12)
    para(document, f"Năm {year}", size=TITLE_PT, bold=True, align=centre)
    para(document, f"(Kèm theo Tờ trình số {clean(number).strip() or '      '}/TTr-{clean(unit.code).upper()} "
                   f"ngày {on.strftime('%d/%m/%Y')} của {clean(unit.name)})", italic=True, align=centre,
         space_after=12)

    if not nominations:
        para(document, f"Không có hồ sơ đề nghị khen thưởng nào trong năm {year}.", align=centre, space_after=12)
    else:
        titles = ("STT", "Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ", "Đơn vị", "Danh hiệu/hình thức",
                  "Loại khen thưởng", "Ghi chú")
        table = document.add_table(rows=1, cols=len(titles))
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, title in zip(table.rows[0].cells, titles, strict=True):
            write(cell.paragraphs[0], title, size=TABLE_PT, bold=True, align=centre)
        repeat_header(table.rows[0])
        counter = 0
        for index, (code, items) in enumerate(grouped(nominations)):
            roman = _ROMAN[index] if index < len(_ROMAN) else str(index + 1)
            group_row(table, f"{roman}. {name_of(code)} ({count_text(items)})")
            for nomination in items:
                counter += 1
                person = nomination.person if is_person(nomination) else None
                if person is not None:
                    gender = GENDER_LABELS.get(str(getattr(person.gender, "value", person.gender)), "")
                    row = [str(counter), clean(person.full_name), gender, birth(person.birth_date),
                           clean(person.position), clean(person.unit.name if person.unit else nomination.unit.name)]
                else:
                    parent = nomination.unit.parent
                    row = [str(counter), clean(nomination.unit.name), "", "", "", clean(parent.name) if parent else ""]
                row += [name_of(code), KIND_LABELS.get(nomination.kind, clean(nomination.kind)), ""]
                table_row(table, row)
        set_widths(table, [1.1, 4.2, 1.7, 2.4, 3.2, 4.2, 3.6, 2.4, 1.9])
        para(document, f"Tổng cộng: {len(nominations)} ({count_text(nominations)}).", bold=True,
             space_before=6, space_after=12)

    _signature(document, left_lines=["- Như trên;", "- Lưu: VT, TĐKT."], title="THỦ TRƯỞNG ĐƠN VỊ",
               usable_cm=usable)
    return to_bytes(document)
