"""The unit picker (issue 21): one way for every form to name a unit without rendering the whole tree.

A form used to send every unit of the province as an <option> or a checkbox (2,000 units: 160–615 KB a page).
Now a unit is typed: its code, or "Name (CODE)" as the picker's script fills it in; the page suggests only the top
two levels of the tree the user may pick from (a <datalist>, a few KB), and the script asks `GET /units/lookup`
for the rest as the user types (`lookup` here, at most LOOKUP_LIMIT units, a handful of statements).

`UnitCodeField` (one unit) and `UnitCodesField` (several: cluster members) check that each code names a unit, that
it is active where the form requires it, and that it lies in the user's scope; the services still check what they
check (the field only makes the form's error clear and puts it on the field)."""

import re

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, case, func, or_, select, true
from wtforms import Field, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import TextArea, TextInput

from awards.core.permissions import Role
from awards.core.text import fold, matches_word_start
from awards.extensions import db
from awards.units import queries
from awards.units.models import Unit

LOOKUP_LIMIT = 20
SCOPES = ("all", "writable", "readable")
CODE_IN_TEXT = re.compile(r"\(([A-Za-z0-9._-]{1,40})\)\s*$")
CODES_IN_TEXT = re.compile(r"[^,;\n()]*\(([A-Za-z0-9._-]{1,40})\)")
SEPARATORS = re.compile(r"[\s,;]+")
PATH_SEPARATOR = " › "

UNKNOWN = _l("Không có đơn vị mã “%(c)s”. Gõ mã đơn vị, hoặc gõ vài chữ của tên rồi chọn trong danh sách.")
UNKNOWN_MANY = _l("Không có đơn vị mã: %(c)s.")
INACTIVE = _l("Đơn vị “%(n)s” (%(c)s) đã ngừng hoạt động: hãy chọn một đơn vị đang hoạt động.")
INACTIVE_MANY = _l("Các đơn vị đã ngừng hoạt động: %(c)s.")
OUT_OF_SCOPE = _l("Bạn không được chọn đơn vị “%(n)s” (%(c)s): chỉ chọn đơn vị mình phụ trách.")
OUT_OF_SCOPE_MANY = _l("Bạn không được chọn các đơn vị: %(c)s.")


# --- reading what was typed ---------------------------------------------------------------------------------

def code_of(text: str | None) -> str:
    """The code in what was typed: "Bệnh viện Đa khoa tỉnh (BVDK)" → "BVDK", "BVDK" → "BVDK"."""
    text = (text or "").strip()
    match = CODE_IN_TEXT.search(text)
    return match.group(1) if match else text


def codes_of(values) -> list[str]:
    """The codes in what was posted for several units, in order, each once: repeated values (checkboxes, the API's
    lists), or one text with codes separated by commas, spaces or lines; a line may be "Name (CODE)" (the name may
    hold commas or spaces, the code in brackets at its end is what counts)."""
    found: list[str] = []
    for value in values or ():
        for line in str(value or "").splitlines():
            line = line.strip()
            if not line:
                continue
            whole = CODE_IN_TEXT.search(line)
            if whole and line.count("(") == 1:
                found.append(whole.group(1))
                continue
            line = CODES_IN_TEXT.sub(lambda m: f" {m.group(1)} ", line)
            found.extend(part for part in SEPARATORS.split(line) if part)
    return list(dict.fromkeys(found))


# --- whom a user may pick ---------------------------------------------------------------------------------------

class Scope:
    """The units a picker offers: the subtrees of `roots` (None: every unit; empty: none)."""

    def __init__(self, roots: tuple[int, ...] | None):
        self.roots = roots
        self._ids: frozenset[int] | None = None

    @property
    def everything(self) -> bool:
        return self.roots is None

    @property
    def nothing(self) -> bool:
        return self.roots == ()

    def ids(self) -> frozenset[int]:
        """The allowed units' ids (one recursive query, read once)."""
        if self._ids is None:
            self._ids = frozenset(i for root in self.roots or () for i in queries.subtree_ids(root))
        return self._ids

    def allows(self, unit_id: int) -> bool:
        return self.everything or unit_id in self.ids()

    def condition(self):
        """The SQL condition of a unit in the scope (the subtrees as a recursive CTE: no list of ids sent)."""
        if self.everything:
            return true()
        tree = select(Unit.id).where(Unit.id.in_(self.roots)).cte("scope_tree", recursive=True)
        tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
        return Unit.id.in_(select(tree.c.id))


EVERYTHING = Scope(None)


