"""What every feature's forms and pages share: Vietnamese messages, a checkbox list, a dd/mm/yyyy date field,
in-memory paging, and showing a refused service call on the form."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import func, select
from wtforms import Field, SelectMultipleField, widgets

from awards.core.db import DomainError

REQUIRED = _l("Trường này là bắt buộc.")
BAD_CHOICE = _l("Lựa chọn không hợp lệ.")
BAD_DATE = _l("Ngày không hợp lệ.")
BAD_YEAR = _l("Năm phải là số nguyên, ví dụ 2026.")
DATE_HINT = _l("ngày/tháng/năm, ví dụ 31/12/2026")


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (roles, award types, attachment kinds)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class VnDateField(Field):
    """A date shown and typed as dd/mm/yyyy whatever the browser's locale (a text input, not type="date", whose
    display follows the browser). Reads 31/12/2026, 31-12-2026, 31.12.2026, 1/2/2026 and ISO 2026-12-31 (what the
    API and older links send); anything else is BAD_DATE (or `invalid_value_message`)."""

    widget = widgets.TextInput()
    PATTERN = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"  # valid with the v flag

    def __init__(self, label=None, validators=None, invalid_value_message=None, render_kw=None, **kwargs):
        render_kw = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                     "pattern": self.PATTERN, "title": DATE_HINT, **(render_kw or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.invalid_value_message = invalid_value_message or BAD_DATE

    @staticmethod
    def parse(text: str) -> date | None:
        """The date of a dd/mm/yyyy (or ISO) text, or None."""
        text = (text or "").strip()
        for sep in "/.-":
            parts = text.split(sep)
            if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts):
                first, second, third = parts
                if len(third) == 4 and len(first) <= 2 and len(second) <= 2:
                    day, month, year = int(first), int(second), int(third)
                elif sep == "-" and len(first) == 4 and len(second) <= 2 and len(third) <= 2:
                    year, month, day = int(first), int(second), int(third)
                else:
                    return None
                try:
                    return date(year, month, day)
                except ValueError:
                    return None
        return None

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = " ".join(valuelist).strip()
        if not text:
            self.data = None
            return
        self.data = self.parse(text)
        if self.data is None:
            raise ValueError(self.invalid_value_message)

    def process_data(self, value):
        self.data = value.date() if isinstance(value, datetime) else value


class ListPage(Pagination):
    """One page of a list already in memory (the unit tree, import errors), with db.paginate's interface."""

    def __init__(self, data: list, page: int, per_page: int):
        super().__init__(page=page, per_page=per_page, max_per_page=per_page, error_out=False, data=data)

    def _query_items(self):
        data = self._query_args["data"]
        return data[self._query_offset:self._query_offset + self.per_page]

    def _query_count(self):
        return len(self._query_args["data"])


class CappedPage(SelectPagination):
    """db.paginate's page for searches, counting at most CAP matches: "nguyen thi" matches 150,000 archive records,
    and counting them all costs more than finding the first 50. `capped` says the count stopped (the page says so
    and asks to narrow the search)."""

    CAP = 1000
    capped = False

    def __init__(self, stmt, page: int, per_page: int):
        from awards.extensions import db

        super().__init__(page=page, per_page=per_page, max_per_page=per_page, error_out=False, count=True,
                         select=stmt, session=db.session())

    def _query_items(self):
        """The page's ids first (narrow rows to sort), then its records: sorting 15,000 matches with their joined
        units and people took three times as long. The records are the statement's `page_rows(ids)` when it names
        one (archive.queries.result_lines: the columns the page shows, as plain rows), else its ORM entities."""
        stmt, session = self._query_args["select"], self._query_args["session"]
        entity = stmt.column_descriptions[0]["entity"]
        known, offset = self._known(), self._query_offset
        if known is not None and (known.complete or offset + self.per_page <= len(known.ids)):
            ids = known.ids[offset:offset + self.per_page]
        else:
            ids = session.scalars(stmt.with_only_columns(entity.id).limit(self.per_page).offset(offset)).all()
        rows = stmt.get_execution_options().get("page_rows")  # what the page shows of them, read as rows
        if not ids:
            return []
        found = {item.id: item for item in (rows(ids) if rows else session.scalars(select(entity).where(
            entity.id.in_(ids))))}
        return [found[i] for i in ids]

    def _known(self):
        """The matches' ids in the statement's order, when whoever built it had already read them (execution option
        `known_matches`, archive.queries.KnownMatches): the page and the count come from them, not two more queries."""
        stmt = self._query_args["select"]
        known = stmt.get_execution_options().get("known_matches")
        return known if known is not None and known.applies_to(stmt) else None

    def _query_count(self):
        known = self._known()
        if known is not None and (known.complete or len(known.ids) > self.CAP):
            self.capped = len(known.ids) > self.CAP
            return min(len(known.ids), self.CAP)
        stmt = self._query_args["select"]
        entity = stmt.column_descriptions[0]["entity"]
        bounded = stmt.with_only_columns(entity.id).order_by(None).limit(self.CAP + 1).subquery()
        found = self._query_args["session"].scalar(select(func.count()).select_from(bounded))
        self.capped = found > self.CAP
        return min(found, self.CAP)


def refuse(form, exc: DomainError, file_field: str | None = None, fields: dict[str, str] | None = None) -> int:
    """Undo the failed change and show the service's message on the field it names (a refused file on the
    form's file field; `fields` renames a service's field to the form's), or as an alert; returns the status."""
    from awards.extensions import db

    db.session.rollback()
    field = (fields or {}).get(exc.field, exc.field)
    if file_field and (exc.status in (413, 415) or field in ("file", "photo")):
        field = file_field
    if form is not None and field and field in form and form[field].type != "HiddenField":
        form[field].errors = [*form[field].errors, exc.message]
    else:
        flash(exc.message, "danger")
    return exc.status


@dataclass
class Outcome:
    """What `perform` did: the service's return value, or the status of its refusal (truthy when it worked)."""

    value: Any = None
    status: int = 200

    def __bool__(self) -> bool:
        return self.status < 400


def perform(action: Callable[[], Any], form=None, *, success=None, file_field: str | None = None,
            fields: dict[str, str] | None = None) -> Outcome:
    """The page twin of the API's `_act`: run one service call, commit, flash `success` (a text, or a function of
    the service's return value); a refusal (DomainError) is rolled back and shown on the form's field it names, or
    flashed. The view then redirects when the outcome is truthy, or renders the form with `outcome.status`."""
    from awards.extensions import db

    try:
        value = action()
    except DomainError as exc:
        return Outcome(status=refuse(form, exc, file_field, fields))
    db.session.commit()
    if success is not None:
        flash(success(value) if callable(success) else success, "success")
    return Outcome(value)
