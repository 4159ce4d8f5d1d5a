"""Issue 21: an index on council_sessions.previous_id. On SQLite a ballot takes the session's write lock by
updating its row's key (core/db.py begin_write), and the foreign-key check of the sessions' own reference to their
previous round then read every session ever held, twice per ballot; the next round's lookup read them all too.

Revision ID: c2b9e4f7a613
Revises: a7c41e9b2d05
Create Date: 2026-12-24 09:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c2b9e4f7a613'
down_revision = 'a7c41e9b2d05'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        op.create_index('ix_council_sessions_previous_id', 'council_sessions', ['previous_id'], unique=False,
                        postgresql_concurrently=True, if_not_exists=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index('ix_council_sessions_previous_id', table_name='council_sessions', postgresql_concurrently=True,
                      if_exists=True)