def scope_of(user, scope: str = "all") -> Scope:
    """`all`: every unit (the forms only managers open); `writable`: the units the user acts for (managers every
    unit, a unit officer their unit's subtree, anyone else none); `readable`: those whose people they read
    (managers and council members every unit, anyone else their unit's subtree)."""
    if scope == "writable":
        if user.is_manager:
            return EVERYTHING
        if not queries.writes_people(user):
            return Scope(())
    elif scope == "readable":
        if user.is_manager or user.has_role(Role.council_member):
            return EVERYTHING
    else:
        return EVERYTHING
    return Scope((user.unit_id,) if user.unit_id else ())


# --- queries --------------------------------------------------------------------------------------------------

def units_by_codes(codes) -> dict[str, Unit]:
    """The units of these codes, by code (one query)."""
    codes = [c for c in dict.fromkeys(codes) if c]
    if not codes:
        return {}
    return {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(codes)))}


def path_of(unit: Unit) -> str:
    """Where the unit sits: its ancestors' names from the top ("Sở Y tế › Bệnh viện Đa khoa tỉnh"), empty for a
    unit at the top."""
    return PATH_SEPARATOR.join(a.name for a in unit.ancestors())


def describe(units) -> list[dict]:
    """What the lookup answers for each unit: code, name, path (its ancestors), depth, active. The ancestors are
    read one query per level for all the units together."""
    units = list(units)
    queries.load_with_ancestors(units)
    found = []
    for unit in units:
        ancestors = unit.ancestors()
        found.append({"code": unit.code, "name": unit.name, "path": PATH_SEPARATOR.join(a.name for a in ancestors),
                      "depth": len(ancestors), "active": unit.active})
    return found


def lookup(q: str, scope: Scope, *, inactive: bool = False, limit: int = LOOKUP_LIMIT) -> list[Unit]:
    """Units whose code is or starts with `q`, or whose folded name has a word starting with each word of `q`
    ("benh vien da khoa", "da khoa", "BVDK"), within `scope`, active ones only unless `inactive`: the exact code
    first, then names that start with `q`, then by name; at most `limit`."""
    folded = fold(q)[:100]
    if not folded or scope.nothing:
        return []
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    code = func.lower(Unit.code)
    words = [matches_word_start(Unit.name_folded, word) for word in folded.split(" ")[:8]]
    stmt = select(Unit).where(or_(code.like(f"{escaped}%", escape="\\"), and_(*words)), scope.condition())
    if not inactive:
        stmt = stmt.where(Unit.active.is_(True))
    order = case((code == folded, 0), (Unit.name_folded.like(f"{escaped}%", escape="\\"), 1), else_=2)
    return list(db.session.scalars(stmt.order_by(order, Unit.name_folded, Unit.code).limit(limit)))


def suggestions(scope: Scope, *, active_only: bool = True) -> list[tuple[str, str, int]]:
    """(code, name, depth) of the top two levels of the units the scope allows, in tree order: the picker's
    <datalist> (the Sở and its hospitals and centres: ~60 units of a province's 2,000; one query)."""
    if scope.nothing:
        return []
    top = Unit.parent_id.is_(None) if scope.roots is None else Unit.id.in_(scope.roots)
    stmt = select(Unit.id, Unit.parent_id, Unit.code, Unit.name).where(
        or_(top, Unit.parent_id.in_(select(Unit.id).where(top))))
    if active_only:
        stmt = stmt.where(Unit.active.is_(True))
    rows = db.session.execute(stmt.order_by(Unit.name_folded)).all()
    ids = {row.id for row in rows}
    children: dict[int | None, list] = {}
    for row in rows:
        children.setdefault(row.parent_id if row.parent_id in ids else None, []).append(row)
    ordered: list[tuple[str, str, int]] = []
    for row in children.get(None, []):
        ordered.append((row.code, row.name, 0))
        ordered.extend((child.code, child.name, 1) for child in children.get(row.id, []))
    return ordered


# --- the fields -------------------------------------------------------------------------------------------

class _Picker:
    """What both fields share: the scope they check, the inactive units they accept, the refusal's kind."""

    def _setup(self, scope: str, active_only: bool) -> None:
        if scope not in SCOPES:
            raise ValueError(scope)
        self.scope, self.active_only = scope, active_only
        self.keep: set[str] = set()  # codes accepted although inactive: the value an edit form started from
        self.refused = False  # a unit outside the user's scope was posted (the page answers 403)

    def _check(self, units: list[Unit]) -> tuple[list[Unit], list[Unit]]:
        """(inactive units not kept, units outside the user's scope)."""
        inactive = [u for u in units if self.active_only and not u.active and u.code not in self.keep]
        allowed = scope_of(current_user, self.scope) if self.scope != "all" else EVERYTHING
        outside = [u for u in units if not allowed.allows(u.id)]
        return inactive, outside


