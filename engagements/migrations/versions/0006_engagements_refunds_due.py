"""engagements: refunds due by transfer, credit notes, void invoices, zone of a date, seller details, reverse charge

Revision ID: 0006_engagements
Revises: 0005_engagements
Create Date: 2026-11-29 14:00:00
"""
from alembic import op
import sqlalchemy as sa
import core.api


revision = '0006_engagements'
down_revision = '0005_engagements'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('engagements_refunds_due',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('amount_minor', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('transfer_reference', sa.String(length=120), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ledger_entry_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_refunds_due_engagement_id_engagements_engagements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_engagements_refunds_due_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_engagements_refunds_due_confirmed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ledger_entry_id'], ['engagements_ledger.id'], name=op.f('fk_engagements_refunds_due_ledger_entry_id_engagements_ledger'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_refunds_due')),
    sa.UniqueConstraint('key', name=op.f('uq_engagements_refunds_due_key'))
    )
    with op.batch_alter_table('engagements_refunds_due', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_refunds_due_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_refunds_due_confirmed_at'), ['confirmed_at'], unique=False)
    with op.batch_alter_table('engagements_ledger', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_note_number', sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_engagements_ledger_credit_note_number'), ['credit_note_number'])
    with op.batch_alter_table('engagements_engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_voided_at', core.api.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('scheduled_time_zone', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reverse_charge', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('engagements_engagements', schema=None) as batch_op:
        batch_op.alter_column('scheduled_time_zone', server_default=None)
        batch_op.alter_column('reverse_charge', server_default=None)
    op.create_table('engagements_seller',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('vat_id', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('iban', sa.String(length=40), nullable=False),
    sa.Column('bic', sa.String(length=20), nullable=False),
    sa.Column('payment_terms_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_engagements_seller_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_seller'))
    )


def downgrade() -> None:
    op.drop_table('engagements_seller')
    with op.batch_alter_table('engagements_engagements', schema=None) as batch_op:
        batch_op.drop_column('reverse_charge')
        batch_op.drop_column('scheduled_time_zone')
        batch_op.drop_column('invoice_voided_at')
    with op.batch_alter_table('engagements_ledger', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_engagements_ledger_credit_note_number'), type_='unique')
        batch_op.drop_column('credit_note_number')
    with op.batch_alter_table('engagements_refunds_due', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_refunds_due_confirmed_at'))
        batch_op.drop_index(batch_op.f('ix_engagements_refunds_due_engagement_id'))
    op.drop_table('engagements_refunds_due')
