"""A session's vote: opening (members and thresholds frozen, conflicts recused), ballots, recusals, the close
and its tally, a second round; members' review marks and comments. The caller commits once."""

from collections import Counter
from datetime import datetime

from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import (
    ARRAY,
    DateTime,
    Integer,
    String,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from awards.catalog import services as catalog
from awards.core import audit, clock
from awards.core.audit import AuditEntry
from awards.core.db import DomainError, Invalid, NotFound, UTCDateTime, begin_write, prepared_at_first_use, utcnow
from awards.core.text import fold
from awards.council import notices, permissions, queries, rules, sealing
from awards.council.models import (
    BallotCast,
    BallotKey,
    BallotReceipt,
    CouncilMember,
    CouncilSession,
    OpenVote,
    Recusal,
    ReviewComment,
    ReviewMark,
    SealedBallot,
    SessionItem,
    SessionMember,
    SessionStatus,
)
from awards.council.services import (
    COUNCIL_GUARDS,
    agenda_nominations,
    create_session,
    forbidden,
    lock_session,
    set_items,
)
from awards.council.states import transition as move
from awards.extensions import db
from awards.nominations.states import transition
from awards.units.models import Person


def _member_unit(user) -> int | None:
    """The member's unit: their person's, or their account's when no person is bound."""
    person = db.session.get(Person, user.person_id) if user.person_id else None
    return person.unit_id if person else user.unit_id


def conflict(member: SessionMember, nomination, scope: str = "unit", head: bool = False) -> str | None:
    """Why a member takes no part in an item (RULES §5), or None. `scope` is the council's setting: the nominee
    only, the nominee and the head of their unit (`head`: the member is their unit's head), or the whole unit.
    A nominated collective's own members are the nominee in every scope."""
    if nomination.subject_type == "person" and member.person_id and nomination.person_id == member.person_id:
        return _("Người được đề nghị là chính thành viên.")
    if member.unit_id is None or nomination.unit_id != member.unit_id:
        return None
    if nomination.subject_type == "unit":
        return _("Tập thể được đề nghị là đơn vị của thành viên.")
    if scope == "unit":
        return _("Người được đề nghị thuộc đơn vị của thành viên.")
    if scope == "unit_head" and head:
        return _("Thành viên là thủ trưởng đơn vị của người được đề nghị.")
    return None


def _heads(members: list[SessionMember]) -> set[int]:
    """The members (user ids) whose position names them the head of their unit."""
    people = [m.person_id for m in members if m.person_id]
    if not people:
        return set()
    positions = dict(db.session.execute(select(Person.id, Person.position).where(Person.id.in_(people))).all())
    return {m.user_id for m in members if m.person_id and rules.is_unit_head(fold(positions.get(m.person_id) or ""))}


def open_session(session: CouncilSession, *, by) -> None:
    """Voting starts: members, quorum and thresholds are frozen, conflicts recused, dossiers `in_council`."""
    session = lock_session(session)
    if not permissions.may_run(by, session):
        raise forbidden()
    if session.status != "draft":
        raise DomainError(_("Phiên họp đã mở hoặc đã kết thúc."), code="wrong_state")
    if not session.items:
        raise Invalid(_("Chương trình phiên họp chưa có hồ sơ nào."), field="nomination_ids")
    if session.closes_at <= clock.now():
        raise Invalid(_("Thời hạn bỏ phiếu phải ở tương lai."), field="closes_at")
    settings = catalog.global_settings()
    agenda_nominations([i.nomination_id for i in session.items], session.round)  # still ready, still due a vote
    for item in session.items:
        for guard in COUNCIL_GUARDS:
            reason = guard(item.nomination)
            if reason:
                raise DomainError(reason, code="not_listed")
    session.members = [SessionMember(user_id=m.user_id, role=m.role, person_id=m.user.person_id,
                                     unit_id=_member_unit(m.user)) for m in session.council.members]
    if not session.members:
        raise Invalid(_("Hội đồng chưa có thành viên."), field="council_code")
    session.quorum = float(settings["quorum"])
    session.recused_count = session.council.recused_count
    heads = _heads(session.members) if session.council.recusal_scope == "unit_head" else set()
    for item in session.items:
        _open_item(session, item, settings["max_rounds"], heads, by)
    public, wrapped = sealing.new_key_pair(session.id)  # the key ballots are sealed to, until the close
    db.session.add(BallotKey(session_id=session.id, public_key=public, wrapped_private_key=wrapped))
    session.opened_at = clock.now()
    session.opens_at = session.opens_at or session.opened_at
    move(session, SessionStatus.open, by=by, extra={"members": len(session.members), "items": len(session.items)})
    db.session.flush()
    notices.opened(session)


def _open_item(session: CouncilSession, item: SessionItem, max_rounds: int, heads: set[int], by) -> None:
    award = catalog.award_type(item.nomination.award_code)
    if queries.rounds_of(item.nomination_id) >= max_rounds:
        raise DomainError(_("Hồ sơ #%(i)s đã được Hội đồng xét đủ %(n)s vòng.", i=item.nomination_id, n=max_rounds),
                          code="too_many_rounds")
    item.ballot, item.threshold = award.ballot, award.threshold
    item.yes = item.no = item.blank = 0
    transition(item.nomination, "in_council", by=by, note=session.title)
    declared = {r.user_id for r in queries.recusals(session) if r.nomination_id == item.nomination_id}
    for member in session.members:
        reason = conflict(member, item.nomination, session.council.recusal_scope, member.user_id in heads)
        if reason and member.user_id not in declared:
            db.session.add(Recusal(session_id=session.id, nomination_id=item.nomination_id, user_id=member.user_id,
                                   reason=reason, automatic=True))


def _check_votes(on_agenda, votes: dict[int, str], recused: set[int]) -> None:
    unknown = sorted(set(votes) - set(on_agenda))
    if unknown:
        raise Invalid(_("Hồ sơ #%(i)s không có trong chương trình phiên họp.", i=unknown[0]), field="votes")
    if any(choice not in ("yes", "no") for choice in votes.values()):
        raise Invalid(_("Lựa chọn phải là đồng ý (yes) hoặc không đồng ý (no)."), field="votes")
    if set(votes) & recused:
        raise DomainError(_("Bạn không tham gia biểu quyết hồ sơ #%(i)s (đã tránh xung đột lợi ích).",
                            i=sorted(set(votes) & recused)[0]), status=403, code="recused")


def _not_seated() -> DomainError:
    return DomainError(_("Bạn không phải thành viên Hội đồng của phiên họp này."), status=403, code="forbidden")


def _outside_window() -> DomainError:
    return DomainError(_("Phiên họp không trong thời gian bỏ phiếu."), code="wrong_state")


def _already_voted() -> DomainError:
    return DomainError(_("Bạn đã bỏ phiếu trong phiên họp này; phiếu đã bỏ không sửa được."), code="already_voted")


# ------------------------------------------------------------------------------------------------ a ballot
# The cast path is a handful of statements and no ORM objects (issue 21: 100 members at once on 2 cores): one
# SELECT reads, under the session row's shared lock, everything the guards need; then plain inserts. Statement
# count: tests/council/test_ballot_path.py.

_S, _ITEM, _KEY = CouncilSession.__table__, SessionItem.__table__, BallotKey.__table__
_SEAT, _COUNCIL_SEAT = SessionMember.__table__, CouncilMember.__table__
_CAST, _RECUSAL, _SEALED, _OPEN = BallotCast.__table__, Recusal.__table__, SealedBallot.__table__, OpenVote.__table__
_SID, _UID = bindparam("session_id"), bindparam("user_id")
_DRIVER_TIME = DateTime(timezone=True)
_AWARE = UTCDateTime().process_result_value  # SQLite's times come back naive

# the session's window, the voter's seat (the opening's snapshot, or the council's list: may they see it at all),
# whether they have voted, the key ballots are sealed to, and one row per agenda item with the voter's recusal.
# The states and times are read as the driver gives them (type_coerce: no result processing): converted on every
# row (the session's repeat on each item's), they were a quarter of the statement's time in Python (issue 21);
# _refusal reads the first row's. The seat, the council's seat, "has voted" and the recusals are looked up by the
# session's id as given, not correlated to the session's row: PostgreSQL then reads each by its key's two columns
# (correlated, it planned "has voted" as a scan of the primary key by the member alone, every ballot they ever
# cast), and reads each once (the council's seat, correlated, was read again for every agenda item: two thirds of
# the statement's time with 20 items and 100 members, issue 21).
BALLOT_GUARD = (
    select(type_coerce(_S.c.status, String).label("status"), type_coerce(_S.c.opens_at, _DRIVER_TIME).label("opens_at"),
           type_coerce(_S.c.closes_at, _DRIVER_TIME).label("closes_at"),
           exists().where(_SEAT.c.session_id == _SID, _SEAT.c.user_id == _UID).label("seated"),
           exists().where(_COUNCIL_SEAT.c.council_id == select(_S.c.council_id).where(_S.c.id == _SID)
                          .scalar_subquery(), _COUNCIL_SEAT.c.user_id == _UID).label("on_council"),
           exists().where(_CAST.c.session_id == _SID, _CAST.c.user_id == _UID).label("voted"),
           _KEY.c.public_key, _ITEM.c.nomination_id, type_coerce(_ITEM.c.ballot, String).label("ballot"),
           exists().where(_RECUSAL.c.session_id == _SID, _RECUSAL.c.nomination_id == _ITEM.c.nomination_id,
                          _RECUSAL.c.user_id == _UID).label("recused"))
    .select_from(_S.outerjoin(_KEY, _KEY.c.session_id == _S.c.id).outerjoin(_ITEM, _ITEM.c.session_id == _S.c.id))
    .where(_S.c.id == _SID)
    .order_by(_ITEM.c.position, _ITEM.c.id)
    .with_for_update(read=True, of=_S)  # PostgreSQL: FOR SHARE OF council_sessions; the close takes FOR UPDATE
)
# "has voted", once: the primary key refuses a second ballot, even one racing this one (it waits for the first's
# commit, then inserts nothing and returns no row; rowcount says -1 on psycopg, so RETURNING tells)
CAST_ONCE = {"postgresql": pg_insert(_CAST).on_conflict_do_nothing().returning(_CAST.c.user_id),
             "sqlite": sqlite_insert(_CAST).on_conflict_do_nothing().returning(_CAST.c.user_id)}
SEAL, OPEN_VOTES, AUDIT = insert(_SEALED), insert(_OPEN), insert(AuditEntry.__table__)
_AUDITED = ("at", "actor_id", "actor_name", "action", "object_type", "object_id", "after", "ip")


def _cast_pg():
    """PostgreSQL: the ballot's writes in one statement (issue 21: one round trip and one statement's work instead
    of four, and of one more per open-vote item): the `ballots_cast` row (CAST_ONCE), and only when it was
    inserted, the sealed ballot, the audit entry, the open-vote items' named choices (two arrays, unnested) and the
    member's "vote" notices done (data-modifying CTEs, each reading the inserted row). Returns the row CAST_ONCE
    returns, or none for a second ballot. Built once, on first use (the notices' statement). Its parameters are all
    prefixed (c_, o_, audit_, b_): a parameter named like a column of `notifications` would be taken by SQLAlchemy
    as one more value to SET in the notices' UPDATE."""
    session_id, user_id = bindparam("c_session_id", type_=_CAST.c.session_id.type), bindparam("c_user_id")
    cast = CAST_ONCE["postgresql"].values(session_id=session_id, user_id=user_id).cte("cast_row")
    once = select(cast.c.user_id)
    sealed = insert(_SEALED).from_select(
        ["session_id", "id", "box"],
        select(session_id, bindparam("c_id", type_=_SEALED.c.id.type), bindparam("c_box", type_=_SEALED.c.box.type))
        .select_from(cast)).cte("sealed")
    audit_table = AuditEntry.__table__
    logged = insert(audit_table).from_select(
        list(_AUDITED), select(*(bindparam(f"audit_{c}", type_=audit_table.c[c].type) for c in _AUDITED))
        .select_from(cast)).cte("logged")
    named = func.unnest(bindparam("o_nominations", type_=ARRAY(Integer)), bindparam("o_choices", type_=ARRAY(String))
                        ).table_valued("nomination_id", "choice").render_derived()
    opened = insert(_OPEN).from_select(
        ["session_id", "nomination_id", "user_id", "choice"],
        select(session_id, named.c.nomination_id, user_id, named.c.choice).select_from(cast).join(named, true())
    ).cte("opened")
    done = notices.voted_statement().where(exists(once)).cte("done")
    return select(cast.c.user_id).add_cte(sealed, logged, opened, done)


_CAST_PG: list = []  # _cast_pg(), once


def _guard_rows(connection, session_id: int, user_id: int) -> list:
    return connection.execute(BALLOT_GUARD, {"session_id": session_id, "user_id": user_id}).all()


def _refusal(rows: list, session_id: int, by) -> DomainError | None:
    """What the guard rows refuse before the votes are read: 404 (no such session, or one the user may not see),
    403 (no seat), 409 (outside the window)."""
    if not rows:
        return NotFound(_("Không có phiên họp số %(i)s.", i=session_id))
    first = rows[0]
    seated = first.seated if first.status != "draft" else first.on_council  # as queries.seat
    if not (seated or first.on_council or by.is_manager):  # as permissions.may_view
        return NotFound(_("Không có phiên họp số %(i)s.", i=session_id))
    if not seated:
        return _not_seated()
    if first.status != "open" or first.public_key is None:
        return _outside_window()
    now, opens_at = clock.now(), _AWARE(first.opens_at, None)
    if (opens_at and now < opens_at) or now >= _AWARE(first.closes_at, None):
        return _outside_window()
    return None


def cast_ballot(session: CouncilSession | int, *, votes: dict[int, str], by) -> str:
    """Seal one member's ballot (once per session) and return its receipt. Items left out count as not yes.

    The choices and the receipt are sealed to the session's key in one row with a random key, written with the
    member's `ballots_cast` row: no counter moves until the close, so no commit, log or backup taken while the
    session is open shows a choice (docs/SECURITY.md). Ballots run side by side under the session's shared
    lock; the close waits for them.

    `session` may be the session or its id: the guard reads what it needs itself, in one statement (the seat,
    the recusals, "has voted", the window and the key), and refuses as the pages and the API always did: 404 for a
    session the user may not see, 403 without a seat or on a recused item, 409 outside the window or a second
    time, 400 for a dossier not on the agenda or a choice other than yes/no."""
    session_id = session if isinstance(session, int) else session.id
    user_id, username = by.id, by.username or ""  # read before SQLite's begin_write commits (and expires `by`)
    begin_write(db.session, "council_sessions", session_id)  # SQLite: the write lock first (PostgreSQL: the guard)
    connection = db.session.connection()
    with prepared_at_first_use(connection):
        return _cast(connection, session_id, votes, by, user_id, username)


def _cast(connection, session_id: int, votes: dict[int, str], by, user_id: int, username: str) -> str:
    """cast_ballot's guard and write, on the transaction's connection."""
    rows = _guard_rows(connection, session_id, user_id)
    refusal = _refusal(rows, session_id, by)
    if refusal is not None and connection.dialect.name == "postgresql":
        # the statement may have waited for the lock of a session being opened: its snapshot predates the
        # opening's seats and key (only the locked row is read again); read once more, under the lock now held
        rows = _guard_rows(connection, session_id, user_id)
        refusal = _refusal(rows, session_id, by)
    if refusal is not None:
        raise refusal
    items = [(r.nomination_id, r.ballot) for r in rows if r.nomination_id is not None]
    recused = {r.nomination_id for r in rows if r.recused}
    _check_votes((n for n, _b in items), votes, recused)
    if rows[0].voted:
        raise _already_voted()
    choices = {n: votes.get(n, "blank") for n, _b in items if n not in recused}
    receipt = sealing.new_receipt()
    sealed = {"session_id": session_id, "id": sealing.new_ballot_id(), "box": sealing.seal(
        rows[0].public_key, receipt=receipt, choices=choices, items=len(items))}
    logged = {  # as audit.record writes it; the number of items, never the choices
        "at": utcnow(), "actor_id": user_id, "actor_name": username, "action": "council.ballot",
        "object_type": "CouncilSession", "object_id": str(session_id), "before": None,
        "after": {"items": len(choices)}, "ip": (request.remote_addr or "") if has_request_context() else ""}
    named = [(n, choices[n]) for n, ballot in items if ballot == "open" and n in choices]
    if connection.dialect.name == "postgresql":
        if not _CAST_PG:
            _CAST_PG.append(_cast_pg())
        if connection.execute(_CAST_PG[0], {"c_session_id": session_id, "c_user_id": user_id, "c_id": sealed["id"],
                                            "c_box": sealed["box"], "b_session_id": session_id,
                                            "b_user_id": user_id, "b_now": logged["at"],
                                            "o_nominations": [n for n, _c in named],
                                            "o_choices": [c for _n, c in named],
                                            **{f"audit_{c}": logged[c] for c in _AUDITED}}).first() is None:
            raise _already_voted()
        return receipt
    if connection.execute(CAST_ONCE["sqlite"], {"session_id": session_id, "user_id": user_id}).first() is None:
        raise _already_voted()
    connection.execute(SEAL, sealed)
    connection.execute(AUDIT, logged)
    notices.voted(session_id, user_id)
    if named:  # executemany, not a multi-row VALUES: that statement was compiled anew for every ballot
        connection.execute(OPEN_VOTES, [{"session_id": session_id, "nomination_id": n, "user_id": user_id,
                                         "choice": c} for n, c in named])
    return receipt


def _open_ballots(session: CouncilSession) -> None:
    """At the close, once: every sealed ballot opened, the counters and the receipts written together; then the
    key is overwritten and deleted with the sealed rows, so no copy of the database can open a ballot again."""
    key = db.session.get(BallotKey, session.id)
    boxes = db.session.scalars(select(SealedBallot.box).where(SealedBallot.session_id == session.id)).all()
    try:
        ballots = sealing.unseal_all(session.id, key.wrapped_private_key, boxes)
    except sealing.SealError:
        raise DomainError(_("Không mở được các phiếu kín: khóa bí mật của hệ thống (SECRET_KEY) đã thay đổi từ khi "
                            "mở phiên họp, hoặc dữ liệu phiếu đã bị sửa."), code="ballots_unreadable") from None
    if len(ballots) != queries.ballots_cast(session):
        raise DomainError(_("Số phiếu kín không khớp số thành viên đã bỏ phiếu."), code="ballots_unreadable")
    counts = Counter((nomination_id, choice) for _r, choices in ballots for nomination_id, choice in choices.items())
    for item in session.items:
        item.yes, item.no, item.blank = (counts[item.nomination_id, c] for c in ("yes", "no", "blank"))
    db.session.add_all(BallotReceipt(session_id=session.id, code=r) for r in sorted(r for r, _c in ballots))
    key.public_key, key.wrapped_private_key = bytes(32), bytes(len(key.wrapped_private_key))
    db.session.flush()  # zeros where the key was, in the page itself (SQLite reuses the space)
    db.session.delete(key)
    db.session.execute(delete(SealedBallot).where(SealedBallot.session_id == session.id))


def declare_recusal(session: CouncilSession, *, nomination_id: int, reason: str, by) -> Recusal:
    """A member steps back from an item, with a reason the minutes record; before casting their ballot."""
    if session.status == "closed":
        raise DomainError(_("Phiên họp đã kết thúc."), code="wrong_state")
    if queries.seat(session, by) is None:
        raise DomainError(_("Bạn không phải thành viên Hội đồng của phiên họp này."), status=403, code="forbidden")
    if queries.item(session, nomination_id) is None:
        raise Invalid(_("Hồ sơ #%(i)s không có trong chương trình phiên họp.", i=nomination_id), field="nomination_id")
    if not (reason or "").strip():
        raise Invalid(_("Cần ghi lý do."), field="reason")
    if queries.has_voted(session, by):
        raise _already_voted()
    existing = db.session.scalar(select(Recusal).where(Recusal.session_id == session.id, Recusal.user_id == by.id,
                                                       Recusal.nomination_id == nomination_id))
    if existing is not None:
        return existing
    recusal = Recusal(session_id=session.id, nomination_id=nomination_id, user_id=by.id, reason=reason.strip())
    db.session.add(recusal)
    db.session.flush()
    audit.record("council.recusal", session, by=by, after={"nomination": nomination_id, "reason": recusal.reason})
    return recusal


def results(session: CouncilSession) -> dict:
    """The tally as the close fixed it (409 before): quorum, and per item yes, no, needed, passed."""
    if session.status != "closed":
        raise DomainError(_("Kết quả chỉ có sau khi kết thúc bỏ phiếu."), code="not_closed")
    return _tally(session)


def _tally(session: CouncilSession) -> dict:
    members, cast = len(session.members), queries.ballots_cast(session)
    quorum_ok = rules.quorum_met(members, cast, session.quorum or 0)
    recused: dict[int, int] = {}
    for recusal in queries.recusals(session):
        recused[recusal.nomination_id] = recused.get(recusal.nomination_id, 0) + 1
    counted = session.recused_count is not False  # sessions opened before the setting counted everyone
    items = []
    for item in session.items:
        base = rules.recusal_base(members, recused.get(item.nomination_id, 0), counted)
        result = rules.tally_item(ballot=item.ballot, threshold=item.threshold, members=base, yes=item.yes,
                                  no=item.no, blank=item.blank, quorum_ok=quorum_ok)
        items.append({"nomination_id": item.nomination_id, "item": item, "result": result,
                      "yes": result.yes, "no": result.no, "blank": result.blank, "needed": result.needed,
                      "passed": result.passed, "ballot": item.ballot, "threshold": item.threshold,
                      "recused": recused.get(item.nomination_id, 0),
                      "second_round": rules.may_go_to_second_round(result, members=members, quorum_ok=quorum_ok)})
    return {"members": members, "ballots_cast": cast, "quorum": session.quorum, "quorum_met": quorum_ok,
            "items": items}


def close_session(session: CouncilSession, *, by) -> dict:
    """End the vote and count it: each dossier `passed` or `failed`, with its count in the history.
    Ballots waiting on the lock find the session closed and are refused; none is lost."""
    session = lock_session(session)
    if not permissions.may_run(by, session):
        raise forbidden()
    if session.status != "open":
        raise DomainError(_("Chỉ kết thúc được phiên họp đang bỏ phiếu."), code="wrong_state")
    session.closed_at = clock.now()
    _open_ballots(session)
    tally = _tally(session)
    for row in tally["items"]:
        item, result = row["item"], row["result"]
        item.passed = result.passed
        note = _("%(y)s/%(m)s thành viên đồng ý (cần %(n)s); %(c)s phiếu", y=result.yes, m=tally["members"],
                 n=result.needed, c=tally["ballots_cast"])
        if not tally["quorum_met"]:
            note += "; " + _("không đủ số thành viên tham gia")
        transition(item.nomination, "passed" if result.passed else "failed", by=by, note=note)
    move(session, SessionStatus.closed, by=by, extra={
        "ballots_cast": tally["ballots_cast"], "quorum_met": tally["quorum_met"],
        "passed": [r["nomination_id"] for r in tally["items"] if r["passed"]]})
    db.session.flush()
    notices.closed(session, tally)
    return tally


def open_second_round(session: CouncilSession, *, nomination_ids: list[int], closes_at: datetime,
                      by) -> CouncilSession:
    """Vote again on items that failed narrowly (or for want of quorum): a new session, opened at once."""
    if not permissions.may_run(by, session):
        raise forbidden()
    tally = results(session)
    if session.round >= catalog.global_settings()["max_rounds"]:
        raise DomainError(_("Đã hết số vòng bỏ phiếu cho phép."), code="too_many_rounds")
    if db.session.scalar(select(CouncilSession.id).where(CouncilSession.previous_id == session.id)) is not None:
        raise DomainError(_("Vòng bỏ phiếu tiếp theo của phiên họp này đã được mở."), code="duplicate")
    eligible = {r["nomination_id"] for r in tally["items"] if r["second_round"]}
    if not nomination_ids or set(nomination_ids) - eligible:
        raise Invalid(_("Chỉ bỏ phiếu lại các hồ sơ không đạt với cách biệt nhỏ."), field="nomination_ids")
    title = _("%(t)s — vòng %(n)s", t=session.title.split(" — ")[0], n=session.round + 1)
    second = create_session(council=session.council, title=title, nomination_ids=[], closes_at=closes_at, by=by)
    second.round, second.previous = session.round + 1, session
    set_items(second, agenda_nominations(nomination_ids, second.round))
    db.session.flush()
    open_session(second, by=by)
    return second


# ------------------------------------------------------------------------------------------------ review

def mark_reviewed(session: CouncilSession, *, nomination_id: int, reviewed: bool, by) -> None:
    """A member ticks (or unticks) an item they have read."""
    if queries.seat(session, by) is None:
        raise forbidden()
    if queries.item(session, nomination_id) is None:
        raise Invalid(_("Hồ sơ #%(i)s không có trong chương trình phiên họp.", i=nomination_id), field="nomination_id")
    mark = db.session.get(ReviewMark, (session.id, nomination_id, by.id))
    if reviewed and mark is None:
        db.session.add(ReviewMark(session_id=session.id, nomination_id=nomination_id, user_id=by.id))
    elif not reviewed and mark is not None:
        db.session.delete(mark)
    db.session.flush()


def add_comment(session: CouncilSession, *, nomination_id: int, body: str, by) -> ReviewComment:
    """A member's remark on an item (before the close)."""
    if queries.seat(session, by) is None:
        raise forbidden()
    if session.status == "closed":
        raise DomainError(_("Phiên họp đã kết thúc."), code="wrong_state")
    if queries.item(session, nomination_id) is None:
        raise Invalid(_("Hồ sơ #%(i)s không có trong chương trình phiên họp.", i=nomination_id), field="nomination_id")
    body = (body or "").strip()
    if not body or len(body) > 5000:
        raise Invalid(_("Ý kiến phải có nội dung, tối đa 5.000 ký tự."), field="body")
    comment = ReviewComment(session_id=session.id, nomination_id=nomination_id, user_id=by.id, body=body)
    db.session.add(comment)
    db.session.flush()
    return comment


def comments_for(session: CouncilSession, nomination_id: int, user) -> list[ReviewComment]:
    """Own comments always; the others' once the reader has voted (or the session closed, or for staff)."""
    everyone = user.is_manager or session.status == "closed" or queries.has_voted(session, user)
    stmt = select(ReviewComment).where(ReviewComment.session_id == session.id,
                                       ReviewComment.nomination_id == nomination_id).order_by(ReviewComment.id)
    if not everyone:
        stmt = stmt.where(ReviewComment.user_id == user.id)
    return list(db.session.scalars(stmt))
