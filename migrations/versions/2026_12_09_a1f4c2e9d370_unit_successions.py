"""Unit successions: merges, splits, renames and moves with their date and decision (issue 18, reorganisation)

A successor link from a predecessor unit to the unit that took over from it. A collective's chain of years follows
the links, and an old unit code still finds its records. A rename or a move that keeps the unit's row links the unit
to itself; merges and splits link two different units.

Revision ID: a1f4c2e9d370
Revises: e2f4a6c8d0b1
Create Date: 2026-12-05 03:46:52.257863

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a1f4c2e9d370'
down_revision = 'e2f4a6c8d0b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('unit_successions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('predecessor_id', sa.Integer(), nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('merge', 'split', 'rename', 'move')", name=op.f('ck_unit_successions_kind')),
    sa.CheckConstraint("predecessor_id <> successor_id OR kind IN ('rename', 'move')",
                       name=op.f('ck_unit_successions_not_itself')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_unit_successions_created_by_id_users')),
    sa.ForeignKeyConstraint(['predecessor_id'], ['units.id'], name=op.f('fk_unit_successions_predecessor_id_units')),
    sa.ForeignKeyConstraint(['successor_id'], ['units.id'], name=op.f('fk_unit_successions_successor_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_successions')),
    sa.UniqueConstraint('predecessor_id', 'successor_id', 'kind', 'effective_on',
                        name=op.f('uq_unit_successions_predecessor_id'))
    )
    with op.batch_alter_table('unit_successions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_successions_predecessor_id'), ['predecessor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_successions_successor_id'), ['successor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('unit_successions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_successions_successor_id'))
        batch_op.drop_index(batch_op.f('ix_unit_successions_predecessor_id'))
    op.drop_table('unit_successions')
