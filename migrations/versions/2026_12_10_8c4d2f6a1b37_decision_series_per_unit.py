"""Each level its own series (issue 18): a decision's number is unique per issuing unit and year, not globally

NĐ 30/2020 Art 15: an agency numbers its documents from 01 each year, so two hospitals may both issue
"01/QĐ-..." and one unit may reuse its "01/QĐ-..." next year. `decisions.year` (the year of the series: the
year it was signed, filled from `signed_on` for existing decisions); the global `uq_decisions_number` gives way
to (unit_id, year, number), and decisions with no unit (from before units issued their own) stay unique among
themselves per year through a partial index. Existing numbers are kept as they are.

Revision ID: 8c4d2f6a1b37
Revises: 5e0c7a91d4b3
Create Date: 2026-12-10 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8c4d2f6a1b37'
down_revision = '5e0c7a91d4b3'
branch_labels = None
depends_on = None

NO_UNIT = sa.text("unit_id IS NULL")


def upgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('year', sa.Integer(), nullable=True))
    decisions = sa.table('decisions', sa.column('id', sa.Integer), sa.column('signed_on', sa.Date),
                         sa.column('year', sa.Integer))
    bind = op.get_bind()
    for decision_id, signed_on in bind.execute(sa.select(decisions.c.id, decisions.c.signed_on)).all():
        # SQLite may hand back the ISO text
        year = int(signed_on[:4]) if isinstance(signed_on, str) else signed_on.year
        bind.execute(decisions.update().where(decisions.c.id == decision_id).values(year=year))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.alter_column('year', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_decisions_number', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_decisions_unit_id'), ['unit_id', 'year', 'number'])
    op.create_index('uq_decisions_number_no_unit', 'decisions', ['year', 'number'], unique=True,
                    sqlite_where=NO_UNIT, postgresql_where=NO_UNIT)


def downgrade():
    op.drop_index('uq_decisions_number_no_unit', table_name='decisions')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_decisions_unit_id'), type_='unique')
        batch_op.create_unique_constraint('uq_decisions_number', ['number'])
        batch_op.drop_column('year')
