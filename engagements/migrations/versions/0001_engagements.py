"""engagements tables: catalogue, engagements, transitions, ledger, counters, webhook events, messages

Revision ID: 0001_engagements
Revises:
Create Date: 2026-11-26 18:21:00
"""
from alembic import op
import sqlalchemy as sa
import core.api


revision = '0001_engagements'
down_revision = None
branch_labels = ('engagements',)
depends_on = '0001_core'


def upgrade() -> None:
    op.create_table('engagements_counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_counters')),
    sa.UniqueConstraint('kind', 'year', name=op.f('uq_engagements_counters_kind'))
    )
    op.create_table('engagements_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('deliverables', sa.Text(), nullable=False),
    sa.Column('duration', sa.String(length=80), nullable=False),
    sa.Column('is_workshop', sa.Boolean(), nullable=False),
    sa.Column('price_minor', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('vat_rate_bp', sa.Integer(), nullable=False),
    sa.Column('cancellation_policy', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('retired_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_services')),
    sa.UniqueConstraint('slug', name=op.f('uq_engagements_services_slug'))
    )
    op.create_table('engagements_engagements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('payment_method', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('is_workshop', sa.Boolean(), nullable=False),
    sa.Column('net_minor', sa.Integer(), nullable=False),
    sa.Column('vat_minor', sa.Integer(), nullable=False),
    sa.Column('total_minor', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('vat_rate_bp', sa.Integer(), nullable=False),
    sa.Column('cancellation_policy', sa.String(length=120), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('preferred_dates', sa.Text(), nullable=False),
    sa.Column('buyer_name', sa.String(length=200), nullable=False),
    sa.Column('buyer_address', sa.Text(), nullable=False),
    sa.Column('buyer_vat_id', sa.String(length=40), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('scheduled_for', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('scheduled_minutes', sa.Integer(), nullable=False),
    sa.Column('scheduled_location', sa.String(length=300), nullable=False),
    sa.Column('schedule_sequence', sa.Integer(), nullable=False),
    sa.Column('checkout_session_id', sa.String(length=255), nullable=True),
    sa.Column('checkout_url', sa.Text(), nullable=False),
    sa.Column('checkout_attempts', sa.Integer(), nullable=False),
    sa.Column('payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('invoice_number', sa.String(length=40), nullable=True),
    sa.Column('invoice_issued_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disputed_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_engagements_engagements_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultant_id'], ['users.id'], name=op.f('fk_engagements_engagements_consultant_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_engagements_engagements_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_id'], ['engagements_services.id'], name=op.f('fk_engagements_engagements_service_id_engagements_services'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_engagements')),
    sa.UniqueConstraint('checkout_session_id', name=op.f('uq_engagements_engagements_checkout_session_id')),
    sa.UniqueConstraint('invoice_number', name=op.f('uq_engagements_engagements_invoice_number'))
    )
    with op.batch_alter_table('engagements_engagements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_engagements_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_engagements_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_engagements_payment_intent_id'), ['payment_intent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_engagements_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_engagements_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_engagements_state'), ['state'], unique=False)

    op.create_table('engagements_ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('amount_minor', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('external_ref', sa.String(length=255), nullable=False),
    sa.Column('receipt_number', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_ledger_engagement_id_engagements_engagements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_engagements_ledger_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_ledger')),
    sa.UniqueConstraint('external_ref', name=op.f('uq_engagements_ledger_external_ref')),
    sa.UniqueConstraint('receipt_number', name=op.f('uq_engagements_ledger_receipt_number'))
    )
    with op.batch_alter_table('engagements_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_ledger_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_ledger_engagement_id'), ['engagement_id'], unique=False)

    op.create_table('engagements_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('from_consultant', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_engagements_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_messages_engagement_id_engagements_engagements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_messages'))
    )
    with op.batch_alter_table('engagements_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_messages_engagement_id'), ['engagement_id'], unique=False)

    op.create_table('engagements_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_engagements_transitions_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_transitions_engagement_id_engagements_engagements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_transitions'))
    )
    with op.batch_alter_table('engagements_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_transitions_engagement_id'), ['engagement_id'], unique=False)

    op.create_table('engagements_webhook_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stripe_event_id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('result', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=True),
    sa.Column('payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('received_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('processed_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_webhook_events_engagement_id_engagements_engagements'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_webhook_events')),
    sa.UniqueConstraint('stripe_event_id', name=op.f('uq_engagements_webhook_events_stripe_event_id'))
    )
    with op.batch_alter_table('engagements_webhook_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_webhook_events_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_webhook_events_payment_intent_id'), ['payment_intent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_webhook_events_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_webhook_events_result'), ['result'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_webhook_events_type'), ['type'], unique=False)

    op.create_table('engagements_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_attachments_engagement_id_engagements_engagements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['engagements_messages.id'], name=op.f('fk_engagements_attachments_message_id_engagements_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_engagements_attachments_stored_name'))
    )
    with op.batch_alter_table('engagements_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_attachments_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_attachments_message_id'), ['message_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('engagements_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_attachments_message_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_attachments_engagement_id'))

    op.drop_table('engagements_attachments')
    with op.batch_alter_table('engagements_webhook_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_webhook_events_type'))
        batch_op.drop_index(batch_op.f('ix_engagements_webhook_events_result'))
        batch_op.drop_index(batch_op.f('ix_engagements_webhook_events_received_at'))
        batch_op.drop_index(batch_op.f('ix_engagements_webhook_events_payment_intent_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_webhook_events_engagement_id'))

    op.drop_table('engagements_webhook_events')
    with op.batch_alter_table('engagements_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_transitions_engagement_id'))

    op.drop_table('engagements_transitions')
    with op.batch_alter_table('engagements_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_messages_engagement_id'))

    op.drop_table('engagements_messages')
    with op.batch_alter_table('engagements_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_ledger_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_ledger_created_at'))

    op.drop_table('engagements_ledger')
    with op.batch_alter_table('engagements_engagements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_engagements_state'))
        batch_op.drop_index(batch_op.f('ix_engagements_engagements_service_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_engagements_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_engagements_payment_intent_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_engagements_consultant_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_engagements_cluster_id'))

    op.drop_table('engagements_engagements')
    op.drop_table('engagements_services')
    op.drop_table('engagements_counters')
