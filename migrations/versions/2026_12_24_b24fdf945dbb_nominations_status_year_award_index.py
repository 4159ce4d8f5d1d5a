"""Issue 21: nominations indexed by (status, year, award_code) in place of (status, year). The new public list's form
counts the candidates of each year and award (status passed or appraised: 9,300 at full scale); with the award in
the index the count reads the index alone (SQLite looked each dossier up in the table: 35–80 ms on a loaded
machine). Queries by status and year use its first two columns, as they used the old index. Built CONCURRENTLY
before the old one is dropped.

Revision ID: b24fdf945dbb
Revises: d5e1f3a9b742
Create Date: 2026-12-24 11:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b24fdf945dbb'
down_revision = 'd5e1f3a9b742'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        op.create_index('ix_nominations_status_year_award', 'nominations', ['status', 'year', 'award_code'],
                        unique=False, postgresql_concurrently=True, if_not_exists=True)
        op.drop_index('ix_nominations_status_year', table_name='nominations', postgresql_concurrently=True,
                      if_exists=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.create_index('ix_nominations_status_year', 'nominations', ['status', 'year'], unique=False,
                        postgresql_concurrently=True, if_not_exists=True)
        op.drop_index('ix_nominations_status_year_award', table_name='nominations', postgresql_concurrently=True,
                      if_exists=True)
