"""The minutes of a closed council session (Biên bản họp Hội đồng TĐKT và kiểm phiếu, RULES §5): council, date,
members present and absent, ballots cast, quorum, per dossier yes/no and result, recusals; as .docx and .xlsx.

`minutes_of` reads the database (a few queries, none per item) into plain frozen data; the two builders read
only that data. Secret ballots stay secret: the minutes hold counts and who took part, never who chose what."""

import io
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from sqlalchemy import select

from awards.catalog import services as catalog
from awards.core import clock
from awards.core.docx import DOCX_MIME, clean, date_line
from awards.core.pdf import PDF_MIME, to_pdf
from awards.core.xlsx import new_workbook, write_rows
from awards.council import queries, rules, voting
from awards.documents.queries import signing
from awards.documents.services import render_document
from awards.extensions import db
from awards.units.models import Unit

__all__ = ["DOCX_MIME", "PDF_MIME", "XLSX_MIME", "Minutes", "MemberLine", "ItemLine", "RecusalLine", "minutes_of",
           "to_docx", "to_pdf_bytes", "to_xlsx"]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG VÀ KIỂM PHIẾU"
ROLE_LABELS = {"chair": "Chủ tịch", "vice_chair": "Phó Chủ tịch", "member": "Ủy viên", "secretary": "Ủy viên thư ký"}
ROLE_ORDER = ("chair", "vice_chair", "secretary", "member")
BALLOT_LABELS = {"secret": "Bỏ phiếu kín", "open": "Biểu quyết công khai"}
PASSED, FAILED = "Đạt", "Không đạt"
AUTOMATIC, DECLARED = "Tự động", "Tự khai"
NO_RECUSAL = "Không có thành viên nào tránh xung đột lợi ích."
SECRECY_NOTE = ("Ghi chú: phiếu kín được kiểm theo tổng số phiếu của từng hồ sơ; hệ thống không lưu và biên bản "
                "không thể hiện thành viên nào đã chọn phương án nào. Phiếu không ghi ý kiến đối với một hồ sơ "
                "được tính là không đồng ý.")
TABLE_HEADERS = ("STT", "Họ tên / Tập thể", "Đơn vị", "Danh hiệu/Hình thức", "Hình thức biểu quyết", "Đồng ý",
                 "Không đồng ý (trong đó bỏ trống)", "Cần đạt", "Kết quả")
XLSX_HEADERS = ("STT", "Họ tên / Tập thể", "Đơn vị", "Danh hiệu/Hình thức", "Hình thức biểu quyết", "Đồng ý",
                "Không đồng ý", "Trong đó bỏ trống", "Cần đạt", "Kết quả", "Thành viên không tham gia")
XLSX_WIDTHS = (6, 30, 30, 28, 20, 9, 12, 12, 9, 11, 36)


@dataclass(frozen=True)
class MemberLine:
    user_id: int
    name: str
    role: str  # chair | vice_chair | member | secretary
    present: bool  # cast a ballot

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass(frozen=True)
class ItemLine:
    position: int
    nomination_id: int
    nominee: str
    unit_name: str
    award: str
    ballot: str  # secret | open
    yes: int
    no: int  # every ballot on the item that is not yes
    blank: int  # of which left blank
    needed: int
    passed: bool
    recused: tuple[str, ...]  # the members who took no part in this item

    @property
    def ballot_label(self) -> str:
        return BALLOT_LABELS.get(self.ballot, self.ballot)

    @property
    def result_label(self) -> str:
        return PASSED if self.passed else FAILED


@dataclass(frozen=True)
class RecusalLine:
    position: int
    nomination_id: int
    nominee: str
    member: str
    reason: str
    automatic: bool

    @property
    def kind_label(self) -> str:
        return AUTOMATIC if self.automatic else DECLARED


@dataclass(frozen=True)
class Minutes:
    council_code: str
    council_name: str
    unit_name: str  # the unit the council advises: the issuer
    title: str
    round: int
    opened_at: datetime | None  # Vietnam time
    closed_at: datetime | None
    total_members: int
    ballots_cast: int
    quorum: float  # the share of the total membership that had to take part
    quorum_needed: int  # members that share requires
    quorum_met: bool
    members: tuple[MemberLine, ...]
    items: tuple[ItemLine, ...]
    recusals: tuple[RecusalLine, ...]
    session_id: int | None = None
    place: str = ""  # the council's unit's place (địa danh) for the date line
    unit: object = field(default=None, compare=False, repr=False)  # the council's unit: whose template is used

    @property
    def present(self) -> tuple[MemberLine, ...]:
        return tuple(m for m in self.members if m.present)

    @property
    def absent(self) -> tuple[MemberLine, ...]:
        return tuple(m for m in self.members if not m.present)

    def name_of_role(self, role: str) -> str | None:
        """The first member holding `role` (the chair, the secretary), or None."""
        return next((m.name for m in self.members if m.role == role), None)


# ---------------------------------------------------------------------------------------------- reading

