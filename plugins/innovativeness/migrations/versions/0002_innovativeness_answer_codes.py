"""Compact answer encoding per participant, read by round results.

Revision ID: 0002_innovativeness
Revises: 0001_innovativeness
Create Date: 2026-11-26 18:50:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_innovativeness"
down_revision = "0001_innovativeness"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("innovativeness_participants") as batch:
        batch.add_column(sa.Column("answer_codes", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("innovativeness_participants") as batch:
        batch.drop_column("answer_codes")
