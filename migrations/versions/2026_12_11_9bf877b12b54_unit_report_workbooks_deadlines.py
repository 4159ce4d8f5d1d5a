"""Units report upward (issue 18): each submitted report keeps its workbook; the Sở sets the deadlines

`unit_reports` gains the workbook built at submission (`workbook_id`, an Upload; `workbook_sha256`, checked on
every download) and `awards_reported` (the subtree's awards of the period then). `unit_report_deadlines` holds
the day each period's reports are due as the Sở set it (one row per year and half; none: the default).

Revision ID: 9bf877b12b54
Revises: 3b7e91c4d2a8
Create Date: 2026-12-05 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9bf877b12b54'
down_revision = '3b7e91c4d2a8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('unit_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workbook_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('workbook_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('awards_reported', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_unit_reports_workbook_id_uploads'), 'uploads', ['workbook_id'],
                                    ['id'])
    op.create_table('unit_report_deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('half', sa.SmallInteger(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('half IN (0, 1, 2)', name=op.f('ck_unit_report_deadlines_half')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_unit_report_deadlines_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_report_deadlines')),
    sa.UniqueConstraint('year', 'half', name=op.f('uq_unit_report_deadlines_year'))
    )


def downgrade():
    op.drop_table('unit_report_deadlines')
    with op.batch_alter_table('unit_reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_unit_reports_workbook_id_uploads'), type_='foreignkey')
        batch_op.drop_column('awards_reported')
        batch_op.drop_column('workbook_sha256')
        batch_op.drop_column('workbook_id')
