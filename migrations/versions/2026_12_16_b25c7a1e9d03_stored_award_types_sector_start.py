"""Issue 25, the award catalogue: award types an admin adds (code, name, subject, form, level, who decides, how it
is voted, threshold, review days, required attachments, achievement period, prize coefficient, composed conditions,
basis; deactivated, never deleted), and each person's start date in the sector (ngày vào ngành) for awards for
years of service.

Revision ID: b25c7a1e9d03
Revises: 63aed1781780
Create Date: 2026-12-16 07:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b25c7a1e9d03'
down_revision = '63aed1781780'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('award_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=12), nullable=False),
    sa.Column('form', sa.String(length=12), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('ballot', sa.String(length=10), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=True),
    sa.Column('review_days', sa.Integer(), nullable=False),
    sa.Column('required_attachments', sa.JSON(), nullable=False),
    sa.Column('period_years', sa.Integer(), nullable=False),
    sa.Column('prize_coefficient', sa.Float(), nullable=True),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("ballot IN ('secret', 'open', 'standing', 'none')", name=op.f('ck_award_types_ballot')),
    sa.CheckConstraint("form IN ('title', 'commendation')", name=op.f('ck_award_types_form')),
    sa.CheckConstraint("level IN ('grassroots', 'provincial', 'ministerial', 'national')", name=op.f('ck_award_types_level')),
    sa.CheckConstraint("subject IN ('individual', 'collective', 'both')", name=op.f('ck_award_types_subject')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_award_types_changed_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_award_types_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_types')),
    sa.UniqueConstraint('code', name=op.f('uq_award_types_code'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sector_start_date', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('sector_start_date')

    op.drop_table('award_types')
