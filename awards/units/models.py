"""The agency tree and its people, with the yearly facts the award rules read."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from awards.core.db import Base, utcnow
from awards.core.text import fold, normalize


def _enum(cls):
    """Enums stored as their value in a VARCHAR with a CHECK constraint, same on SQLite and PostgreSQL."""
    return Enum(cls, native_enum=False, create_constraint=True, length=20,
                values_callable=lambda e: [m.value for m in e], name=cls.__name__.lower())


class UnitKind(StrEnum):
    department_of_health = "department_of_health"
    hospital = "hospital"
    centre = "centre"
    health_centre = "health_centre"
    station = "station"
    division = "division"
    other = "other"


UNIT_KIND_LABELS = {
    UnitKind.department_of_health: _l("Sở / cơ quan chủ quản"),
    UnitKind.hospital: _l("Bệnh viện"),
    UnitKind.centre: _l("Trung tâm"),
    UnitKind.health_centre: _l("Trung tâm Y tế huyện"),
    UnitKind.station: _l("Trạm Y tế xã"),
    UnitKind.division: _l("Khoa / phòng"),
    UnitKind.other: _l("Khác"),
}


class Gender(StrEnum):
    female = "female"
    male = "male"


GENDER_LABELS = {Gender.female: _l("Nữ"), Gender.male: _l("Nam")}


class Rating(StrEnum):
    """Mức độ hoàn thành nhiệm vụ in a year."""

    excellent = "excellent"
    good = "good"
    done = "done"
    not_done = "not_done"


RATING_LABELS = {
    Rating.excellent: _l("Hoàn thành xuất sắc nhiệm vụ"),
    Rating.good: _l("Hoàn thành tốt nhiệm vụ"),
    Rating.done: _l("Hoàn thành nhiệm vụ"),
    Rating.not_done: _l("Không hoàn thành nhiệm vụ"),
}


class DisciplineLevel(StrEnum):
    reprimand = "reprimand"
    warning = "warning"
    dismissal = "dismissal"


DISCIPLINE_LABELS = {
    DisciplineLevel.reprimand: _l("Khiển trách"),
    DisciplineLevel.warning: _l("Cảnh cáo"),
    DisciplineLevel.dismissal: _l("Cách chức / buộc thôi việc"),
}


class InitiativeScope(StrEnum):
    unit = "unit"
    provincial = "provincial"
    national = "national"


SCOPE_LABELS = {
    InitiativeScope.unit: _l("Cấp cơ sở"),
    InitiativeScope.provincial: _l("Cấp tỉnh"),
    InitiativeScope.national: _l("Cấp toàn quốc"),
}


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    name_folded: Mapped[str] = mapped_column(String(255), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind), default=UnitKind.other)
    grassroots: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.name")
    evaluations: Mapped[list["UnitEvaluation"]] = relationship(
        back_populates="unit", order_by="UnitEvaluation.year.desc()")

    @validates("name")
    def _fold_name(self, key, value):
        value = normalize(value)
        self.name_folded = fold(value)
        return value

    @property
    def parent_code(self) -> str | None:
        return self.parent.code if self.parent else None

    @property
    def display_name(self) -> str:
        """The name a user reads: a unit below the first level with the one above it ("Khoa Nội tổng hợp — Bệnh
        viện Đa khoa tỉnh"): a department alone does not say which hospital. Top-level units and those right under
        them (the Sở, its hospitals) are their own name."""
        parent = self.parent
        if parent is None or parent.parent_id is None:
            return self.name
        return f"{self.name} — {parent.name}"

    def ancestors(self) -> list["Unit"]:
        """From the root down to the parent: the breadcrumb."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    gender: Mapped[Gender] = mapped_column(_enum(Gender))
    birth_date: Mapped[date | None]
    ethnicity: Mapped[str] = mapped_column(String(60), default="Kinh")
    ethnic_minority: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    position: Mapped[str] = mapped_column(String(200), default="")
    frontline: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")
    evaluations: Mapped[list["PersonEvaluation"]] = relationship(
        back_populates="person", order_by="PersonEvaluation.year.desc()")
    disciplines: Mapped[list["Discipline"]] = relationship(
        back_populates="person", order_by="Discipline.year.desc()")
    initiatives: Mapped[list["Initiative"]] = relationship(
        back_populates="person", order_by="Initiative.year.desc()")

    @validates("full_name")
    def _fold_name(self, key, value):
        value = normalize(value)
        self.name_folded = fold(value)
        return value

    @property
    def unit_code(self) -> str:
        return self.unit.code

    def __repr__(self) -> str:
        return f"<Person {self.code}>"


class PersonEvaluation(Base):
    """A person's task-completion rating for one year (one per year)."""

    __tablename__ = "person_evaluations"
    __table_args__ = (UniqueConstraint("person_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    year: Mapped[int]
    rating: Mapped[Rating] = mapped_column(_enum(Rating))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="evaluations")


class UnitEvaluation(Base):
    """A collective's rating for one year (one per year)."""

    __tablename__ = "unit_evaluations"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int]
    rating: Mapped[Rating] = mapped_column(_enum(Rating))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship(back_populates="evaluations")


class Discipline(Base):
    __tablename__ = "disciplines"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    year: Mapped[int]
    level: Mapped[DisciplineLevel] = mapped_column(_enum(DisciplineLevel))
    decided_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="disciplines")


class Initiative(Base):
    """A recognised initiative (sáng kiến) or research topic (đề tài), by year and scope."""

    __tablename__ = "initiatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    scope: Mapped[InitiativeScope] = mapped_column(_enum(InitiativeScope))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="initiatives")


Index("ix_people_unit_id_name_folded", Person.unit_id, Person.name_folded)
