"""core security: session idle tracking, mail sends counted for abuse limits

Revision ID: 0004_core_security
Revises: 0003_core_time_zone
"""
from alembic import op
import sqlalchemy as sa
import core.models


revision = '0004_core_security'
down_revision = '0003_core_time_zone'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', core.models.UTCDateTime(timezone=True), nullable=True))
    op.create_table('mail_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', core.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_sends'))
    )
    with op.batch_alter_table('mail_sends', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_sends_recipient'), ['recipient'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_sends_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_sends_sent_at'), ['sent_at'], unique=False)


def downgrade() -> None:
    op.drop_table('mail_sends')
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
