"""Deliver recorded mail by SMTP: once, with retries and exponential backoff.

``deliver(mail_id)`` is what the ``workers.deliver_mail`` task runs. It first
claims the row with a compare-and-set (``queued``/``retrying`` and due →
``sending``), so two workers, a retry and the sweep never send one mail twice.
A failed attempt waits ``MAIL_RETRY_BASE_SECONDS * 2**(attempts-1)`` seconds
(capped at ``MAIL_RETRY_MAX_SECONDS``; the usual exponential backoff of SMTP
clients, RFC 5321 §4.5.4.1) and after ``MAIL_MAX_ATTEMPTS`` the mail is
``failed`` with the SMTP error, for an admin to retry.

``sweep()`` (periodic) re-sends the task of mail whose task was lost (broker
down at commit time, worker killed mid-send).
"""

from __future__ import annotations

import base64
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import func, or_, select, update

from core.email.models import MAIL_STATES, OutboxEmail
from core.extensions import db
from core.models import utcnow
from core.tasks import send_now, send_task_after_commit

log = logging.getLogger(__name__)
DELIVER_TASK = "workers.deliver_mail"
#: A ``sending`` claim older than this is a worker that died mid-send (SMTP timeouts are 10 s).
CLAIM_LEASE = timedelta(minutes=5)
#: A queued mail whose task should have run by now: the task was lost.
LOST_AFTER = timedelta(minutes=1)
ERROR_CHARS = 1000


class RetryLater(Exception):
    """The attempt failed and the mail waits; ``countdown`` is the wait in seconds."""

    def __init__(self, message: str, countdown: float) -> None:
        super().__init__(message)
        self.countdown = countdown


def backoff_seconds(attempts: int) -> float:
    """Wait before attempt ``attempts + 1``: base × 2^(attempts−1), capped (seconds)."""
    cfg = current_app.config
    return float(min(cfg["MAIL_RETRY_MAX_SECONDS"], cfg["MAIL_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0)))


def claim(mail_id: int) -> bool:
    """Compare-and-set a due ``queued``/``retrying`` mail to ``sending``; False when another has it."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == mail_id,
            OutboxEmail.state.in_(("queued", "retrying")),
            or_(OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now),
        )
        .values(state="sending", claimed_at=now, attempts=OutboxEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]  # a DML result has a row count
    db.session.commit()
    return claimed == 1


def deliver(mail_id: int) -> str:
    """Send one mail by SMTP if it is due and nobody else is sending it.

    Returns a summary. Raises ``RetryLater`` after a failed attempt that will be
    retried (the task re-sends itself with the countdown); a last failed attempt
    marks the mail ``failed`` and returns.
    """
    if not claim(mail_id):
        return f"mail {mail_id}: not due or taken"
    mail = db.session.get(OutboxEmail, mail_id)
    if mail is None:  # claimed a moment ago; mail rows are never deleted
        raise RuntimeError(f"mail {mail_id} vanished")
    if not current_app.config.get("MAIL_SERVER"):  # SMTP removed since it was queued: the outbox keeps it
        mail.state, mail.claimed_at, mail.next_attempt_at = "kept", None, None
        db.session.commit()
        return f"mail {mail_id}: kept in the outbox (no MAIL_SERVER)"
    try:
        _send_smtp(mail)
    except (OSError, smtplib.SMTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
        mail.last_error = error
        mail.claimed_at = None
        if mail.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            mail.state = "failed"
            mail.next_attempt_at = None
            db.session.commit()
            log.warning("mail %s failed for good after %s attempts: %s", mail_id, mail.attempts, error)
            return f"mail {mail_id}: failed"
        wait = backoff_seconds(mail.attempts)
        mail.state = "retrying"
        mail.next_attempt_at = utcnow() + timedelta(seconds=wait)
        db.session.commit()
        raise RetryLater(f"mail {mail_id}: attempt {mail.attempts} failed ({error})", wait) from exc
    mail.state = "sent"
    mail.sent_at = utcnow()
    mail.claimed_at = None
    mail.next_attempt_at = None
    db.session.commit()
    return f"mail {mail_id}: sent"


def build_message(mail: OutboxEmail) -> EmailMessage:
    """The MIME message of a recorded mail: text and HTML alternatives, then its attachments."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    if mail.message_id:
        message["Message-ID"] = mail.message_id
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    for item in mail.attachments or ():
        maintype, subtype = item["media_type"].split("/", 1)
        message.add_attachment(
            base64.b64decode(item["content_b64"]), maintype=maintype, subtype=subtype, filename=item["filename"]
        )
    return message


def _send_smtp(mail: OutboxEmail) -> None:
    cfg = current_app.config
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_SMTP_TIMEOUT_SECONDS"]) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(build_message(mail))


def sweep(now: datetime | None = None) -> list[int]:
    """Re-send delivery tasks that were lost; returns the mail ids re-sent.

    Stale ``sending`` claims (older than ``CLAIM_LEASE``) go back to ``retrying``;
    ``queued`` mail older than ``LOST_AFTER`` and ``retrying`` mail overdue by as
    much get their task again (the claim makes a duplicate task harmless).
    """
    if not current_app.config["MAIL_SERVER"]:
        return []
    now = now or utcnow()
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.state == "sending", OutboxEmail.claimed_at < now - CLAIM_LEASE)
        .values(state="retrying", claimed_at=None, next_attempt_at=now, last_error="worker stopped while sending")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    lost = list(
        db.session.execute(
            select(OutboxEmail.id).where(
                OutboxEmail.state.in_(("queued", "retrying")),
                or_(OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now - LOST_AFTER),
            ).order_by(OutboxEmail.id).limit(1000)
        ).scalars()
    )
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for mail_id in lost:
        send_now(app, DELIVER_TASK, mail_id)
    return lost


def retry(mail: OutboxEmail) -> bool:
    """Queue a ``failed`` mail again with fresh attempts (an admin's Retry); False when not failed.

    Commits; the delivery task is sent after the commit.
    """
    if mail.state != "failed":
        return False
    mail.state = "queued"
    mail.attempts = 0
    mail.next_attempt_at = utcnow()
    send_task_after_commit(DELIVER_TASK, mail.id, after_request=True)
    db.session.commit()
    return True


def mail_job_summary() -> dict[str, int]:
    """How many mails are in each state (every state of ``MAIL_STATES`` present, 0 when none)."""
    rows = db.session.execute(select(OutboxEmail.state, func.count(OutboxEmail.id)).group_by(OutboxEmail.state)).all()
    counts: dict[str, int] = {state: int(count) for state, count in rows}
    return {state: counts.get(state, 0) for state in MAIL_STATES}


@dataclass(frozen=True)
class FailedMail:
    id: int
    recipient: str
    subject: str
    attempts: int
    last_error: str
    created_at: datetime


def failed_mail(limit: int = 50) -> list[FailedMail]:
    """The most recent ``failed`` mails, newest first, at most ``limit``."""
    rows = db.session.execute(
        select(OutboxEmail).where(OutboxEmail.state == "failed").order_by(OutboxEmail.id.desc()).limit(limit)
    ).scalars()
    return [FailedMail(m.id, m.recipient, m.subject, m.attempts, m.last_error or "", m.created_at) for m in rows]


def failed_count() -> int:
    return int(db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.state == "failed")) or 0)
