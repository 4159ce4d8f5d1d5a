"""Archive order index (year, id), replacing the index on year alone (bench/README.md F2)

Searches list records newest first (year, then id). With the year alone, PostgreSQL had to read a whole year's
records (65,000) and sort them by id before a broad search ("nguyen thi") could stop at its first 1,001 matches;
with (year, id) it reads the records in order and stops. PostgreSQL builds the new index CONCURRENTLY (the archive
stays writable) before dropping the old one.

Revision ID: fb30c494b102
Revises: d4e5f6a7b8c9
Create Date: 2026-11-24 00:28:12.476304

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'fb30c494b102'
down_revision = 'd4e5f6a7b8c9'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        op.create_index('ix_award_records_year_id', 'award_records', ['year', 'id'], unique=False,
                        postgresql_concurrently=True, if_not_exists=True)
        op.drop_index('ix_award_records_year', table_name='award_records', postgresql_concurrently=True,
                      if_exists=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.create_index('ix_award_records_year', 'award_records', ['year'], unique=False,
                        postgresql_concurrently=True, if_not_exists=True)
        op.drop_index('ix_award_records_year_id', table_name='award_records', postgresql_concurrently=True,
                      if_exists=True)
