"""job runs and alerts: each periodic job run, and each failed-job alert mailed to the admins

Revision ID: 0006_core_job_runs
Revises: 0005_core_demo_loads
Create Date: 2026-11-29 17:50:00
"""
from alembic import op
import sqlalchemy as sa
import core.api


revision = '0006_core_job_runs'
down_revision = '0005_core_demo_loads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('started_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_runs_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_runs_started_at'), ['started_at'], unique=False)
    op.create_table('job_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('job_key', sa.String(length=120), nullable=False),
    sa.Column('failed_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_alerts')),
    sa.UniqueConstraint('kind', 'job_key', 'failed_at', name=op.f('uq_job_alerts_kind'))
    )


def downgrade() -> None:
    op.drop_table('job_alerts')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_started_at'))
        batch_op.drop_index(batch_op.f('ix_job_runs_state'))
        batch_op.drop_index(batch_op.f('ix_job_runs_name'))
    op.drop_table('job_runs')