class UnitCodeField(_Picker, StringField):
    """One unit, typed as its code or "Name (CODE)": `data` is the code, `unit` the unit once validated. Shown as
    "Name (CODE)" with the unit's place in the tree beside it (templates/_macros/unit_picker.html).

    `scope`: all, writable or readable (`scope_of`); `active_only`: an inactive unit is refused unless its code is
    in `keep` (the view adds the value the edited object already had)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, scope: str = "all", active_only: bool = True, **kwargs):
        render_kw = {"autocomplete": "off", "spellcheck": "false", "maxlength": 300, **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self._setup(scope, active_only)
        self.unit: Unit | None = None

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = code_of(valuelist[0])

    def chosen(self) -> Unit | None:
        """The unit the field names (read once), for showing it: None when it names none."""
        if self.unit is None or self.unit.code != self.data:
            self.unit = queries.unit_by_code(self.data) if self.data else None
        return self.unit

    def place(self) -> tuple[Unit, str] | None:
        """(the unit, its path) to show beside the field, or None."""
        unit = self.chosen()
        if unit is None:
            return None
        queries.load_with_ancestors([unit])
        return unit, path_of(unit)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        unit = self.chosen()
        return f"{unit.name} ({unit.code})" if unit else (self.data or "")

    def pre_validate(self, form):
        self.refused = False
        self.unit = None
        if not self.data:
            return
        unit = queries.unit_by_code(self.data)
        if unit is None:
            raise ValidationError(str(UNKNOWN) % {"c": self.data})
        inactive, outside = self._check([unit])
        if outside:
            self.refused = True
            raise ValidationError(str(OUT_OF_SCOPE) % {"n": unit.name, "c": unit.code})
        if inactive:
            raise ValidationError(str(INACTIVE) % {"n": unit.name, "c": unit.code})
        self.unit = unit


class UnitCodesField(_Picker, Field):
    """Several units (cluster members): codes separated by commas, spaces or lines, or "Name (CODE)" one a line,
    or the same name posted several times (the checkboxes this field replaced, the tools that post them). `data` is
    the list of codes, each once; `units` the units once validated. Unknown codes are named in the error."""

    widget = TextArea()

    def __init__(self, label=None, validators=None, scope: str = "all", active_only: bool = True, **kwargs):
        render_kw = {"rows": 4, "spellcheck": "false", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self._setup(scope, active_only)
        self.units: list[Unit] = []

    def process_data(self, value):
        self.data = list(value or [])

    def process_formdata(self, valuelist):
        self.data = codes_of(valuelist)

    def chosen(self) -> list[Unit]:
        """The units the field names, in its order (one query), for showing them."""
        found = units_by_codes(self.data or [])
        return [found[c] for c in self.data or [] if c in found]

    def places(self) -> list[tuple[Unit, str]]:
        """(unit, path) of each unit the field names, to list them under it (their ancestors read per level)."""
        units = self.chosen()
        queries.load_with_ancestors(units)
        return [(unit, path_of(unit)) for unit in units]

    def _value(self):
        if self.raw_data:
            return "\n".join(str(v) for v in self.raw_data)
        found = units_by_codes(self.data or [])
        return "\n".join(f"{found[c].name} ({c})" if c in found else c for c in self.data or [])

    def pre_validate(self, form):
        self.refused = False
        self.units = []
        codes = self.data or []
        found = units_by_codes(codes)
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(str(UNKNOWN_MANY) % {"c": ", ".join(missing)})
        units = [found[c] for c in codes]
        inactive, outside = self._check(units)
        if outside:
            self.refused = True
            raise ValidationError(str(OUT_OF_SCOPE_MANY) % {"c": ", ".join(f"{u.name} ({u.code})" for u in outside)})
        if inactive:
            raise ValidationError(str(INACTIVE_MANY) % {"c": ", ".join(f"{u.name} ({u.code})" for u in inactive)})
        self.units = units


def invalid_status(form) -> int:
    """The status of a form that did not validate: 403 when a picker refused a unit outside the user's scope (the
    form is shown again with the message on the field), 400 otherwise."""
    return 403 if any(getattr(field, "refused", False) for field in form) else 400
