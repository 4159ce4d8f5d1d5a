"""Signed decision files (ký số) with their verification, the archive's seals of their SHA-256, and the
certificate blanks' calibrations

Revision ID: e3f1a9c7b5d2
Revises: 8a5034172a8c
Create Date: 2026-12-14 09:00:00.000000

New tables only: existing rows and the archive records' hashes are untouched (a seal is a new row in a chain of
its own, archive/models.py RecordSeal).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3f1a9c7b5d2'
down_revision = '8a5034172a8c'
branch_labels = None
depends_on = None

OUTCOMES = "'valid', 'not_pdf', 'unsigned', 'modified', 'untrusted', 'expired', 'not_yet_valid', 'invalid'"


def upgrade():
    op.create_table('signed_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=False),
        sa.Column('upload_id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('origin', sa.String(length=10), nullable=False),
        sa.Column('outcome', sa.String(length=15), nullable=False),
        sa.Column('valid', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('signer', sa.String(length=255), nullable=False),
        sa.Column('organisation', sa.String(length=255), nullable=False),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('time_source', sa.String(length=10), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(f"outcome IN ({OUTCOMES})", name=op.f('ck_signed_files_outcome')),
        sa.CheckConstraint("origin IN ('uploaded', 'system')", name=op.f('ck_signed_files_origin')),
        sa.CheckConstraint("time_source IN ('timestamp', 'claimed')", name=op.f('ck_signed_files_time_source')),
        sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_signed_files_decision_id_decisions')),
        sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], name=op.f('fk_signed_files_upload_id_uploads')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_signed_files_uploaded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_files'))
    )
    with op.batch_alter_table('signed_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signed_files_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signed_files_sha256'), ['sha256'], unique=False)

    op.create_table('award_record_seals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('record_hash', sa.String(length=64), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_award_record_seals_created_by_id_users')),
        sa.ForeignKeyConstraint(['record_id'], ['award_records.id'],
                                name=op.f('fk_award_record_seals_record_id_award_records')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_award_record_seals')),
        sa.UniqueConstraint('hash', name=op.f('uq_award_record_seals_hash')),
        sa.UniqueConstraint('prev_hash', name=op.f('uq_award_record_seals_prev_hash'))
    )
    with op.batch_alter_table('award_record_seals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_record_seals_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_record_seals_sha256'), ['sha256'], unique=False)

    op.create_table('certificate_layouts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('award_code', sa.String(length=20), nullable=False),
        sa.Column('page_width', sa.Float(), nullable=False),
        sa.Column('page_height', sa.Float(), nullable=False),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('blank_upload_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['blank_upload_id'], ['uploads.id'],
                                name=op.f('fk_certificate_layouts_blank_upload_id_uploads')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_certificate_layouts_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_layouts')),
        sa.UniqueConstraint('award_code', name=op.f('uq_certificate_layouts_award_code'))
    )


def downgrade():
    op.drop_table('certificate_layouts')
    with op.batch_alter_table('award_record_seals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_record_seals_sha256'))
        batch_op.drop_index(batch_op.f('ix_award_record_seals_record_id'))
    op.drop_table('award_record_seals')
    with op.batch_alter_table('signed_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signed_files_sha256'))
        batch_op.drop_index(batch_op.f('ix_signed_files_decision_id'))
    op.drop_table('signed_files')
