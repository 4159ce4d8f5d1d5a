"""What a Department already keeps in Excel, brought in all rows or none: people, the unit tree, yearly ratings of
people and of units, disciplines and initiatives.

One engine for every kind. A `Kind` says which columns its sheet has (found by header text, in any order, with or
without diacritics), how one row is read (`parse`), what is checked against the database before anything is
stored (`check`), and which service stores one row (`store`). `read_sheet` turns the first sheet into plain rows
and row errors (Excel row number, column, Vietnamese message); `run_import` checks them and stores them through
the services inside a savepoint, rolled back on any error or on a dry run. Callers commit.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from awards.core import audit
from awards.core.db import DomainError
from awards.core.text import fold
from awards.core.xlsx import cell_date, cell_text, open_workbook
from awards.extensions import db
from awards.units import queries, services
from awards.units.models import (
    DISCIPLINE_LABELS,
    OCCUPATION_LABELS,
    RATING_LABELS,
    SCOPE_LABELS,
    OccupationGroup,
    Person,
    PersonEvaluation,
    Unit,
    UnitEvaluation,
)

MAX_ROWS = 20_000
CODE = re.compile(r"^[A-Za-z0-9._-]+$")

_GENDERS = {"nam": "male", "male": "male", "m": "male", "nu": "female", "female": "female", "f": "female"}
_YES = {"co", "x", "yes", "true", "1", "c", "y"}
_NO = {"khong", "no", "false", "0", "k", "n", ""}


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class RowError(Exception):
    """One row's fault: the message, and the field (a key of the kind's headers) it is about, when one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


_RowError = RowError


def _error(kind: "Kind", number: int, message: str, field: str | None = None) -> dict:
    error = {"row": number, "message": message}
    if field in kind.headers:
        error["column"] = kind.headers[field]
    return error


# --- cells -------------------------------------------------------------------------------------------------------

def _gender(value) -> str:
    text = cell_text(value)
    gender = _GENDERS.get(fold(text))
    if gender is None:
        raise RowError(_("Giới tính “%(v)s” không hợp lệ (cần Nam hoặc Nữ).", v=text), "gender")
    return gender


def _date(value, field: str = "birth_date", label: str | None = None) -> date | None:
    try:
        return cell_date(value)
    except ValueError:
        raise RowError(_("%(c)s “%(v)s” không hợp lệ (cần một ngày có thật, dạng dd/mm/yyyy).",
                         c=label or _("Ngày sinh"), v=cell_text(value)), field) from None


