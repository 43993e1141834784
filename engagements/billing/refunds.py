"""Refunds: the policy's share on cancellation, or any amount an admin decides.

Card refunds go to Stripe with an idempotency key, so a double click or a
retry after a timeout cannot refund twice; invoice refunds are recorded for
the bank transfer back. Callers commit.
"""

from __future__ import annotations

from datetime import datetime

from engagements.billing import ledger, stripe_client
from engagements.billing.payments import apply_refund
from engagements.lifecycle import Actor
from engagements.models import Engagement
from engagements.policy import refund_amount, refund_percent


class RefundError(ValueError):
    """The refund was not made; the message is safe to show."""


def refundable(engagement_id: int) -> int:
    totals = ledger.totals(engagement_id)
    return max(0, totals.net_minor)


def policy_amount(engagement: Engagement, now: datetime) -> int:
    totals = ledger.totals(engagement.id)
    percent = refund_percent(engagement.cancellation_policy, engagement.scheduled_for, now)
    return refund_amount(totals.charged_minor, totals.refunded_minor, percent)


def refund(engagement: Engagement, amount_minor: int, actor: Actor, reason: str, key: str) -> int:
    """Refund ``amount_minor`` (partial allowed) and record it; ``key`` identifies this refund decision."""
    available = refundable(engagement.id)
    if amount_minor <= 0:
        raise RefundError("Enter an amount greater than zero.")
    if amount_minor > available:
        raise RefundError("That is more than what remains to refund.")
    if engagement.payment_method == "card" and engagement.payment_intent_id:
        prefix = stripe_client.idempotency_prefix(engagement.id, engagement.created_at)
        try:
            result = stripe_client.create_refund(
                payment_intent_id=engagement.payment_intent_id,
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
    apply_refund(
        engagement.id,
        method="transfer",
        amount_minor=amount_minor,
        external_ref=f"transfer-refund:{engagement.id}:{key}",
        actor=actor,
        reason=reason + " (to be transferred back)",
    )
    return amount_minor
