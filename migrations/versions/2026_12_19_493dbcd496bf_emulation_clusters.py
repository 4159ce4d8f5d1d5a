"""Issue 25, emulation clusters and blocks (cụm, khối thi đua): a cluster year with its member units and leader,
the pledge's scored criteria and each member's signature, the self and cluster scores, and the vote on the
leading unit (counts per proposed unit, minutes, the unit proposed for a Cờ thi đua or Bằng khen).

Revision ID: 493dbcd496bf
Revises: c7d2e4f6a8b1
Create Date: 2026-12-19 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '493dbcd496bf'
down_revision = 'c7d2e4f6a8b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('leader_unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('cluster', 'block')", name=op.f('ck_clusters_kind')),
    sa.CheckConstraint("status IN ('draft', 'pledged', 'scoring', 'ranked', 'closed')", name=op.f('ck_clusters_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_clusters_created_by_id_users')),
    sa.ForeignKeyConstraint(['leader_unit_id'], ['units.id'], name=op.f('fk_clusters_leader_unit_id_units')),
    sa.ForeignKeyConstraint(['previous_id'], ['clusters.id'], name=op.f('fk_clusters_previous_id_clusters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clusters')),
    sa.UniqueConstraint('year', 'name', name=op.f('uq_clusters_year'))
    )
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clusters_leader_unit_id'), ['leader_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clusters_year'), ['year'], unique=False)

    op.create_table('cluster_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_cluster_members_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_cluster_members_signed_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_cluster_members_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_members')),
    sa.UniqueConstraint('cluster_id', 'unit_id', name=op.f('uq_cluster_members_cluster_id'))
    )
    with op.batch_alter_table('cluster_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_members_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_members_unit_id'), ['unit_id'], unique=False)

    op.create_table('cluster_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('group', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('max_points', sa.Float(), nullable=False),
    sa.CheckConstraint('max_points > 0', name=op.f('ck_cluster_criteria_max_points')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_cluster_criteria_weight')),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_cluster_criteria_cluster_id_clusters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_criteria'))
    )
    with op.batch_alter_table('cluster_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_criteria_cluster_id'), ['cluster_id'], unique=False)

    op.create_table('cluster_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('scored_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('self', 'cluster')", name=op.f('ck_cluster_scores_kind')),
    sa.CheckConstraint('points >= 0', name=op.f('ck_cluster_scores_points')),
    sa.ForeignKeyConstraint(['criterion_id'], ['cluster_criteria.id'], name=op.f('fk_cluster_scores_criterion_id_cluster_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['cluster_members.id'], name=op.f('fk_cluster_scores_member_id_cluster_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scored_by_id'], ['users.id'], name=op.f('fk_cluster_scores_scored_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_scores')),
    sa.UniqueConstraint('member_id', 'criterion_id', 'kind', name=op.f('uq_cluster_scores_member_id'))
    )
    with op.batch_alter_table('cluster_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_scores_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_scores_member_id'), ['member_id'], unique=False)

    op.create_table('cluster_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('voted_on', sa.Date(), nullable=False),
    sa.Column('voters', sa.Integer(), nullable=False),
    sa.Column('leading_unit_id', sa.Integer(), nullable=False),
    sa.Column('proposed_award_code', sa.String(length=20), nullable=True),
    sa.Column('proposed_unit_id', sa.Integer(), nullable=True),
    sa.Column('minutes_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("proposed_award_code IN ('CO_TINH', 'BK_TINH')", name=op.f('ck_cluster_votes_proposed_award_code')),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_cluster_votes_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['leading_unit_id'], ['units.id'], name=op.f('fk_cluster_votes_leading_unit_id_units')),
    sa.ForeignKeyConstraint(['minutes_id'], ['uploads.id'], name=op.f('fk_cluster_votes_minutes_id_uploads')),
    sa.ForeignKeyConstraint(['proposed_unit_id'], ['units.id'], name=op.f('fk_cluster_votes_proposed_unit_id_units')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_cluster_votes_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_votes')),
    sa.UniqueConstraint('cluster_id', name=op.f('uq_cluster_votes_cluster_id'))
    )
    with op.batch_alter_table('cluster_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_votes_leading_unit_id'), ['leading_unit_id'], unique=False)

    op.create_table('cluster_vote_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('votes_for', sa.Integer(), nullable=False),
    sa.Column('votes_against', sa.Integer(), nullable=False),
    sa.CheckConstraint('votes_for >= 0 AND votes_against >= 0', name=op.f('ck_cluster_vote_counts_counts')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_cluster_vote_counts_unit_id_units')),
    sa.ForeignKeyConstraint(['vote_id'], ['cluster_votes.id'], name=op.f('fk_cluster_vote_counts_vote_id_cluster_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_vote_counts')),
    sa.UniqueConstraint('vote_id', 'unit_id', name=op.f('uq_cluster_vote_counts_vote_id'))
    )
    with op.batch_alter_table('cluster_vote_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_vote_counts_vote_id'), ['vote_id'], unique=False)


def downgrade():
    for table in ('cluster_vote_counts', 'cluster_votes', 'cluster_scores', 'cluster_criteria', 'cluster_members',
                  'clusters'):
        op.drop_table(table)
