"""Emulation clusters and blocks (cụm, khối thi đua) of a year: member units, the leader unit (trưởng cụm, khối),
the scored pledge (giao ước thi đua) each member signs, the year-end scores and the vote on the leading unit."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column
from awards.core.uploads import Upload


class ClusterKind(LabelledEnum):
    cluster = "cluster", _l("Cụm thi đua")
    block = "block", _l("Khối thi đua")


class ClusterStatus(LabelledEnum):
    """draft → pledged → scoring → ranked → closed (clusters/states.py); closed is read-only."""

    draft = "draft", _l("Soạn giao ước"), "text-bg-secondary"
    pledged = "pledged", _l("Đã ký giao ước"), "text-bg-info"
    scoring = "scoring", _l("Đang chấm điểm"), "text-bg-primary"
    ranked = "ranked", _l("Đã xếp hạng"), "text-bg-warning"
    closed = "closed", _l("Đã kết thúc"), "text-bg-dark"


class ScoreKind(LabelledEnum):
    own = "self", _l("Đơn vị tự chấm")
    cluster = "cluster", _l("Cụm, khối chấm")


class ProposedAward(LabelledEnum):
    """What the cluster proposes for a unit after its vote (RULES.md §3 CO_TINH, §4 BK_TINH)."""

    CO_TINH = "CO_TINH", _l("Cờ thi đua cấp tỉnh")
    BK_TINH = "BK_TINH", _l("Bằng khen cấp tỉnh")


class Cluster(Base):
    """One cụm or khối in one year; next year's is a copy (`previous_id`) with the leader rotated."""

    __tablename__ = "clusters"
    __table_args__ = (check_constraint("kind", ClusterKind), check_constraint("status", ClusterStatus),
                      UniqueConstraint("year", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = state_column(ClusterKind, 10)
    year: Mapped[int] = mapped_column(index=True)
    leader_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = state_column(ClusterStatus, 10, default=ClusterStatus.draft)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    leader = relationship("Unit", lazy="joined")
    members: Mapped[list["ClusterMember"]] = relationship(back_populates="cluster", order_by="ClusterMember.id",
                                                          cascade="all, delete-orphan")
    criteria: Mapped[list["ClusterCriterion"]] = relationship(
        back_populates="cluster", order_by="ClusterCriterion.position", cascade="all, delete-orphan")
    vote: Mapped["ClusterVote | None"] = relationship(back_populates="cluster", uselist=False)

    @property
    def member_units(self) -> list:
        return [m.unit for m in self.members]

    def member_for(self, unit_id: int | None) -> "ClusterMember | None":
        return next((m for m in self.members if m.unit_id == unit_id), None)

    @property
    def all_signed(self) -> bool:
        return bool(self.members) and all(m.signed_at is not None for m in self.members)


class ClusterMember(Base):
    """A member unit, and its signature of the pledge (who, when)."""

    __tablename__ = "cluster_members"
    __table_args__ = (UniqueConstraint("cluster_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(200), default="")

    cluster: Mapped[Cluster] = relationship(back_populates="members")
    unit = relationship("Unit", lazy="joined")


class ClusterCriterion(Base):
    """A scored criterion of the pledge: its group, text, weight and maximum points."""

    __tablename__ = "cluster_criteria"
    __table_args__ = (CheckConstraint("weight > 0", name="weight"),
                      CheckConstraint("max_points > 0", name="max_points"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    group: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    max_points: Mapped[float] = mapped_column(Float)

    cluster: Mapped[Cluster] = relationship(back_populates="criteria")


class ClusterScore(Base):
    """Points for one member on one criterion: its own (self) or the cluster's."""

    __tablename__ = "cluster_scores"
    __table_args__ = (UniqueConstraint("member_id", "criterion_id", "kind"), check_constraint("kind", ScoreKind),
                      CheckConstraint("points >= 0", name="points"))

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("cluster_members.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("cluster_criteria.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = state_column(ScoreKind, 10)
    points: Mapped[float] = mapped_column(Float)
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ClusterVote(Base):
    """The cluster's vote on its leading unit (đơn vị dẫn đầu): date, voters, the counts per proposed unit, the
    minutes, and the unit proposed for a Cờ thi đua or Bằng khen."""

    __tablename__ = "cluster_votes"
    __table_args__ = (check_constraint("proposed_award_code", ProposedAward),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), unique=True)
    voted_on: Mapped[date]
    voters: Mapped[int]
    leading_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    proposed_award_code: Mapped[str | None] = state_column(ProposedAward, 20, nullable=True)
    proposed_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    minutes_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    cluster: Mapped[Cluster] = relationship(back_populates="vote")
    leading_unit = relationship("Unit", foreign_keys=[leading_unit_id], lazy="joined")
    proposed_unit = relationship("Unit", foreign_keys=[proposed_unit_id], lazy="joined")
    minutes = relationship(Upload)
    counts: Mapped[list["ClusterVoteCount"]] = relationship(back_populates="vote", cascade="all, delete-orphan",
                                                            order_by="ClusterVoteCount.id")


class ClusterVoteCount(Base):
    """Votes for and against one proposed unit."""

    __tablename__ = "cluster_vote_counts"
    __table_args__ = (UniqueConstraint("vote_id", "unit_id"),
                      CheckConstraint("votes_for >= 0 AND votes_against >= 0", name="counts"))

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("cluster_votes.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    votes_for: Mapped[int]
    votes_against: Mapped[int]

    vote: Mapped[ClusterVote] = relationship(back_populates="counts")
    unit = relationship("Unit", lazy="joined")
