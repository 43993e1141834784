"""What happens to an engagement when money moves — whoever reports it.

Webhooks, the success page, an admin confirming a bank transfer and the
reconciliation command all call these functions. Each one locks the
engagement row, changes state only by compare-and-set, and writes each ledger
entry once, so any number of reports of the same payment, in any order, leave
one "paid" transition, one email and one ledger entry. Callers commit.
"""

from __future__ import annotations

from sqlalchemy import update

from core.api import db, utcnow
from engagements import notifications
from engagements.billing import ledger
from engagements.lifecycle import Actor, transition
from engagements.billing.returns import return_payment
from engagements.billing.rows import Outcome, lock
from engagements.billing.settlement import apply_refund, settle
from engagements.models import Engagement

__all__ = ["Outcome", "apply_refund", "flag_dispute", "lock", "mark_paid", "settle"]


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
        elif engagement.kind == "workshop":
            # The workshop's brief is drafted from the cluster's divergences as soon as it is paid.
            from engagements.briefs.jobs import create_brief_job

            create_brief_job(engagement.id, Actor.system("Brief worker (payment received)"))
        return Outcome("processed", "marked paid" + ("; already refunded in full" if settled else ""))
    if entry is not None:  # money nobody owes (cancelled, or paid twice): it goes back
        return return_payment(engagement, entry, actor, state)
    return Outcome("already_applied", f"engagement already {state}")


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
