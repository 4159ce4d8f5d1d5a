"""Paper documents of an award decision, as .docx or PDF bytes: the Quyết định khen thưởng with its annexed list
of recipients (landscape), one certificate per recipient, and the notification of the result to a unit — each from
the template in force for the issuing unit (awards.documents; the built-in ones follow Nghị định 30/2020/NĐ-CP).

They read the Decision they are given (its items, their nominations and archive records, through the lazy
relationships) into a context of plain text, render it and record the generation. Text is never interpreted."""

import re
from datetime import date

from awards.catalog import services as catalog
from awards.catalog.rules import RULESETS
from awards.catalog.types import COMMENDATION, TITLE
from awards.core.docx import DOCX_MIME, clean, date_line, long_date
from awards.core.pdf import PDF_MIME, to_pdf
from awards.documents.queries import signing
from awards.documents.services import render_document
from awards.nominations.documents import count_text, is_person, position_and_unit, subject_name
from awards.prizes.rules import format_coefficient, format_dong

__all__ = ["DOCX_MIME", "PDF_MIME", "certificates_docx", "certificates_pdf", "decision_context", "decision_docx",
           "decision_pdf", "notification_docx", "notification_pdf", "prize_total", "recipient_units"]

LAW_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15"
LAW_2022_FROM = date(2024, 1, 1)
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
    award = catalog.known_award(code)  # built-in or stored (issue 25)
    name = award.name if award is not None else code
    return f"danh hiệu “{name}”" if award is not None and award.form == TITLE else name


def _codes(items) -> list[str]:
    return list(dict.fromkeys(item.nomination.award_code for item in items))


def _subject(items) -> str:
    """'Về việc tặng danh hiệu “…” năm 2025' when every recipient has the same award, else 'Về việc khen thưởng'."""
    codes = _codes(items)
    if len(codes) != 1:
        return "Về việc khen thưởng"
    award, years = catalog.known_award(codes[0]), {item.nomination.year for item in items}
    year = f" năm {years.pop()}" if award is not None and award.form == TITLE and len(years) == 1 else ""
    return f"Về việc tặng {_award_phrase(codes[0])}{year}"


def _what_they_receive(items) -> str:
    forms = {getattr(catalog.known_award(code), "form", None) for code in _codes(items)}
    if forms == {TITLE}:
        return "Giấy chứng nhận"
    if forms == {COMMENDATION} and len(_codes(items)) == 1:
        return catalog.award_name(_codes(items)[0])
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


# ---------------------------------------------------------------------------------------------- context

def _signer(decision, place: str) -> dict:
    """The issuing unit's place and head's title; the signer's name is the decision's own."""
    signer = signing(decision.unit)
    place = clean(place).strip() or signer.place
    return {"place": place, "date_long": long_date(decision.signed_on),
            "place_date": date_line(place, decision.signed_on),
            "signer_title": signer.title or _title_from_issuer(decision.issuer),
            "signer_name": clean(decision.signer).strip()}


def _title_from_issuer(issuer: str) -> str:
    """A decision with no issuing unit (from before units had their own): its head's usual title, from the name."""
    text = clean(issuer).strip().casefold()
    return "Chủ tịch" if text.startswith(("ủy ban", "uỷ ban")) else "Giám đốc"


def _row(item) -> dict:
    nomination = item.nomination
    return {"no": str(item.position), "name": subject_name(nomination), "position_unit": position_and_unit(nomination),
            "award": catalog.award_name(nomination.award_code), "year": str(nomination.year),
            "gold_book": _gold_book(item),
            "coefficient": format_coefficient(item.prize_coefficient), "prize": format_dong(item.prize_amount)}


def prize_total(items) -> int:
    """The decision's prize money: the amounts written on its recipients when it was issued (awards/prizes)."""
    return sum(item.prize_amount or 0 for item in items)


def decision_context(decision, *, place: str = "") -> dict:
    items = sorted(decision.items, key=lambda item: item.position)
    signer = _signer(decision, place)
    issuer = clean(decision.issuer).strip()
    nominations = [item.nomination for item in items]
    codes = _codes(items)
    award = f"Tặng {_award_phrase(codes[0])} cho" if len(codes) == 1 else "Khen thưởng"
    people = any(is_person(n) for n in nominations)
    collectives = any(not is_person(n) for n in nominations)
    who = ", ".join(w for w, present in (("CÁ NHÂN", people), ("TẬP THỂ", collectives)) if present)
    return {**signer, "issuer_parent": "", "issuer": issuer, "number": clean(decision.number), "symbol": "",
            "subject": _subject(items), "authority": f"{signer['signer_title']} {issuer}".upper(),
            "legal_basis": legal_basis(decision.signed_on),
            "article_1": f"{award} {count_text(nominations)} có tên trong danh sách kèm theo Quyết định này "
                         f"({len(items)} trường hợp), đã có thành tích trong phong trào thi đua.",
            "article_2": f"Cá nhân, tập thể có tên tại Điều 1 được nhận {_what_they_receive(items)} và tiền thưởng "
                         "theo quy định của pháp luật về thi đua, khen thưởng.",
            "annex_title": f"DANH SÁCH {who} ĐƯỢC KHEN THƯỞNG",
            "annex_note": f"(Kèm theo Quyết định số {clean(decision.number)} {long_date(decision.signed_on)} "
                          f"của {issuer})",
            "annex_groups": [{"heading": heading, "rows": [_row(item) for item in group]}
                             for heading, group in _by_subject(items)],
            "total_text": f"Tổng cộng: {len(items)} ({count_text(nominations)}).",
            "prize_total_text": f"Tổng số tiền thưởng: {format_dong(prize_total(items))} đồng.",
            "recipients": ["Như Điều 3;", "Hội đồng TĐKT;", "Lưu: VT, TĐKT."]}


