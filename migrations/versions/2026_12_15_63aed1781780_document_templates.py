"""Issue 24, document templates: each uploaded .docx template version of a kind per awarding unit (or for every
unit), at most one active per (unit, kind) through partial unique indexes; the signing details a unit's documents
print (place, head's title and name); and a row per generated document with the template version it used.

Revision ID: 63aed1781780
Revises: e3f1a9c7b5d2
Create Date: 2026-12-15 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '63aed1781780'
down_revision = 'e3f1a9c7b5d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('head_title', sa.String(length=100), nullable=False),
    sa.Column('head_name', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_document_profiles_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_profiles')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_document_profiles_unit_id'))
    )
    op.create_table('template_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('to_trinh', 'danh_sach', 'bien_ban', 'quyet_dinh', 'giay_chung_nhan', 'thong_bao')", name=op.f('ck_template_versions_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_template_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_template_versions_unit_id_units')),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], name=op.f('fk_template_versions_upload_id_uploads')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_versions')),
    sa.UniqueConstraint('unit_id', 'kind', 'version', name=op.f('uq_template_versions_unit_id'))
    )
    with op.batch_alter_table('template_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_versions_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('uq_template_versions_active', ['unit_id', 'kind'], unique=True, sqlite_where=sa.text('active AND unit_id IS NOT NULL'), postgresql_where=sa.text('active AND unit_id IS NOT NULL'))
        batch_op.create_index('uq_template_versions_active_default', ['kind'], unique=True, sqlite_where=sa.text('active AND unit_id IS NULL'), postgresql_where=sa.text('active AND unit_id IS NULL'))

    op.create_table('generated_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=80), nullable=False),
    sa.Column('template_version_id', sa.Integer(), nullable=True),
    sa.Column('template_sha256', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('to_trinh', 'danh_sach', 'bien_ban', 'quyet_dinh', 'giay_chung_nhan', 'thong_bao')", name=op.f('ck_generated_documents_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_generated_documents_created_by_id_users')),
    sa.ForeignKeyConstraint(['template_version_id'], ['template_versions.id'], name=op.f('fk_generated_documents_template_version_id_template_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_generated_documents'))
    )
    with op.batch_alter_table('generated_documents', schema=None) as batch_op:
        batch_op.create_index('ix_generated_documents_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_generated_documents_template_version_id'), ['template_version_id'], unique=False)



def downgrade():
    with op.batch_alter_table('generated_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_generated_documents_template_version_id'))
        batch_op.drop_index('ix_generated_documents_object')

    op.drop_table('generated_documents')
    with op.batch_alter_table('template_versions', schema=None) as batch_op:
        batch_op.drop_index('uq_template_versions_active_default', sqlite_where=sa.text('active AND unit_id IS NULL'), postgresql_where=sa.text('active AND unit_id IS NULL'))
        batch_op.drop_index('uq_template_versions_active', sqlite_where=sa.text('active AND unit_id IS NOT NULL'), postgresql_where=sa.text('active AND unit_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_template_versions_unit_id'))

    op.drop_table('template_versions')
    op.drop_table('document_profiles')
