"""Every award ever given: append-only records in a hash chain; revocations and corrections are new rows."""

import hashlib
import json
from contextlib import contextmanager, suppress
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    exists,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship, validates

from awards.catalog.periods import period_of, period_text
from awards.core.db import Base, utcnow
from awards.core.states import JobStatus, check_constraint, state_column
from awards.core.text import fold, normalize

GENESIS = "0" * 64


class Entry(StrEnum):
    award = "award"
    revocation = "revocation"  # Law 93: revokes the target record
    correction = "correction"  # replaces the target record's content


class Source(StrEnum):
    imported = "imported"
    decided = "decided"
    entered = "entered"


SOURCE_LABELS = {"imported": "Nhập từ Excel", "decided": "Quyết định trong hệ thống", "entered": "Nhập tay"}
KIND_LABELS = {"regular": "Thường xuyên", "adhoc": "Đột xuất", "thematic": "Theo chuyên đề"}
SUBJECT_LABELS = {"person": "Cá nhân", "unit": "Tập thể"}

# The content a record's hash covers, in this order. Never reorder: old hashes would no longer verify.
HASHED = ("entry", "target_id", "subject_type", "subject_code", "subject_name", "award_code", "year", "kind",
          "decision_number", "decision_date", "issuer", "gold_book_number", "source", "reason", "published")
# Added later (issue 17, the achievement period): covered only when set, so that the records written before the
# columns existed (NULL there) keep the hash they were written with and the chain still verifies.
HASHED_IF_SET = ("period_from", "period_to")


# json.dumps(payload, ensure_ascii=False, separators=(",", ":")) builds this encoder on every call; one, kept
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def content_hash(prev_hash: str, values: dict) -> str:
    """SHA-256 over the previous record's hash and this record's content (canonical JSON)."""
    payload = [values[name].isoformat() if isinstance(values[name], date) else values[name] for name in HASHED]
    if any(values.get(name) is not None for name in HASHED_IF_SET):
        payload.append({name: values.get(name) for name in HASHED_IF_SET})
    text = _CANONICAL.encode(payload)
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


