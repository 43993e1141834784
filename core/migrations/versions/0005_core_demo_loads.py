"""demo loads: which plugins' demo content the demo cluster holds

Revision ID: 0005_core_demo_loads
Revises: 0004_core_security
Create Date: 2026-11-29 13:50:00
"""
from alembic import op
import sqlalchemy as sa
import core.api


revision = '0005_core_demo_loads'
down_revision = '0004_core_security'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('demo_loads',
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('loaded_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_demo_loads_cluster_id_clusters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_demo_loads'))
    )
    with op.batch_alter_table('demo_loads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demo_loads_cluster_id'), ['cluster_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('demo_loads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demo_loads_cluster_id'))
    op.drop_table('demo_loads')
