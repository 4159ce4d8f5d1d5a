"""Issue 21: award records indexed by decision date. A 6-monthly report (and the statistical forms' reporting period)
counts the awards decided between two dates, not those of a year: without an index every such count read the whole
archive, and the dashboard's shares (records joined with people) took 2.9 s at full scale on SQLite for a half year
(14-17 s on a cold cache) against 0.1 s for a whole year by the (year, id) index. Built CONCURRENTLY.

Revision ID: c7d2a4e9f1b3
Revises: bb301f0b523e
Create Date: 2026-12-26 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7d2a4e9f1b3'
down_revision = 'bb301f0b523e'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        op.create_index('ix_award_records_decision_date', 'award_records', ['decision_date'], unique=False,
                        postgresql_concurrently=True, if_not_exists=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index('ix_award_records_decision_date', table_name='award_records', postgresql_concurrently=True,
                      if_exists=True)
