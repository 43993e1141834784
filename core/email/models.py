from __future__ import annotations

from datetime import datetime

from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow


#: States of one mail (see ``core.email.queue``). ``kept``: no SMTP server configured, readable
#: at /outbox and never sent. ``queued`` → ``sending`` → ``sent``; a failed attempt goes to
#: ``retrying`` (waits until ``next_attempt_at``) and, after the last attempt, to ``failed``.
MAIL_STATES = ("queued", "sending", "retrying", "sent", "failed", "kept")


class OutboxEmail(db.Model):
    """One rendered mail: the mail queue, and the outbox when no SMTP server is configured.

    Recorded in the transaction of the change that causes it, delivered by the
    ``workers.deliver_mail`` task after the commit.
    """

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="kept", server_default="kept", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    #: UTC; a queued or retrying mail is not attempted before it.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: UTC; when a worker claimed it (state ``sending``): a claim older than the lease is stale.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Fixed when recorded, so a re-sent mail carries the same Message-ID.
    message_id: Mapped[str | None] = mapped_column(String(255))
    #: ``[{"filename", "media_type", "content_b64"}]``: retries send the same bytes.
    attachments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    bulk_job_id: Mapped[int | None] = mapped_column(index=True)  # no foreign key: mail outlives its job


#: The mail queue is the outbox table grown up; the name says what it is now.
QueuedMail = OutboxEmail

#: ``queued`` → ``running`` → ``done`` (or ``failed`` with the error).
BULK_STATES = ("queued", "running", "done", "failed")


class BulkMailJob(db.Model):
    """Many mails of one template, rendered and queued by a worker in batches.

    ``items``: ``[{"to": address, "context": {...}}]``, contexts JSON-safe (see
    ``core.email.bulk.dumps_context``). ``done`` of ``total`` are queued.
    """

    __tablename__ = "mail_bulk_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int | None] = mapped_column(index=True)  # no foreign key: history outlives a cluster
    label: Mapped[str] = mapped_column(String(80))  # plural noun for progress: "invitations"
    #: What the job is about, for pages that show its progress: "innovativeness.round.12".
    key: Mapped[str] = mapped_column(String(120), default="", index=True)
    subject: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(120))
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: UTC; last progress, so the sweep can tell a job whose worker died from one still running.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_terminal(self) -> bool:
        return self.state in ("done", "failed")


class MailSend(db.Model):
    """One mail sent for a purpose that has abuse limits (see ``core.email.limits``)."""

    __tablename__ = "mail_sends"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    cluster_id: Mapped[int | None] = mapped_column(index=True)  # no foreign key: counts outlive a deleted cluster
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
