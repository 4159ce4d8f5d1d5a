"""Paper documents of an award decision, as .docx bytes: the Quyết định khen thưởng laid out as Nghị định
30/2020/NĐ-CP asks, with its annexed list of recipients (landscape), and one certificate per recipient.

Pure builders: they read the Decision they are given (its items, their nominations and archive records, through
the lazy relationships) and touch neither the request nor any other query. Text is written, never interpreted."""

import re
from datetime import date

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT

from awards.catalog.rules import RULESETS
from awards.catalog.types import COMMENDATION, DEFAULTS, TITLE, name_of
from awards.core.docx import (
    CENTRE,
    DOCX_MIME,
    JUSTIFY,
    LANDSCAPE_CM,
    MOTTO,
    MOTTO_NATION,
    PORTRAIT_CM,
    SMALL_PT,
    TABLE_PT,
    TITLE_PT,
    cell_lines,
    clean,
    date_line,
    group_row,
    header,
    indented,
    landscape_section,
    long_date,
    new_document,
    para,
    repeat_header,
    set_widths,
    table_row,
    to_bytes,
    write,
)
from awards.core.pdf import PDF_MIME, to_pdf
from awards.nominations.documents import count_text, is_person, position_and_unit, subject_name

__all__ = ["DOCX_MIME", "PDF_MIME", "certificates_docx", "decision_docx", "decision_pdf"]

LAW_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15"
LAW_2022_FROM = date(2024, 1, 1)
SIGNER_ROLE = "THỦ TRƯỞNG CƠ QUAN"
ANNEX_HEADERS = ("STT", "Họ và tên / Tập thể", "Chức vụ, đơn vị", "Danh hiệu / hình thức", "Năm", "Số sổ vàng")
ANNEX_WIDTHS = (1.3, 5.6, 7.0, 5.6, 1.7, 3.5)
SUMMARY_CHARS = 300
_SPACES = re.compile(r"\s+")


# ---------------------------------------------------------------------------------------------- text

def legal_basis(on: date) -> list[str]:
    """The law and the decree in force on the day of signing (the rule sets of awards.catalog.rules):
    NĐ 98/2023/NĐ-CP until 30/06/2025, NĐ 152/2025/NĐ-CP from 01/07/2025."""
    law = LAW_2022 if on >= LAW_2022_FROM else "Luật Thi đua, khen thưởng"
    in_force = [r for r in RULESETS if r.effective_from <= on and (r.effective_to is None or on <= r.effective_to)]
    ruleset = in_force[0] if in_force else (RULESETS[0] if on < RULESETS[0].effective_from else RULESETS[-1])
    decree = ruleset.name.removeprefix("NĐ ").strip()
    return [f"Căn cứ {law};",
            f"Căn cứ Nghị định số {decree} của Chính phủ quy định chi tiết một số điều của Luật Thi đua, "
            "khen thưởng;"]


def _award_phrase(code: str) -> str:
    """'danh hiệu “Lao động tiên tiến”' for a title, the form's own name ('Bằng khen cấp tỉnh') otherwise."""
    award = DEFAULTS.get(code)
    return f"danh hiệu “{name_of(code)}”" if award is not None and award.form == TITLE else name_of(code)


def _codes(items) -> list[str]:
    return list(dict.fromkeys(item.nomination.award_code for item in items))


def _subject(items) -> str:
    """'Về việc tặng danh hiệu “…” năm 2025' when every recipient has the same award, else 'Về việc khen thưởng'."""
    codes = _codes(items)
    if len(codes) != 1:
        return "Về việc khen thưởng"
    award, years = DEFAULTS.get(codes[0]), {item.nomination.year for item in items}
    year = f" năm {years.pop()}" if award is not None and award.form == TITLE and len(years) == 1 else ""
    return f"Về việc tặng {_award_phrase(codes[0])}{year}"


def _what_they_receive(items) -> str:
    forms = {getattr(DEFAULTS.get(code), "form", None) for code in _codes(items)}
    if forms == {TITLE}:
        return "Giấy chứng nhận"
    if forms == {COMMENDATION} and len(_codes(items)) == 1:
        return name_of(_codes(items)[0])
    return "Giấy chứng nhận, Bằng khen hoặc Giấy khen tương ứng"


def _gold_book(item) -> str:
    number = clean(item.record.gold_book_number).strip() if item.record is not None else ""
    return number or str(item.position)


