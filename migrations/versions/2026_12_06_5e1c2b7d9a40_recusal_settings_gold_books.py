"""Recusal settings per council, the setting frozen on a session, and a counter per gold book (issue 17)

`councils.recusal_scope` (who steps back automatically: nominee | unit_head | unit, default unit: as before) and
`councils.recused_count` (recused members still count in the total membership: true, as before); the session
keeps the council's `recused_count` as it stood when it opened (NULL for sessions opened before: counted, as
they were). `gold_books`: one row per issuing authority's book with the last number given out, so that two
decisions never give the same gold-book number (RULES §8). The existing numbers stay as printed.

New columns carry server defaults (existing rows read as before); `gold_books` is new (empty).

Revision ID: 5e1c2b7d9a40
Revises: 0334742d5ac3
Create Date: 2026-12-06 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e1c2b7d9a40'
down_revision = '0334742d5ac3'
branch_labels = None
depends_on = None

SCOPES = "recusal_scope IN ('nominee', 'unit_head', 'unit')"


def upgrade():
    op.add_column('councils', sa.Column('recusal_scope', sa.String(length=10), server_default='unit',
                                        nullable=False))
    op.add_column('councils', sa.Column('recused_count', sa.Boolean(), server_default=sa.true(), nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE councils ADD CONSTRAINT ck_councils_recusal_scope CHECK ({SCOPES})")
    else:
        with op.batch_alter_table('councils', schema=None) as batch_op:
            batch_op.create_check_constraint(batch_op.f('ck_councils_recusal_scope'), SCOPES)
    op.add_column('council_sessions', sa.Column('recused_count', sa.Boolean(), nullable=True))
    op.create_table('gold_books',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('book', sa.String(length=255), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('scanned_to', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gold_books')),
    sa.UniqueConstraint('book', name=op.f('uq_gold_books_book'))
    )


def downgrade():
    op.drop_table('gold_books')
    op.drop_column('council_sessions', 'recused_count')
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_councils_recusal_scope'), type_='check')
        batch_op.drop_column('recused_count')
        batch_op.drop_column('recusal_scope')
