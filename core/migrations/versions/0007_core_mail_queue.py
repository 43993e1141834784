"""mail queue: the outbox table records every mail with its delivery state; bulk mail jobs

Revision ID: 0007_core_mail_queue
Revises: 0006_core_job_runs
Create Date: 2026-11-29 17:45:00
"""
from alembic import op
import sqlalchemy as sa
import core.api


revision = '0007_core_mail_queue'
down_revision = '0006_core_job_runs'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows from before were kept in the outbox (or already handed to SMTP): "kept" fits both.
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=12), server_default='kept', nullable=False))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', core.api.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', core.api.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sent_at', core.api.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('bulk_job_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_emails_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_emails_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_emails_bulk_job_id'), ['bulk_job_id'], unique=False)
    op.create_table('mail_bulk_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('template', sa.String(length=120), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_bulk_jobs'))
    )
    with op.batch_alter_table('mail_bulk_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_bulk_jobs_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_bulk_jobs_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_bulk_jobs_key'), ['key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mail_bulk_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_bulk_jobs_key'))
        batch_op.drop_index(batch_op.f('ix_mail_bulk_jobs_state'))
        batch_op.drop_index(batch_op.f('ix_mail_bulk_jobs_cluster_id'))
    op.drop_table('mail_bulk_jobs')
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_emails_bulk_job_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_emails_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_emails_state'))
        for column in ('bulk_job_id', 'attachments', 'message_id', 'sent_at', 'claimed_at', 'next_attempt_at',
                       'last_error', 'attempts', 'state'):
            batch_op.drop_column(column)
