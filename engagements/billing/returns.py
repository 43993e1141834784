"""Payments nobody owes — for a cancelled engagement, or a second payment — go back.

A card payment is refunded through Stripe at once; the idempotency key is
derived from the payment itself, so every report of the same payment (webhook
redelivery, success page, reconciliation) asks Stripe for the same single
refund. Money that came by bank transfer becomes a refund due for the admins.
Admins and the cluster's managers are told either way. Callers commit.
"""

from __future__ import annotations

from engagements import notifications
from engagements.billing import refunds
from engagements.billing.rows import Outcome
from engagements.lifecycle import Actor
from engagements.models import Engagement, LedgerEntry


def return_payment(engagement: Engagement, entry: LedgerEntry, actor: Actor, state: str) -> Outcome:
    """Send back the payment ``entry`` recorded while the engagement was ``state``.

    Returns ``Outcome("returned")`` for a card refund, ``Outcome("refund_due")`` for a
    transfer. Raises ``refunds.RefundError`` when Stripe cannot refund now, so the
    webhook answers 500 and Stripe delivers the event again.
    """
    amount = entry.amount_minor
    reason = f"Payment received while the engagement was {state}: nothing is owed"
    if entry.method == "card":
        refunds.card_refund(
            engagement, amount, actor, reason, key=f"return-{entry.external_ref}", payment_intent_id=entry.external_ref
        )
        notifications.payment_returned(engagement, amount, "card", state)
        return Outcome("returned", f"payment received while {state}; refunded through Stripe")
    refunds.create_due(engagement, amount, actor, reason, f"return:{entry.external_ref}", tell_managers=False)
    notifications.payment_returned(engagement, amount, "transfer", state)
    return Outcome("refund_due", f"payment received while {state}; recorded, and due back by transfer")
