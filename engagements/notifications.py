"""Emails at each step of an engagement, queued to go out after the commit.

Recipients: the cluster's managers for anything about their booking; the
assigned consultant (or every consultant and admin while nobody is assigned)
for new requests and messages from the cluster; the assigned consultant for
every calendar invitation, update and cancellation; admins for money that has
to go back by hand.
"""

from __future__ import annotations

from typing import Any

from core.api import Attachment, cluster_names, get_person, manager_emails, send_email, staff_people
from engagements.effects import after_commit
from engagements.links import absolute
from engagements.models import Engagement, LedgerEntry, RefundDue
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
    if engagement.consultant_id is None:
        takeable(engagement)


def takeable(engagement: Engagement) -> None:
    """Paid work nobody has taken yet: every consultant (and admin) may take it."""
    _queue(
        [p.email for p in staff_people()],
        f"New engagement to take: {engagement.title}",
        "takeable",
        console_url=_console_url(engagement),
        **_context(engagement),
    )


def payment_failed(engagement: Engagement) -> None:
    _queue(
        _manager_emails(engagement.cluster_id),
        f"Payment not completed: {engagement.title}",
        "payment_failed",
        **_context(engagement),
    )


def _consultant_emails(engagement: Engagement) -> list[str]:
    person = get_person(engagement.consultant_id)
    return [person.email] if person else []


def scheduled(engagement: Engagement, ics: bytes, when_text: str, update: bool) -> None:
    """The invitation (or its update) to the managers and the consultant, who is an attendee too."""
    attachment = Attachment(f"engagement-{engagement.id}.ics", ics, "text/calendar")
    subject = f"{'Date changed' if update else 'Date fixed'}: {engagement.title}"
    ctx = {**_context(engagement), "when_text": when_text, "update": update, "location": engagement.scheduled_location}
    _queue(_manager_emails(engagement.cluster_id), subject, "scheduled", (attachment,), link=_cluster_url(engagement), **ctx)
    _queue(_consultant_emails(engagement), subject, "scheduled", (attachment,), link=_console_url(engagement), **ctx)


def calendar_cancelled(engagement: Engagement, ics: bytes, when_text: str, recipients: dict[str, str]) -> None:
    """The METHOD:CANCEL calendar to everyone who was invited; ``recipients`` maps email to its link."""
    attachment = Attachment(f"engagement-{engagement.id}.ics", ics, "text/calendar")
    ctx = {**_context(engagement), "when_text": when_text}
    for email, link in recipients.items():
        _queue([email], f"Cancelled: {engagement.title} on {when_text}", "calendar_cancelled", (attachment,), link=link, **ctx)


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


def cancelled(engagement: Engagement, refund_minor: int, refund_method: str = "", invoice_void: bool = False) -> None:
    """``refund_method``: ``card`` (refunded through Stripe) or ``transfer`` (will be transferred back)."""
    ctx = {
        **_context(engagement),
        "refund_text": format_money(refund_minor, engagement.currency) if refund_minor else "",
        "refund_method": refund_method,
        "invoice_void": invoice_void,
        "invoice_number": engagement.invoice_number or "",
    }
    _queue(_manager_emails(engagement.cluster_id), f"Cancelled: {engagement.title}", "cancelled", **ctx)
    if engagement.consultant_id:
        _queue(_staff_emails(engagement), f"Cancelled: {engagement.title}", "cancelled", **ctx)


def refunded(engagement: Engagement, amount_minor: int, entry: LedgerEntry | None = None) -> None:
    """Money has gone back: through Stripe (``card``) or by a transfer an admin confirmed."""
    method = entry.method if entry is not None else "card"
    _queue(
        _manager_emails(engagement.cluster_id),
        f"{'Refund issued' if method == 'card' else 'Refund transferred'}: {engagement.title}",
        "refunded",
        amount_text=format_money(amount_minor, engagement.currency),
        method=method,
        credit_note_number=entry.credit_note_number if entry is not None else "",
        invoice_number=engagement.invoice_number or "",
        **_context(engagement),
    )


def _admin_emails() -> list[str]:
    return [p.email for p in staff_people() if p.is_admin]


def refund_due(engagement: Engagement, due: RefundDue, tell_managers: bool = True) -> None:
    """A transfer back is owed: admins must send it; managers learn it *will be* transferred."""
    amount_text = format_money(due.amount_minor, due.currency)
    _queue(
        _admin_emails(),
        f"Refund due by transfer: {amount_text} for engagement #{engagement.id}",
        "refund_due_admin",
        amount_text=amount_text,
        reason=due.reason,
        cluster_name=cluster_names([engagement.cluster_id]).get(engagement.cluster_id, ""),
        admin_url=absolute("engagements_admin.refunds_due"),
        **_context(engagement),
    )
    if tell_managers:
        _queue(
            _manager_emails(engagement.cluster_id),
            f"Refund on its way: {engagement.title}",
            "refund_pending",
            amount_text=amount_text,
            **_context(engagement),
        )


def payment_returned(engagement: Engagement, amount_minor: int, method: str, state: str) -> None:
    """A payment nobody owed (cancelled, or paid twice) goes back; admins and managers are told."""
    from engagements.lifecycle import STATE_LABELS

    ctx = {
        **_context(engagement),
        "amount_text": format_money(amount_minor, engagement.currency),
        "method": method,
        "state_text": STATE_LABELS.get(state, state).lower() if state not in ("paid", "scheduled", "in_delivery", "delivered", "closed") else "already paid",
    }
    subject = f"Payment returned: {engagement.title}"
    _queue(_manager_emails(engagement.cluster_id), subject, "payment_returned", link=_cluster_url(engagement), **ctx)
    _queue(
        _admin_emails(),
        subject,
        "payment_returned",
        link=absolute("engagements_admin.engagement", engagement_id=engagement.id),
        **ctx,
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
