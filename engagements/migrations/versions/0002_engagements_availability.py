"""engagements: consultants' availability slots

Revision ID: 0002_engagements
Revises: 0001_engagements
Create Date: 2026-11-26 18:57:00
"""
from alembic import op
import sqlalchemy as sa
import core.api


revision = '0002_engagements'
down_revision = '0001_engagements'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('engagements_availability',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['users.id'], name=op.f('fk_engagements_availability_consultant_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'], name=op.f('fk_engagements_availability_engagement_id_engagements_engagements'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements_availability'))
    )
    with op.batch_alter_table('engagements_availability', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_availability_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_availability_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_availability_starts_at'), ['starts_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('engagements_availability', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_availability_starts_at'))
        batch_op.drop_index(batch_op.f('ix_engagements_availability_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_engagements_availability_consultant_id'))

    op.drop_table('engagements_availability')
