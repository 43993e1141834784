"""Money going back: a refund recorded once, and the engagement settled when all of it is back.

Webhooks, admins, refunds and returned payments all record refunds here, by
compare-and-set as ``payments`` does for money coming in. Callers commit.
"""

from __future__ import annotations

from core.api import db
from engagements import availability, console, notifications
from engagements.billing import ledger
from engagements.billing.rows import Outcome, lock
from engagements.lifecycle import PAID_STATES, Actor, transition
from engagements.models import Engagement


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
    notifications.refunded(engagement, amount_minor, entry)
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
        was_scheduled = engagement.state == "scheduled"
        won = transition(engagement_id, engagement.state, "refunded", actor, "Payment refunded in full")
        if won and was_scheduled:  # refunded in full: the date is off in every calendar too
            availability.release(engagement_id)
            refreshed = db.session.get(Engagement, engagement_id, populate_existing=True)
            if refreshed is not None:
                console.withdraw_invitation(refreshed)
        return won
    return False
