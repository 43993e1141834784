"""What happens to an engagement when money moves — whoever reports it.

Webhooks, the success page, an admin confirming a bank transfer and the
reconciliation command all call these functions. Each one locks the
engagement row, changes state only by compare-and-set, and writes each ledger
entry once, so any number of reports of the same payment, in any order, leave
one "paid" transition, one email and one ledger entry. Callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from core.api import db, utcnow
from engagements import notifications
from engagements.billing import ledger
from engagements.lifecycle import PAID_STATES, Actor, transition
from engagements.models import Engagement


@dataclass(frozen=True)
class Outcome:
    """What a payment report did: ``code`` is stored with webhook events and shown to admins."""

    code: str
    detail: str = ""


def lock(engagement_id: int) -> Engagement | None:
    """Load the engagement with a row lock (PostgreSQL), fresh from the database."""
    return db.session.execute(
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .with_for_update(of=Engagement)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def mark_paid(
    engagement_id: int,
    *,
    method: str,
    amount_minor: int,
    currency: str,
    external_ref: str,
    actor: Actor,
    payment_intent_id: str | None = None,
    reason: str = "",
) -> Outcome:
    """Record a completed payment and move the engagement to paid, exactly once."""
    engagement = lock(engagement_id)
    if engagement is None:
        return Outcome("unknown_engagement", f"no engagement {engagement_id}")
    if currency.upper() != engagement.currency or amount_minor != engagement.total_minor:
        return Outcome(
            "amount_mismatch",
            f"received {amount_minor} {currency.upper()}, "
            f"expected {engagement.total_minor} {engagement.currency}",
        )
    state = engagement.state
    won = False
    if state == "requested":
        transition(engagement.id, "requested", "awaiting_payment", actor, "Payment started")
        state = "awaiting_payment"
    if state == "awaiting_payment":
        extra = (
            {"payment_intent_id": payment_intent_id}
            if payment_intent_id and not engagement.payment_intent_id
            else {}
        )
        won = transition(
            engagement.id, "awaiting_payment", "paid", actor, reason or "Payment received", **extra
        )
    entry = ledger.record(
        engagement,
        kind="charge",
        method=method,
        amount_minor=amount_minor,
        external_ref=external_ref,
        recorded_by_id=actor.user_id,
        note=reason,
        known_new=won and engagement.payment_intent_id is None and method == "card",
    )
    if won:
        notifications.paid(engagement, amount_minor)
        settled = False
        if ledger.totals(engagement.id).refunded_minor >= amount_minor:
            settled = transition(engagement.id, "paid", "refunded", actor, "Payment refunded in full")
        elif engagement.kind_info.produces_report:
            # The draft starts with the payment, in this transaction; its task leaves after the commit.
            from engagements.reports.jobs import create_draft_job

            create_draft_job(engagement.id, Actor.system("Report worker (payment received)"))
        return Outcome("processed", "marked paid" + ("; already refunded in full" if settled else ""))
    if entry is not None:
        return Outcome("paid_in_other_state", f"payment recorded while the engagement was {state}")
    return Outcome("already_applied", f"engagement already {state}")


def apply_refund(
    engagement_id: int,
    *,
    method: str,
    amount_minor: int,
    external_ref: str,
    actor: Actor,
    reason: str = "",
) -> Outcome:
    """Record a refund once; a refund covering everything paid moves the engagement to refunded."""
    engagement = lock(engagement_id)
    if engagement is None:
        return Outcome("unknown_engagement", f"no engagement {engagement_id}")
    entry = ledger.record(
        engagement,
        kind="refund",
        method=method,
        amount_minor=amount_minor,
        external_ref=external_ref,
        recorded_by_id=actor.user_id,
        note=reason,
    )
    if entry is None:
        return Outcome("already_applied", "refund already recorded")
    notifications.refunded(engagement, amount_minor)
    settled = settle(engagement.id, actor)
    return Outcome("processed", "refund recorded" + ("; engagement refunded" if settled else ""))


def settle(engagement_id: int, actor: Actor) -> bool:
    """Move to refunded when the ledger shows everything paid has gone back."""
    engagement = db.session.get(Engagement, engagement_id, populate_existing=True)
    if engagement is None:
        return False
    totals = ledger.totals(engagement_id)
    if totals.charged_minor <= 0 or totals.refunded_minor < totals.charged_minor:
        return False
    if engagement.state in PAID_STATES or engagement.state == "cancelled":
        return transition(engagement_id, engagement.state, "refunded", actor, "Payment refunded in full")
    return False


def flag_dispute(engagement_id: int, detail: str) -> Outcome:
    """A chargeback was opened: flag the engagement for admins (once)."""
    result = db.session.execute(
        update(Engagement)
        .where(Engagement.id == engagement_id, Engagement.disputed_at.is_(None))
        .values(disputed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        exists = db.session.get(Engagement, engagement_id) is not None
        return Outcome("already_applied" if exists else "unknown_engagement", detail)
    return Outcome("flagged", detail)
