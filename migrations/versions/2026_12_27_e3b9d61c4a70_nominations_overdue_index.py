"""Issue 21: the appraisal queue's index by status and clock start also holds the due date. The queue's overdue
filter (`clock_due_on < the last working day`) was counted on (status, clock_started_at) with the due date read
from the table, row by row: 70-80 ms for the province-wide desk over 74,000 submitted dossiers (the generated
province at scale 5, SQLite). With the due date in the index the count reads the index alone (6 ms), and the page
(longest waiting first) still walks it in order. A separate (status, clock_due_on) index was tried first: SQLite,
without statistics, then sorted the whole status for the page (56 ms) and took it for the stale probe too.
Built CONCURRENTLY, the new one before the old one goes.

Revision ID: e3b9d61c4a70
Revises: c7d2a4e9f1b3
Create Date: 2026-12-27 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e3b9d61c4a70'
down_revision = 'c7d2a4e9f1b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        op.create_index('ix_nominations_status_started_due', 'nominations',
                        ['status', 'clock_started_at', 'clock_due_on'], unique=False, postgresql_concurrently=True,
                        if_not_exists=True)
        op.drop_index('ix_nominations_status_started', table_name='nominations', postgresql_concurrently=True,
                      if_exists=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.create_index('ix_nominations_status_started', 'nominations', ['status', 'clock_started_at'],
                        unique=False, postgresql_concurrently=True, if_not_exists=True)
        op.drop_index('ix_nominations_status_started_due', table_name='nominations', postgresql_concurrently=True,
                      if_exists=True)