def _by_subject(items) -> list[tuple[str, list]]:
    """Individuals then collectives, each in gold-book order; one unnamed group when only one kind exists."""
    people = [item for item in items if is_person(item.nomination)]
    collectives = [item for item in items if not is_person(item.nomination)]
    if not people or not collectives:
        return [("", list(items))]
    return [(f"I. Cá nhân ({len(people)})", people), (f"II. Tập thể ({len(collectives)})", collectives)]


def _certificate(item) -> dict:
    nomination = item.nomination
    award = catalog.known_award(nomination.award_code)
    return {"award": catalog.award_name(nomination.award_code),
            "year_line": f"Năm {nomination.year}" if award is not None and award.form == TITLE else "",
            "name": subject_name(nomination), "unit_line": position_and_unit(nomination),
            "achievement": _achievement(nomination), "gold_book": _gold_book(item)}


# ---------------------------------------------------------------------------------------------- documents

def decision_docx(decision, *, place: str = "") -> bytes:
    """The Quyết định khen thưởng (A4 portrait) and its annexed list of recipients (A4 landscape), from the
    template in force for the issuing unit; the generation is recorded against the decision."""
    return render_document("quyet_dinh", decision.unit, decision_context(decision, place=place),
                           object_type="decision", object_id=decision.id)


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


def certificates_docx(decision, item_ids=None, *, place: str = "") -> bytes:
    """One certificate per recipient (all, or the DecisionItem ids in `item_ids`), each in its own landscape
    A4 section (a new page), in gold-book order. An id not in the decision raises ValueError."""
    items = _chosen(decision, item_ids)
    context = {**_signer(decision, place), "issuer": clean(decision.issuer).strip(),
               "decision_number": clean(decision.number), "decision_date": long_date(decision.signed_on),
               "certificates": [_certificate(item) for item in items]}
    return render_document("giay_chung_nhan", decision.unit, context, object_type="decision", object_id=decision.id)


def certificates_pdf(decision, item_ids=None, *, place: str = "") -> bytes:
    return to_pdf(certificates_docx(decision, item_ids, place=place))


def recipient_units(decision) -> list:
    """The units whose people or sub-units the decision awards (a collective counts for its parent), by name."""
    units = {}
    for item in decision.items:
        unit = _owner(item.nomination)
        if unit is not None:
            units[unit.id] = unit
    return sorted(units.values(), key=lambda u: (u.name, u.code))


def _owner(nomination):
    if is_person(nomination) and nomination.person is not None and nomination.person.unit is not None:
        return nomination.person.unit
    return nomination.unit.parent or nomination.unit


def notice_units(decision) -> list:
    """The units told of the result by a notification letter: each recipient's own unit, once, in decision order."""
    units = {}
    for item in sorted(decision.items, key=lambda i: i.position):
        owner = _owner(item.nomination)
        if owner is not None:
            units.setdefault(owner.id, owner)
    return list(units.values())


def notification_docx(decision, unit, *, place: str = "") -> bytes:
    """Thông báo kết quả khen thưởng to `unit`: its people and collectives awarded by the decision. ValueError
    when the decision awards no one of that unit."""
    items = [item for item in sorted(decision.items, key=lambda i: i.position)
             if (owner := _owner(item.nomination)) is not None and owner.id == unit.id]
    if not items:
        raise ValueError(f"Quyết định {decision.number} không khen thưởng ai thuộc {unit.name}.")
    issuer_unit = decision.unit
    context = {**_signer(decision, place),
               "issuer_parent": clean(issuer_unit.parent.name) if issuer_unit and issuer_unit.parent else "",
               "issuer": clean(issuer_unit.name if issuer_unit else decision.issuer), "number": "      ",
               "symbol": f"TB-{clean(issuer_unit.code).upper()}" if issuer_unit else "TB",
               "unit_name": clean(unit.name), "decision_number": clean(decision.number),
               "decision_date": long_date(decision.signed_on), "decision_issuer": clean(decision.issuer),
               "count_text": count_text([item.nomination for item in items]), "rows": [_row(i) for i in items],
               "recipients": [f"{clean(unit.name)};", "Lưu: VT, TĐKT."]}
    if issuer_unit is not None:
        context["signer_name"] = signing(issuer_unit).name or context["signer_name"]
    return render_document("thong_bao", issuer_unit, context, object_type="decision",
                           object_id=f"{decision.id}/{unit.code}")


def notification_pdf(decision, unit, *, place: str = "") -> bytes:
    return to_pdf(notification_docx(decision, unit, place=place))
