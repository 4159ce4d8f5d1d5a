"""The agency tree and its people, with the yearly facts the award rules read."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column
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


class OccupationGroup(StrEnum):
    """Who a person is for the statistics forms of TT 02/2023/TT-BNV (biểu 0602.N, 0603.N: "Chia theo đối tượng
    khen thưởng" — the rows under "Cá nhân"); `other` is a recorded "none of these", empty is "not recorded"."""

    leader_central = "leader_central"
    leader_department = "leader_department"
    businessperson = "businessperson"
    leader_other = "leader_other"
    direct_worker = "direct_worker"
    other = "other"


OCCUPATION_LABELS = {
    OccupationGroup.leader_central: _l("Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên"),
    OccupationGroup.leader_department: _l("Lãnh đạo cấp vụ, sở, ngành và tương đương"),
    OccupationGroup.businessperson: _l("Doanh nhân"),
    OccupationGroup.leader_other: _l("Các cấp lãnh đạo khác từ phó phòng trở lên"),
    OccupationGroup.direct_worker: _l("Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu "
                                      "(công nhân, nông dân…)"),
    OccupationGroup.other: _l("Khác (cán bộ, công chức, viên chức, người lao động không thuộc các nhóm trên)"),
}


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


class DisciplineLevel(LabelledEnum):
    """Hình thức kỷ luật, lightest first (Luật Cán bộ, công chức Art 79; Luật Viên chức Art 52; NĐ 112/2020 and
    NĐ 172/2025). Before issue 17 "dismissal" read "Cách chức / buộc thôi việc": it keeps cách chức, and removal
    (buộc thôi việc) is its own level now."""

    reprimand = "reprimand", _l("Khiển trách")
    warning = "warning", _l("Cảnh cáo")
    demotion = "demotion", _l("Giáng chức / hạ bậc lương")
    dismissal = "dismissal", _l("Cách chức")
    removal = "removal", _l("Buộc thôi việc")


DISCIPLINE_LABELS = DisciplineLevel.labels()

# The default end of a discipline's execution period, in months from its decision, when the decision names none.
# Luật Cán bộ, công chức 2008 as amended in 2019, Art 82 (and Luật Viên chức, Art 56): after khiển trách, cảnh cáo
# or hạ bậc lương, no raise in grade, planning, training or appointment "trong thời hạn 12 tháng"; after giáng
# chức or cách chức, 24 months — both counted from the day the decision takes effect. NĐ 172/2025 keeps the
# same two terms. Buộc thôi việc ends the service itself: no end (None). Editable per record.
DISCIPLINE_MONTHS = {
    DisciplineLevel.reprimand: 12,
    DisciplineLevel.warning: 12,
    DisciplineLevel.demotion: 24,
    DisciplineLevel.dismissal: 24,
    DisciplineLevel.removal: None,
}
DISCIPLINE_BASIS = "Luật Cán bộ, công chức (sửa đổi 2019), Điều 82; Luật Viên chức (sửa đổi 2019), Điều 56"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def default_discipline_end(level, decided_on: date) -> date | None:
    """The end of the execution period by level (DISCIPLINE_MONTHS), or None for a level without one."""
    months = DISCIPLINE_MONTHS.get(DisciplineLevel.get(level))
    return None if months is None else add_months(decided_on, months)


class ProceedingKind(LabelledEnum):
    """What freezes a subject's awards while it is open (NĐ 152/2025 Art 4.4; NĐ 98/2023 Art 4; before 2024
    TT 08/2017/TT-BNV: "đang xem xét thi hành kỷ luật hoặc đang điều tra, thanh tra, kiểm tra khi có dấu hiệu vi
    phạm hoặc có đơn thư khiếu nại, tố cáo đang được xác minh làm rõ")."""

    discipline_review = "discipline_review", _l("Đang xem xét kỷ luật"), "text-bg-warning"
    investigation = "investigation", _l("Đang thanh tra, kiểm tra, điều tra"), "text-bg-warning"
    complaint = "complaint", _l("Có đơn thư khiếu nại, tố cáo đang xác minh"), "text-bg-warning"


PROCEEDING_LABELS = ProceedingKind.labels()


def _one_subject() -> CheckConstraint:
    """Exactly one of person_id and unit_id: a person's record or a collective's."""
    return CheckConstraint("(person_id IS NULL) <> (unit_id IS NULL)", name="one_subject")


class InitiativeScope(StrEnum):
    unit = "unit"
    provincial = "provincial"
    national = "national"


SCOPE_LABELS = {
    InitiativeScope.unit: _l("Cấp cơ sở"),
    InitiativeScope.provincial: _l("Cấp tỉnh"),
    InitiativeScope.national: _l("Cấp toàn quốc"),
}


def display_name(name: str, parent_name: str | None, grandparent_id: int | None) -> str:
    """Unit.display_name from plain columns (the unit's name, its parent's name and the parent's parent_id), for the
    pages that read units as rows (archive.queries.ResultLine)."""
    if parent_name is None or grandparent_id is None:
        return name
    return f"{name} — {parent_name}"


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
    # đơn vị có thẩm quyền: legal status, its own council and secretariat; decides what its competence table says
    # (CONTRACT §5: default false, except a unit with no parent)
    decides_awards: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # for the statistics forms (reports.statistics, biểu 0602.N/0603.N): a collective that is an enterprise
    # ("Trong đó: Doanh nghiệp"), or a foreign organisation (khen thưởng đối ngoại)
    enterprise: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    foreign_organisation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.name")
    evaluations: Mapped[list["UnitEvaluation"]] = relationship(
        back_populates="unit", order_by="UnitEvaluation.year.desc()")
    disciplines: Mapped[list["Discipline"]] = relationship(
        back_populates="unit", order_by="Discipline.year.desc()")
    proceedings: Mapped[list["Proceeding"]] = relationship(
        back_populates="unit", order_by="Proceeding.opened_on.desc()")
    # successor links (UnitSuccession): where this unit took over, and where others took over from it
    predecessor_links: Mapped[list["UnitSuccession"]] = relationship(
        foreign_keys="UnitSuccession.successor_id", back_populates="successor",
        order_by="(UnitSuccession.effective_on, UnitSuccession.id)")
    successor_links: Mapped[list["UnitSuccession"]] = relationship(
        foreign_keys="UnitSuccession.predecessor_id", back_populates="predecessor",
        order_by="(UnitSuccession.effective_on, UnitSuccession.id)")

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
        return display_name(self.name, parent.name if parent else None, parent.parent_id if parent else None)

    @property
    def awarding_unit(self) -> "Unit | None":
        """The nearest unit, itself or an ancestor, that decides awards: its secretariat and council handle this
        unit's dossiers (CONTRACT §5)."""
        node = self
        while node is not None and not node.decides_awards:
            node = node.parent
        return node

    @property
    def awarding_unit_code(self) -> str | None:
        unit = self.awarding_unit
        return unit.code if unit else None

    def ancestors(self) -> list["Unit"]:
        """From the root down to the parent: the breadcrumb."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class SuccessionKind(LabelledEnum):
    """How a unit took over from another (the 2025 reorganisation merged, split and re-coded units)."""

    merge = "merge", _l("Hợp nhất / sáp nhập")
    split = "split", _l("Chia / tách")
    rename = "rename", _l("Đổi tên")
    move = "move", _l("Chuyển cơ quan quản lý")


SUCCESSION_LABELS = SuccessionKind.labels()


class UnitSuccession(Base):
    """A successor link: `successor` takes over from `predecessor` on `effective_on`, by a decision. A collective's
    chain of years follows it (archive.queries.unit_histories) and old codes still find their records. A rename or
    a move that keeps the unit's row links the unit to itself (only those two kinds may)."""

    __tablename__ = "unit_successions"
    __table_args__ = (check_constraint("kind", SuccessionKind),
                      CheckConstraint("predecessor_id <> successor_id OR kind IN ('rename', 'move')",
                                      name="not_itself"),
                      UniqueConstraint("predecessor_id", "successor_id", "kind", "effective_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = state_column(SuccessionKind, 20)
    effective_on: Mapped[date]
    decision: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    predecessor: Mapped[Unit] = relationship(foreign_keys=[predecessor_id], back_populates="successor_links")
    successor: Mapped[Unit] = relationship(foreign_keys=[successor_id], back_populates="predecessor_links")

    @property
    def predecessor_code(self) -> str:
        return self.predecessor.code

    @property
    def successor_code(self) -> str:
        return self.successor.code


class UnitCompetence(Base):
    """One award a deciding unit decides itself (its competence table; defaults in units.competence)."""

    __tablename__ = "unit_competences"
    __table_args__ = (UniqueConstraint("unit_id", "award_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    award_code: Mapped[str] = mapped_column(String(20))


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
    sector_start_date: Mapped[date | None]  # ngày vào ngành: awards for years of service count from it (issue 25)
    # for the statistics forms (reports.statistics): the person's group and whether they are a foreign national
    # (khen thưởng đối ngoại); None = the group is not recorded
    occupation_group: Mapped[OccupationGroup | None] = mapped_column(_enum(OccupationGroup))
    foreign_national: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")
    evaluations: Mapped[list["PersonEvaluation"]] = relationship(
        back_populates="person", order_by="PersonEvaluation.year.desc()")
    disciplines: Mapped[list["Discipline"]] = relationship(
        back_populates="person", order_by="Discipline.year.desc()")
    initiatives: Mapped[list["Initiative"]] = relationship(
        back_populates="person", order_by="(Initiative.year.desc(), Initiative.id.desc())")
    proceedings: Mapped[list["Proceeding"]] = relationship(
        back_populates="person", order_by="Proceeding.opened_on.desc()")

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
    """A disciplinary decision on a person or on a collective, with the end of its execution period."""

    __tablename__ = "disciplines"
    __table_args__ = (check_constraint("level", DisciplineLevel), _one_subject())

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int]
    level: Mapped[str] = state_column(DisciplineLevel, 20)
    decided_on: Mapped[date]
    ends_on: Mapped[date | None]  # end of the execution period; None: none (buộc thôi việc)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person | None] = relationship(back_populates="disciplines")
    unit: Mapped[Unit | None] = relationship(back_populates="disciplines")

    @property
    def subject_code(self) -> str:
        return self.person.code if self.person is not None else self.unit.code

    def in_force_on(self, day: date) -> bool:
        return self.decided_on <= day and (self.ends_on is None or day < self.ends_on)


class Proceeding(Base):
    """A discipline review, an inspection or investigation, or a complaint being verified, on a person or a
    collective: while it is open, its awards are frozen (NĐ 152/2025 Art 4.4)."""

    __tablename__ = "proceedings"
    __table_args__ = (check_constraint("kind", ProceedingKind), _one_subject())

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = state_column(ProceedingKind, 20)
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    closing_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    person: Mapped[Person | None] = relationship(back_populates="proceedings")
    unit: Mapped[Unit | None] = relationship(back_populates="proceedings")

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def subject(self):
        return self.person if self.person is not None else self.unit


class Initiative(Base):
    """A recognition of an initiative (sáng kiến) or research topic (đề tài), by year and scope. A wider scope
    recognised later (unit → provincial) is a new row that `supersedes` the earlier one: never an edit."""

    __tablename__ = "initiatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    scope: Mapped[InitiativeScope] = mapped_column(_enum(InitiativeScope))
    recognised_on: Mapped[date | None]  # the recognition's date (None: recorded before dates were kept)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="initiatives")
    supersedes: Mapped["Initiative | None"] = relationship(remote_side=[id], foreign_keys=[supersedes_id])
    superseded_by: Mapped[list["Initiative"]] = relationship(foreign_keys=[supersedes_id], viewonly=True)

    @property
    def is_current(self) -> bool:
        """The latest recognition of this initiative (no wider one recorded after it)."""
        return not self.superseded_by


Index("ix_people_unit_id_name_folded", Person.unit_id, Person.name_folded)
