"""Writing to the archive: append a record to the chain, revoke, correct. Nothing is ever updated in place."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, text

from awards.archive.models import (
    GENESIS,
    HASHED,
    HASHED_IF_SET,
    AwardRecord,
    Entry,
    RecordInitiative,
    RecordSeal,
    content_hash,
    last_hash,
    seal_hash,
)
from awards.catalog import services as catalog
from awards.catalog.periods import default_period
from awards.catalog.rules import KINDS
from awards.catalog.types import TITLE
from awards.core import audit, cache, clock
from awards.core.db import DomainError, Invalid
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.services import check_year

CHAIN_LOCK = 727_001  # PostgreSQL advisory lock id: one writer appends to the chain at a time


def lock_chain() -> str:
    """Serialize appends (PostgreSQL advisory lock; SQLite has one writer) and return the chain's last hash.

    Every append comes here, so here the archive's cache version moves on (core.cache.ARCHIVE, once per
    transaction or savepoint): the figures counted over the archive (the dashboard, the setup checklist) are
    rebuilt on the next view after the commit. Under the chain lock the version's row lock holds up no one."""
    session = db.session()  # the request's Session itself (the scoped proxy has no get_nested_transaction)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": CHAIN_LOCK})
    current = session.get_nested_transaction() or session.get_transaction()
    if session.info.get("archive_bumped_in") is not current:  # a decision appends hundreds: one bump
        cache.bump(cache.ARCHIVE)
        session.info["archive_bumped_in"] = current
    return last_hash(session)


def append(record: AwardRecord, prev_hash: str | None = None) -> AwardRecord:
    """Link the record to the chain and add it; returns it flushed (it then has an id)."""
    record.prev_hash = prev_hash if prev_hash is not None else lock_chain()
    record.hash = content_hash(record.prev_hash, record.hashed_values())
    db.session.add(record)
    db.session.flush()
    return record


def resolve_subject(subject_type: str, subject_code: str):
    """(person or None, unit) for a subject code; unknown codes are a 400 on the field."""
    if subject_type == "person":
        person = units_queries.person_by_code(subject_code)
        if person is None:
            raise Invalid(_("Không có cá nhân mã “%(c)s”.", c=subject_code), field="subject_code")
        return person, person.unit
    if subject_type == "unit":
        unit = units_queries.unit_by_code(subject_code)
        if unit is None:
            raise Invalid(_("Không có đơn vị mã “%(c)s”.", c=subject_code), field="subject_code")
        return None, unit
    raise Invalid(_("Loại đối tượng phải là cá nhân (person) hoặc tập thể (unit)."), field="subject_type")


def check_decision(year: int, decision_date: date, field: str = "decision_date") -> None:
    """A decision cannot be dated in the future, nor before the year it rewards."""
    if decision_date > clock.calendar_today():
        raise Invalid(_("Ngày quyết định không được ở tương lai."), field=field)
    if decision_date.year < year:
        raise Invalid(_("Ngày quyết định (%(d)s) không thể trước năm được khen (%(y)s).",
                        d=decision_date.strftime("%d/%m/%Y"), y=year), field=field)


def check_award(award_code: str, subject_type: str) -> None:
    """Refuse an award code the catalogue does not know, or one not given to this kind of subject."""
    award = catalog.known_award(award_code)  # built-in or stored (issue 25)
    if award is None:
        raise Invalid(_("Không có danh hiệu, hình thức khen thưởng mã “%(c)s”.", c=award_code), field="award_code")
    individual = subject_type == "person"
    if not award.for_subject_type(subject_type):
        raise Invalid(_("“%(a)s” không dành cho %(s)s.", a=award.name,
                        s=_("cá nhân") if individual else _("tập thể")), field="award_code")


def check_period(year: int, period_from: int | None, period_to: int | None) -> None:
    """An achievement period is both years or neither, from ≤ to, and it ends by the year it rewards."""
    if (period_from is None) != (period_to is None):
        raise Invalid(_("Cần cả năm bắt đầu và năm kết thúc của thời gian đạt thành tích."),
                      field="period_from" if period_from is None else "period_to")
    if period_from is None:
        return
    check_year(period_from, field="period_from")
    if period_from > period_to:
        raise Invalid(_("Năm bắt đầu (%(a)s) phải trước hoặc bằng năm kết thúc (%(b)s).", a=period_from,
                        b=period_to), field="period_from")
    if period_to > year:
        raise Invalid(_("Thời gian đạt thành tích phải kết thúc trong hoặc trước năm được khen (%(y)s).", y=year),
                      field="period_to")


