"""Bank v2 statistics: who is cluster-office staff, which organisation a
respondent answers for, one response per organisation, and the fact sheet.

Revision ID: 0003_innovativeness_v2
Revises: 0002_innovativeness
Create Date: 2026-11-29 13:30:00
"""
from alembic import op
import sqlalchemy as sa
import core.api

revision = "0003_innovativeness_v2"
down_revision = "0002_innovativeness"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("innovativeness_participants") as batch:
        batch.add_column(sa.Column("organisation_key", sa.String(length=32), server_default="", nullable=False))
        batch.add_column(sa.Column("cluster_office", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("innovativeness_rounds") as batch:
        batch.add_column(sa.Column("one_per_organisation", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "innovativeness_fact_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("updated_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_innovativeness_fact_sheets_cluster_id_clusters"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_id"], ["innovativeness_rounds.id"], name=op.f("fk_innovativeness_fact_sheets_round_id_innovativeness_rounds"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_innovativeness_fact_sheets_updated_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovativeness_fact_sheets")),
        sa.UniqueConstraint("round_id", name=op.f("uq_innovativeness_fact_sheets_round_id")),
    )
    op.create_index(op.f("ix_innovativeness_fact_sheets_cluster_id"), "innovativeness_fact_sheets", ["cluster_id"], unique=False)


def downgrade() -> None:
    op.drop_table("innovativeness_fact_sheets")
    with op.batch_alter_table("innovativeness_rounds") as batch:
        batch.drop_column("one_per_organisation")
    with op.batch_alter_table("innovativeness_participants") as batch:
        batch.drop_column("cluster_office")
        batch.drop_column("organisation_key")
