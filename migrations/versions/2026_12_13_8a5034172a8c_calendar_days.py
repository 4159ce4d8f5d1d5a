"""Working calendar: the government's announced substitute and swapped days (calendar_days), seeded with the
announcements for 2025 and 2026 that were checked against their published texts

Revision ID: 8a5034172a8c
Revises: d45b10674e11
Create Date: 2026-12-13 09:00:00.000000

The public holidays themselves come from the `holidays` library (awards/core/workdays.py); these rows are what
the government announced on top of them. The library already carries 2025's and 2026's 30/4 and 2/9 swaps: they
are seeded all the same, so the calendar page shows each announcement with its source and the clock does not
depend on a library release for them. Tết Dương lịch 2026's swap is not in the library (0.109).
"""
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8a5034172a8c'
down_revision = 'd45b10674e11'
branch_labels = None
depends_on = None

TB_6150 = "Thông báo 6150/TB-BLĐTBXH ngày 03/12/2024 của Bộ Lao động - Thương binh và Xã hội"
VPCP_12729 = "Văn bản 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ (ý kiến Phó Thủ tướng)"
VPCP_2026 = ("Văn bản của Văn phòng Chính phủ ngày 13/10/2025 truyền đạt ý kiến Thủ tướng về nghỉ Tết Âm lịch, "
             "Quốc khánh năm 2026 (số hiệu chưa đối chiếu)")
SEED = [
    (date(2025, 5, 2), "day_off", "Nghỉ lễ 30/4 – 1/5: hoán đổi thứ Sáu 02/5/2025 với thứ Bảy 26/4/2025", TB_6150),
    (date(2025, 4, 26), "working_day", "Làm bù cho thứ Sáu 02/5/2025 (nghỉ lễ 30/4 – 1/5)", TB_6150),
    (date(2026, 1, 2), "day_off", "Tết Dương lịch: hoán đổi thứ Sáu 02/01/2026 với thứ Bảy 10/01/2026", VPCP_12729),
    (date(2026, 1, 10), "working_day", "Làm bù cho thứ Sáu 02/01/2026 (Tết Dương lịch)", VPCP_12729),
    (date(2026, 8, 31), "day_off", "Quốc khánh: hoán đổi thứ Hai 31/8/2026 với thứ Bảy 22/8/2026", VPCP_2026),
    (date(2026, 8, 22), "working_day", "Làm bù cho thứ Hai 31/8/2026 (Quốc khánh)", VPCP_2026),
]


def upgrade():
    table = op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('day_off', 'working_day')", name=op.f('ck_calendar_days_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calendar_days_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_days_day'))
    )
    now = datetime.now(timezone.utc)
    op.bulk_insert(table, [{"day": day, "kind": kind, "reason": reason, "source": source, "created_at": now}
                           for day, kind, reason, source in SEED])


def downgrade():
    op.drop_table('calendar_days')
