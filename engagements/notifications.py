"""Emails at each step of an engagement, queued to go out after the commit.

Recipients: the cluster's managers for anything about their booking; the
assigned consultant (or every consultant and admin while nobody is assigned)
for new requests and messages from the cluster.
"""

from __future__ import annotations

from typing import Any

from core.api import Attachment, get_person, manager_emails, send_email, staff_people
from engagements.effects import after_commit
from engagements.links import absolute
from engagements.models import Engagement
from engagements.money import format_money
from engagements.reports.models import ReportVersion


def _manager_emails(cluster_id: int) -> list[str]:
    return manager_emails(cluster_id)


def _staff_emails(engagement: Engagement) -> list[str]:
    if engagement.consultant_id:
        person = get_person(engagement.consultant_id)
        return [person.email] if person else []
    return [p.email for p in staff_people()]


def _cluster_url(engagement: Engagement) -> str:
    return absolute("engagements.detail", cluster_id=engagement.cluster_id, engagement_id=engagement.id)


def _console_url(engagement: Engagement) -> str:
    return absolute("engagements_console.detail", engagement_id=engagement.id)


def _queue(
    recipients: list[str], subject: str, template: str, attachments: tuple[Attachment, ...] = (), **ctx: Any
) -> None:
    def send() -> None:
        for to in recipients:
            send_email(to, subject, f"engagements_{template}", attachments=attachments, **ctx)

    after_commit(send)


def requested(engagement: Engagement) -> None:
    ctx = _context(engagement)
    _queue(_manager_emails(engagement.cluster_id), f"Your request: {engagement.title}", "requested", **ctx)
    _queue(
        _staff_emails(engagement),
        f"New engagement request: {engagement.title}",
        "new_request",
        console_url=_console_url(engagement),
        **ctx,
    )


def paid(engagement: Engagement, amount_minor: int) -> None:
    _queue(
        _manager_emails(engagement.cluster_id),
        f"Payment received: {engagement.title}",
        "paid",
        amount_text=format_money(amount_minor, engagement.currency),
        **_context(engagement),
    )


def payment_failed(engagement: Engagement) -> None:
    _queue(
        _manager_emails(engagement.cluster_id),
        f"Payment not completed: {engagement.title}",
        "payment_failed",
        **_context(engagement),
    )


def scheduled(engagement: Engagement, ics: bytes, when_text: str) -> None:
    attachment = Attachment(f"engagement-{engagement.id}.ics", ics, "text/calendar")
    _queue(
        _manager_emails(engagement.cluster_id),
        f"Date fixed: {engagement.title}",
        "scheduled",
        attachments=(attachment,),
        when_text=when_text,
        **_context(engagement),
    )


def new_message(engagement: Engagement, author_name: str, body: str, from_consultant: bool) -> None:
    if from_consultant:
        recipients, url = _manager_emails(engagement.cluster_id), _cluster_url(engagement)
    else:
        recipients, url = _staff_emails(engagement), _console_url(engagement)
    _queue(
        recipients,
        f"New message about {engagement.title}",
        "message",
        author_name=author_name,
        body=body,
        thread_url=url,
        **_context(engagement),
    )


def cancelled(engagement: Engagement, refund_minor: int) -> None:
    ctx = _context(engagement)
    _queue(
        _manager_emails(engagement.cluster_id),
        f"Cancelled: {engagement.title}",
        "cancelled",
        refund_text=format_money(refund_minor, engagement.currency) if refund_minor else "",
        **ctx,
    )
    if engagement.consultant_id:
        _queue(
            _staff_emails(engagement),
            f"Cancelled: {engagement.title}",
            "cancelled",
            refund_text=format_money(refund_minor, engagement.currency) if refund_minor else "",
            **ctx,
        )


def refunded(engagement: Engagement, amount_minor: int) -> None:
    _queue(
        _manager_emails(engagement.cluster_id),
        f"Refund issued: {engagement.title}",
        "refunded",
        amount_text=format_money(amount_minor, engagement.currency),
        **_context(engagement),
    )


def _context(engagement: Engagement) -> dict[str, Any]:
    return {
        "engagement_id": engagement.id,
        "title": engagement.title,
        "total_text": format_money(engagement.total_minor, engagement.currency),
        "payment_method": engagement.payment_method,
        "engagement_url": _cluster_url(engagement),
    }


def report_delivered(engagement: Engagement, version: ReportVersion, revised: bool) -> None:
    """Tell the managers a report version is ready to read, with links to the page and the PDF."""
    number = version.number
    subject = f"{'Revised report' if revised else 'Your report'} is ready: {engagement.title}"
    _queue(
        _manager_emails(engagement.cluster_id),
        subject,
        "report_delivered",
        version_number=number,
        revised=revised,
        report_url=absolute(
            "engagements_reports.show", cluster_id=engagement.cluster_id, engagement_id=engagement.id
        ),
        pdf_url=absolute(
            "engagements_reports.pdf", cluster_id=engagement.cluster_id, engagement_id=engagement.id, number=number
        ),
        **_context(engagement),
    )
