"""engagements: recommendation report jobs, immutable report versions, sharing with members

Revision ID: 0004_engagements
Revises: 0003_engagements
Create Date: 2026-11-29 13:40:00
"""
from alembic import op
import sqlalchemy as sa
import core.api


revision = '0004_engagements'
down_revision = '0003_engagements'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('engagements_report_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_label', sa.String(length=120), nullable=False),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_engagements_report_jobs_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_report_jobs_engagement_id_engagements_engagements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_engagements_report_jobs_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_report_jobs'))
    )
    with op.batch_alter_table('engagements_report_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_report_jobs_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_report_jobs_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_report_jobs_state'), ['state'], unique=False)

    op.create_table('engagements_report_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('based_on', sa.Integer(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('as_of', sa.Text(), nullable=False),
    sa.Column('change_summary', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_label', sa.String(length=120), nullable=False),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('delivered_by_id', sa.Integer(), nullable=True),
    sa.Column('is_revision', sa.Boolean(), nullable=False),
    sa.Column('pdf_name', sa.String(length=255), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('pdf_size', sa.Integer(), nullable=True),
    sa.Column('pdf_pages', sa.Integer(), nullable=True),
    sa.Column('rendered_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_engagements_report_versions_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_engagements_report_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delivered_by_id'], ['users.id'], name=op.f('fk_engagements_report_versions_delivered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_report_versions_engagement_id_engagements_engagements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_report_versions')),
    sa.UniqueConstraint('engagement_id', 'number', name=op.f('uq_engagements_report_versions_engagement_id'))
    )
    with op.batch_alter_table('engagements_report_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_report_versions_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_report_versions_engagement_id'), ['engagement_id'], unique=False)

    op.create_table('engagements_report_sharing',
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('members_can_read', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_engagements_report_sharing_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_report_sharing_engagement_id_engagements_engagements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('engagement_id', name=op.f('pk_engagements_report_sharing'))
    )


def downgrade() -> None:
    op.drop_table('engagements_report_sharing')
    with op.batch_alter_table('engagements_report_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_report_versions_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_report_versions_cluster_id'))
    op.drop_table('engagements_report_versions')
    with op.batch_alter_table('engagements_report_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_report_jobs_state'))
        batch_op.drop_index(batch_op.f('ix_engagements_report_jobs_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_report_jobs_cluster_id'))
    op.drop_table('engagements_report_jobs')
