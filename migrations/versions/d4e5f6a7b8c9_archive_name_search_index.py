"""Archive name search index: SQLite full-text table, PostgreSQL trigram indexes (bench/README.md F2)

A search by name ("nguyen thi" from a word start) scanned the whole archive: 1.3 s p95 at 1 M records. SQLite gets a
contentless FTS5 table over the folded names keyed by (year, id), kept by triggers and filled from the existing rows; PostgreSQL gets pg_trgm GIN
indexes on the folded name and decision number, built CONCURRENTLY so a populated archive stays writable meanwhile.
The same statements are in awards/archive/models.py SEARCH_INDEX (for create_all); migrations never import the app.

Revision ID: d4e5f6a7b8c9
Revises: c8a3e0f5d217
Create Date: 2026-11-24 00:05:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4e5f6a7b8c9'
down_revision = 'c8a3e0f5d217'
branch_labels = None
depends_on = None

SQLITE = [
    # rowid = year * 10^10 + id: the archive's order, so a search reads its newest matches first and stops early;
    # prefix indexes for the word being typed
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
    # the records already there (1 M records: ~12 s)
    "INSERT INTO award_records_fts(rowid, name_folded) SELECT year * 10000000000 + id, name_folded FROM award_records",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for sql in SQLITE:
            op.execute(sql)
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        with op.get_context().autocommit_block():
            op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_award_records_name_trgm "
                       "ON award_records USING gin (name_folded gin_trgm_ops)")
            op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_award_records_decision_trgm "
                       "ON award_records USING gin (decision_folded gin_trgm_ops)")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("award_records_fts_ai", "award_records_fts_ad", "award_records_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS award_records_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_award_records_decision_trgm")
        op.execute("DROP INDEX IF EXISTS ix_award_records_name_trgm")
