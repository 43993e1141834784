"""core: each cluster has an IANA time zone, filled in from its country

Revision ID: 0003_core_time_zone
Revises: 0002_core
Create Date: 2026-11-29 14:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_core_time_zone'
down_revision = '0002_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from core.clusters.time_zones import default_zone

    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=False, server_default='UTC'))
    bind = op.get_bind()
    clusters = sa.table('clusters', sa.column('id', sa.Integer()), sa.column('country', sa.String()), sa.column('time_zone', sa.String()))
    for cluster_id, country in bind.execute(sa.select(clusters.c.id, clusters.c.country)).all():
        bind.execute(clusters.update().where(clusters.c.id == cluster_id).values(time_zone=default_zone(country)))
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.alter_column('time_zone', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
