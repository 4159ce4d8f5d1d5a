"""Numbers and text from requests, read in one place: what no column can hold is bad input, never a 500.

Python's int() takes "٣" (an Arabic-Indic three) and numbers of any size, and str.isdigit() is true for "²",
which int() then refuses; the database holds 32-bit integers (PostgreSQL `integer`) and no NUL character.
Query strings fall back to the default as werkzeug's `type=int` did (a list stays usable); a form field says
what is wrong."""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField as _IntegerField

from awards.core.db import DomainError

DB_INT = 2**31 - 1  # ids, years and counts are PostgreSQL `integer`
MAX_PAGE = 10**7  # (page - 1) × per_page stays a number the database holds
MAX_DEPTH = 32  # JSON nesting: the deepest body of the API is 3 levels


def parse_int(value, lo: int = -DB_INT, hi: int = DB_INT) -> int | None:
    """The integer `value` spells in ASCII digits (an optional sign, spaces around), within [lo, hi]; else None."""
    if value is None:
        return None
    text = str(value).strip()
    digits = text[1:] if text[:1] in ("-", "+") else text
    if not digits or len(digits) > 12 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if lo <= number <= hi else None


def int_arg(name: str, default: int | None = None, lo: int = -DB_INT, hi: int = DB_INT) -> int | None:
    """A number from the query string, or `default` when it is missing, malformed or out of [lo, hi]."""
    number = parse_int(request.args.get(name), lo, hi)
    return default if number is None else number


def page_arg(name: str = "page") -> int:
    """The page number of a list: 1 unless a sensible one is asked for."""
    return int_arg(name, 1, 1, MAX_PAGE)


def ids_arg(name: str = "ids") -> list[int]:
    """The ids ticked on a form (bulk actions), in their order, once each; anything that is not an id is dropped."""
    numbers = (parse_int(value, 1, DB_INT) for value in request.form.getlist(name))
    return list(dict.fromkeys(n for n in numbers if n is not None))


def clean_text(value: str | None) -> str:
    """Text without NUL characters (PostgreSQL cannot store or compare one), stripped."""
    return (value or "").replace("\x00", "").strip()


def text_arg(name: str, default: str = "") -> str:
    """A search word or filter from the query string, NUL characters removed."""
    return clean_text(request.args.get(name, default))


def nesting_depth(value) -> int:
    """How deeply a parsed JSON value nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def nul_field(pairs) -> str | None:
    """The name of the first (name, value) pair whose value holds a NUL character, or None."""
    return next((name for name, value in pairs if isinstance(value, str) and "\x00" in value), None)


class IntegerField(_IntegerField):
    """WTForms' IntegerField for numbers the database holds: ASCII digits only, within [lo, hi]."""

    def __init__(self, label=None, validators=None, invalid_value_message=None, lo: int = -DB_INT,
                 hi: int = DB_INT, **kwargs):
        super().__init__(label, validators, invalid_value_message, **kwargs)
        self.lo, self.hi = lo, hi

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        self.data = parse_int(valuelist[0], self.lo, self.hi)
        if self.data is None:
            raise ValueError(self.invalid_value_message or _l("Phải là số nguyên từ %(lo)s đến %(hi)s.",
                                                               lo=self.lo, hi=self.hi))


def _refuse_nul() -> None:
    """Before any view: a NUL character in the query string, a form field or a path part is refused (400) here,
    once, rather than reaching PostgreSQL (which cannot hold one) from a search box or the login form. The query
    string is parsed only when its raw bytes can spell a NUL (`%00`, the one escape werkzeug decodes to it): most
    requests have none, and a cached page reads no argument otherwise (issue 21)."""
    query = request.query_string
    pairs = [*request.args.items(multi=True)] if b"%00" in query or b"\x00" in query else []
    pairs += (request.view_args or {}).items()
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        pairs += request.form.items(multi=True)
    name = nul_field(pairs)
    if name is not None:
        raise DomainError(_("Dữ liệu gửi lên không được chứa ký tự NUL (\\0)."), status=400, code="validation_error",
                          field=name)


def init_app(app) -> None:
    app.before_request(_refuse_nul)
