"""Abuse limits on mail the platform sends on a visitor's or member's request.

Without them one form could mail any address without end (30 invitations in
half a second, 21 mails to one address). Each limited send is a ``MailSend``
row, counted over a moving window; the worker's ``core.expire_sessions`` job
deletes rows older than the longest window.

Limits (per purpose): how many mails one recipient gets per window, and how
many one cluster sends per window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from core.email.models import MailSend
from core.extensions import db
from core.models import utcnow


@dataclass(frozen=True)
class MailLimit:
    per_recipient: int
    recipient_window: timedelta
    per_cluster: int | None = None
    cluster_window: timedelta = timedelta(hours=1)


LIMITS: dict[str, MailLimit] = {
    # A manager inviting a whole membership list still fits; a script does not.
    "invitation": MailLimit(per_recipient=3, recipient_window=timedelta(days=1), per_cluster=100),
    "signup": MailLimit(per_recipient=3, recipient_window=timedelta(days=1)),
    "proposal": MailLimit(per_recipient=3, recipient_window=timedelta(days=1)),
}
KEEP_FOR = timedelta(days=2)  # longer than every window above


class MailLimitReached(ValueError):
    """A limited mail was refused; the message says which limit and how long to wait."""


def check_and_record(purpose: str, recipient: str, cluster_id: int | None = None) -> None:
    """Record one send of ``purpose`` to ``recipient``, or raise ``MailLimitReached``.

    The row joins the caller's transaction, so a send that is rolled back is not counted.
    """
    limit = LIMITS[purpose]
    recipient = recipient.strip().lower()
    now = utcnow()
    to_recipient = db.session.scalar(
        select(func.count(MailSend.id)).where(
            MailSend.purpose == purpose, MailSend.recipient == recipient, MailSend.sent_at > now - limit.recipient_window
        )
    ) or 0
    if to_recipient >= limit.per_recipient:
        raise MailLimitReached(
            f"{recipient} already received {limit.per_recipient} of these messages in the last "
            f"{_words(limit.recipient_window)}. Wait before sending another."
        )
    if cluster_id is not None and limit.per_cluster is not None:
        from_cluster = db.session.scalar(
            select(func.count(MailSend.id)).where(
                MailSend.purpose == purpose, MailSend.cluster_id == cluster_id, MailSend.sent_at > now - limit.cluster_window
            )
        ) or 0
        if from_cluster >= limit.per_cluster:
            raise MailLimitReached(
                f"This cluster sent {limit.per_cluster} of these messages in the last "
                f"{_words(limit.cluster_window)}, the most we allow. Wait a while before sending more."
            )
    db.session.add(MailSend(recipient=recipient, purpose=purpose, cluster_id=cluster_id, sent_at=now))


def check_and_record_many(purpose: str, recipients: list[str], cluster_id: int | None = None) -> None:
    """``check_and_record`` for a list at once, in three statements whatever its length.

    Raises ``MailLimitReached`` naming the first recipient over its limit, or when the
    list would take the cluster past its limit; then nothing is recorded.
    """
    limit = LIMITS[purpose]
    recipients = [r.strip().lower() for r in recipients]
    now = utcnow()
    rows = db.session.execute(
        select(MailSend.recipient, func.count(MailSend.id))
        .where(MailSend.purpose == purpose, MailSend.recipient.in_(set(recipients)),
               MailSend.sent_at > now - limit.recipient_window)
        .group_by(MailSend.recipient)
    ).all()
    received: dict[str, int] = {recipient: int(count) for recipient, count in rows}
    for recipient in recipients:
        received[recipient] = received.get(recipient, 0) + 1
        if received[recipient] > limit.per_recipient:
            raise MailLimitReached(
                f"{recipient} already received {limit.per_recipient} of these messages in the last "
                f"{_words(limit.recipient_window)}. Wait before sending another."
            )
    if cluster_id is not None and limit.per_cluster is not None:
        from_cluster = db.session.scalar(
            select(func.count(MailSend.id)).where(
                MailSend.purpose == purpose, MailSend.cluster_id == cluster_id, MailSend.sent_at > now - limit.cluster_window
            )
        ) or 0
        if from_cluster + len(recipients) > limit.per_cluster:
            left = max(limit.per_cluster - from_cluster, 0)
            raise MailLimitReached(
                f"This cluster may send {limit.per_cluster} of these messages per {_words(limit.cluster_window)}; "
                f"{left} are left now and the list has {len(recipients)}. Send fewer, or the rest later."
            )
    db.session.add_all(
        MailSend(recipient=r, purpose=purpose, cluster_id=cluster_id, sent_at=now) for r in recipients
    )


def delete_old_sends() -> int:
    """Delete rows no window looks at any more; returns how many."""
    result = db.session.execute(delete(MailSend).where(MailSend.sent_at < utcnow() - KEEP_FOR))
    db.session.commit()
    return result.rowcount or 0  # type: ignore[attr-defined]  # a DML result has a row count


def _words(window: timedelta) -> str:
    hours = int(window.total_seconds() // 3600)
    return "24 hours" if hours == 24 else f"{hours} hour{'s' if hours != 1 else ''}"