def _achievement(nomination) -> str:
    """The dossier's summary on one line, cut near SUMMARY_CHARS at a word; a generic line when empty."""
    text = _SPACES.sub(" ", clean(nomination.summary)).strip()
    if not text:
        return f"Đã có thành tích xuất sắc trong phong trào thi đua năm {nomination.year}."
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return text if text.casefold().startswith("đã có thành tích") else f"Đã có thành tích: {text}"


# ---------------------------------------------------------------------------------------------- layout

def _header(document, decision, *, place: str):
    """Issuer and number on the left, the national motto and the date line on the right, without borders."""
    header(document, [{"text": clean(decision.issuer).upper(), "bold": True, "align": CENTRE},
                      {"text": "───────", "align": CENTRE, "space_after": 4},
                      {"text": f"Số: {clean(decision.number)}", "align": CENTRE}],
           date_text=date_line(place, decision.signed_on), usable_cm=PORTRAIT_CM)


def _articles(document, decision, items):
    issuer = clean(decision.issuer).strip() or "cơ quan"
    indented(document, f"Căn cứ chức năng, nhiệm vụ, quyền hạn của {issuer};", italic=True)
    for line in legal_basis(decision.signed_on):
        indented(document, line, italic=True)
    indented(document, "Xét đề nghị của Hội đồng Thi đua - Khen thưởng và cơ quan thường trực về thi đua, "
                       "khen thưởng,", italic=True)
    para(document, "QUYẾT ĐỊNH:", size=TITLE_PT, bold=True, align=CENTRE, space_before=6, space_after=6)
    nominations = [item.nomination for item in items]
    codes = _codes(items)
    award = f"Tặng {_award_phrase(codes[0])} cho" if len(codes) == 1 else "Khen thưởng"
    paragraph = indented(document, "Điều 1. ", bold=True)
    write(paragraph, f"{award} {count_text(nominations)} có tên trong danh sách kèm theo Quyết định này "
                     f"({len(items)} trường hợp), đã có thành tích trong phong trào thi đua.",
          align=JUSTIFY, space_after=6)
    paragraph = indented(document, "Điều 2. ", bold=True)
    write(paragraph, f"Cá nhân, tập thể có tên tại Điều 1 được nhận {_what_they_receive(items)} và tiền thưởng "
                     "theo quy định của pháp luật về thi đua, khen thưởng.", align=JUSTIFY, space_after=6)
    paragraph = indented(document, "Điều 3. ", bold=True)
    write(paragraph, "Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị có liên quan và "
                     "các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
          align=JUSTIFY, space_after=12)


def _signature(document, decision, *, usable_cm: float):
    """'Nơi nhận:' on the left, the signer's role, room to sign and the signer's name on the right."""
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [usable_cm / 2, usable_cm / 2])
    left, right = table.rows[0].cells
    cell_lines(left, [{"text": "Nơi nhận:", "size": TABLE_PT, "bold": True, "italic": True},
                      *({"text": line, "size": SMALL_PT} for line in
                        ("- Như Điều 3;", "- Hội đồng TĐKT;", "- Lưu: VT, TĐKT."))])
    cell_lines(right, [{"text": SIGNER_ROLE, "bold": True, "align": CENTRE},
                       *({"text": ""} for _ in range(4)),
                       {"text": clean(decision.signer), "bold": True, "align": CENTRE}])
    return table


def _by_subject(items) -> list[tuple[str, list]]:
    """Individuals then collectives, each in gold-book order; one unnamed group when only one kind exists."""
    people = [item for item in items if is_person(item.nomination)]
    collectives = [item for item in items if not is_person(item.nomination)]
    if not people or not collectives:
        return [("", list(items))]
    return [(f"I. Cá nhân ({len(people)})", people), (f"II. Tập thể ({len(collectives)})", collectives)]


