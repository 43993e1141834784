"""Core tables of background work: each periodic job run, and each failed-job alert sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

#: States of a periodic job run: "retrying" = this attempt failed, Celery tries again.
RUN_STATES = ("running", "done", "retrying", "failed", "retried")


class JobRun(db.Model):
    """One run (one attempt) of a periodic job, written by ``workers.run_periodic_job``."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)  # "<slug>.<job name>"
    state: Mapped[str] = mapped_column(String(20), default="running", index=True)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    summary: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class JobAlert(db.Model):
    """The admins were mailed about this failure: one row per (kind, key, failure), never twice."""

    __tablename__ = "job_alerts"
    __table_args__ = (UniqueConstraint("kind", "job_key", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    job_key: Mapped[str] = mapped_column(String(120))
    #: When the job failed for good (the row's ``updated_at``): a retried job that fails again alerts again.
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WorkerHeartbeat(db.Model):
    """One Celery worker (by node name) and when it last said it was alive (core.background.heartbeat).

    Written every ``HEARTBEAT_EVERY_SECONDS`` by a thread of the worker's main process, never
    through the ORM session: no page shows it directly, so it is exempt from the data version.
    """

    __tablename__ = "worker_heartbeats"
    data_version_exempt = True

    id: Mapped[int] = mapped_column(primary_key=True)
    node: Mapped[str] = mapped_column(String(200), unique=True)  # "celery@host"
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a clean shutdown; NULL while running
