"""engagements: a service kind (workshop, session, report) replaces the is_workshop flag

Existing rows: a workshop stays a workshop; a service without a date becomes a report,
since the only dateless service sold so far is the written deep dive.

Revision ID: 0003_engagements
Revises: 0002_engagements
Create Date: 2026-11-29 13:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_engagements'
down_revision = '0002_engagements'
branch_labels = None
depends_on = None

TABLES = ('engagements_services', 'engagements_engagements')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='workshop'))
        op.execute(sa.text(f"UPDATE {table} SET kind = CASE WHEN is_workshop THEN 'workshop' ELSE 'report' END"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('kind', server_default=None)
            batch_op.drop_column('is_workshop')


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('is_workshop', sa.Boolean(), nullable=False, server_default=sa.false()))
        op.execute(sa.text(f"UPDATE {table} SET is_workshop = (kind <> 'report')"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('is_workshop', server_default=None)
            batch_op.drop_column('kind')
