"""States as labelled enums: one Vietnamese label and one badge per value, a CHECK constraint built from the
enum, a column type that hands back members, and the one generic `transition()` every stateful model uses.

Values are the strings stored and answered by the API ("draft", "open"…), so a StrEnum member compares,
hashes and serialises as its value; pages read `.label` and `.badge` (templates/_macros/status.html)."""

from collections.abc import Callable, Mapping
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, String, TypeDecorator, event
from sqlalchemy.orm import Mapper, mapped_column

from awards.core import audit
from awards.core.db import DomainError


class LabelledEnum(StrEnum):
    """A StrEnum whose members are declared `name = "value", _l("Nhãn"), "text-bg-…"`."""

    def __new__(cls, value: str, label=None, badge: str = "text-bg-secondary"):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        member.badge = badge
        return member

    @classmethod
    def labels(cls) -> dict:
        """value → label, in declaration order (select choices, filters)."""
        return {m.value: m.label for m in cls}

    @classmethod
    def get(cls, value, default=None):
        """The member for a stored value, or `default` for an unknown or empty one (never raises)."""
        try:
            return cls(value)
        except ValueError:
            return default


def label_of(value, enum: type[LabelledEnum] | None = None) -> str:
    """The label of a state (a member, or a raw string with its enum); the raw value when unknown."""
    member = value if isinstance(value, LabelledEnum) else (enum.get(value) if enum else None)
    return member.label if member is not None else (value or "")


class EnumText(TypeDecorator):
    """A VARCHAR holding an enum's value: plain strings go in (the CHECK constraint refuses unknown ones),
    members come out. Not a native DB enum: adding a state is a new CHECK, not an ALTER TYPE."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[LabelledEnum], length: int | None = None):
        super().__init__(length or max(len(m.value) for m in enum))
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else str(value)

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum.get(value, value)

    def copy(self, **kw):
        return EnumText(self.enum, self.impl.length)


@event.listens_for(Mapper, "mapper_configured")
def _members_on_assignment(mapper, class_) -> None:
    """`Model(status="draft")` holds the member at once, not only once reloaded: pages read `.label` in the
    same request that created the row. An unknown string is kept as it is, for the CHECK to refuse."""
    for prop in mapper.column_attrs:
        kind = prop.columns[0].type
        if isinstance(kind, EnumText):
            event.listen(getattr(class_, prop.key), "set",
                         lambda target, value, old, initiator, enum=kind.enum: enum.get(value, value),
                         retval=True)


def check_constraint(column: str, enum: type[StrEnum]) -> CheckConstraint:
    """`column IN (…every value…)`, named `ck_<table>_<column>` by the naming convention (core/db.py)."""
    values = ", ".join(f"'{m.value}'" for m in enum)
    return CheckConstraint(f"{column} IN ({values})", name=column)


def state_column(enum: type[LabelledEnum], length: int, **kw):
    """A status column: the enum's values in a String(length), members when read."""
    return mapped_column(EnumText(enum, length), **kw)


class JobStatus(LabelledEnum):
    """A background job (archive import, report export): queued → running → done | failed (core/jobs.py)."""

    queued = "queued", _l("Đang chờ"), "text-bg-secondary"
    running = "running", _l("Đang chạy"), "text-bg-primary"
    done = "done", _l("Hoàn thành"), "text-bg-success"
    failed = "failed", _l("Thất bại"), "text-bg-danger"


JOB_TRANSITIONS = {
    JobStatus.queued: {JobStatus.running, JobStatus.failed},  # failed: refused before it ran
    JobStatus.running: {JobStatus.done, JobStatus.failed},
    JobStatus.done: set(),
    JobStatus.failed: set(),
}

MOVE_REFUSED = _l("Không thể chuyển từ “%(a)s” sang “%(b)s”.")


def transition(obj, to, *, table: Mapping, by, note: str = "", field: str = "status",
               history: Callable | None = None, action: str | None = None, extra: dict | None = None,
               refusal=MOVE_REFUSED):
    """Move `obj.<field>` to `to` if `table` allows it, else a 409 "wrong_state" naming both labels.

    Writes one audit entry (`action`, default `<model>.<to>`: before/after state, the note, `extra`) and,
    given `history(current, to)`, the model's own history row. Returns the audit entry."""
    enum = type(next(iter(table)))
    current = enum.get(getattr(obj, field), getattr(obj, field))
    target = enum.get(to, to)
    if target not in table.get(current, ()):
        raise DomainError(str(refusal) % {"a": label_of(current, enum), "b": label_of(target, enum)},
                          code="wrong_state")
    setattr(obj, field, target)
    if history is not None:
        from awards.extensions import db

        db.session.add(history(current, target))
    after = {field: target, "note": note, **(extra or {})}
    return audit.record(action or f"{type(obj).__name__.lower()}.{target}", obj, by=by,
                        before={field: current}, after=after)


def finish_job(job, to: JobStatus, *, by=None, note: str = ""):
    """A claimed job ends done or failed (the claim itself is one conditional UPDATE in core/jobs.py, so two
    workers never both run it); audited as `<table>.<state>`."""
    return transition(job, to, table=JOB_TRANSITIONS, by=by, note=note, action=f"{job.__tablename__}.{to}")