def _flag(value, column: str, field: str | None = None) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    folded = fold(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise RowError(_("Cột “%(c)s”: giá trị “%(v)s” không hợp lệ (cần Có hoặc Không).", c=column, v=text), field)


def _code(text: str, label: str, field: str) -> str:
    if not CODE.match(text):
        raise RowError(_("%(c)s “%(v)s” chỉ được dùng chữ cái không dấu, chữ số, dấu gạch ngang, gạch dưới hoặc "
                         "dấu chấm.", c=label, v=text), field)
    return text


def _year(value) -> int:
    text = cell_text(value)
    try:
        return services.check_year(int(text))
    except ValueError:
        raise RowError(_("Năm “%(v)s” không hợp lệ (cần một năm như 2024).", v=text), "year") from None
    except DomainError as exc:
        raise RowError(exc.message, "year") from None


def _choice(value, words: dict[str, str], field: str, what: str, allowed: str) -> str:
    """A vocabulary cell: the stored word, its Vietnamese label or an abbreviation, folded."""
    text = cell_text(value)
    found = words.get(fold(text))
    if found is None:
        raise RowError(_("%(c)s “%(v)s” không hợp lệ (cần một trong: %(a)s).", c=what, v=text, a=allowed), field)
    return found


def _vocabulary(labels: dict, extra: dict[str, str] | None = None) -> dict[str, str]:
    words = {fold(str(value)): str(value) for value in labels}
    words.update({fold(str(label)): str(value) for value, label in labels.items()})
    words.update({fold(k): v for k, v in (extra or {}).items()})
    return words


RATING_ABBREVIATIONS = {"HTXSNV": "excellent", "HTTNV": "good", "HTNV": "done", "KHTNV": "not_done",
                        "Xuất sắc": "excellent", "Tốt": "good", "Hoàn thành": "done", "Không hoàn thành": "not_done"}
SCOPE_WORDS = {"Cơ sở": "unit", "Đơn vị": "unit", "Tỉnh": "provincial", "Toàn quốc": "national",
               "Quốc gia": "national", "Cấp quốc gia": "national", "Cấp toàn quốc": "national"}


def _rating(value) -> str:
    return _choice(value, _vocabulary(RATING_LABELS, RATING_ABBREVIATIONS), "rating", _("Xếp loại"),
                   "HTXSNV, HTTNV, HTNV, KHTNV")


# --- the engine --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    """One sheet the Department keeps: its columns, how a row reads, what is checked, which service stores it."""

    name: str  # in the page and API paths: /imports/<name>
    title: object  # lazy Vietnamese title
    noun: object  # what one row is, for "Đã nhập 12 …"
    headers: dict[str, str]  # field -> header text (Vietnamese whatever the interface language)
    required: tuple[str, ...]
    template: tuple[str, ...]
    parse: Callable[[Callable], dict]  # cell(field) -> the row's values; RowError on a fault
    key: Callable[[dict], tuple]  # two rows with one key are the same fact
    duplicate: Callable[[dict, int], str]  # the message for a repeated key (row, first row number)
    check: Callable[[list[dict], object], list[dict]]  # database checks: the rows that may be stored + errors
    store: Callable[[dict, object], object]  # the service call for one row
    example: Callable[[str, str], list[dict]]  # (unit code, person code) -> example rows of the template
    action: str  # the audit action of the whole import
    hint: object = ""  # one line on the page on what the values may be
    filename: str = "mau-nhap.xlsx"


def _header_map(kind: Kind, header_row) -> dict[str, int]:
    wanted = {fold(text): name for name, text in kind.headers.items()}
    columns: dict[str, int] = {}
    for index, cell in enumerate(header_row or ()):
        name = wanted.get(fold(cell_text(cell)))
        if name is not None and name not in columns:
            columns[name] = index
    return columns


def read_sheet(kind: Kind, stream) -> tuple[list[dict], list[dict]]:
    """The first sheet's rows as dicts (their Excel row number under "row") and the row errors.

    Raises Invalid when the file is not a real spreadsheet. Blank rows are skipped; the header is row 1.
    """
    book = open_workbook(stream)
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        columns = _header_map(kind, next(lines, None))
        missing = [kind.headers[name] for name in kind.required if name not in columns]
        if missing:
            names = ", ".join(f"“{name}”" for name in missing)
            return [], [{"row": 1, "message": _("Thiếu cột %(names)s ở dòng tiêu đề.", names=names)}]
        rows: list[dict] = []
        errors: list[dict] = []
        seen: dict[tuple, int] = {}
        count = 0
        for number, values in enumerate(lines, start=2):
            if not values or all(cell_text(v) == "" for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                return [], [{"row": number, "message": _(
                    "Tệp có hơn %(n)s dòng dữ liệu. Hãy chia thành nhiều tệp, mỗi tệp tối đa %(n)s dòng.",
                    n=f"{MAX_ROWS:,}".replace(",", "."))}]

            def cell(name, values=values):
                index = columns.get(name)
                return values[index] if index is not None and index < len(values) else None

            try:
                for name in kind.required:
                    if not cell_text(cell(name)):
                        raise RowError(_("Thiếu “%(c)s”.", c=kind.headers[name]), name)
                row = kind.parse(cell)
            except RowError as exc:
                errors.append(_error(kind, number, str(exc), exc.field))
                continue
            first = seen.setdefault(kind.key(row), number)
            if first != number:
                errors.append(_error(kind, number, kind.duplicate(row, first)))
                continue
            row["row"] = number
            rows.append(row)
        if not rows and not errors:
            errors.append({"row": 2, "message": _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")})
        return rows, errors
    finally:
        book.close()


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _by_code(model, codes) -> dict:
    found = {}
    for chunk in _chunks(sorted(set(codes))):
        found.update((o.code, o) for o in db.session.scalars(select(model).where(model.code.in_(chunk))))
    return found


def may_import(user) -> bool:
    """The unit tree and the yearly facts of the whole Department: the admin, and a secretariat with no unit
    (people keep their own rule: a unit officer imports their unit's staff)."""
    return user is None or user.has_role("admin") or (user.has_role("staff") and user.unit_id is None)


def check_may_import(kind: Kind, by) -> None:
    allowed = (by is None or queries.writes_people(by)) if kind is PEOPLE else may_import(by)
    if not allowed:
        raise DomainError(_("Chỉ quản trị hệ thống hoặc thư ký thi đua không gắn với đơn vị nào được nhập %(k)s.",
                            k=str(kind.title).lower()), status=403, code="forbidden")


def run_import(kind: Kind, stream, *, dry_run: bool, by) -> ImportResult:
    """Check every row, then store them all, or none when any row is wrong (or on a dry run).

    Refuses (403) whoever may not import this kind, whichever door they come through; raises Invalid when the
    file is not a real spreadsheet. The caller commits.
    """
    check_may_import(kind, by)
    rows, errors = read_sheet(kind, stream)
    result = ImportResult(errors=errors, dry_run=dry_run)
    if not rows:
        return result
    valid, problems = kind.check(rows, by)
    result.errors.extend(problems)

    savepoint = db.session.begin_nested()
    try:
        # the services flush their row; without autoflush their audit entries wait for the next flush
        with db.session.no_autoflush:
            for row in valid:
                try:
                    kind.store(row, by)
                except DomainError as exc:
                    result.errors.append(_error(kind, row["row"], exc.message, exc.field))
                else:
                    result.imported += 1
    except Exception:
        savepoint.rollback()
        raise
    if result.errors or dry_run:
        savepoint.rollback()
        if result.errors:
            result.imported = 0
    else:
        audit.record(kind.action, by=by, object_type=kind.name, object_id="", after={"imported": result.imported})
        savepoint.commit()
    result.errors.sort(key=lambda e: e["row"])
    return result


def template(kind: Kind, unit_code: str = "DV01", person_code: str = "CN0001") -> tuple[list[str], list[list]]:
    """The header row and the example row(s) of a kind's template."""
    return ([kind.headers[name] for name in kind.template],
            [[example.get(name) for name in kind.template] for example in kind.example(unit_code, person_code)])


# --- people ------------------------------------------------------------------------------------------------------

HEADERS = {
    "code": "Mã cá nhân", "full_name": "Họ và tên", "gender": "Giới tính", "birth_date": "Ngày sinh",
    "ethnicity": "Dân tộc", "ethnic_minority": "Dân tộc thiểu số", "unit_code": "Mã đơn vị",
    "position": "Chức vụ", "frontline": "Tuyến đầu", "occupation_group": "Nhóm đối tượng",
    "foreign_national": "Người nước ngoài", "sector_start_date": "Ngày vào ngành",
}
REQUIRED_COLUMNS = ("code", "full_name", "gender", "unit_code")
TEMPLATE_COLUMNS = ("code", "full_name", "gender", "birth_date", "ethnicity", "unit_code", "position",
                    "frontline", "occupation_group", "foreign_national", "sector_start_date")
# the occupation group by its label in full, its code, or a short name (folded: without diacritics, lower case)
_OCCUPATIONS = {
    **{fold(str(label)): group.value for group, label in OCCUPATION_LABELS.items()},
    **{group.value: group.value for group in OccupationGroup},
    "lanh dao cap bo, cap tinh": "leader_central", "lanh dao cap vu, so, nganh": "leader_department",
    "doanh nhan": "businessperson", "lanh dao khac": "leader_other", "truc tiep": "direct_worker",
    "nguoi truc tiep cong tac, lao dong": "direct_worker", "cong nhan, nong dan": "direct_worker",
    "khac": "other",
}


def _occupation(value) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    group = _OCCUPATIONS.get(" ".join(fold(text).split()))
    if group is None:
        raise RowError(_("Nhóm đối tượng “%(v)s” không hợp lệ (xem các nhóm ở trang nhập cá nhân).", v=text),
                       "occupation_group")
    return group
MAX_LENGTHS = {"code": 40, "full_name": 200, "ethnicity": 60, "unit_code": 40, "position": 200}


def _parse_person(cell) -> dict:
    row = {name: cell_text(cell(name)) for name in ("code", "full_name", "unit_code", "position", "ethnicity")}
    for name, limit in MAX_LENGTHS.items():
        if len(row[name]) > limit:
            raise RowError(_("“%(c)s” dài quá %(n)s ký tự.", c=HEADERS[name], n=limit), name)
    _code(row["code"], _("Mã cá nhân"), "code")
    row["gender"] = _gender(cell("gender"))
    row["birth_date"] = _date(cell("birth_date"))
    row["ethnicity"] = row["ethnicity"] or "Kinh"
    minority = cell("ethnic_minority")
    if cell_text(minority):
        row["ethnic_minority"] = _flag(minority, HEADERS["ethnic_minority"], "ethnic_minority")
    else:
        row["ethnic_minority"] = fold(row["ethnicity"]) != "kinh"
    row["frontline"] = _flag(cell("frontline"), HEADERS["frontline"], "frontline")
    row["occupation_group"] = _occupation(cell("occupation_group"))
    row["foreign_national"] = _flag(cell("foreign_national"), HEADERS["foreign_national"], "foreign_national")
    row["sector_start_date"] = _date(cell("sector_start_date"), "sector_start_date", _("Ngày vào ngành"))
    return row


def _check_people(rows: list[dict], by) -> tuple[list[dict], list[dict]]:
    units = _by_code(Unit, (row["unit_code"] for row in rows))
    existing: set[str] = set()
    for chunk in _chunks([row["code"] for row in rows]):
        existing.update(db.session.scalars(select(Person.code).where(Person.code.in_(chunk))))
    allowed = None
    if by is not None and not by.is_manager:
        allowed = set(queries.subtree_ids(by.unit_id)) if by.unit_id else set()
    valid, errors = [], []
    for row in rows:
        unit = units.get(row["unit_code"])
        if unit is None:
            errors.append(_error(PEOPLE, row["row"], _("Không có đơn vị mã “%(c)s”.", c=row["unit_code"]),
                                 "unit_code"))
        elif allowed is not None and unit.id not in allowed:
            errors.append(_error(PEOPLE, row["row"], _("Đơn vị “%(c)s” nằm ngoài phạm vi bạn quản lý.",
                                                       c=row["unit_code"]), "unit_code"))
        elif row["code"] in existing:
            errors.append(_error(PEOPLE, row["row"], _("Mã cá nhân “%(c)s” đã có trong hệ thống.", c=row["code"]),
                                 "code"))
        else:
            valid.append(row)
    return valid, errors


PEOPLE = Kind(
    name="people", title=_l("Cá nhân"), noun=_l("cá nhân"), headers=HEADERS, required=REQUIRED_COLUMNS,
    template=TEMPLATE_COLUMNS, parse=_parse_person, key=lambda row: (row["code"],),
    duplicate=lambda row, first: _("Mã cá nhân “%(c)s” trùng với dòng %(r)s.", c=row["code"], r=first),
    check=_check_people,
    store=lambda row, by: services.create_person(**{k: v for k, v in row.items() if k != "row"}, by=by),
    example=lambda unit, person: [{"code": person, "full_name": "Nguyễn Văn An", "gender": "Nam",
                                   "birth_date": date(1985, 5, 17), "ethnicity": "Kinh", "unit_code": unit,
                                   "position": "Điều dưỡng", "frontline": "Có",
                                   "occupation_group": "Trực tiếp", "foreign_national": "Không",
                                   "sector_start_date": date(2008, 9, 1)}],
    action="person.import", filename="mau-nhap-ca-nhan.xlsx",
    hint=_l("Giới tính: Nam hoặc Nữ; Ngày sinh, Ngày vào ngành (không bắt buộc) dd/mm/yyyy; Tuyến đầu, Dân tộc "
            "thiểu số, Người nước ngoài: Có hoặc "
            "Không; Nhóm đối tượng (để trống nếu chưa xác định): Lãnh đạo cấp bộ, cấp tỉnh; Lãnh đạo cấp vụ, sở, "
            "ngành; Doanh nhân; Lãnh đạo khác; Trực tiếp; Khác."))


def read_people_sheet(stream) -> tuple[list[dict], list[dict]]:
    return read_sheet(PEOPLE, stream)


def import_people(stream, *, dry_run: bool, by) -> ImportResult:
    return run_import(PEOPLE, stream, dry_run=dry_run, by=by)


def template_rows(unit_code: str) -> tuple[list[str], list[list]]:
    """The header row and one example row of the people template."""
    return template(PEOPLE, unit_code)


# --- the unit tree -----------------------------------------------------------------------------------------------

UNIT_HEADERS = {"code": "Mã đơn vị", "name": "Tên đơn vị", "parent_code": "Mã đơn vị cấp trên",
                "grassroots": "Đơn vị cơ sở", "decides_awards": "Có thẩm quyền khen thưởng",
                "enterprise": "Doanh nghiệp", "foreign_organisation": "Tổ chức nước ngoài"}


def _parse_unit(cell) -> dict:
    row = {"code": _code(cell_text(cell("code")), _("Mã đơn vị"), "code"), "name": cell_text(cell("name")),
           "parent_code": cell_text(cell("parent_code")) or None}
    if len(row["code"]) > 40:
        raise RowError(_("“%(c)s” dài quá %(n)s ký tự.", c=UNIT_HEADERS["code"], n=40), "code")
    if len(row["name"]) > 255:
        raise RowError(_("“%(c)s” dài quá %(n)s ký tự.", c=UNIT_HEADERS["name"], n=255), "name")
    row["grassroots"] = _flag(cell("grassroots"), UNIT_HEADERS["grassroots"], "grassroots")
    decides = cell("decides_awards")
    row["decides_awards"] = (_flag(decides, UNIT_HEADERS["decides_awards"], "decides_awards")
                             if cell_text(decides) else None)
    for name in ("enterprise", "foreign_organisation"):  # optional columns, for the statistics forms
        row[name] = _flag(cell(name), UNIT_HEADERS[name], name)
    return row


def _check_units(rows: list[dict], by) -> tuple[list[dict], list[dict]]:
    """Every parent known (in the database or the sheet, before or after its units), no code already taken, no
    loop of parents within the sheet; the rows come back parents first."""
    in_sheet = {row["code"]: row for row in rows}
    existing = _by_code(Unit, list(in_sheet) + [row["parent_code"] for row in rows if row["parent_code"]])
    errors, bad = [], set()
    for row in rows:
        parent = row["parent_code"]
        if row["code"] in existing:
            errors.append(_error(UNITS, row["row"], _("Mã đơn vị “%(c)s” đã có trong hệ thống.", c=row["code"]),
                                 "code"))
            bad.add(row["code"])
        elif parent and parent not in in_sheet and parent not in existing:
            errors.append(_error(UNITS, row["row"], _("Không có đơn vị cấp trên mã “%(c)s” (trong hệ thống hay "
                                                      "trong tệp).", c=parent), "parent_code"))
            bad.add(row["code"])
    ordered, placed = [], set()
    for row in rows:  # parents first; a chain of parents inside the sheet that comes back to a row is a loop
        chain, code = [], row["code"]
        while code in in_sheet and code not in placed and code not in chain:
            chain.append(code)
            code = in_sheet[code]["parent_code"]
        if code in chain:
            loop = chain[chain.index(code):]
            for member in loop:
                if member not in bad:
                    bad.add(member)
                    errors.append(_error(UNITS, in_sheet[member]["row"], _(
                        "Đơn vị cấp trên tạo thành vòng lặp: %(loop)s.",
                        loop=" → ".join(loop + [loop[0]])), "parent_code"))
            chain = chain[:chain.index(code)]
        for member in reversed(chain):
            placed.add(member)
            ordered.append(in_sheet[member])
    # a unit under a faulty one cannot be stored either, but its own row is right: the parent's error says why
    valid = [row for row in ordered if row["code"] not in bad and not _under(row, in_sheet, bad)]
    return valid, errors


def _under(row: dict, in_sheet: dict, bad: set) -> bool:
    seen, code = set(), row["parent_code"]
    while code in in_sheet and code not in seen:
        if code in bad:
            return True
        seen.add(code)
        code = in_sheet[code]["parent_code"]
    return False


UNITS = Kind(
    name="units", title=_l("Cây đơn vị"), noun=_l("đơn vị"), headers=UNIT_HEADERS, required=("code", "name"),
    template=("code", "name", "parent_code", "grassroots", "decides_awards"), parse=_parse_unit,
    key=lambda row: (row["code"],),
    duplicate=lambda row, first: _("Mã đơn vị “%(c)s” trùng với dòng %(r)s.", c=row["code"], r=first),
    check=_check_units,
    store=lambda row, by: services.create_unit(code=row["code"], name=row["name"], parent_code=row["parent_code"],
                                               grassroots=row["grassroots"], decides_awards=row["decides_awards"],
                                               enterprise=row["enterprise"],
                                               foreign_organisation=row["foreign_organisation"], by=by),
    example=lambda unit, person: [
        {"code": "SYT", "name": "Sở Y tế", "parent_code": "", "grassroots": "Không", "decides_awards": "Có"},
        {"code": "BVDK", "name": "Bệnh viện Đa khoa tỉnh", "parent_code": "SYT", "grassroots": "Có",
         "decides_awards": "Có"},
        {"code": "BVDK-K1", "name": "Khoa Nội", "parent_code": "BVDK", "grassroots": "Có",
         "decides_awards": "Không"}],
    action="unit.import", filename="mau-nhap-cay-don-vi.xlsx",
    hint=_l("Mã đơn vị cấp trên để trống cho đơn vị cao nhất; đơn vị cấp trên có thể ở dòng sau trong cùng tệp. "
            "Đơn vị cơ sở, Có thẩm quyền khen thưởng: Có hoặc Không (để trống: chỉ đơn vị cao nhất có thẩm quyền). "
            "Có thể thêm cột Doanh nghiệp, Tổ chức nước ngoài (Có hoặc Không) cho biểu thống kê."))


# --- yearly ratings ----------------------------------------------------------------------------------------------

RATING_HINT = _l("Xếp loại: HTXSNV (hoàn thành xuất sắc nhiệm vụ), HTTNV (hoàn thành tốt), HTNV (hoàn thành), "
                 "KHTNV (không hoàn thành), hoặc ghi đủ chữ.")


def _subjects(kind: Kind, model, field: str, rows: list[dict]) -> tuple[dict, list[dict]]:
    found = _by_code(model, (row[field] for row in rows))
    errors = []
    for row in rows:
        if row[field] not in found:
            message = (_("Không có cá nhân mã “%(c)s”.", c=row[field]) if model is Person
                       else _("Không có đơn vị mã “%(c)s”.", c=row[field]))
            errors.append(_error(kind, row["row"], message, field))
    return found, errors


def _rating_checker(model, evaluation, owner: str):
    def check(rows: list[dict], by) -> tuple[list[dict], list[dict]]:
        kind = PERSON_RATINGS if model is Person else UNIT_RATINGS
        found, errors = _subjects(kind, model, "code", rows)
        ids = [found[row["code"]].id for row in rows if row["code"] in found]
        taken = set()
        for chunk in _chunks(ids):
            owner_id = getattr(evaluation, f"{owner}_id")
            stmt = select(owner_id, evaluation.year).where(owner_id.in_(chunk))
            taken.update(tuple(r) for r in db.session.execute(stmt))
        valid = []
        for row in rows:
            subject = found.get(row["code"])
            if subject is None:
                continue
            if (subject.id, row["year"]) in taken:
                errors.append(_error(kind, row["row"], _("%(name)s đã có xếp loại năm %(y)s.", name=subject.code,
                                                         y=row["year"]), "year"))
                continue
            row["subject"] = subject
            valid.append(row)
        return valid, errors
    return check


def _parse_rating(cell) -> dict:
    return {"code": cell_text(cell("code")), "year": _year(cell("year")), "rating": _rating(cell("rating"))}


PERSON_RATINGS = Kind(
    name="person-ratings", title=_l("Xếp loại cá nhân"), noun=_l("xếp loại cá nhân"),
    headers={"code": "Mã cá nhân", "year": "Năm", "rating": "Xếp loại"}, required=("code", "year", "rating"),
    template=("code", "year", "rating"), parse=_parse_rating, key=lambda row: (row["code"], row["year"]),
    duplicate=lambda row, first: _("Xếp loại của “%(c)s” năm %(y)s trùng với dòng %(r)s.", c=row["code"],
                                   y=row["year"], r=first),
    check=_rating_checker(Person, PersonEvaluation, "person"),
    store=lambda row, by: services.add_person_evaluation(row["subject"], year=row["year"], rating=row["rating"],
                                                         by=by),
    example=lambda unit, person: [{"code": person, "year": date.today().year - 1, "rating": "HTXSNV"},
                                  {"code": person, "year": date.today().year - 2, "rating": "HTTNV"}],
    action="person.evaluation_import", filename="mau-nhap-xep-loai-ca-nhan.xlsx", hint=RATING_HINT)

UNIT_RATINGS = Kind(
    name="unit-ratings", title=_l("Xếp loại tập thể"), noun=_l("xếp loại tập thể"),
    headers={"code": "Mã đơn vị", "year": "Năm", "rating": "Xếp loại"}, required=("code", "year", "rating"),
    template=("code", "year", "rating"), parse=_parse_rating, key=lambda row: (row["code"], row["year"]),
    duplicate=lambda row, first: _("Xếp loại của “%(c)s” năm %(y)s trùng với dòng %(r)s.", c=row["code"],
                                   y=row["year"], r=first),
    check=_rating_checker(Unit, UnitEvaluation, "unit"),
    store=lambda row, by: services.add_unit_evaluation(row["subject"], year=row["year"], rating=row["rating"],
                                                       by=by),
    example=lambda unit, person: [{"code": unit, "year": date.today().year - 1, "rating": "HTXSNV"}],
    action="unit.evaluation_import", filename="mau-nhap-xep-loai-tap-the.xlsx", hint=RATING_HINT)


# --- disciplines -------------------------------------------------------------------------------------------------

DISCIPLINE_HEADERS = {"person_code": "Mã cá nhân", "unit_code": "Mã đơn vị", "year": "Năm",
                      "level": "Hình thức kỷ luật", "decided_on": "Ngày quyết định", "ends_on": "Hết thời hạn",
                      "note": "Ghi chú"}


def _parse_discipline(cell) -> dict:
    row = {"person_code": cell_text(cell("person_code")), "unit_code": cell_text(cell("unit_code")),
           "year": _year(cell("year")), "note": cell_text(cell("note"))}
    if bool(row["person_code"]) == bool(row["unit_code"]):
        raise RowError(_("Ghi đúng một trong hai cột “Mã cá nhân” (kỷ luật cá nhân) hoặc “Mã đơn vị” (kỷ luật "
                         "tập thể)."), "person_code")
    row["level"] = _choice(cell("level"), _vocabulary(DISCIPLINE_LABELS), "level", _("Hình thức kỷ luật"),
                           ", ".join(str(label) for label in DISCIPLINE_LABELS.values()))
    row["decided_on"] = _date(cell("decided_on"), "decided_on", _("Ngày quyết định"))
    if row["decided_on"] is None:
        raise RowError(_("Thiếu “%(c)s”.", c=DISCIPLINE_HEADERS["decided_on"]), "decided_on")
    row["ends_on"] = _date(cell("ends_on"), "ends_on", _("Hết thời hạn"))
    return row


def _check_disciplines(rows: list[dict], by) -> tuple[list[dict], list[dict]]:
    people, errors = _subjects(DISCIPLINES, Person, "person_code", [r for r in rows if r["person_code"]])
    units, unit_errors = _subjects(DISCIPLINES, Unit, "unit_code", [r for r in rows if r["unit_code"]])
    errors += unit_errors
    valid = []
    for row in rows:
        row["subject"] = people.get(row["person_code"]) or units.get(row["unit_code"])
        if row["subject"] is not None:
            valid.append(row)
    return valid, errors


def _store_discipline(row: dict, by):
    add = services.add_discipline if isinstance(row["subject"], Person) else services.add_unit_discipline
    return add(row["subject"], year=row["year"], level=row["level"], decided_on=row["decided_on"],
               ends_on=row["ends_on"], note=row["note"], by=by)


DISCIPLINES = Kind(
    name="disciplines", title=_l("Kỷ luật"), noun=_l("quyết định kỷ luật"), headers=DISCIPLINE_HEADERS,
    required=("year", "level"), template=("person_code", "unit_code", "year", "level", "decided_on", "ends_on",
                                          "note"),
    parse=_parse_discipline,
    key=lambda row: (row["person_code"], row["unit_code"], row["year"], row["level"], row["decided_on"]),
    duplicate=lambda row, first: _("Quyết định kỷ luật này trùng với dòng %(r)s.", r=first),
    check=_check_disciplines, store=_store_discipline,
    example=lambda unit, person: [{"person_code": person, "unit_code": "", "year": date.today().year - 1,
                                   "level": "Khiển trách", "decided_on": date(date.today().year - 1, 6, 15),
                                   "ends_on": "", "note": "Quyết định số 12/QĐ-BV"}],
    action="discipline.import", filename="mau-nhap-ky-luat.xlsx",
    hint=_l("Mỗi dòng ghi Mã cá nhân hoặc Mã đơn vị. Hình thức: Khiển trách, Cảnh cáo, Giáng chức / hạ bậc lương, "
            "Cách chức, Buộc thôi việc. Hết thời hạn để trống: tính mặc định theo hình thức."))


# --- initiatives -------------------------------------------------------------------------------------------------

INITIATIVE_HEADERS = {"code": "Mã cá nhân", "year": "Năm", "title": "Tên sáng kiến", "scope": "Phạm vi",
                      "recognised_on": "Ngày công nhận"}


def _parse_initiative(cell) -> dict:
    row = {"code": cell_text(cell("code")), "year": _year(cell("year")), "title": cell_text(cell("title"))}
    if len(row["title"]) > 500:
        raise RowError(_("“%(c)s” dài quá %(n)s ký tự.", c=INITIATIVE_HEADERS["title"], n=500), "title")
    row["scope"] = _choice(cell("scope"), _vocabulary(SCOPE_LABELS, SCOPE_WORDS), "scope", _("Phạm vi"),
                           ", ".join(str(label) for label in SCOPE_LABELS.values()))
    row["recognised_on"] = _date(cell("recognised_on"), "recognised_on", _("Ngày công nhận"))
    return row


def _check_initiatives(rows: list[dict], by) -> tuple[list[dict], list[dict]]:
    people, errors = _subjects(INITIATIVES, Person, "code", rows)
    valid = []
    for row in rows:
        if row["code"] in people:
            row["subject"] = people[row["code"]]
            valid.append(row)
    return valid, errors


INITIATIVES = Kind(
    name="initiatives", title=_l("Sáng kiến"), noun=_l("sáng kiến"), headers=INITIATIVE_HEADERS,
    required=("code", "year", "title", "scope"), template=("code", "year", "title", "scope", "recognised_on"),
    parse=_parse_initiative, key=lambda row: (row["code"], row["year"], fold(row["title"]), row["scope"]),
    duplicate=lambda row, first: _("Sáng kiến này trùng với dòng %(r)s.", r=first),
    check=_check_initiatives,
    store=lambda row, by: services.add_initiative(row["subject"], year=row["year"], title=row["title"],
                                                  scope=row["scope"], recognised_on=row["recognised_on"], by=by),
    example=lambda unit, person: [{"code": person, "year": date.today().year - 1,
                                   "title": "Cải tiến quy trình tiếp đón người bệnh", "scope": "Cấp cơ sở",
                                   "recognised_on": date(date.today().year - 1, 11, 20)}],
    action="initiative.import", filename="mau-nhap-sang-kien.xlsx",
    hint=_l("Phạm vi: Cấp cơ sở, Cấp tỉnh hoặc Toàn quốc; Ngày công nhận dd/mm/yyyy (không bắt buộc)."))


# in the order the guide explains: units → people → ratings → disciplines, initiatives (then past awards)
KINDS = {kind.name: kind for kind in (UNITS, PEOPLE, PERSON_RATINGS, UNIT_RATINGS, DISCIPLINES, INITIATIVES)}
