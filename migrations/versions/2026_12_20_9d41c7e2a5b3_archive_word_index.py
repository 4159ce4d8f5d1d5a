"""Archive word index on PostgreSQL: a (word, year, id) table in the archive's order (issue 21, bench/README.md F2)

On PostgreSQL a search by a name of middle frequency ("Trần Thị", "Phương": 0.1–10 % of the archive) got a trigram
bitmap over tens of thousands of records, sorted before the first page came out, and its capped count took another
plan: p95 337 ms at 1 M records. The word index keeps one row per distinct word of each record's folded name
(revocations left out: never a current record), in a B-tree (word, year DESC, id DESC) carrying the name, so a search
reads its rarest word's records newest first, checks the word-start rule on the index entry and stops at the 1,001st
match. Statement triggers keep it (records are
append-only; tests delete them); the rows already there are copied in. Decision numbers get a bytewise (COLLATE "C")
index so that a number prefix is a range in any database collation. SQLite keeps its full-text table: nothing to do.

The same statements are in awards/archive/models.py (WORD_INDEX, WORD_INDEX_KEYS, DECISION_INDEX, for create_all);
migrations never import the app. The trigger is created before the copy in one transaction, which holds off new
records meanwhile (about half a minute at 1 M records), so none is missed.

Revision ID: 9d41c7e2a5b3
Revises: 493dbcd496bf
Create Date: 2026-12-20 07:30:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '9d41c7e2a5b3'
down_revision = '493dbcd496bf'
branch_labels = None
depends_on = None

TABLE = [
    'CREATE TABLE IF NOT EXISTS award_record_words (word text COLLATE "C" NOT NULL, year integer NOT NULL, '
    "id integer NOT NULL, name text NOT NULL)",
    "CREATE OR REPLACE FUNCTION award_record_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('DELETE', 'UPDATE') THEN "
    "DELETE FROM award_record_words w USING old_records r "
    "WHERE w.word = ANY (string_to_array(r.name_folded, ' ')) AND w.year = r.year AND w.id = r.id; END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
    "INSERT INTO award_record_words (word, year, id, name) SELECT DISTINCT w.word, r.year, r.id, r.name_folded "
    "FROM new_records r, unnest(string_to_array(r.name_folded, ' ')) AS w(word) "
    "WHERE w.word <> '' AND r.entry <> 'revocation'; END IF; "
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
# the records already there: ~3.2 rows each (1 M records: ~20 s), before the index (built once, not row by row)
BACKFILL = ("INSERT INTO award_record_words (word, year, id, name) SELECT DISTINCT w.word, r.year, r.id, r.name_folded "
            "FROM award_records r, unnest(string_to_array(r.name_folded, ' ')) AS w(word) "
            "WHERE w.word <> '' AND r.entry <> 'revocation'")
KEYS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_award_record_words ON award_record_words (word, year DESC, id DESC) "
    "INCLUDE (name)",
    "ALTER TABLE award_record_words ALTER COLUMN word SET STATISTICS 1000",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for sql in [*TABLE, BACKFILL, *KEYS]:
        op.execute(sql)
    with op.get_context().autocommit_block():
        # the visibility map for index-only scans and the word frequencies the search picks its rarest word by
        op.execute("VACUUM (ANALYZE) award_record_words")
        op.execute('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_award_records_decision_c ON award_records '
                   '((decision_folded COLLATE "C"), year, id)')


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_award_records_decision_c")
    for trigger in ("award_record_words_ai", "award_record_words_au", "award_record_words_ad",
                    "award_record_words_at"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON award_records")
    op.execute("DROP FUNCTION IF EXISTS award_record_words_sync()")
    op.execute("DROP FUNCTION IF EXISTS award_record_words_empty()")
    op.execute("DROP TABLE IF EXISTS award_record_words")