def _person_name(user) -> str:
    """A member as the minutes name them: their person's full name, else the account's."""
    if user.person is not None:
        return user.person.full_name
    return user.full_name or user.username


def _member_lines(seats, voters: set[int]) -> tuple[MemberLine, ...]:
    lines = [MemberLine(user_id=s.user_id, name=_person_name(s.user), role=s.role, present=s.user_id in voters)
             for s in seats]
    rank = {role: n for n, role in enumerate(ROLE_ORDER)}
    return tuple(sorted(lines, key=lambda m: (rank.get(m.role, len(rank)), m.user_id)))


def _parent_names(nominations) -> dict[int, str]:
    """The parent units of the collectives on the agenda, in one query: a collective's 'Đơn vị'."""
    ids = {n.unit.parent_id for n in nominations if n.subject_type != "person" and n.unit.parent_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())


def _item_lines(rows: list[dict], recused: dict[int, list[str]]) -> tuple[ItemLine, ...]:
    parents = _parent_names([row["item"].nomination for row in rows])
    lines = []
    for row in rows:
        item, nomination = row["item"], row["item"].nomination
        unit = (nomination.unit.name if nomination.subject_type == "person"
                else parents.get(nomination.unit.parent_id, ""))
        lines.append(ItemLine(position=item.position, nomination_id=item.nomination_id,
                              nominee=nomination.subject_name, unit_name=unit,
                              award=catalog.award_name(nomination.award_code),
                              ballot=row["ballot"], yes=row["yes"], no=row["no"], blank=row["blank"],
                              needed=row["needed"], passed=bool(row["passed"]),
                              recused=tuple(recused.get(item.nomination_id, ()))))
    return tuple(lines)


def _recusal_lines(recusals, items: dict[int, tuple[int, str]], names: dict[int, str]) -> tuple[RecusalLine, ...]:
    lines = [RecusalLine(position=items[r.nomination_id][0], nomination_id=r.nomination_id,
                         nominee=items[r.nomination_id][1], member=names.get(r.user_id) or _person_name(r.user),
                         reason=r.reason, automatic=bool(r.automatic))
             for r in recusals if r.nomination_id in items]
    return tuple(sorted(lines, key=lambda r: (r.position, r.member)))


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(clock.VIETNAM) if moment is not None else None


def minutes_of(session) -> Minutes:
    """The minutes of a closed session; DomainError 409 (not_closed) before the close."""
    tally = voting.results(session)
    members = _member_lines(session.members, queries.voters(session))
    names = {m.user_id: m.name for m in members}
    recusals = queries.recusals(session)
    recused: dict[int, list[str]] = {}
    for recusal in recusals:
        recused.setdefault(recusal.nomination_id, []).append(names.get(recusal.user_id) or _person_name(recusal.user))
    items = _item_lines(tally["items"], recused)
    council, quorum = session.council, float(tally["quorum"] or 0)
    return Minutes(
        council_code=council.code, council_name=council.name, unit_name=council.unit.name if council.unit else "",
        title=session.title, round=session.round or 1, opened_at=_local(session.opened_at),
        closed_at=_local(session.closed_at), total_members=tally["members"], ballots_cast=tally["ballots_cast"],
        quorum=quorum, quorum_needed=rules.at_least(quorum, tally["members"]), quorum_met=tally["quorum_met"],
        members=members, items=items,
        recusals=_recusal_lines(recusals, {i.nomination_id: (i.position, i.nominee) for i in items}, names),
        session_id=session.id, place=signing(council.unit).place, unit=council.unit)


# ---------------------------------------------------------------------------------------------- wording

