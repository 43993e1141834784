"""Render and record email. One function, ``send_email``, for every sender.

A mail is a row (``core.email.models.OutboxEmail``) added to the caller's
transaction: it exists only if the change that caused it commits, and the
change never waits on SMTP. After the commit the ``workers.deliver_mail`` task
delivers it (``core.email.queue.deliver``), with retries and backoff. Without
``MAIL_SERVER`` (the embedded default) the row is kept, readable at /outbox.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from flask import current_app, render_template

from core.email.models import OutboxEmail
from core.extensions import db
from core.models import utcnow
from core.tasks import send_task_after_commit

log = logging.getLogger(__name__)
DELIVER_TASK = "workers.deliver_mail"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    media_type: str  # e.g. "text/calendar"


def send_email(
    to: str,
    subject: str,
    template: str,
    attachments: tuple[Attachment, ...] = (),
    **context: Any,
) -> None:
    """Render ``emails/<template>.txt`` and ``.html`` and record the mail in the current transaction.

    With ``MAIL_SERVER`` set it
    is ``queued`` and the delivery task is sent when the transaction commits (never
    if it rolls back); otherwise it is ``kept`` in the outbox. Raises what rendering
    raises (``jinja2.TemplateNotFound``, ``UndefinedError``) before anything is recorded.
    """
    record_mail(to, *render_mail(subject, template, context), attachments)


def render_mail(subject: str, template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """``(subject, text, html)`` of ``emails/<template>``; the subject on one line."""
    # A line break in a subject (a cluster name saved before single-line fields
    # refused them) would be a header injection; SMTP libraries raise on it.
    subject = " ".join(subject.split())
    context = {"base_url": current_app.config["BASE_URL"].rstrip("/"), **context}
    text = render_template(f"emails/{template}.txt", subject=subject, **context)
    html = render_template(f"emails/{template}.html", subject=subject, **context)
    return subject, text, html


def record_mail(
    to: str, subject: str, text: str, html: str, attachments: tuple[Attachment, ...] = (), bulk_job_id: int | None = None
) -> OutboxEmail:
    """Add one rendered mail to the session and, with SMTP, send its delivery task after the commit."""
    smtp = bool(current_app.config["MAIL_SERVER"])
    mail = OutboxEmail(
        recipient=to,
        subject=subject,
        text_body=text,
        html_body=html,
        state="queued" if smtp else "kept",
        attempts=0,
        next_attempt_at=utcnow() if smtp else None,
        message_id=make_msgid(domain=_message_id_domain()),
        attachments=[
            {"filename": a.filename, "media_type": a.media_type, "content_b64": base64.b64encode(a.content).decode()}
            for a in attachments
        ]
        or None,
        bulk_job_id=bulk_job_id,
    )
    db.session.add(mail)
    db.session.flush()
    if smtp:
        send_task_after_commit(DELIVER_TASK, mail.id, after_request=True)
    else:
        log.info("mail kept in outbox: id=%s subject=%r", mail.id, subject)
    return mail


def _message_id_domain() -> str:
    """The sender's domain, so Message-IDs do not reveal the worker's host name."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else ""
    return domain or "designing-clusters.local"