def _check_duplicate(subject_type, subject_code, award_code, year, decision_number) -> None:
    """A title once per subject and year; any award once per decision."""
    stmt = select(AwardRecord).where(AwardRecord.subject_type == subject_type,
                                     AwardRecord.subject_code == subject_code, AwardRecord.award_code == award_code,
                                     AwardRecord.year == year, AwardRecord.entry != Entry.revocation)
    for existing in db.session.scalars(stmt):
        if not existing.live:
            continue
        award = catalog.known_award(award_code)
        if award.form == TITLE or existing.decision_number == decision_number:
            raise DomainError(_("%(name)s đã có “%(a)s” năm %(y)s (quyết định %(d)s).", name=existing.subject_name,
                                a=award.name, y=year, d=existing.decision_number), code="duplicate")


def record_award(*, subject_type, subject_code, award_code, year, decision_number, decision_date, issuer,
                 kind="regular", gold_book_number="", source="entered", published=True, initiative_ids=(),
                 period_from=None, period_to=None, by=None) -> AwardRecord:
    """Enter one award into the archive (from a decision, by hand or from an import) with the achievement period
    it rewards: the one given, else the default of its award (catalog.periods)."""
    check_year(year)
    check_period(year, period_from, period_to)
    person, unit = resolve_subject(subject_type, subject_code)
    check_award(award_code, subject_type)
    if kind not in KINDS:
        raise Invalid(_("Loại khen thưởng phải là thường xuyên, đột xuất hoặc chuyên đề."), field="kind")
    if not (decision_number or "").strip() or not (issuer or "").strip():
        raise Invalid(_("Cần số quyết định và cơ quan ban hành."), field="decision_number")
    check_decision(year, decision_date)
    _check_duplicate(subject_type, subject_code, award_code, year, decision_number.strip())
    stored = catalog.stored_types().get(award_code)
    if period_from is None and stored is not None and kind == "regular":  # a stored type's own period (issue 25)
        period_from, period_to = year - stored.period_years + 1, year
    elif period_from is None:
        period_from, period_to = default_period(award_code, year, kind)
    record = append(AwardRecord(
        entry=Entry.award, subject_type=subject_type, person=person, unit=unit, subject_code=subject_code,
        subject_name=person.full_name if person else unit.name, award_code=award_code, year=year, kind=kind,
        decision_number=decision_number.strip(), decision_date=decision_date, issuer=issuer.strip(),
        gold_book_number=(gold_book_number or "").strip(), source=source, reason="", published=published,
        period_from=period_from, period_to=period_to, created_by_id=getattr(by, "id", None)))
    _link_initiatives(record, person, initiative_ids)
    audit.record("archive.record", record, by=by, after={"award": award_code, "subject": subject_code,
                                                          "year": year, "decision": record.decision_number,
                                                          "period": [period_from, period_to]})
    return record


def _link_initiatives(record, person, initiative_ids) -> None:
    """Tie the initiatives the award relied on; an initiative already serving a live award is refused."""
    for initiative_id in initiative_ids:
        if person is None or initiative_id not in {i.id for i in person.initiatives}:
            raise Invalid(_("Sáng kiến #%(i)s không thuộc cá nhân này.", i=initiative_id), field="initiative_ids")
        used = db.session.scalars(select(AwardRecord).join(
            RecordInitiative, RecordInitiative.record_id == AwardRecord.id).where(
            RecordInitiative.initiative_id == initiative_id)).all()
        if any(r.live for r in used):
            raise DomainError(_("Sáng kiến #%(i)s đã làm căn cứ cho một khen thưởng khác.", i=initiative_id))
        db.session.add(RecordInitiative(record_id=record.id, initiative_id=initiative_id))


def _refuse_if_not_live(record: AwardRecord) -> None:
    if record.entry == Entry.revocation:
        raise DomainError(_("Bản ghi này là một quyết định thu hồi, không thể thu hồi hay sửa."))
    if record.revoked:
        raise DomainError(_("Khen thưởng này đã bị thu hồi."), code="already_revoked")
    if record.superseded:
        raise DomainError(_("Bản ghi này đã được đính chính; hãy thao tác trên bản ghi mới nhất."), code="superseded")


def revoke_record(record: AwardRecord, *, reason, decision_number, decision_date, by) -> AwardRecord:
    """Revoke an award (Law 93): a new record linked to it; the award stays, marked, and counts for nothing."""
    _refuse_if_not_live(record)
    if not (reason or "").strip():
        raise Invalid(_("Cần ghi lý do thu hồi."), field="reason")
    if not (decision_number or "").strip():
        raise Invalid(_("Cần số quyết định thu hồi."), field="decision_number")
    check_decision(record.year, decision_date)
    revocation = append(_copy(record, entry=Entry.revocation, target_id=record.id, reason=reason.strip(),
                              decision_number=decision_number.strip(), decision_date=decision_date,
                              gold_book_number="", by=by))
    db.session.expire(record)
    cache.bump(cache.RESULTS)  # the public results leave it out at once
    audit.record("archive.revoke", record, by=by, after={"revocation": revocation.id, "reason": reason,
                                                          "decision": decision_number})
    return revocation


