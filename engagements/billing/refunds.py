"""Refunds: the policy's share on cancellation, or any amount an admin decides.

Card refunds go to Stripe with an idempotency key, so a double click or a
retry after a timeout cannot refund twice; they are in the ledger at once.
Money received by bank transfer cannot be sent back by the software: it
becomes a *refund due* for the admins, and reaches the ledger only when an
admin confirms the transfer with its bank reference. Callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.api import db, utcnow
from engagements import notifications
from engagements.billing import ledger, stripe_client
from engagements.billing.rows import lock
from engagements.billing.settlement import apply_refund
from engagements.lifecycle import Actor
from engagements.models import Engagement, RefundDue
from engagements.policy import refund_amount, refund_percent


class RefundError(ValueError):
    """The refund was not made; the message is safe to show."""


@dataclass(frozen=True)
class Method:
    """How a refund of this engagement travels, in words for the confirmation page."""

    key: str
    label: str


def method_of(engagement: Engagement) -> Method:
    """``card`` (back through Stripe, at once) or ``transfer`` (a refund due until an admin sends it)."""
    if engagement.payment_method == "card" and engagement.payment_intent_id:
        return Method("card", "back to the card used, through Stripe")
    return Method("transfer", "by bank transfer: a refund due until an admin confirms the transfer")


def open_due_minor(engagement_id: int) -> int:
    """Minor units promised back by transfer but not yet confirmed as sent."""
    return int(
        db.session.execute(
            select(func.coalesce(func.sum(RefundDue.amount_minor), 0)).where(
                RefundDue.engagement_id == engagement_id, RefundDue.confirmed_at.is_(None)
            )
        ).scalar_one()
    )


def refundable(engagement_id: int) -> int:
    """What may still be refunded: received, less refunded, less refunds already due."""
    totals = ledger.totals(engagement_id)
    return max(0, totals.net_minor - open_due_minor(engagement_id))


def policy_amount(engagement: Engagement, now: datetime) -> int:
    totals = ledger.totals(engagement.id)
    percent = refund_percent(engagement.cancellation_policy, engagement.scheduled_for, now)
    already = totals.refunded_minor + open_due_minor(engagement.id)
    return refund_amount(totals.charged_minor, already, percent)


def refund(
    engagement: Engagement, amount_minor: int, actor: Actor, reason: str, key: str, tell_managers: bool = True
) -> int:
    """Refund ``amount_minor`` (partial allowed); ``key`` identifies this refund decision.

    ``tell_managers=False`` when the caller's own email (the cancellation) already says it.
    Returns the amount refunded (card) or now due by transfer (invoice).
    Raises ``RefundError`` for a zero amount, more than remains, or a Stripe refusal.
    """
    available = refundable(engagement.id)
    if amount_minor <= 0:
        raise RefundError("Enter an amount greater than zero.")
    if amount_minor > available:
        raise RefundError("That is more than what remains to refund.")
    if method_of(engagement).key == "card":
        return card_refund(engagement, amount_minor, actor, reason, key)
    create_due(engagement, amount_minor, actor, reason, f"refund:{engagement.id}:{key}", tell_managers)
    return amount_minor


def card_refund(
    engagement: Engagement,
    amount_minor: int,
    actor: Actor,
    reason: str,
    key: str,
    payment_intent_id: str | None = None,
) -> int:
    """Refund through Stripe and record it; the same ``key`` never refunds twice.

    ``payment_intent_id`` defaults to the engagement's payment. Raises ``RefundError``.
    """
    prefix = stripe_client.idempotency_prefix(engagement.id, engagement.created_at)
    try:
        result = stripe_client.create_refund(
            payment_intent_id=payment_intent_id or engagement.payment_intent_id or "",
            amount_minor=amount_minor,
            engagement_id=engagement.id,
            idempotency_key=f"{prefix}-refund-{key}",
        )
    except stripe_client.PaymentProviderError as exc:
        raise RefundError(f"Stripe did not make the refund: {exc}") from exc
    apply_refund(
        engagement.id,
        method="card",
        amount_minor=result.amount,
        external_ref=result.id,
        actor=actor,
        reason=reason,
    )
    return result.amount


def create_due(
    engagement: Engagement, amount_minor: int, actor: Actor, reason: str, key: str, tell_managers: bool = True
) -> RefundDue:
    """Record money owed back by transfer (once per ``key``) and tell the admins and the managers."""
    existing = db.session.execute(select(RefundDue).where(RefundDue.key == key)).scalar_one_or_none()
    if existing is not None:
        return existing
    due = RefundDue(
        engagement_id=engagement.id,
        key=key,
        amount_minor=amount_minor,
        currency=engagement.currency,
        reason=reason,
        created_by_id=actor.user_id,
        transfer_reference="",
    )
    db.session.add(due)
    db.session.flush()
    notifications.refund_due(engagement, due, tell_managers)
    return due


def open_dues() -> list[RefundDue]:
    """Every refund still to transfer, oldest first, for the admin overview."""
    from sqlalchemy.orm import joinedload

    return list(
        db.session.execute(
            select(RefundDue)
            .options(joinedload(RefundDue.engagement))
            .where(RefundDue.confirmed_at.is_(None))
            .order_by(RefundDue.created_at, RefundDue.id)
        ).scalars()
    )


def dues_for(engagement_id: int) -> list[RefundDue]:
    return list(
        db.session.execute(
            select(RefundDue).where(RefundDue.engagement_id == engagement_id).order_by(RefundDue.id)
        ).scalars()
    )


def confirm_transfer(due_id: int, reference: str, actor: Actor) -> RefundDue:
    """An admin sent the money: record the refund in the ledger (with its credit note) once.

    Raises ``RefundError`` without a bank reference, for an unknown item, or one already confirmed.
    """
    reference = reference.strip()
    if not reference:
        raise RefundError("Enter the bank reference of the transfer.")
    due = db.session.get(RefundDue, due_id)
    if due is None:
        raise RefundError("No such refund.")
    if lock(due.engagement_id) is None:
        raise RefundError("No such refund.")
    db.session.refresh(due, with_for_update=True)
    if due.confirmed_at is not None:
        raise RefundError("This refund was already confirmed.")
    external_ref = f"refund-due:{due.id}"
    apply_refund(
        due.engagement_id,
        method="transfer",
        amount_minor=due.amount_minor,
        external_ref=external_ref,
        actor=actor,
        reason=f"{due.reason} — transferred, bank reference {reference}",
    )
    entry = next(e for e in ledger.entries_for(due.engagement_id) if e.external_ref == external_ref)
    due.transfer_reference = reference[:120]
    due.confirmed_at = utcnow()
    due.confirmed_by_id = actor.user_id
    due.ledger_entry_id = entry.id
    return due