def _annex(document, decision, items):
    landscape_section(document)
    people = any(is_person(item.nomination) for item in items)
    collectives = any(not is_person(item.nomination) for item in items)
    who = ", ".join(w for w, present in (("CÁ NHÂN", people), ("TẬP THỂ", collectives)) if present)
    para(document, f"DANH SÁCH {who} ĐƯỢC KHEN THƯỞNG", size=TITLE_PT, bold=True, align=CENTRE)
    para(document, f"(Kèm theo Quyết định số {clean(decision.number)} {long_date(decision.signed_on)} "
                   f"của {clean(decision.issuer)})", italic=True, align=CENTRE, space_after=12)
    table = document.add_table(rows=1, cols=len(ANNEX_HEADERS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, ANNEX_HEADERS, strict=True):
        write(cell.paragraphs[0], title, size=TABLE_PT, bold=True, align=CENTRE)
    repeat_header(table.rows[0])
    for heading, group in _by_subject(items):
        if heading:
            group_row(table, heading)
        for item in group:
            nomination = item.nomination
            table_row(table, [str(item.position), subject_name(nomination), position_and_unit(nomination),
                              name_of(nomination.award_code), str(nomination.year), _gold_book(item)])
    set_widths(table, list(ANNEX_WIDTHS))
    para(document, f"Tổng cộng: {len(items)} ({count_text([i.nomination for i in items])}).", bold=True,
         space_before=6)


# ---------------------------------------------------------------------------------------------- documents

def decision_docx(decision, *, place: str = "") -> bytes:
    """The Quyết định khen thưởng (A4 portrait) and its annexed list of recipients (A4 landscape)."""
    items = sorted(decision.items, key=lambda item: item.position)
    document = new_document()
    _header(document, decision, place=place)
    para(document, "QUYẾT ĐỊNH", size=TITLE_PT, bold=True, align=CENTRE, space_before=18)
    para(document, _subject(items), size=TITLE_PT, bold=True, align=CENTRE)
    para(document, "───────", align=CENTRE, space_after=6)
    issuer = clean(decision.issuer).strip()
    authority = f"THỦ TRƯỞNG {issuer.upper()}" if issuer else SIGNER_ROLE
    para(document, authority, size=TITLE_PT, bold=True, align=CENTRE, space_after=12)
    _articles(document, decision, items)
    _signature(document, decision, usable_cm=PORTRAIT_CM)
    if items:
        _annex(document, decision, items)
    return to_bytes(document)


def decision_pdf(decision, *, place: str = "") -> bytes:
    """The decision with its annex as PDF: the .docx above, converted by LibreOffice (awards.core.pdf)."""
    return to_pdf(decision_docx(decision, place=place))


def _chosen(decision, item_ids) -> list:
    items = sorted(decision.items, key=lambda item: item.position)
    if item_ids is None:
        return items
    wanted = set(item_ids)
    unknown = sorted(wanted - {item.id for item in items})
    if unknown:
        raise ValueError(f"Quyết định {decision.number} không có người nhận số {unknown[0]}.")
    if not wanted:
        raise ValueError("Chọn ít nhất một người nhận.")
    return [item for item in items if item.id in wanted]


def _certificate(document, decision, item, *, place: str):
    nomination = item.nomination
    award = DEFAULTS.get(nomination.award_code)
    para(document, clean(decision.issuer).upper(), size=TITLE_PT, bold=True, align=CENTRE)
    para(document, MOTTO_NATION, size=TITLE_PT, bold=True, align=CENTRE, space_before=6)
    para(document, MOTTO, size=TITLE_PT, bold=True, align=CENTRE, space_after=24)
    para(document, name_of(nomination.award_code).upper(), size=32, bold=True, align=CENTRE)
    if award is not None and award.form == TITLE:
        para(document, f"Năm {nomination.year}", size=TITLE_PT, bold=True, align=CENTRE)
    para(document, f"Tặng: {subject_name(nomination)}", size=18, bold=True, align=CENTRE, space_before=18)
    unit = position_and_unit(nomination)
    if unit:
        para(document, unit, size=TITLE_PT, align=CENTRE, space_before=4)
    para(document, _achievement(nomination), size=TITLE_PT, italic=True, align=CENTRE, space_before=12,
         space_after=18)
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [LANDSCAPE_CM / 2, LANDSCAPE_CM / 2])
    left, right = table.rows[0].cells
    cell_lines(left, [{"text": f"Quyết định số {clean(decision.number)}, {long_date(decision.signed_on)}",
                       "align": CENTRE},
                      {"text": f"Số sổ vàng: {_gold_book(item)}", "align": CENTRE}])
    cell_lines(right, [{"text": date_line(place, decision.signed_on), "italic": True, "align": CENTRE},
                       {"text": SIGNER_ROLE, "bold": True, "align": CENTRE},
                       *({"text": ""} for _ in range(3)),
                       {"text": clean(decision.signer), "bold": True, "align": CENTRE}])


def certificates_docx(decision, item_ids=None, *, place: str = "") -> bytes:
    """One certificate per recipient (all, or the DecisionItem ids in `item_ids`), each in its own landscape
    A4 section (a new page), in gold-book order. An id not in the decision raises ValueError."""
    items = _chosen(decision, item_ids)
    document = new_document(landscape=True)
    for index, item in enumerate(items):
        if index:
            document.add_section(WD_SECTION.NEW_PAGE)  # a copy of the landscape section before it
        _certificate(document, decision, item, place=place)
    return to_bytes(document)
