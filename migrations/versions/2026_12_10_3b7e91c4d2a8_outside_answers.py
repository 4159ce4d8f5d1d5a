"""Answers from outside recorded once (issue 18): `outside_answers` (the province's decision or refusal, with the
decision's file stored once) and `outside_answer_items` (each forwarded dossier it answers, and the archive record
it wrote when awarded)

Revision ID: 3b7e91c4d2a8
Revises: 8c4d2f6a1b37
Create Date: 2026-12-10 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3b7e91c4d2a8'
down_revision = '8c4d2f6a1b37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outside_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=12), nullable=False),
    sa.Column('decision_number', sa.String(length=60), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("result IN ('awarded', 'not_awarded')", name=op.f('ck_outside_answers_result')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_outside_answers_created_by_id_users')),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], name=op.f('fk_outside_answers_upload_id_uploads')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outside_answers'))
    )
    op.create_table('outside_answer_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answer_id'], ['outside_answers.id'],
                            name=op.f('fk_outside_answer_items_answer_id_outside_answers')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'],
                            name=op.f('fk_outside_answer_items_nomination_id_nominations')),
    sa.ForeignKeyConstraint(['record_id'], ['award_records.id'],
                            name=op.f('fk_outside_answer_items_record_id_award_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outside_answer_items')),
    sa.UniqueConstraint('nomination_id', name=op.f('uq_outside_answer_items_nomination_id'))
    )
    with op.batch_alter_table('outside_answer_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outside_answer_items_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outside_answer_items_record_id'), ['record_id'], unique=False)


def downgrade():
    with op.batch_alter_table('outside_answer_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outside_answer_items_record_id'))
        batch_op.drop_index(batch_op.f('ix_outside_answer_items_answer_id'))
    op.drop_table('outside_answer_items')
    op.drop_table('outside_answers')
