"""Paper documents generated from a unit's dossiers: the Tờ trình đề nghị khen thưởng and the Danh sách đề nghị
khen thưởng, as .docx (or PDF) bytes, from the template in force for the unit (awards.documents: the built-in one
follows Nghị định 30/2020/NĐ-CP's layout).

They read the objects they are given (a Unit, Nominations with their person/unit loaded) into a context of plain
text, render the template and record the generated document (kind, unit and year, template version)."""

from collections.abc import Iterable
from datetime import date

from awards.catalog import services as catalog
from awards.catalog.types import DEFAULTS
from awards.core.docx import DOCX_MIME, clean, date_line, long_date
from awards.core.pdf import PDF_MIME, to_pdf
from awards.documents.queries import signing
from awards.documents.services import render_document

__all__ = ["DOCX_MIME", "PDF_MIME", "addressee", "birth", "clean", "count_text", "date_line", "grouped",
           "header_context", "is_person", "nominee_list_docx", "nominee_list_pdf", "position_and_unit",
           "proposal_docx", "proposal_pdf", "subject_name"]

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
        award = catalog.known_award(code)
        return (LEVEL_ORDER.get(award.level, 9) if award else 9, _AWARD_ORDER.get(code, 99), code)

    return [(code, sorted(groups[code], key=lambda n: (not is_person(n), n.id or 0)))
            for code in sorted(groups, key=order)]


def addressee(unit, nominations: list) -> str:
    """Who decides the first dossier's award (DEFAULTS[...].decided_by); for awards the head of a unit
    decides, the parent unit; else the unit's own emulation council."""
    award = catalog.known_award(nominations[0].award_code) if nominations else None
    if award is not None and award.decided_by != _HEAD:
        return award.decided_by
    if unit.parent is not None:
        return clean(unit.parent.name)
    return award.decided_by if award else "Hội đồng Thi đua - Khen thưởng"


# ---------------------------------------------------------------------------------------------- context

def header_context(unit, *, symbol: str, number: str, place: str, on: date) -> dict:
    """The issuer (under its parent), number, place and date, signer and recipients of a unit's document."""
    signer = signing(unit)
    return {"issuer_parent": clean(unit.parent.name) if unit.parent is not None else "",
            "issuer": clean(unit.name), "number": clean(number).strip() or "      ",
            "symbol": f"{symbol}-{clean(unit.code).upper()}", "place": clean(place).strip() or signer.place,
            "date_long": long_date(on), "place_date": date_line(place.strip() or signer.place, on),
            "signer_title": signer.title, "signer_name": signer.name}


def _groups(nominations, row) -> list[dict]:
    groups, counter = [], 0
    for index, (code, items) in enumerate(grouped(nominations)):
        roman = _ROMAN[index] if index < len(_ROMAN) else str(index + 1)
        rows = []
        for nomination in items:
            counter += 1
            rows.append({"no": str(counter), **row(nomination, code)})
        groups.append({"heading": f"{roman}. {catalog.award_name(code)} ({count_text(items)})",
                       "award": catalog.award_name(code),
                       "count": count_text(items), "rows": rows})
    return groups


def _proposal_row(nomination, code) -> dict:
    return {"name": subject_name(nomination), "position_unit": position_and_unit(nomination),
            "award": catalog.award_name(code),
            "summary": clean(nomination.summary)}


def _list_row(nomination, code) -> dict:
    person = nomination.person if is_person(nomination) else None
    row = {"award": catalog.award_name(code), "kind": KIND_LABELS.get(nomination.kind, clean(nomination.kind)),
           "note": ""}
    if person is not None:
        gender = GENDER_LABELS.get(str(getattr(person.gender, "value", person.gender)), "")
        return {**row, "name": clean(person.full_name), "gender": gender, "birth": birth(person.birth_date),
                "position": clean(person.position),
                "unit": clean(person.unit.name if person.unit else nomination.unit.name)}
    parent = nomination.unit.parent
    return {**row, "name": clean(nomination.unit.name), "gender": "", "birth": "", "position": "",
            "unit": clean(parent.name) if parent else ""}


# ---------------------------------------------------------------------------------------------- documents

def proposal_context(unit, nominations, *, number: str = "", place: str = "", on: date, year: int | None = None,
                     to: str | None = None) -> dict:
    """`to`: the addressee when it is known (a batch forwarded to the level above: that level), else who decides
    the first dossier's award (addressee())."""
    nominations = list(nominations)
    year = year or (nominations[0].year if nominations else on.year)
    return {**header_context(unit, symbol="TTr", number=number, place=place, on=on), "year": year,
            "addressee": clean(to) if to else addressee(unit, nominations), "count_text": count_text(nominations),
            "groups": _groups(nominations, _proposal_row),
            "recipients": ["Như trên;", "Hội đồng TĐKT đơn vị;", "Lưu: VT, TĐKT."]}


def proposal_docx(unit, nominations, *, number: str = "", place: str = "", on: date, year: int | None = None,
                  to: str | None = None) -> bytes:
    """Tờ trình đề nghị khen thưởng of `unit` for `nominations` (any order), dated `on`, from the template in
    force for the unit (awards.documents)."""
    context = proposal_context(unit, nominations, number=number, place=place, on=on, year=year, to=to)
    return render_document("to_trinh", unit, context, object_type="unit", object_id=f"{unit.code}/{context['year']}")


def nominee_list_context(unit, nominations, *, year: int, on: date, number: str = "", place: str = "") -> dict:
    nominations = list(nominations)
    return {**header_context(unit, symbol="TTr", number=number, place=place, on=on), "year": year,
            "date_short": on.strftime("%d/%m/%Y"), "count_text": count_text(nominations), "total": len(nominations),
            "groups": _groups(nominations, _list_row), "recipients": ["Như trên;", "Lưu: VT, TĐKT."]}


def nominee_list_docx(unit, nominations, *, year: int, on: date | None = None, number: str = "",
                      place: str = "") -> bytes:
    """Danh sách đề nghị khen thưởng (landscape A4): one row per dossier, grouped by award, with the total."""
    from awards.core import clock

    context = nominee_list_context(unit, nominations, year=year, on=on or clock.today(), number=number, place=place)
    return render_document("danh_sach", unit, context, object_type="unit", object_id=f"{unit.code}/{year}")


def proposal_pdf(unit, nominations, **kwargs) -> bytes:
    return to_pdf(proposal_docx(unit, nominations, **kwargs))


def nominee_list_pdf(unit, nominations, **kwargs) -> bytes:
    return to_pdf(nominee_list_docx(unit, nominations, **kwargs))
