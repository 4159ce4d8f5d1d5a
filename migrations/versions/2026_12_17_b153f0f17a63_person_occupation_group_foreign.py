"""Issue 25, statistics forms: a person's occupation group (the rows "Cá nhân" of biểu 0602.N and 0603.N of
TT 02/2023/TT-BNV: leaders by level, businesspeople, people working directly) and whether they are a foreign
national (khen thưởng đối ngoại). Both start unrecorded: the group empty, foreign_national false.

Revision ID: b153f0f17a63
Revises: b25c7a1e9d03
Create Date: 2026-12-17 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b153f0f17a63'
down_revision = 'b25c7a1e9d03'
branch_labels = None
depends_on = None

GROUPS = ('leader_central', 'leader_department', 'businessperson', 'leader_other', 'direct_worker', 'other')


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('occupation_group', sa.Enum(*GROUPS, name='occupationgroup',
                                                                  native_enum=False, create_constraint=True,
                                                                  length=20), nullable=True))
        batch_op.add_column(sa.Column('foreign_national', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('foreign_national')
        batch_op.drop_column('occupation_group')
