"""Tables of the canvas tool, all prefixed ``canvas_`` and owned by a cluster.

Notes and canvases carry a ``version`` used as SQLAlchemy's version counter:
an UPDATE only succeeds when the row still has the version the editor saw, so
two people editing at once can never silently overwrite each other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import ClusterOwned, UTCDateTime, db, utcnow

STATUSES: dict[str, str] = {"open": "Open for contributions", "consolidation": "In consolidation", "agreed": "Agreed"}
NOTE_STATUSES: dict[str, str] = {"proposed": "Proposed", "accepted": "Accepted", "parked": "Parked", "merged": "Merged"}
VOTE_VALUES = ("agree", "disagree")
ROLE_VALUES: dict[str, str] = {"lead": "Leads", "contribute": "Contributes", "benefit": "Benefits"}

TEXT_MAX = 500
EXPLANATION_MAX = 4000
TITLE_MAX = 120


class Canvas(ClusterOwned, db.Model):
    __tablename__ = "canvas_canvases"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    framework_version: Mapped[str] = mapped_column(String(20))
    source_canvas_id: Mapped[int | None] = mapped_column(
        ForeignKey("canvas_canvases.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def is_agreed(self) -> bool:
        return self.status == "agreed"

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


class Note(ClusterOwned, db.Model):
    __tablename__ = "canvas_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    canvas_id: Mapped[int] = mapped_column(ForeignKey("canvas_canvases.id", ondelete="CASCADE"), index=True)
    element: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(TEXT_MAX))
    explanation: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The author's organisation type when writing; kept if their membership changes.
    author_org_type: Mapped[str] = mapped_column(String(30), default="other")
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("canvas_notes.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    canvas: Mapped[Canvas] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Vote(ClusterOwned, db.Model):
    __tablename__ = "canvas_votes"
    __table_args__ = (UniqueConstraint("note_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    canvas_id: Mapped[int] = mapped_column(ForeignKey("canvas_canvases.id", ondelete="CASCADE"), index=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("canvas_notes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    voter_org_type: Mapped[str] = mapped_column(String(30), default="other")
    value: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class RoleMark(ClusterOwned, db.Model):
    """One member's view of the role an actor type plays in one activity note."""

    __tablename__ = "canvas_role_marks"
    __table_args__ = (UniqueConstraint("activity_id", "actor_type", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    canvas_id: Mapped[int] = mapped_column(ForeignKey("canvas_canvases.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("canvas_notes.id", ondelete="CASCADE"), index=True)
    actor_type: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Event(ClusterOwned, db.Model):
    """Activity history: who changed what on a canvas, and when."""

    __tablename__ = "canvas_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    canvas_id: Mapped[int] = mapped_column(ForeignKey("canvas_canvases.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Hide the actor on an anonymous canvas (members' contributions only).
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    action: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Snapshot(ClusterOwned, db.Model):
    """The whole canvas as JSON, frozen when its status changed."""

    __tablename__ = "canvas_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    canvas_id: Mapped[int] = mapped_column(ForeignKey("canvas_canvases.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[str] = mapped_column(Text)
