"""worker heartbeats: each Celery worker says it is alive, so pages can tell when none runs

Revision ID: 0009_core_worker_heartbeats
Revises: 0008_core_data_version
Create Date: 2026-11-30 03:00:00
"""
from alembic import op
import sqlalchemy as sa

import core.api


revision = '0009_core_worker_heartbeats'
down_revision = '0008_core_data_version'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('worker_heartbeats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('node', sa.String(length=200), nullable=False),
    sa.Column('started_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seen_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('stopped_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_heartbeats')),
    sa.UniqueConstraint('node', name=op.f('uq_worker_heartbeats_node'))
    )
    op.create_index(op.f('ix_worker_heartbeats_seen_at'), 'worker_heartbeats', ['seen_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_worker_heartbeats_seen_at'), table_name='worker_heartbeats')
    op.drop_table('worker_heartbeats')
