"""Issue 25, statistics forms: whether a unit is an enterprise (the row "Trong đó: Doanh nghiệp" under "Tập thể" of
biểu 0602.N and 0603.N of TT 02/2023/TT-BNV) or a foreign organisation (khen thưởng đối ngoại). Both start false.

Revision ID: 3fb8dda37a5a
Revises: 9d41c7e2a5b3
Create Date: 2026-12-21 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3fb8dda37a5a'
down_revision = '9d41c7e2a5b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enterprise', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('foreign_organisation', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('foreign_organisation')
        batch_op.drop_column('enterprise')
