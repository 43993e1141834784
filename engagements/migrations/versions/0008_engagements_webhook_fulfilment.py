"""engagements: Stripe events fulfilled by the worker (failed attempts, when to send again)

Revision ID: 0008_engagements
Revises: 0007_engagements
Create Date: 2026-11-29 17:50:00
"""
from alembic import op
import sqlalchemy as sa
import core.api


revision = '0008_engagements'
down_revision = '0007_engagements'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('engagements_webhook_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('next_attempt_at', core.api.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_engagements_webhook_events_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('engagements_webhook_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_webhook_events_next_attempt_at'))
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
