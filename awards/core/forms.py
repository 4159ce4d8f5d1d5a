"""What every feature's forms and pages share: Vietnamese messages, a checkbox list, in-memory paging, and
showing a refused service call on the form."""

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from wtforms import SelectMultipleField, widgets

from awards.core.db import DomainError

REQUIRED = _l("Trường này là bắt buộc.")
BAD_CHOICE = _l("Lựa chọn không hợp lệ.")
BAD_DATE = _l("Ngày không hợp lệ.")
BAD_YEAR = _l("Năm phải là số nguyên, ví dụ 2026.")


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (roles, award types, attachment kinds)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ListPage(Pagination):
    """One page of a list already in memory (the unit tree, import errors), with db.paginate's interface."""

    def __init__(self, data: list, page: int, per_page: int):
        super().__init__(page=page, per_page=per_page, max_per_page=per_page, error_out=False, data=data)

    def _query_items(self):
        data = self._query_args["data"]
        return data[self._query_offset:self._query_offset + self.per_page]

    def _query_count(self):
        return len(self._query_args["data"])


def refuse(form, exc: DomainError, file_field: str | None = None) -> int:
    """Undo the failed change and show the service's message on the field it names (a refused file on the
    form's file field), or as an alert; returns the status to answer with."""
    from awards.extensions import db

    db.session.rollback()
    field = exc.field
    if file_field and (exc.status in (413, 415) or field in ("file", "photo")):
        field = file_field
    if field and field in form and form[field].type != "HiddenField":
        form[field].errors = [*form[field].errors, exc.message]
    else:
        flash(exc.message, "danger")
    return exc.status
