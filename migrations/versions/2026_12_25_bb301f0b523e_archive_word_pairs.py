"""Archive word index: adjacent-word pairs as keys too (issue 21, the scale-5 finding in bench/README.md)

PostgreSQL's search read the records of the rarest word of a name newest first until it had its 1,200 candidates; for
a common name ("Phạm Anh", "Nguyễn Văn Hùng") every word is common, so it read a whole common word's records (31,801
for "anh" at 1 M records, five times that at 5 M): p95 160 ms at 4.93 M records against the target 60. The index now
also keeps each pair of adjacent words of a name, written with a leading space (' pham anh', ' van hung') so that a
pair never falls in a word prefix's range, and the search reads its rarest word or pair.

award_record_keys (a name's distinct words and pairs) serves the trigger's insert and delete alike; the triggers stay,
their function is replaced. Then the pairs of the records already there are added 50,000 records a statement, each its
own transaction (no transaction over 5 M records; the trigger already indexes new records meanwhile, and a record both
adds is kept once), and the table vacuumed and analysed: the visibility map for index-only scans, the pairs'
frequencies for the search's choice. SQLite keeps its full-text table, whose phrase query already reads words in a
row: nothing to do.

The same statements are in awards/archive/models.py (WORD_KEYS, WORD_INDEX, for create_all); migrations never import
the app.

Revision ID: bb301f0b523e
Revises: b24fdf945dbb
Create Date: 2026-12-25 09:00:00.000000

"""
from alembic import op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = 'bb301f0b523e'
down_revision = 'b24fdf945dbb'
branch_labels = None
depends_on = None

# PL/pgSQL: the SQL function (unnest, generate_subscripts, DISTINCT) cost 57 µs a name, this one 3–5 µs (measured over
# 200,000 names): what a 100,000-row import and the backfill below pay once per record
KEYS = (
    "CREATE OR REPLACE FUNCTION award_record_keys(name_folded text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE STRICT "
    "PARALLEL SAFE AS $$ DECLARE w text[] := array_remove(string_to_array(name_folded, ' '), ''); keys text[] := w; "
    "repeated boolean := false; BEGIN FOR i IN 1..cardinality(w) - 1 LOOP "
    "keys := keys || (' ' || w[i] || ' ' || w[i + 1]); repeated := repeated OR w[i] = ANY (w[i + 1:]); END LOOP; "
    "IF repeated THEN RETURN ARRAY(SELECT DISTINCT unnest(keys)); END IF; RETURN keys; END $$")
SYNC = (
    "CREATE OR REPLACE FUNCTION award_record_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('DELETE', 'UPDATE') THEN "
    "DELETE FROM award_record_words w USING old_records r "
    "WHERE w.word = ANY (award_record_keys(r.name_folded)) AND w.year = r.year AND w.id = r.id; END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
    "INSERT INTO award_record_words (word, year, id, name) SELECT k.key, r.year, r.id, r.name_folded "
    "FROM new_records r, unnest(award_record_keys(r.name_folded)) AS k(key) "
    "WHERE r.entry <> 'revocation'; END IF; "
    "RETURN NULL; END $$")
OLD_SYNC = (  # migration 9d41c7e2a5b3's
    "CREATE OR REPLACE FUNCTION award_record_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('DELETE', 'UPDATE') THEN "
    "DELETE FROM award_record_words w USING old_records r "
    "WHERE w.word = ANY (string_to_array(r.name_folded, ' ')) AND w.year = r.year AND w.id = r.id; END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
    "INSERT INTO award_record_words (word, year, id, name) SELECT DISTINCT w.word, r.year, r.id, r.name_folded "
    "FROM new_records r, unnest(string_to_array(r.name_folded, ' ')) AS w(word) "
    "WHERE w.word <> '' AND r.entry <> 'revocation'; END IF; "
    "RETURN NULL; END $$")
# one id range's pairs, in the index's order (its pages filled in turn, not at random); a pair the trigger already
# added (a record inserted since the new function) is skipped
PAIRS = text(
    "INSERT INTO award_record_words (word, year, id, name) SELECT k.key, r.year, r.id, r.name_folded "
    "FROM award_records r, unnest(award_record_keys(r.name_folded)) AS k(key) "
    "WHERE r.id >= :low AND r.id < :high AND r.entry <> 'revocation' AND left(k.key, 1) = ' ' "
    "ORDER BY k.key, r.year DESC, r.id DESC ON CONFLICT DO NOTHING")
BATCH = 50_000


def backfill(conn, batch: int = BATCH) -> int:
    """Adds the pairs of the records already there, `batch` ids a statement (autocommit on the migration's
    connection: each its own transaction); returns how many rows it added. Safe to run again."""
    low, high = conn.execute(text("SELECT min(id), max(id) FROM award_records")).one()
    added = 0
    for start in range(low or 0, (high or -1) + 1, batch):
        added += conn.execute(PAIRS, {"low": start, "high": start + batch}).rowcount
    return added


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(KEYS)
    op.execute(SYNC)
    with op.get_context().autocommit_block():  # the new function committed first: records from now on get pairs
        backfill(op.get_bind())
        op.execute("VACUUM (ANALYZE) award_record_words")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(OLD_SYNC)
    op.execute("DROP FUNCTION IF EXISTS award_record_keys(text)")
    op.execute("DELETE FROM award_record_words WHERE word LIKE ' %'")
    with op.get_context().autocommit_block():
        op.execute("VACUUM (ANALYZE) award_record_words")
