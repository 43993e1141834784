"""Compare Stripe's record of the last days' payments with ours, and optionally repair.

Repairs reuse the webhook's own functions (compare-and-set, ledger keyed by
Stripe ids), so running ``--fix`` twice, or while webhooks arrive, is safe.
Stored Stripe events the worker never fulfilled (it was down) are fulfilled
first, inline, as the worker would have.
What cannot be repaired automatically (money we recorded that Stripe does not
know) is only reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from core.api import db, utcnow
from engagements import effects
from engagements.billing import fulfilment, ledger, stripe_client
from engagements.billing.payments import apply_refund, mark_paid
from engagements.billing.webhooks import replay_waiting
from engagements.lifecycle import Actor
from engagements.models import Engagement, LedgerEntry, WebhookEvent

RECONCILE = Actor.system("Reconciliation")


@dataclass(frozen=True)
class Finding:
    kind: str
    detail: str
    engagement_id: int | None = None
    stripe_id: str | None = None
    fixed: bool = False


def run(days: int = 30, fix: bool = False) -> list[Finding]:
    since = utcnow() - timedelta(days=days)
    findings: list[Finding] = _unfulfilled_events(fix)
    seen_intents: set[str] = set()
    for charge in stripe_client.list_charges_since(since):
        if charge.status != "succeeded":
            continue
        if charge.payment_intent_id:
            seen_intents.add(charge.payment_intent_id)
        findings.extend(_check_charge(charge, fix))
    findings.extend(_recorded_but_not_in_stripe(since, seen_intents))
    if fix:
        effects.commit()
    else:
        effects.rollback()
    return findings


def _unfulfilled_events(fix: bool) -> list[Finding]:
    """Stored events not fulfilled yet; with ``fix``, fulfilled now (each in its own commit)."""
    out: list[Finding] = []
    for row_id in fulfilment.unfulfilled_ids():
        summary = "stored, not fulfilled yet"
        if fix:
            try:
                summary = fulfilment.fulfil(row_id)
            except fulfilment.RetryLater as failed:
                summary = f"fulfilment failed again: {failed}"
        row = db.session.get(WebhookEvent, row_id, populate_existing=True)
        if row is None:
            continue
        out.append(Finding("event_not_fulfilled", f"{row.type}: {summary}", row.engagement_id, row.stripe_event_id,
                           fixed=fix and row.result not in ("received", "retrying", "failed", "error")))
    return out


def _engagement_for(charge: stripe_client.ChargeInfo) -> int | None:
    raw = charge.metadata.get("engagement_id")
    if raw is None and charge.payment_intent_id:
        found = db.session.execute(
            select(Engagement.id).where(Engagement.payment_intent_id == charge.payment_intent_id)
        ).scalar_one_or_none()
        if found is not None:
            return found
        raw = stripe_client.retrieve_payment_intent_metadata(charge.payment_intent_id).get("engagement_id")
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _check_charge(charge: stripe_client.ChargeInfo, fix: bool) -> list[Finding]:
    engagement_id = _engagement_for(charge)
    ref = charge.payment_intent_id or charge.id
    if engagement_id is None:
        return [
            Finding(
                "payment_without_engagement",
                f"{charge.amount} {charge.currency} not linked to an engagement",
                None,
                ref,
            )
        ]
    if db.session.get(Engagement, engagement_id) is None:
        return [
            Finding(
                "unknown_engagement",
                f"metadata names engagement {engagement_id}, which does not exist",
                engagement_id,
                ref,
            )
        ]
    out: list[Finding] = []
    if not ledger.entry_exists(ref):
        fixed = False
        if fix:
            outcome = mark_paid(
                engagement_id,
                method="card",
                amount_minor=charge.amount,
                currency=charge.currency,
                external_ref=ref,
                payment_intent_id=charge.payment_intent_id,
                actor=RECONCILE,
                reason="Payment found by reconciliation",
            )
            fixed = outcome.code in ("processed", "returned", "refund_due")
            if charge.payment_intent_id:
                replay_waiting(charge.payment_intent_id)
        out.append(
            Finding(
                "payment_not_recorded",
                f"Stripe took {charge.amount} {charge.currency}; we had no record",
                engagement_id,
                ref,
                fixed,
            )
        )
    ours = ledger.totals(engagement_id).refunded_minor
    if charge.amount_refunded > ours:
        fixed = False
        if fix:
            refunds = charge.refunds or tuple(stripe_client.list_refunds(charge.id))
            for refund in refunds:
                if refund.status not in ("failed", "canceled"):
                    apply_refund(
                        engagement_id,
                        method="card",
                        amount_minor=refund.amount,
                        external_ref=refund.id,
                        actor=RECONCILE,
                        reason="Refund found by reconciliation",
                    )
            fixed = ledger.totals(engagement_id).refunded_minor >= charge.amount_refunded
        out.append(
            Finding(
                "refund_not_recorded",
                f"Stripe refunded {charge.amount_refunded}, we recorded {ours}",
                engagement_id,
                ref,
                fixed,
            )
        )
    elif charge.amount_refunded < ours:
        out.append(
            Finding(
                "refund_not_in_stripe",
                f"we recorded {ours} refunded, Stripe shows {charge.amount_refunded}",
                engagement_id,
                ref,
            )
        )
    return out


def _recorded_but_not_in_stripe(since, seen_intents: set[str]) -> list[Finding]:  # type: ignore[no-untyped-def]
    rows = db.session.execute(
        select(LedgerEntry).where(
            LedgerEntry.kind == "charge", LedgerEntry.method == "card", LedgerEntry.created_at >= since
        )
    ).scalars()
    return [
        Finding(
            "charge_not_in_stripe",
            "we recorded a card payment Stripe does not list",
            row.engagement_id,
            row.external_ref,
        )
        for row in rows
        if row.external_ref not in seen_intents
    ]
