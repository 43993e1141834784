"""Canvas tables: canvases, notes, votes, role marks, events, snapshots.

Revision ID: 0001_canvas
Revises:
Create Date: 2026-11-26 18:25:00
"""
from alembic import op
import sqlalchemy as sa
import core.api

revision = "0001_canvas"
down_revision = None
branch_labels = ("canvas",)
depends_on = "0001_core"


def _owned(table: str) -> list:
    """The cluster column, its foreign key and the primary key every table shares."""
    return [
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f(f"fk_{table}_cluster_id_clusters"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete)


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "canvas_canvases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("framework_version", sa.String(length=20), nullable=False),
        sa.Column("source_canvas_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("updated_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("canvas_canvases", "source_canvas_id", "canvas_canvases", "SET NULL"),
        _fk("canvas_canvases", "created_by_id", "users", "SET NULL"),
        *_owned("canvas_canvases"),
    )
    _index("canvas_canvases", "cluster_id", "source_canvas_id", "created_by_id")

    op.create_table(
        "canvas_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canvas_id", sa.Integer(), nullable=False),
        sa.Column("element", sa.String(length=40), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_org_type", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("updated_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("canvas_notes", "canvas_id", "canvas_canvases", "CASCADE"),
        _fk("canvas_notes", "author_id", "users", "SET NULL"),
        _fk("canvas_notes", "merged_into_id", "canvas_notes", "SET NULL"),
        *_owned("canvas_notes"),
    )
    _index("canvas_notes", "cluster_id", "canvas_id", "author_id", "merged_into_id")

    op.create_table(
        "canvas_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canvas_id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("voter_org_type", sa.String(length=30), nullable=False),
        sa.Column("value", sa.String(length=10), nullable=False),
        sa.Column("created_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("updated_at", core.api.UTCDateTime(), nullable=False),
        _fk("canvas_votes", "canvas_id", "canvas_canvases", "CASCADE"),
        _fk("canvas_votes", "note_id", "canvas_notes", "CASCADE"),
        _fk("canvas_votes", "user_id", "users", "CASCADE"),
        sa.UniqueConstraint("note_id", "user_id", name=op.f("uq_canvas_votes_note_id")),
        *_owned("canvas_votes"),
    )
    _index("canvas_votes", "cluster_id", "canvas_id", "note_id", "user_id")

    op.create_table(
        "canvas_role_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canvas_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("actor_type", sa.String(length=30), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("updated_at", core.api.UTCDateTime(), nullable=False),
        _fk("canvas_role_marks", "canvas_id", "canvas_canvases", "CASCADE"),
        _fk("canvas_role_marks", "activity_id", "canvas_notes", "CASCADE"),
        _fk("canvas_role_marks", "user_id", "users", "CASCADE"),
        sa.UniqueConstraint("activity_id", "actor_type", "user_id", name=op.f("uq_canvas_role_marks_activity_id")),
        *_owned("canvas_role_marks"),
    )
    _index("canvas_role_marks", "cluster_id", "canvas_id", "activity_id", "user_id")

    op.create_table(
        "canvas_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canvas_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("created_at", core.api.UTCDateTime(), nullable=False),
        _fk("canvas_events", "canvas_id", "canvas_canvases", "CASCADE"),
        _fk("canvas_events", "actor_id", "users", "SET NULL"),
        *_owned("canvas_events"),
    )
    _index("canvas_events", "cluster_id", "canvas_id", "actor_id", "created_at")

    op.create_table(
        "canvas_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canvas_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", core.api.UTCDateTime(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        _fk("canvas_snapshots", "canvas_id", "canvas_canvases", "CASCADE"),
        _fk("canvas_snapshots", "created_by_id", "users", "SET NULL"),
        *_owned("canvas_snapshots"),
    )
    _index("canvas_snapshots", "cluster_id", "canvas_id", "created_by_id")


def downgrade() -> None:
    for table in ("canvas_snapshots", "canvas_events", "canvas_role_marks", "canvas_votes", "canvas_notes", "canvas_canvases"):
        op.drop_table(table)
