"""Notices about something, done when their task is, and each member's choice of how many to receive (issue 19)

`notifications` gains `about_type`/`about_id` (the dossier, council session, report or feedback case a notice
concerns) and `done_at` (its task finished: no longer "Mới", no longer mailed); all three nullable, so existing
notices stay as they were (about nothing, never done). The index on (about_type, about_id) is built CONCURRENTLY on
PostgreSQL: the table grows with the province and stays writable meanwhile.

`notification_settings` is new (empty): one row per member who chose something other than every notice.

Revision ID: c4d19e7a2b61
Revises: ae9deb38da10
Create Date: 2026-12-07 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4d19e7a2b61'
down_revision = 'ae9deb38da10'
branch_labels = None
depends_on = None

PREFERENCES = ("all", "tasks", "no_email")


def upgrade():
    op.create_table('notification_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('preference', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("preference IN (" + ", ".join(f"'{p}'" for p in PREFERENCES) + ")",
                       name=op.f('ck_notification_settings_preference')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_settings'))
    )
    op.add_column('notifications', sa.Column('about_type', sa.String(length=30), nullable=True))
    op.add_column('notifications', sa.Column('about_id', sa.Integer(), nullable=True))
    op.add_column('notifications', sa.Column('done_at', sa.DateTime(timezone=True), nullable=True))
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        op.create_index('ix_notifications_about', 'notifications', ['about_type', 'about_id'], unique=False,
                        postgresql_concurrently=True, if_not_exists=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index('ix_notifications_about', table_name='notifications', postgresql_concurrently=True,
                      if_exists=True)
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.drop_column('done_at')
        batch_op.drop_column('about_id')
        batch_op.drop_column('about_type')
    op.drop_table('notification_settings')
