"""The council form's account picker (issue 21): who may sit on a council is typed, never chosen in a list of every
account.

The form used to carry every account that may sit on a council twice (a <datalist> and a reference list: 300 accounts,
114–120 KB a page at province scale). Now the page suggests only the accounts it names (the chair and seats) and those
of the council's own unit (at most SUGGESTED), and the picker's script asks `GET /council/accounts/lookup` as the user
types (`lookup` here: at most LOOKUP_LIMIT accounts, two statements).

Who is offered is the rule `services.save_council` applies to each seat (an active account with the role "Thành viên
Hội đồng"), as a SQL condition here (`eligible`): the picker never offers an account the service would refuse, and the
service stays the only judge of what is saved. The lookup itself is for those who manage councils (MANAGERS), as the
form is: the list of council accounts is not shown to anyone else."""

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import aliased

from awards.auth.models import User, UserRole
from awards.core.permissions import MANAGERS, Role
from awards.core.text import fold, matches_word_start
from awards.extensions import db
from awards.units.models import Person, Unit, display_name

LOOKUP_LIMIT = 20
SUGGESTED = 30
MAX_QUERY = 100
MAX_WORDS = 8

_Parent = aliased(Unit)
_UNIT_ID = func.coalesce(Person.unit_id, User.unit_id)  # the person's unit; an account bound to none, its own


@dataclass(frozen=True)
class Account:
    """What the picker shows of an account: its username (what the form posts), its name, its unit as a user reads it
    ("Khoa Nội — Bệnh viện 2"), and whether it is bound to a person (if not, conflicts of interest are not found
    automatically: the form says so)."""

    username: str
    name: str
    unit: str
    bound: bool

    def as_json(self) -> dict:
        return {"username": self.username, "name": self.name, "unit": self.unit, "bound": self.bound}


def may_look_up(user) -> bool:
    """Those who manage councils (the form's own guard): nobody else learns which accounts sit on councils."""
    return user.is_authenticated and user.has_any_role(*MANAGERS)


def eligible():
    """The SQL condition of an account `services.save_council` seats: active, with the council member's role."""
    return and_(User.active.is_(True),
                User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.council_member.value)))


def _stmt():
    """The accounts that may sit on a council with their person's name and unit and the unit above: one row each."""
    return (select(User.username, User.full_name, User.person_id, Person.full_name.label("person_name"),
                   Person.name_folded, Unit.code.label("unit_code"), Unit.name.label("unit_name"),
                   Unit.name_folded.label("unit_folded"), _Parent.code.label("parent_code"),
                   _Parent.name.label("parent_name"), _Parent.name_folded.label("parent_folded"),
                   _Parent.parent_id.label("grandparent_id"))
            .outerjoin(Person, Person.id == User.person_id)
            .outerjoin(Unit, Unit.id == _UNIT_ID)
            .outerjoin(_Parent, _Parent.id == Unit.parent_id)
            .where(eligible()))


def _account(row) -> Account:
    unit = display_name(row.unit_name, row.parent_name, row.grandparent_id) if row.unit_name else ""
    return Account(username=row.username, name=row.full_name or row.person_name or "", unit=unit,
                   bound=row.person_id is not None)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _starts_a_word(folded_text: str, word: str) -> bool:
    return folded_text.startswith(word) or f" {word}" in folded_text


def lookup(q: str, limit: int = LOOKUP_LIMIT) -> list[Account]:
    """Accounts that may sit on a council whose username starts with `q`, or each of whose words starts a word of the
    person's name (folded: "nguyen van an", "dao thi" finds "Đào Thị Hạnh") or of the name of their unit or the unit
    above (a department's people are found by their hospital: "san nhi"), or starts either unit's code ("an bv2": An
    of BV2 or of one of its departments): the exact username first, then usernames that start with `q` (in their
    order), then names (in their folded order); at most `limit`.

    An account bound to a person is found by the person's folded name, in SQL (one statement, LIMIT). An account
    bound to none has only its own full name, not stored folded: those accounts (few — the form flags each one, since
    conflicts of interest are not found for them) are read in a second statement and matched here by the same rule.
    """
    folded = fold(q)[:MAX_QUERY]
    if not folded:
        return []
    words = folded.split(" ")[:MAX_WORDS]
    username = func.lower(User.username)
    by_username = username.like(f"{_escape(folded)}%", escape="\\")

    def word_matches(word):
        code = f"{_escape(word)}%"
        return or_(matches_word_start(Person.name_folded, word),
                   matches_word_start(Unit.name_folded, word), func.lower(Unit.code).like(code, escape="\\"),
                   matches_word_start(_Parent.name_folded, word), func.lower(_Parent.code).like(code, escape="\\"))

    rank = case((username == folded, 0), (by_username, 1), else_=2)
    then = case((by_username, username), else_=Person.name_folded)  # usernames in their order, names in theirs
    bound = (_stmt().where(User.person_id.is_not(None), or_(by_username, and_(*map(word_matches, words))))
             .add_columns(rank.label("rank"), then.label("then")).order_by(rank, then, User.username).limit(limit))
    found = [(row.rank, row.then, row.username, _account(row)) for row in db.session.execute(bound)]

    for row in db.session.execute(_stmt().where(User.person_id.is_(None))):
        name, login = fold(row.full_name), row.username.lower()
        names = (name, row.unit_folded or "", row.parent_folded or "")
        codes = ((row.unit_code or "").lower(), (row.parent_code or "").lower())
        if login.startswith(folded):
            order, name = (0 if login == folded else 1), login
        elif all(any(_starts_a_word(n, w) for n in names) or any(c.startswith(w) for c in codes) for w in words):
            order = 2
        else:
            continue
        found.append((order, name, row.username, _account(row)))
    found.sort(key=lambda item: item[:3])
    return [account for *_key, account in found[:limit]]


def named(usernames) -> list[Account]:
    """The accounts of these usernames that may sit on a council, in the order given (one statement): the form's
    chair and seats, shown with their names and units."""
    usernames = [u for u in dict.fromkeys(usernames) if u]
    if not usernames:
        return []
    found = {row.username: _account(row) for row in db.session.execute(_stmt().where(User.username.in_(usernames)))}
    return [found[u] for u in usernames if u in found]


def suggestions(unit_code: str | None, chosen: list[Account] = (), limit: int = SUGGESTED) -> list[Account]:
    """The picker's <datalist>: the accounts the form names (`chosen`, from `named`: its chair and seats), then those
    of the council's unit and of the units right under it (the people of that level, who usually sit on its council:
    a hospital's council is of people of its departments), at most `limit` in all (one statement)."""
    chosen = list(chosen)[:limit]
    if len(chosen) >= limit or not unit_code:
        return chosen
    taken = [a.username for a in chosen]
    stmt = (_stmt().where(or_(Unit.code == unit_code, _Parent.code == unit_code),
                          User.username.not_in(taken) if taken else true())
            .order_by(Person.name_folded, User.username).limit(limit - len(chosen)))
    return chosen + [_account(row) for row in db.session.execute(stmt)]
