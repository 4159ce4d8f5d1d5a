"""The Emulation and Commendation Council (Hội đồng TĐKT), its sessions, agendas, ballots and recusals.

Secret ballots (DESIGN §4, docs/SECURITY.md): `ballots_cast` says who has voted and holds no choice; the choices
are sealed, while the session is open, to a key pair made for it (`ballot_keys`, awards/council/sealing.py) in
`sealed_ballots` rows with random keys; at the close they are opened once, become the counters on `session_items`
and the published receipts, and the key and the sealed rows are deleted."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column


class MemberRole(LabelledEnum):
    chair = "chair", _l("Chủ tịch")
    vice_chair = "vice_chair", _l("Phó Chủ tịch")
    member = "member", _l("Ủy viên")
    secretary = "secretary", _l("Ủy viên thư ký")


class SessionStatus(LabelledEnum):
    """A session's vote: draft → open → closed (council/states.py)."""

    draft = "draft", _l("Chưa mở"), "text-bg-secondary"
    open = "open", _l("Đang bỏ phiếu"), "text-bg-success"
    closed = "closed", _l("Đã kết thúc"), "text-bg-dark"


class BallotKind(LabelledEnum):
    secret = "secret", _l("Bỏ phiếu kín")
    open = "open", _l("Biểu quyết công khai")


class VoteChoice(LabelledEnum):
    yes = "yes", _l("Đồng ý")
    no = "no", _l("Không đồng ý")
    blank = "blank", _l("Bỏ trống")


class RecusalScope(LabelledEnum):
    """Who steps back from an item automatically (RULES §5: the law is silent; a setting per council). A member of
    a nominated collective is part of the nominee in every scope."""

    nominee = "nominee", _l("Chỉ người được đề nghị")
    unit_head = "unit_head", _l("Người được đề nghị và thủ trưởng đơn vị của họ")
    unit = "unit", _l("Người được đề nghị và mọi thành viên cùng đơn vị")


MEMBER_ROLES = tuple(MemberRole)


class Council(Base):
    __tablename__ = "councils"
    __table_args__ = (check_constraint("recusal_scope", RecusalScope),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the level it advises
    term_from: Mapped[date | None]
    term_to: Mapped[date | None]
    recusal_scope: Mapped[str] = state_column(RecusalScope, 10, default=RecusalScope.unit,
                                              server_default=RecusalScope.unit.value)
    # do recused members still count in the total membership the 90 % / 80 % thresholds are shares of? The law
    # says "tổng số thành viên" and names no exception: yes, by default (RULES §5, a setting)
    recused_count: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit = relationship("Unit", lazy="joined")
    members: Mapped[list["CouncilMember"]] = relationship(back_populates="council", cascade="all, delete-orphan",
                                                          order_by="CouncilMember.id")


class CouncilMember(Base):
    """A seat on the council: a user (bound to a person, so conflicts can be found) and their role."""

    __tablename__ = "council_members"
    __table_args__ = (UniqueConstraint("council_id", "user_id"), check_constraint("role", MemberRole))

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = state_column(MemberRole, 12, default=MemberRole.member)

    council: Mapped[Council] = relationship(back_populates="members")
    user = relationship("User", lazy="joined")


class CouncilSession(Base):
    """A session (phiên họp / đợt xét): an agenda voted in one round; a second round is a new session."""

    __tablename__ = "council_sessions"
    __table_args__ = (check_constraint("status", SessionStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = state_column(SessionStatus, 8, default=SessionStatus.draft)
    round: Mapped[int] = mapped_column(Integer, default=1)
    # indexed: the next round is looked up by it, and on SQLite every write lock on a session (core/db.py
    # begin_write: a ballot's) checks this self-reference, which without an index reads every session (issue 21)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("council_sessions.id"), index=True)
    opens_at: Mapped[datetime | None]  # None: from the moment it is opened
    closes_at: Mapped[datetime]
    quorum: Mapped[float | None]  # the setting as it stood when the session opened
    recused_count: Mapped[bool | None] = mapped_column(Boolean)  # the council's setting then (None: before it, yes)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    council: Mapped[Council] = relationship(lazy="joined")
    previous = relationship("CouncilSession", remote_side=[id])
    items: Mapped[list["SessionItem"]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                                      order_by="SessionItem.position")
    members: Mapped[list["SessionMember"]] = relationship(cascade="all, delete-orphan",
                                                          order_by="SessionMember.user_id")


class SessionItem(Base):
    """A dossier on the agenda; from the moment the session opens it carries the ballot kind and threshold
    then in force; the counters are written once, at the close, from the opened ballots (zero before)."""

    __tablename__ = "session_items"
    __table_args__ = (UniqueConstraint("session_id", "nomination_id"), check_constraint("ballot", BallotKind))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    ballot: Mapped[str] = state_column(BallotKind, 8, default=BallotKind.secret)
    threshold: Mapped[float | None]
    yes: Mapped[int] = mapped_column(Integer, default=0)
    no: Mapped[int] = mapped_column(Integer, default=0)
    blank: Mapped[int] = mapped_column(Integer, default=0)  # left out of a ballot: counts as not yes
    passed: Mapped[bool | None] = mapped_column(Boolean)  # set at close

    session: Mapped[CouncilSession] = relationship(back_populates="items")
    nomination = relationship("Nomination", lazy="joined")


class SessionMember(Base):
    """Who sat on the council when the session opened: the total membership thresholds are counted on."""

    __tablename__ = "session_members"
    __table_args__ = (check_constraint("role", MemberRole),)

    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = state_column(MemberRole, 12)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    user = relationship("User", lazy="joined")


class BallotCast(Base):
    """That a member has voted in a session (once: the primary key refuses a second). No choice, no time."""

    __tablename__ = "ballots_cast"

    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class BallotKey(Base):
    """A session's ballot key pair while voting is open: ballots are sealed to the public half; the private half
    is kept only wrapped with a key derived from SECRET_KEY. Overwritten and deleted at the close."""

    __tablename__ = "ballot_keys"

    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    wrapped_private_key: Mapped[bytes] = mapped_column(LargeBinary(80))


class SealedBallot(Base):
    """One member's secret choices and receipt, sealed to the session's key, all the same size; written in the
    transaction that writes `ballots_cast`, opened and deleted at the close. No member, no time, a random key."""

    __tablename__ = "sealed_ballots"
    __table_args__ = {"sqlite_with_rowid": False}  # stored in key order: no insertion order to read

    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    box: Mapped[bytes] = mapped_column(LargeBinary)


class BallotReceipt(Base):
    """A counted ballot's receipt: a random code taken out of its sealed ballot at the close, all written at once,
    published; tied to nobody."""

    __tablename__ = "ballot_receipts"
    __table_args__ = {"sqlite_with_rowid": False}  # stored in code order: no insertion order to read

    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(24), primary_key=True)


class OpenVote(Base):
    """An open-vote item's named choice (RULES §5: open votes may record names)."""

    __tablename__ = "open_votes"
    __table_args__ = (check_constraint("choice", VoteChoice),)

    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    choice: Mapped[str] = state_column(VoteChoice, 5)


class Recusal(Base):
    """A member who takes no part in an item: found automatically at opening, or declared with a reason."""

    __tablename__ = "recusals"
    __table_args__ = (UniqueConstraint("session_id", "nomination_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", lazy="joined")


class ReviewMark(Base):
    """A member has read an item's dossier."""

    __tablename__ = "review_marks"

    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewComment(Base):
    """A member's remark on an item; other members read it only once they have cast their ballot."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", lazy="joined")
