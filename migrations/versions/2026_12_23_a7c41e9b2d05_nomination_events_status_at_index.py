"""Issue 21: the dashboard's processing times read the dossiers submitted in the period through an index on
nomination_events (status, at), instead of scanning every event of every year twice per view (at full scale
~50,000 events, 25–35 ms each on SQLite for a year that has none).

Revision ID: a7c41e9b2d05
Revises: 5e2b7c9d1a40
Create Date: 2026-12-23 09:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c41e9b2d05'
down_revision = '5e2b7c9d1a40'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        op.create_index('ix_nomination_events_status_at', 'nomination_events', ['status', 'at'], unique=False,
                        postgresql_concurrently=True, if_not_exists=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index('ix_nomination_events_status_at', table_name='nomination_events', postgresql_concurrently=True,
                      if_exists=True)
