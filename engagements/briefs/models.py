"""Tables of the workshop brief: immutable versions, managers' comments, recorded outcomes.

Background work on a brief runs as a ``ReportJob`` of kind ``brief`` (same claim, retry,
lease and reaper as reports; see ``engagements.reports.jobs``), so it has no table here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.api import ClusterOwned, UTCDateTime, db, utcnow

#: A version is a draft (the consultant's) until shared with the cluster's managers.
VERSION_STATES = ("draft", "shared")


class BriefVersion(ClusterOwned, db.Model):
    """One immutable version of a workshop's brief.

    ``content`` is the JSON of ``engagements.briefs.draft.BriefDraft`` (see
    ``engagements.briefs.content``) and is never changed after insert: an edit is a new
    version whose ``based_on`` names the one edited. Only ``state`` (draft → shared), the
    sharing fields and the PDF fields (filled once, the file derives from ``content``)
    change. ``(engagement_id, number)`` is unique: a job sent twice cannot make two.
    """

    __tablename__ = "engagements_brief_versions"
    __table_args__ = (UniqueConstraint("engagement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    based_on: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    change_summary: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pdf_name: Mapped[str | None] = mapped_column(String(255))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_size: Mapped[int | None] = mapped_column(Integer)
    pdf_pages: Mapped[int | None] = mapped_column(Integer)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BriefComment(ClusterOwned, db.Model):
    """A manager's comment on a shared version (plain text, at most ``COMMENT_MAX`` characters)."""

    __tablename__ = "engagements_brief_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BriefOutcome(ClusterOwned, db.Model):
    """What the workshop decided on one agenda item; one row per (engagement, agenda item).

    ``topic``, ``source`` (tool slug) and ``about`` are copied from the agenda item when
    recorded, so later edits of the brief do not change what was decided. ``due`` is a
    calendar date in the cluster's time zone. Recording again overwrites (who/when updated).
    """

    __tablename__ = "engagements_brief_outcomes"
    __table_args__ = (UniqueConstraint("engagement_id", "agenda_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    agenda_key: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(60), default="")
    about: Mapped[str] = mapped_column(String(200), default="")
    decision: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    due: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_by_label: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
