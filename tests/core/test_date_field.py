"""The one date field of every form (core.forms.VnDateField): typed and shown as dd/mm/yyyy whatever the browser's
locale; ISO dates (older links, scripts) still read."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from awards.core.forms import VnDateField


class DayForm(Form):
    on = VnDateField("Ngày")


@pytest.mark.parametrize(("typed", "day"), [
    ("31/12/2026", date(2026, 12, 31)), ("1/2/2026", date(2026, 2, 1)), (" 05.09.2026 ", date(2026, 9, 5)),
    ("05-09-2026", date(2026, 9, 5)), ("2026-09-05", date(2026, 9, 5)),
])
def test_reads_day_month_year(typed, day):
    form = DayForm(MultiDict({"on": typed}))
    assert form.validate() and form.on.data == day


@pytest.mark.parametrize("typed", ["31/02/2026", "12/31/2026", "2026/12/31", "hôm nay", "31/12/26", "٣١/١٢/٢٠٢٦"])
def test_refuses_what_is_not_a_day(typed):
    form = DayForm(MultiDict({"on": typed}))
    assert not form.validate() and form.on.errors == ["Ngày không hợp lệ."]


def test_shows_day_month_year_in_a_text_input():
    html = DayForm(data={"on": date(2026, 1, 9)}).on()
    assert 'type="text"' in html and 'value="09/01/2026"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html
