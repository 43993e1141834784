from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow


class OutboxEmail(db.Model):
    """Mail kept instead of sent when no SMTP server is configured."""

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MailSend(db.Model):
    """One mail sent for a purpose that has abuse limits (see ``core.email.limits``)."""

    __tablename__ = "mail_sends"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    cluster_id: Mapped[int | None] = mapped_column(index=True)  # no foreign key: counts outlive a deleted cluster
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
