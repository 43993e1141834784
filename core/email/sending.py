"""Render and deliver email. One function, ``send_email``, for every sender."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template

from core.email.models import OutboxEmail
from core.extensions import db

log = logging.getLogger(__name__)


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
    """Render ``emails/<template>.txt`` and ``.html`` and deliver them.

    With ``MAIL_SERVER`` set, mail goes out by SMTP; otherwise it is stored in
    the outbox (committed with the caller's transaction) and readable at /outbox.
    """
    # A line break in a subject (a cluster name saved before single-line fields
    # refused them) would be a header injection; SMTP libraries raise on it.
    subject = " ".join(subject.split())
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    text = render_template(f"emails/{template}.txt", subject=subject, **context)
    html = render_template(f"emails/{template}.html", subject=subject, **context)
    if current_app.config["MAIL_SERVER"]:
        _send_smtp(to, subject, text, html, attachments)
    else:
        db.session.add(OutboxEmail(recipient=to, subject=subject, text_body=text, html_body=html))
        log.info("mail kept in outbox: to=%s subject=%r", to, subject)


def _send_smtp(to: str, subject: str, text: str, html: str, attachments: tuple[Attachment, ...]) -> None:
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for item in attachments:
        maintype, subtype = item.media_type.split("/", 1)
        message.add_attachment(item.content, maintype=maintype, subtype=subtype, filename=item.filename)
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        # A mail outage must not lose the user's action; the failure is logged for ops.
        log.exception("sending mail to %s failed", to)
