"""cluster access grants: read-only access for non-members (e.g. an engagement's consultant)

Revision ID: 0002_core
Revises: 0001_core
Create Date: 2026-11-29 13:40:00.000000
"""
from alembic import op
import sqlalchemy as sa
import core.models


revision = '0002_core'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cluster_access_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('granted_at', core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_cluster_access_grants_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_cluster_access_grants_ended_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cluster_access_grants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_access_grants'))
    )
    with op.batch_alter_table('cluster_access_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_access_grants_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_access_grants_user_id'), ['user_id'], unique=False)
        # At most one live (not ended) grant per source, so a grant can always be found again.
        batch_op.create_index('uq_cluster_access_grants_live_source', ['source'], unique=True,
                              sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('cluster_access_grants', schema=None) as batch_op:
        batch_op.drop_index('uq_cluster_access_grants_live_source')
        batch_op.drop_index(batch_op.f('ix_cluster_access_grants_user_id'))
        batch_op.drop_index(batch_op.f('ix_cluster_access_grants_cluster_id'))
    op.drop_table('cluster_access_grants')
