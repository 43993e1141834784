"""Innovativeness self-assessment: rounds, participants, quick tests, saved results, benchmark shares.

Revision ID: 0001_innovativeness
Revises:
Create Date: 2026-11-26 18:20:00
"""
from alembic import op
import sqlalchemy as sa
import core.api

revision = "0001_innovativeness"
down_revision = None
branch_labels = ("innovativeness",)
depends_on = "0001_core"


def upgrade() -> None:
    op.create_table(
        "innovativeness_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("bank_version", sa.String(length=20), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("closes_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("closed_at", core.api.UTCDateTime(), nullable=True),
        sa.Column("published_at", core.api.UTCDateTime(), nullable=True),
        sa.Column("answers_version", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_innovativeness_rounds_cluster_id_clusters"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_innovativeness_rounds_created_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovativeness_rounds")),
    )
    op.create_index(op.f("ix_innovativeness_rounds_cluster_id"), "innovativeness_rounds", ["cluster_id"], unique=False)

    op.create_table(
        "innovativeness_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("organisation_type", sa.String(length=30), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("invited_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("reminded_at", core.api.UTCDateTime(), nullable=True),
        sa.Column("started_at", core.api.UTCDateTime(), nullable=True),
        sa.Column("submitted_at", core.api.UTCDateTime(), nullable=True),
        sa.Column("shuffle_key", sa.String(length=16), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_innovativeness_participants_cluster_id_clusters"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["membership_id"], ["memberships.id"], name=op.f("fk_innovativeness_participants_membership_id_memberships"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["round_id"], ["innovativeness_rounds.id"], name=op.f("fk_innovativeness_participants_round_id_innovativeness_rounds"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovativeness_participants")),
        sa.UniqueConstraint("round_id", "membership_id", name=op.f("uq_innovativeness_participants_round_id")),
    )
    op.create_index(op.f("ix_innovativeness_participants_cluster_id"), "innovativeness_participants", ["cluster_id"], unique=False)
    op.create_index(op.f("ix_innovativeness_participants_membership_id"), "innovativeness_participants", ["membership_id"], unique=False)
    op.create_index(op.f("ix_innovativeness_participants_round_id"), "innovativeness_participants", ["round_id"], unique=False)

    op.create_table(
        "innovativeness_quick_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("bank_version", sa.String(length=20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("completed_at", core.api.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovativeness_quick_tests")),
        sa.UniqueConstraint("token", name=op.f("uq_innovativeness_quick_tests_token")),
    )
    op.create_index(op.f("ix_innovativeness_quick_tests_created_at"), "innovativeness_quick_tests", ["created_at"], unique=False)

    op.create_table(
        "innovativeness_saved_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("bank_version", sa.String(length=20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("taken_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("saved_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_innovativeness_saved_results_cluster_id_clusters"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_innovativeness_saved_results_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovativeness_saved_results")),
    )
    op.create_index(op.f("ix_innovativeness_saved_results_cluster_id"), "innovativeness_saved_results", ["cluster_id"], unique=False)
    op.create_index(op.f("ix_innovativeness_saved_results_user_id"), "innovativeness_saved_results", ["user_id"], unique=False)

    op.create_table(
        "innovativeness_benchmark_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opted_in_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("opted_in_by_id", sa.Integer(), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_innovativeness_benchmark_shares_cluster_id_clusters"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opted_in_by_id"], ["users.id"], name=op.f("fk_innovativeness_benchmark_shares_opted_in_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovativeness_benchmark_shares")),
        sa.UniqueConstraint("cluster_id", name=op.f("uq_innovativeness_benchmark_shares_cluster_id")),
    )
    op.create_index(op.f("ix_innovativeness_benchmark_shares_cluster_id"), "innovativeness_benchmark_shares", ["cluster_id"], unique=False)


def downgrade() -> None:
    op.drop_table("innovativeness_benchmark_shares")
    op.drop_table("innovativeness_saved_results")
    op.drop_table("innovativeness_quick_tests")
    op.drop_table("innovativeness_participants")
    op.drop_table("innovativeness_rounds")
