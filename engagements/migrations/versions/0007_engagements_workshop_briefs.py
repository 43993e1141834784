"""engagements: workshop briefs (versions, managers' comments, recorded outcomes)

Revision ID: 0007_engagements
Revises: 0006_engagements
Create Date: 2026-11-29 18:00:00
"""
from typing import Any

from alembic import op
import sqlalchemy as sa
import core.api


revision = '0007_engagements'
down_revision = '0006_engagements'
branch_labels = None
depends_on = None


def _owned(name: str) -> list[Any]:
    """The columns and keys every brief table shares (id, cluster, engagement)."""
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('cluster_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['engagement_id'], ['engagements_engagements.id'],
                                name=op.f(f'fk_{name}_engagement_id_engagements_engagements'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f(f'fk_{name}_cluster_id_clusters'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    ]


def _user(name: str, column: str) -> list[Any]:
    return [
        sa.Column(column, sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint([column], ['users.id'], name=op.f(f'fk_{name}_{column}_users'), ondelete='SET NULL'),
    ]


def _indexes(name: str) -> None:
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f(f'ix_{name}_cluster_id'), ['cluster_id'], unique=False)


def upgrade() -> None:
    name = 'engagements_brief_versions'
    op.create_table(name,
    *_owned(name),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('based_on', sa.Integer(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('change_summary', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    *_user(name, 'created_by_id'),
    sa.Column('created_by_label', sa.String(length=120), nullable=False),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.Column('shared_at', core.api.UTCDateTime(timezone=True), nullable=True),
    *_user(name, 'shared_by_id'),
    sa.Column('pdf_name', sa.String(length=255), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('pdf_size', sa.Integer(), nullable=True),
    sa.Column('pdf_pages', sa.Integer(), nullable=True),
    sa.Column('rendered_at', core.api.UTCDateTime(timezone=True), nullable=True),
    sa.UniqueConstraint('engagement_id', 'number', name=op.f(f'uq_{name}_engagement_id')),
    )
    _indexes(name)

    name = 'engagements_brief_comments'
    op.create_table(name,
    *_owned(name),
    sa.Column('version_number', sa.Integer(), nullable=False),
    *_user(name, 'author_id'),
    sa.Column('author_label', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', core.api.UTCDateTime(timezone=True), nullable=False),
    )
    _indexes(name)

    name = 'engagements_brief_outcomes'
    op.create_table(name,
    *_owned(name),
    sa.Column('agenda_key', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('about', sa.String(length=200), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    *_user(name, 'recorded_by_id'),
    sa.Column('recorded_by_label', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', core.api.UTCDateTime(timezone=True), nullable=False),
    sa.UniqueConstraint('engagement_id', 'agenda_key', name=op.f(f'uq_{name}_engagement_id')),
    )
    _indexes(name)


def downgrade() -> None:
    for name in ('engagements_brief_outcomes', 'engagements_brief_comments', 'engagements_brief_versions'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_cluster_id'))
            batch_op.drop_index(batch_op.f(f'ix_{name}_engagement_id'))
        op.drop_table(name)