class AwardRecord(Base):
    __tablename__ = "award_records"
    __table_args__ = (
        Index("ix_award_records_subject", "subject_type", "subject_code", "year"),
        Index("ix_award_records_award_year", "award_code", "year"),
        # the archive's order (year, then id): a broad search reads the newest records first and stops
        Index("ix_award_records_year_id", "year", "id"),
        # a half year's or a reporting period's awards (reports: decided between two dates), not the whole archive
        Index("ix_award_records_decision_date", "decision_date"),
        # the few rows that revoke or correct another: "is this record live?" reads these, not 1 M rows
        Index("ix_award_records_targets", "target_id", "entry", postgresql_where=text("target_id IS NOT NULL"),
              sqlite_where=text("target_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry: Mapped[str] = mapped_column(String(12), default=Entry.award)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("award_records.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(8))  # person | unit
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the unit, or the person's unit then
    subject_code: Mapped[str] = mapped_column(String(40))
    subject_name: Mapped[str] = mapped_column(String(255))
    name_folded: Mapped[str] = mapped_column(String(255), index=True)
    award_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(10), default="regular")
    decision_number: Mapped[str] = mapped_column(String(60))
    decision_folded: Mapped[str] = mapped_column(String(60), index=True)
    decision_date: Mapped[date]
    issuer: Mapped[str] = mapped_column(String(255))
    gold_book_number: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(10), default=Source.entered)
    reason: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    # the achievement period the award rewarded (thời gian đạt thành tích, NĐ 98/2023 Art 30.9): NULL only on
    # records written before issue 17, which read the default of catalog.periods
    period_from: Mapped[int | None] = mapped_column()
    period_to: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # unique: the chain cannot fork
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    person = relationship("Person", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    target: Mapped["AwardRecord | None"] = relationship(remote_side=[id])

    @validates("subject_name")
    def _fold_name(self, key, value):
        value = normalize(value)
        self.name_folded = fold(value)
        return value

    @validates("decision_number")
    def _fold_decision(self, key, value):
        value = normalize(value)
        self.decision_folded = fold(value)
        return value

    def hashed_values(self) -> dict:
        return {name: getattr(self, name) for name in HASHED + HASHED_IF_SET}

    @property
    def period(self) -> tuple[int, int]:
        """(from, to): the period written on the record, or its award's default (catalog.periods)."""
        return period_of(self.award_code, self.year, self.kind, self.period_from, self.period_to)

    @property
    def period_label(self) -> str:
        return period_text(*self.period)

    @property
    def period_start(self) -> int:
        return self.period[0]

    @property
    def period_end(self) -> int:
        return self.period[1]

    @property
    def period_stated(self) -> bool:
        """False for a record written before periods were kept: its period is its award's default."""
        return self.period_from is not None

    @property
    def unit_code(self) -> str:
        return self.unit.code

    @property
    def live(self) -> bool:
        return self.entry != Entry.revocation and not self.revoked and not self.superseded


class RecordInitiative(Base):
    """The initiatives an award relied on: one initiative serves one award (CV 5007/BNV-TĐKT)."""

    __tablename__ = "award_record_initiatives"
    __table_args__ = (UniqueConstraint("record_id", "initiative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("award_records.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id"), index=True)


class RecordSeal(Base):
    """The SHA-256 of a decision's signed file (ký số), attached to an archive record of that decision: a fact
    appended when the signed file is accepted, never an edit of the record, whose own hash stays as written. Seals
    form a chain of their own, each link covering the previous seal, the record's id and hash, and the file's
    SHA-256: `flask archive verify` walks the records' chain, then this one, so a changed file hash (or a record
    whose hash was rewritten under its seal) breaks it."""

    __tablename__ = "award_record_seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("award_records.id"), index=True)
    record_hash: Mapped[str] = mapped_column(String(64))  # the record's hash when sealed
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # the signed file's
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # unique: the chain cannot fork
    hash: Mapped[str] = mapped_column(String(64), unique=True)


def seal_hash(prev_hash: str, record_id: int, record_hash: str, sha256: str) -> str:
    """SHA-256 over the previous seal's hash and this seal's content (canonical JSON)."""
    text = json.dumps([record_id, record_hash, sha256], separators=(",", ":"))
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


_later = AwardRecord.__table__.alias("later_entry")
# computed, never stored: a record is revoked or superseded when a later row targets it
AwardRecord.revoked = column_property(
    exists().where(_later.c.target_id == AwardRecord.id, _later.c.entry == Entry.revocation.value))
AwardRecord.superseded = column_property(
    exists().where(_later.c.target_id == AwardRecord.id, _later.c.entry == Entry.correction.value))


@event.listens_for(AwardRecord, "before_update")
@event.listens_for(AwardRecord, "before_delete")
@event.listens_for(RecordSeal, "before_update")
@event.listens_for(RecordSeal, "before_delete")
def _refuse_change(mapper, connection, target):
    raise RuntimeError("archive records are append-only: revoke or correct with a new record")


# The name search's index (archive.queries.name_ids): on SQLite a full-text table over the folded names, kept by
# triggers, whose rowid is the archive's order (year, then id: SEARCH_KEY) so that a search reads its newest matches
# first and stops, with prefix indexes for the word being typed; on PostgreSQL trigram indexes that answer the
# word-start LIKEs. Migration d4e5f6a7b8c9 creates them in production; these listeners do it for create_all (tests).
# Autogenerate does not compare them (migrations/env.py).
SEARCH_KEY = 10_000_000_000  # rowid = year * SEARCH_KEY + id
SEARCH_INDEX = {
    "sqlite": [
        "CREATE VIRTUAL TABLE award_records_fts USING fts5(name_folded, content='', prefix='1 2 3')",
        "CREATE TRIGGER award_records_fts_ai AFTER INSERT ON award_records BEGIN "
        "INSERT INTO award_records_fts(rowid, name_folded) VALUES (new.year * 10000000000 + new.id, new.name_folded);"
        " END",
        "CREATE TRIGGER award_records_fts_ad AFTER DELETE ON award_records BEGIN "
        "INSERT INTO award_records_fts(award_records_fts, rowid, name_folded) "
        "VALUES ('delete', old.year * 10000000000 + old.id, old.name_folded); END",
        "CREATE TRIGGER award_records_fts_au AFTER UPDATE OF name_folded, year ON award_records BEGIN "
        "INSERT INTO award_records_fts(award_records_fts, rowid, name_folded) "
        "VALUES ('delete', old.year * 10000000000 + old.id, old.name_folded); "
        "INSERT INTO award_records_fts(rowid, name_folded) VALUES (new.year * 10000000000 + new.id, new.name_folded);"
        " END",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX ix_award_records_name_trgm ON award_records USING gin (name_folded gin_trgm_ops)",
        "CREATE INDEX ix_award_records_decision_trgm ON award_records USING gin (decision_folded gin_trgm_ops)",
    ],
}
# PostgreSQL's word index in the archive's order (archive.queries._word_matches; bench/README.md F2, issue 21): one
# row per distinct word of a record's folded name (not a revocation's: never a current record, so never a match),
# keyed (word, year, id) with the name carried in the index, so a search reads one word's records newest first,
# checks the word-start rule on the index entry alone and stops at the page's (or the capped count's) last match.
# Bytewise order (COLLATE "C"): a word prefix is a range. Each pair of adjacent words is a key too, written with a
# leading space (' nguyen van', ' van hung'): a search for a common name ("Phạm Anh", every word of it common) reads
# the records of its rarest pair, not the whole of its rarest word (31,801 records for "anh" at 1 M, five times that
# at 5 M: issue 21's scale-5 finding). No word starts with a space, so a word prefix's range never holds a pair: the
# pairs sort before every word. award_record_keys gives a name's keys, for the insert and the delete alike. Records
# are append-only; the statement triggers keep the table exact anyway (tests empty the archive with DELETE). Decision
# numbers get a bytewise index of their own for the same reason. Migrations 9d41c7e2a5b3 (words) and bb301f0b523e
# (pairs) create and fill them.
WORD_KEYS = (  # PL/pgSQL: 3–5 µs a name, where the same in SQL (unnest, DISTINCT) took 57 µs (200,000 names)
    "CREATE OR REPLACE FUNCTION award_record_keys(name_folded text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE STRICT "
    "PARALLEL SAFE AS $$ DECLARE w text[] := array_remove(string_to_array(name_folded, ' '), ''); keys text[] := w; "
    "repeated boolean := false; BEGIN FOR i IN 1..cardinality(w) - 1 LOOP "
    "keys := keys || (' ' || w[i] || ' ' || w[i + 1]); repeated := repeated OR w[i] = ANY (w[i + 1:]); END LOOP; "
    "IF repeated THEN RETURN ARRAY(SELECT DISTINCT unnest(keys)); END IF; RETURN keys; END $$")
WORD_INDEX = [
    'CREATE TABLE IF NOT EXISTS award_record_words (word text COLLATE "C" NOT NULL, year integer NOT NULL, '
    "id integer NOT NULL, name text NOT NULL)",
    WORD_KEYS,
    "CREATE OR REPLACE FUNCTION award_record_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('DELETE', 'UPDATE') THEN "
    "DELETE FROM award_record_words w USING old_records r "
    "WHERE w.word = ANY (award_record_keys(r.name_folded)) AND w.year = r.year AND w.id = r.id; END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
    "INSERT INTO award_record_words (word, year, id, name) SELECT k.key, r.year, r.id, r.name_folded "
    "FROM new_records r, unnest(award_record_keys(r.name_folded)) AS k(key) "
    "WHERE r.entry <> 'revocation'; END IF; "
    "RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION award_record_words_empty() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "TRUNCATE award_record_words; RETURN NULL; END $$",
    "CREATE TRIGGER award_record_words_ai AFTER INSERT ON award_records REFERENCING NEW TABLE AS new_records "
    "FOR EACH STATEMENT EXECUTE FUNCTION award_record_words_sync()",
    "CREATE TRIGGER award_record_words_au AFTER UPDATE ON award_records "
    "REFERENCING OLD TABLE AS old_records NEW TABLE AS new_records FOR EACH STATEMENT "
    "EXECUTE FUNCTION award_record_words_sync()",
    "CREATE TRIGGER award_record_words_ad AFTER DELETE ON award_records REFERENCING OLD TABLE AS old_records "
    "FOR EACH STATEMENT EXECUTE FUNCTION award_record_words_sync()",
    "CREATE TRIGGER award_record_words_at AFTER TRUNCATE ON award_records FOR EACH STATEMENT "
    "EXECUTE FUNCTION award_record_words_empty()",
]
WORD_INDEX_KEYS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_award_record_words ON award_record_words (word, year DESC, id DESC) "
    "INCLUDE (name)",
    "ALTER TABLE award_record_words ALTER COLUMN word SET STATISTICS 1000",  # the search picks its rarest word
]
DECISION_INDEX = ('CREATE INDEX {} ix_award_records_decision_c ON award_records ((decision_folded COLLATE "C"), '
                  "year, id)")
SEARCH_INDEX["postgresql"] += [*WORD_INDEX, *WORD_INDEX_KEYS, DECISION_INDEX.format("IF NOT EXISTS")]
for _dialect, _statements in SEARCH_INDEX.items():
    for _sql in _statements:
        event.listen(AwardRecord.__table__, "after_create", DDL(_sql).execute_if(dialect=_dialect))
event.listen(AwardRecord.__table__, "before_drop",
             DDL("DROP TABLE IF EXISTS award_records_fts").execute_if(dialect="sqlite"))
event.listen(AwardRecord.__table__, "before_drop",
             DDL("DROP TABLE IF EXISTS award_record_words").execute_if(dialect="postgresql"))


NAME_TRIGGER = "award_records_fts_ai"


@contextmanager
def names_indexed_after(session):
    """SQLite: the records inserted inside the block enter the name search's index in one statement at its end,
    not one trigger run each (FTS5 per row: 10,000 trigger runs took twice the insert itself on the 1/10 province).

    The insert trigger is dropped and re-created, as it was, inside the writer's own transaction: SQLite has one
    writer, so no other path inserts a record meanwhile, and a rollback (an error, a refused import) restores it
    with the rest. Every other write path keeps the trigger. On PostgreSQL (statement triggers) nothing changes."""
    connection = session.connection()
    trigger = None
    if connection.dialect.name == "sqlite":
        trigger = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (NAME_TRIGGER,)).scalar()
    if trigger is None:
        yield
        return
    last = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM award_records").scalar()
    connection.exec_driver_sql(f"DROP TRIGGER {NAME_TRIGGER}")
    try:
        yield
        session.flush()
        connection.exec_driver_sql(
            f"INSERT INTO award_records_fts(rowid, name_folded) SELECT year * {SEARCH_KEY} + id, name_folded "
            "FROM award_records WHERE id > ?", (last,))
    except BaseException:
        with suppress(Exception):  # gone with a transaction SQLite already rolled back (the trigger is back then)
            connection.exec_driver_sql(trigger)
        raise
    connection.exec_driver_sql(trigger)


def compared_by_autogenerate(name: str | None, type_: str | None = None, parent_names=None) -> bool:
    """Alembic's include_name: False for the search index's own tables and indexes, which the models do not declare."""
    return not (name or "").startswith(("award_records_fts", "ix_award_records_name_trgm",
                                        "ix_award_records_decision_trgm", "award_record_words",
                                        "ix_award_record_words", "ix_award_records_decision_c"))


class EligibilityOverride(Base):
    """An appraiser's written decision to pass a failed checklist line (RULES §0); shown to the council."""

    __tablename__ = "eligibility_overrides"
    __table_args__ = (Index("ix_eligibility_overrides_subject", "subject_type", "subject_code", "award_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(8))
    subject_code: Mapped[str] = mapped_column(String(40))
    award_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    rule: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None]

    created_by = relationship("User", lazy="joined")


class ImportJob(Base):
    """An Excel import running in the background, with its progress and row errors."""

    __tablename__ = "archive_imports"
    __table_args__ = (check_constraint("status", JobStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = state_column(JobStatus, 10, default=JobStatus.queued)
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    imported: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list | None] = mapped_column(JSON)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


def last_hash(session) -> str:
    return session.scalar(select(AwardRecord.hash).order_by(AwardRecord.id.desc()).limit(1)) or GENESIS
