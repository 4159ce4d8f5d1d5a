"""Issue 21: notifications indexed by what they are about and then by member, (about_type, about_id, user_id), in
place of (about_type, about_id). A ballot marks its voter's notices about the session done; PostgreSQL read them by
the member's index, every notice the member ever had (one or two per past session), and filtered; the new index
reads the member's notices about this session only. Queries by the thing alone use its first two columns, as they
used the old index. Built CONCURRENTLY before the old one is dropped.

Revision ID: d5e1f3a9b742
Revises: c2b9e4f7a613
Create Date: 2026-12-24 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd5e1f3a9b742'
down_revision = 'c2b9e4f7a613'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        op.create_index('ix_notifications_about_user', 'notifications', ['about_type', 'about_id', 'user_id'],
                        unique=False, postgresql_concurrently=True, if_not_exists=True)
        op.drop_index('ix_notifications_about', table_name='notifications', postgresql_concurrently=True,
                      if_exists=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.create_index('ix_notifications_about', 'notifications', ['about_type', 'about_id'], unique=False,
                        postgresql_concurrently=True, if_not_exists=True)
        op.drop_index('ix_notifications_about_user', table_name='notifications', postgresql_concurrently=True,
                      if_exists=True)
