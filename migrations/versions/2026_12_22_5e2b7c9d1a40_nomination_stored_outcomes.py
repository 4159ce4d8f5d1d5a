"""Issue 21 (bench F3/F7): the appraisal queue reads each dossier's stored outcome instead of computing 50
checklists a page. Nominations gain the checklist's outcome (eligible, a summary, when it was checked), the running
clock's state (when it started, its norm, the due date) and `outcome_stale` (true for every existing dossier on
the queue: the queue or the periodic job refreshes them, nominations/outcomes.py), with the queue's indexes. The clock's start
is filled here already (the queue sorts on it): the last passing appraisal of an appraised dossier, else its last
submission.

Revision ID: 5e2b7c9d1a40
Revises: 3fb8dda37a5a
Create Date: 2026-12-22 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e2b7c9d1a40'
down_revision = '3fb8dda37a5a'
branch_labels = None
depends_on = None


INDEXES = (('ix_nominations_queue', ['handling_unit_id', 'status', 'clock_started_at'], {}),
           ('ix_nominations_status_started', ['status', 'clock_started_at'], {}),
           # the stale rows only (normally none): found at once whatever the planner's statistics say
           ('ix_nominations_stale', ['status'], {'postgresql_where': sa.text('outcome_stale'),
                                                 'sqlite_where': sa.text('outcome_stale')}))
COLUMNS = ('outcome_version', 'outcome_stale', 'clock_due_on', 'clock_norm', 'clock_started_at', 'outcome_checked_at',
           'outcome_summary', 'outcome_eligible')


def upgrade():
    op.add_column('nominations', sa.Column('outcome_eligible', sa.Boolean(), nullable=True))
    op.add_column('nominations', sa.Column('outcome_summary', sa.JSON(), nullable=True))
    op.add_column('nominations', sa.Column('outcome_checked_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('nominations', sa.Column('clock_started_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('nominations', sa.Column('clock_norm', sa.Integer(), nullable=True))
    op.add_column('nominations', sa.Column('clock_due_on', sa.Date(), nullable=True))
    op.add_column('nominations', sa.Column('outcome_stale', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('nominations', sa.Column('outcome_version', sa.Integer(), server_default='0', nullable=False))
    # stale: the queue's dossiers only (one off the queue is marked when a move brings it back)
    op.execute("UPDATE nominations SET clock_started_at = CASE WHEN status = 'appraised' THEN COALESCE(("
               "SELECT max(e.at) FROM nomination_events e WHERE e.nomination_id = nominations.id "
               "AND e.status = 'appraised'), submitted_at) ELSE submitted_at END, "
               "outcome_stale = status IN ('submitted', 'returned', 'appraised', 'rejected')")
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        for name, columns, where in INDEXES:
            op.create_index(name, 'nominations', columns, unique=False, postgresql_concurrently=True,
                            if_not_exists=True, **where)


def downgrade():
    with op.get_context().autocommit_block():
        for name, _columns, _where in INDEXES:
            op.drop_index(name, table_name='nominations', postgresql_concurrently=True, if_exists=True)
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.drop_column(column)