def _number(value: float) -> str:
    """80 → '80', 66.666… → '66,67': Vietnamese decimal comma, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def share_text(share: float) -> str:
    """A share as people write it: 0.8 → '80%', 2/3 → '2/3'."""
    exact = Fraction(share).limit_denominator(1000)
    if (exact * 100).denominator == 1:
        return f"{exact * 100}%"
    return f"{exact.numerator}/{exact.denominator}"


def quorum_text(m: Minutes) -> str:
    """'Số thành viên tham gia: 8/10 (tỷ lệ 80%), đạt tỷ lệ tối thiểu 2/3 (7 thành viên).'"""
    rate = _number(100 * m.ballots_cast / m.total_members) if m.total_members else "0"
    verdict = "đạt" if m.quorum_met else "không đạt"
    text = (f"Số thành viên tham gia: {m.ballots_cast}/{m.total_members} (tỷ lệ {rate}%), {verdict} tỷ lệ tối "
            f"thiểu {share_text(m.quorum)} ({m.quorum_needed} thành viên).")
    if not m.quorum_met:
        text += " Do không đủ số thành viên tham gia, không hồ sơ nào được thông qua."
    return text


def _moment(moment: datetime | None) -> str:
    return moment.strftime("%H giờ %M ngày %d/%m/%Y") if moment else "……"


def _against(line: ItemLine) -> str:
    return f"{line.no} ({line.blank})" if line.blank else str(line.no)


def _recusal_text(line: RecusalLine) -> str:
    how = "tự động xác định" if line.automatic else "tự khai"
    return (f"- {clean(line.member)}: không tham gia biểu quyết hồ sơ số {line.position} ({clean(line.nominee)}). "
            f"Lý do: {clean(line.reason).strip().rstrip('.')} ({how}).")


# ---------------------------------------------------------------------------------------------- .docx

def docx_context(m: Minutes) -> dict:
    """The minutes as the template's plain text (awards.documents.kinds: bien_ban)."""
    items = [{"no": str(line.position), "name": clean(line.nominee), "unit": clean(line.unit_name),
              "award": line.award, "ballot": line.ballot_label, "yes": str(line.yes), "no_votes": _against(line),
              "needed": str(line.needed), "result": line.result_label} for line in m.items]
    secretary, chair = m.name_of_role("secretary"), m.name_of_role("chair")
    return {"unit_name": clean(m.unit_name), "council_name": clean(m.council_name),
            "council_code": clean(m.council_code),
            "date_line": date_line(m.place, m.closed_at.date()) if m.closed_at is not None else "",
            "title": clean(m.title), "round": m.round, "opened": _moment(m.opened_at), "closed": _moment(m.closed_at),
            "total_members": m.total_members,
            "present": [{"name": clean(x.name), "role": x.role_label} for x in m.present],
            "absent": [{"name": clean(x.name), "role": x.role_label} for x in m.absent],
            "quorum_text": quorum_text(m), "items": items, "recusals": [_recusal_text(r) for r in m.recusals],
            "no_recusal": NO_RECUSAL, "secrecy_note": SECRECY_NOTE,
            "secretary_name": clean(secretary) if secretary else "", "chair_name": clean(chair) if chair else ""}


def to_docx(m: Minutes) -> bytes:
    """The minutes as a Word document, ready for signature, from the template in force for the council's unit
    (the built-in one: A4, Times New Roman, NĐ 30/2020 layout); the generation is recorded on the session."""
    return render_document("bien_ban", m.unit, docx_context(m), object_type="council_session",
                           object_id=m.session_id if m.session_id is not None else m.council_code)


def to_pdf_bytes(m: Minutes) -> bytes:
    """The minutes as PDF (the .docx above through LibreOffice)."""
    return to_pdf(to_docx(m))


# ---------------------------------------------------------------------------------------------- .xlsx

def _texts(rows):
    """Rows with their text cleaned of control characters; numbers stay numbers."""
    return [[clean(v) if isinstance(v, str) else v for v in row] for row in rows]


def _title_block(m: Minutes) -> list[list]:
    """The session's facts under the title: labels in column B (wide), values in column C."""
    facts = [("Hội đồng", m.council_name), ("Phiên họp", m.title), ("Vòng bỏ phiếu", m.round),
             ("Thời gian bỏ phiếu", f"từ {_moment(m.opened_at)} đến {_moment(m.closed_at)}"),
             ("Tổng số thành viên", m.total_members), ("Số thành viên tham gia", m.ballots_cast),
             ("Tỷ lệ tối thiểu", share_text(m.quorum)), ("Số thành viên tối thiểu", m.quorum_needed),
             ("Đủ số thành viên tham gia", "Có" if m.quorum_met else "Không")]
    return [[None, label, value] for label, value in facts]


def _item_rows(m: Minutes) -> list[list]:
    return [[line.position, line.nominee, line.unit_name, line.award, line.ballot_label, line.yes, line.no,
             line.blank, line.needed, line.result_label, ", ".join(line.recused) or None] for line in m.items]


def _sheet(book, name: str, headers, rows, *, at: int = 0, widths=None):
    """A sheet with a bold, frozen header row at `at` and its rows below, text written as text."""
    sheet = book.add_worksheet(name)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    for col, title in enumerate(headers):
        sheet.write_string(at, col, title, header)
        sheet.set_column(col, col, widths[col] if widths else max(14, min(50, len(title) + 6)))
    sheet.freeze_panes(at + 1, 0)
    write_rows(sheet, at + 1, _texts(rows))
    return sheet


def to_xlsx(m: Minutes) -> bytes:
    """The minutes as a workbook: results (with a title block), members, recusals; no cell is a formula."""
    buffer = io.BytesIO()
    book = new_workbook(buffer, {"in_memory": True})
    block = _title_block(m)
    results = _sheet(book, "Kết quả", XLSX_HEADERS, _item_rows(m), at=len(block) + 2, widths=XLSX_WIDTHS)
    results.write_string(0, 0, TITLE, book.add_format({"bold": True, "font_size": 13}))
    write_rows(results, 1, _texts(block))
    _sheet(book, "Thành viên", ("Họ tên", "Vai trò", "Tham gia"),
           [[line.name, line.role_label, "Có" if line.present else "Không"] for line in m.members])
    _sheet(book, "Tránh xung đột", ("STT hồ sơ", "Hồ sơ", "Thành viên", "Lý do", "Tự động/Tự khai"),
           [[line.position, line.nominee, line.member, line.reason, line.kind_label] for line in m.recusals])
    book.close()
    return buffer.getvalue()
