"""Units report upward (issue 18): `unit_reports`, an awarding unit's 6-monthly or annual report to the Sở

One row per unit and period (half 1 or 2, or 0 for the annual report): its narrative, draft or submitted, who
submitted it and when, and how many times (a resubmission before the deadline replaces the text; the audit log
keeps each earlier one).

Revision ID: 5e0c7a91d4b3
Revises: a1f4c2e9d370
Create Date: 2026-12-09 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e0c7a91d4b3'
down_revision = 'a1f4c2e9d370'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('unit_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('half', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('submissions', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f('ck_unit_reports_status')),
    sa.CheckConstraint('half IN (0, 1, 2)', name=op.f('ck_unit_reports_half')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_unit_reports_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_reports_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_reports')),
    sa.UniqueConstraint('unit_id', 'year', 'half', name=op.f('uq_unit_reports_unit_id'))
    )
    with op.batch_alter_table('unit_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_reports_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('unit_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_reports_unit_id'))
    op.drop_table('unit_reports')
