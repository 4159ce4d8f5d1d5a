"""Issue 25, prize money: the base-salary table (base_salaries, seeded with the rows in force since 2019), the
reward fund's entries of each awarding unit (prize_fund_entries), and each decision recipient's coefficient and
amount (decision_items.prize_coefficient, prize_amount), back-filled for the decisions already issued

Revision ID: c7d2e4f6a8b1
Revises: b153f0f17a63
Create Date: 2026-12-18 09:00:00.000000

The back-fill uses a frozen copy of awards/prizes/rules.py as it was written (a migration must not change when the
code does): the decree in force on the decision date (NĐ 91/2017 up to 31/12/2023, NĐ 98/2023 to 30/06/2025,
NĐ 152/2025 after), the base salary in force on that date, rounded up to the ten thousand đồng. Award types the
table does not list are left empty (None).
"""
import math
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7d2e4f6a8b1'
down_revision = 'b153f0f17a63'
branch_labels = None
depends_on = None

BASE = [(date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
        (date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
        (date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP")]
# code: (individual, collective) under NĐ 91/2017 and NĐ 98/2023; NĐ 152/2025 raises Bằng khen cấp tỉnh to 1,5
TITLES = {"LDTT": (0.3, 0.3), "CSTDCS": (1.0, 1.0), "CSTD_TINH": (3.0, 3.0), "CSTD_TQ": (4.5, 4.5),
          "TTLDTT": (0.8, 0.8), "TTLDXS": (1.5, 1.5), "CO_TINH": (8.0, 8.0), "CO_CP": (12.0, 12.0),
          "GIAY_KHEN": (0.3, 0.6), "BK_TINH": (1.0, 2.0), "BK_TTG": (3.5, 7.0), "HCLD3": (4.5, 9.0)}
ND152_FROM = date(2025, 7, 1)


def _prize(code, subject_type, day):
    pair = TITLES.get(code)
    if code == "BK_TINH" and day >= ND152_FROM:
        pair = (1.5, 3.0)
    base = max((row for row in BASE if row[0] <= day), key=lambda row: row[0], default=None)
    if pair is None or base is None:
        return None, None
    coefficient = pair[1] if subject_type == "unit" else pair[0]
    return coefficient, int(math.ceil(round(coefficient * base[1] / 10_000, 6)) * 10_000)


def upgrade():
    salaries = op.create_table('base_salaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_base_salaries_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_salaries')),
    sa.UniqueConstraint('effective_from', name=op.f('uq_base_salaries_effective_from'))
    )
    now = datetime.now(UTC)
    op.bulk_insert(salaries, [{"effective_from": day, "amount": amount, "source": source, "created_at": now}
                              for day, amount, source in BASE])
    op.create_table('prize_fund_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('allocation', 'adjustment')", name=op.f('ck_prize_fund_entries_kind')),
    sa.ForeignKeyConstraint(['corrects_id'], ['prize_fund_entries.id'],
                            name=op.f('fk_prize_fund_entries_corrects_id_prize_fund_entries')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_prize_fund_entries_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_prize_fund_entries_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prize_fund_entries'))
    )
    with op.batch_alter_table('prize_fund_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prize_fund_entries_unit_id'), ['unit_id'], unique=False)
    with op.batch_alter_table('decision_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prize_coefficient', sa.Numeric(precision=5, scale=2), nullable=True))
        batch_op.add_column(sa.Column('prize_amount', sa.Integer(), nullable=True))
    _backfill()


def _backfill():
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT i.id, d.signed_on, n.award_code, n.subject_type FROM decision_items i "
        "JOIN decisions d ON d.id = i.decision_id JOIN nominations n ON n.id = i.nomination_id")).all()
    items = sa.table('decision_items', sa.column('id', sa.Integer),
                     sa.column('prize_coefficient', sa.Numeric(5, 2)), sa.column('prize_amount', sa.Integer))
    for item_id, signed_on, code, subject_type in rows:
        day = signed_on if isinstance(signed_on, date) else date.fromisoformat(str(signed_on)[:10])
        coefficient, amount = _prize(code, subject_type, day)
        if amount is not None:
            bind.execute(items.update().where(items.c.id == item_id)
                         .values(prize_coefficient=coefficient, prize_amount=amount))


def downgrade():
    with op.batch_alter_table('decision_items', schema=None) as batch_op:
        batch_op.drop_column('prize_amount')
        batch_op.drop_column('prize_coefficient')
    with op.batch_alter_table('prize_fund_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prize_fund_entries_unit_id'))
    op.drop_table('prize_fund_entries')
    op.drop_table('base_salaries')
