"""People from the Excel sheets agencies keep today: all rows or none.

`read_people_sheet` turns the first sheet into plain rows (columns found by their header, in any order,
with or without diacritics); `import_people` checks them against the database and the importer's scope
and stores them through the services inside a savepoint, which is rolled back on any error or a dry run.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from awards.core import audit
from awards.core.db import DomainError
from awards.core.text import fold
from awards.core.xlsx import cell_date, cell_text, open_workbook
from awards.extensions import db
from awards.units import queries, services
from awards.units.models import Person, Unit

MAX_ROWS = 20_000
CODE = re.compile(r"^[A-Za-z0-9._-]+$")

# field -> header text, Vietnamese whatever the interface language; matched folded, so
# "Ho va ten", "HỌ VÀ TÊN" and "Họ và tên" are one
HEADERS = {
    "code": "Mã cá nhân", "full_name": "Họ và tên", "gender": "Giới tính", "birth_date": "Ngày sinh",
    "ethnicity": "Dân tộc", "ethnic_minority": "Dân tộc thiểu số", "unit_code": "Mã đơn vị",
    "position": "Chức vụ", "frontline": "Tuyến đầu",
}
REQUIRED_COLUMNS = ("code", "full_name", "gender", "unit_code")
TEMPLATE_COLUMNS = ("code", "full_name", "gender", "birth_date", "ethnicity", "unit_code", "position",
                    "frontline")
MAX_LENGTHS = {"code": 40, "full_name": 200, "ethnicity": 60, "unit_code": 40, "position": 200}

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


class _RowError(Exception):
    pass


def _gender(value) -> str:
    text = cell_text(value)
    gender = _GENDERS.get(fold(text))
    if gender is None:
        raise _RowError(_("Giới tính “%(v)s” không hợp lệ (cần Nam hoặc Nữ).", v=text))
    return gender


def _date(value) -> date | None:
    try:
        return cell_date(value)
    except ValueError:
        raise _RowError(_("Ngày sinh “%(v)s” không hợp lệ (cần một ngày có thật, dạng dd/mm/yyyy).",
                          v=cell_text(value))) from None


def _flag(value, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    folded = fold(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise _RowError(_("Cột “%(c)s”: giá trị “%(v)s” không hợp lệ (cần Có hoặc Không).", c=column, v=text))


def _header_map(header_row) -> dict[str, int]:
    wanted = {fold(text): name for name, text in HEADERS.items()}
    columns: dict[str, int] = {}
    for index, cell in enumerate(header_row or ()):
        name = wanted.get(fold(cell_text(cell)))
        if name is not None and name not in columns:
            columns[name] = index
    return columns


def _parse_row(values: tuple, columns: dict[str, int]) -> dict:
    def cell(name):
        index = columns.get(name)
        return values[index] if index is not None and index < len(values) else None

    for name in REQUIRED_COLUMNS:
        if not cell_text(cell(name)):
            raise _RowError(_("Thiếu “%(c)s”.", c=HEADERS[name]))
    row = {name: cell_text(cell(name)) for name in ("code", "full_name", "unit_code", "position", "ethnicity")}
    for name, limit in MAX_LENGTHS.items():
        if len(row[name]) > limit:
            raise _RowError(_("“%(c)s” dài quá %(n)s ký tự.", c=HEADERS[name], n=limit))
    if not CODE.match(row["code"]):
        raise _RowError(_("Mã cá nhân “%(v)s” chỉ được dùng chữ cái không dấu, chữ số, dấu gạch ngang, "
                          "gạch dưới hoặc dấu chấm.", v=row["code"]))
    row["gender"] = _gender(cell("gender"))
    row["birth_date"] = _date(cell("birth_date"))
    row["ethnicity"] = row["ethnicity"] or "Kinh"
    minority = cell("ethnic_minority")
    if "ethnic_minority" in columns and cell_text(minority):
        row["ethnic_minority"] = _flag(minority, HEADERS["ethnic_minority"])
    else:
        row["ethnic_minority"] = fold(row["ethnicity"]) != "kinh"
    row["frontline"] = _flag(cell("frontline"), HEADERS["frontline"])
    return row


def read_people_sheet(stream) -> tuple[list[dict], list[dict]]:
    """The first sheet's rows as dicts (with their Excel row number under "row") and the row errors.

    Raises Invalid when the file is not a real .xlsx. Blank rows are skipped; the header is row 1.
    """
    book = open_workbook(stream)
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        columns = _header_map(header)
        missing = [HEADERS[name] for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            names = ", ".join(f"“{name}”" for name in missing)
            return [], [{"row": 1, "message": _("Thiếu cột %(names)s ở dòng tiêu đề.", names=names)}]
        rows: list[dict] = []
        errors: list[dict] = []
        seen: dict[str, int] = {}
        count = 0
        for number, values in enumerate(lines, start=2):
            if not values or all(cell_text(v) == "" for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                return [], [{"row": number, "message": _(
                    "Tệp có hơn %(n)s dòng dữ liệu. Hãy chia thành nhiều tệp, mỗi tệp tối đa %(n)s dòng.",
                    n=f"{MAX_ROWS:,}".replace(",", "."))}]
            try:
                row = _parse_row(values, columns)
            except _RowError as exc:
                errors.append({"row": number, "message": str(exc)})
                continue
            first = seen.setdefault(row["code"], number)
            if first != number:
                errors.append({"row": number, "message": _("Mã cá nhân “%(c)s” trùng với dòng %(r)s.",
                                                            c=row["code"], r=first)})
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


def import_people(stream, *, dry_run: bool, by) -> ImportResult:
    """Check every row, then store them all, or none when any row is wrong (or on a dry run).

    Raises Invalid when the file is not a real .xlsx. The caller commits.
    """
    rows, errors = read_people_sheet(stream)
    result = ImportResult(errors=errors, dry_run=dry_run)
    if not rows:
        return result

    units: dict[str, Unit] = {}
    for chunk in _chunks(sorted({row["unit_code"] for row in rows})):
        units.update((u.code, u) for u in db.session.scalars(select(Unit).where(Unit.code.in_(chunk))))
    existing: set[str] = set()
    for chunk in _chunks([row["code"] for row in rows]):
        existing.update(db.session.scalars(select(Person.code).where(Person.code.in_(chunk))))
    allowed = None
    if by is not None and not by.is_manager:
        allowed = set(queries.subtree_ids(by.unit_id)) if by.unit_id else set()

    valid = []
    for row in rows:
        unit = units.get(row["unit_code"])
        if unit is None:
            message = _("Không có đơn vị mã “%(c)s”.", c=row["unit_code"])
        elif allowed is not None and unit.id not in allowed:
            message = _("Đơn vị “%(c)s” nằm ngoài phạm vi bạn quản lý.", c=row["unit_code"])
        elif row["code"] in existing:
            message = _("Mã cá nhân “%(c)s” đã có trong hệ thống.", c=row["code"])
        else:
            valid.append(row)
            continue
        result.errors.append({"row": row["row"], "message": message})

    savepoint = db.session.begin_nested()
    try:
        # create_person flushes its person; without autoflush its audit entry waits for the next flush
        with db.session.no_autoflush:
            for row in valid:
                values = {k: v for k, v in row.items() if k != "row"}
                try:
                    services.create_person(**values, by=by)
                except DomainError as exc:
                    result.errors.append({"row": row["row"], "message": exc.message})
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
        audit.record("person.import", by=by, object_type="Person", object_id="",
                     after={"imported": result.imported})
        savepoint.commit()
    result.errors.sort(key=lambda e: e["row"])
    return result


def template_rows(unit_code: str) -> tuple[list[str], list[list]]:
    """The header row and one example row of the import template."""
    example = {"code": "CN0001", "full_name": "Nguyễn Văn An", "gender": "Nam",
               "birth_date": date(1985, 5, 17), "ethnicity": "Kinh", "unit_code": unit_code,
               "position": "Điều dưỡng", "frontline": "Có"}
    return [HEADERS[name] for name in TEMPLATE_COLUMNS], [[example[name] for name in TEMPLATE_COLUMNS]]
