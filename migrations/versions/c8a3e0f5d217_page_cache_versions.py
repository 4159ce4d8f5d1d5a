"""Page cache versions: one counter per kind of cached public page (README bench F8)

Revision ID: c8a3e0f5d217
Revises: b4613dbbc8b1
Create Date: 2026-11-23 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8a3e0f5d217'
down_revision = 'b4613dbbc8b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cache_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_versions'))
    )


def downgrade():
    op.drop_table('cache_versions')