def correct_record(record: AwardRecord, *, reason: str, by, **changes) -> AwardRecord:
    """Correct a record's decision details (number, date, issuer, gold-book number, kind) or its achievement
    period: a new record, with the reason; the old one stays, marked corrected."""
    _refuse_if_not_live(record)
    allowed = {"decision_number", "decision_date", "issuer", "gold_book_number", "kind", "published",
               "period_from", "period_to"}
    if not (reason or "").strip():
        raise Invalid(_("Cần ghi lý do đính chính."), field="reason")
    changes = {k: v for k, v in changes.items() if k in allowed and v is not None}
    if "decision_date" in changes:
        check_decision(record.year, changes["decision_date"])
    if "period_from" in changes or "period_to" in changes:
        current_from, current_to = record.period
        changes.setdefault("period_from", current_from)
        changes.setdefault("period_to", current_to)
        check_period(record.year, changes["period_from"], changes["period_to"])
    correction = append(_copy(record, entry=Entry.correction, target_id=record.id, reason=reason.strip(),
                              by=by, **changes))
    db.session.expire(record)
    cache.bump(cache.RESULTS)  # the public results show the corrected record at once
    audit.record("archive.correct", record, by=by, after={"correction": correction.id, **changes})
    return correction


def _copy(record: AwardRecord, *, by, **values) -> AwardRecord:
    fields = ("subject_type", "person_id", "unit_id", "subject_code", "subject_name", "award_code", "year", "kind",
              "decision_number", "decision_date", "issuer", "gold_book_number", "source", "published",
              "period_from", "period_to")
    data = {name: getattr(record, name) for name in fields}
    data.update(values)
    return AwardRecord(**data, created_by_id=getattr(by, "id", None))


def seal_records(records: list[AwardRecord], sha256: str, *, by) -> list[RecordSeal]:
    """Attach a signed file's SHA-256 to each archive record of its decision: new seals appended to the seals'
    chain (a record already sealed with this file is left as it is); the records themselves are not touched."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": CHAIN_LOCK})
    done = set(db.session.scalars(select(RecordSeal.record_id).where(
        RecordSeal.sha256 == sha256, RecordSeal.record_id.in_([r.id for r in records]))))
    prev = db.session.scalar(select(RecordSeal.hash).order_by(RecordSeal.id.desc()).limit(1)) or GENESIS
    seals = []
    for record in records:
        if record.id in done:
            continue
        seal = RecordSeal(record_id=record.id, record_hash=record.hash, sha256=sha256, prev_hash=prev,
                          hash=seal_hash(prev, record.id, record.hash, sha256), created_by_id=getattr(by, "id", None))
        db.session.add(seal)
        seals.append(seal)
        prev = seal.hash
    db.session.flush()
    return seals


def _verify_seals(batch: int) -> tuple[int | None, str]:
    """Walk the seals' chain: (the record of the first broken seal, what is wrong), or (None, "")."""
    expected = GENESIS
    stmt = (select(RecordSeal.id, RecordSeal.record_id, RecordSeal.record_hash, RecordSeal.sha256,
                   RecordSeal.prev_hash, RecordSeal.hash, AwardRecord.hash)
            .join(AwardRecord, AwardRecord.id == RecordSeal.record_id).order_by(RecordSeal.id))
    for seal_id, record_id, record_hash, sha256, prev_hash, stored, current in db.session.execute(
            stmt.execution_options(yield_per=batch)):
        if prev_hash != expected:
            return record_id, f"chuỗi dấu băm bản ký số đứt tại dấu #{seal_id} (có dấu bị xóa hoặc chèn)"
        if seal_hash(prev_hash, record_id, record_hash, sha256) != stored:
            return record_id, f"dấu băm bản ký số #{seal_id} đã bị sửa sau khi ghi"
        if record_hash != current:
            return record_id, f"bản ghi không còn khớp với dấu băm bản ký số #{seal_id}"
        expected = stored
    return None, ""


def verify_chain(batch: int = 10_000) -> tuple[int, int | None, str]:
    """Walk the chain in id order, then the seals of signed files: (records checked, id of the first broken record
    or None, what is wrong)."""
    names = HASHED + HASHED_IF_SET
    columns = [AwardRecord.id, AwardRecord.prev_hash, AwardRecord.hash] + [getattr(AwardRecord, n) for n in names]
    expected, count = GENESIS, 0
    result = db.session.execute(select(*columns).order_by(AwardRecord.id).execution_options(yield_per=batch))
    for row in result:
        record_id, prev_hash, stored = row[0], row[1], row[2]
        if prev_hash != expected:
            return count, record_id, "liên kết tới bản ghi trước không khớp (có bản ghi bị xóa hoặc chèn)"
        if content_hash(prev_hash, dict(zip(names, row[3:], strict=True))) != stored:
            return count, record_id, "nội dung đã bị sửa sau khi ghi"
        expected, count = stored, count + 1
    broken, problem = _verify_seals(batch)
    return count, broken, problem
