"""Rounds remember when results were mailed and reminders last sent, so neither repeats.

Revision ID: 0004_innovativeness_mailing
Revises: 0003_innovativeness_v2
Create Date: 2026-11-29 13:40:00
"""
from alembic import op
import sqlalchemy as sa

from core.api import UTCDateTime

revision = "0004_innovativeness_mailing"
down_revision = "0003_innovativeness_v2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("innovativeness_rounds") as batch:
        batch.add_column(sa.Column("results_mailed_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("reminders_sent_at", UTCDateTime(), nullable=True))
    # Rounds published before this revision already told their members.
    op.execute("UPDATE innovativeness_rounds SET results_mailed_at = published_at WHERE published_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("innovativeness_rounds") as batch:
        batch.drop_column("reminders_sent_at")
        batch.drop_column("results_mailed_at")
