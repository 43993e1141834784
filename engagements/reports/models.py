"""Tables of the report feature: background jobs and immutable report versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.api import ClusterOwned, UTCDateTime, db, utcnow

#: Job states, in the order a job moves through them; "failed" may be retried (back to queued).
JOB_STATES = ("queued", "collecting", "rendering", "ready", "failed")
JOB_STATE_LABELS = {
    "queued": "Queued",
    "collecting": "Collecting the tools' results",
    "rendering": "Rendering the PDF",
    "ready": "Ready",
    "failed": "Failed",
}


class ReportJob(ClusterOwned, db.Model):
    """One piece of background work on a report; the row, not the result backend, is the truth.

    ``kind`` is ``draft`` (collect every tool's contributions into a new version, then render
    it) or ``render`` (render the PDF of an existing version, e.g. after an edit).
    ``version_number`` is the version a draft job will create (reserved when the job is
    created), or the version a render job renders. Timings are UTC.
    """

    __tablename__ = "engagements_report_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="draft")
    version_number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Shown to staff only (consultants, admins); clusters see "failed" and that staff are on it.
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_by_label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ReportVersion(ClusterOwned, db.Model):
    """One immutable version of an engagement's report.

    ``content`` is the JSON of ``engagements.reports.content.ReportContent`` and is never
    changed after insert; an edit is a new version whose ``based_on`` names the one edited.
    The PDF fields are filled once by the render job (the file is derived from ``content``).
    ``as_of`` records which data each tool used (JSON: slug -> description), so a draft can
    be reproduced. ``(engagement_id, number)`` is unique: a job sent twice cannot make two.
    """

    __tablename__ = "engagements_report_versions"
    __table_args__ = (UniqueConstraint("engagement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    based_on: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    as_of: Mapped[str] = mapped_column(Text, default="{}")
    #: What changed compared with ``based_on`` ("Drafted by the report worker", "Edited: ...").
    change_summary: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: True when an earlier version had been delivered before this one ("revised").
    is_revision: Mapped[bool] = mapped_column(default=False)
    pdf_name: Mapped[str | None] = mapped_column(String(255))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_size: Mapped[int | None] = mapped_column(Integer)
    pdf_pages: Mapped[int | None] = mapped_column(Integer)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReportSharing(db.Model):
    """Whether the cluster's plain members may read the delivered report (managers always may)."""

    __tablename__ = "engagements_report_sharing"

    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), primary_key=True
    )
    members_can_read: Mapped[bool] = mapped_column(default=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
