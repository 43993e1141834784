"""Receiving verified Stripe events: store each id once, answer, fulfil in the worker.

``receive`` verifies the signature, inserts the event row (``INSERT ... ON
CONFLICT DO NOTHING``: a second delivery of the same id changes nothing),
commits and answers 200 at once, as Stripe asks; the task
``workers.fulfil_webhook_event`` then applies the stored event
(``engagements.billing.fulfilment``). Which engagement an event concerns comes
from our metadata, or from the PaymentIntent id we recorded; a refund that
arrives before we know its payment is kept as ``waiting_for_payment`` and
replayed once the payment is recorded, so the order of events does not matter.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

from flask import current_app
from sqlalchemy import bindparam, select, text, update

from core.api import UTCDateTime, db, send_task_after_commit, utcnow
from engagements import notifications
from engagements.billing import stripe_client
from engagements.billing.payments import Outcome, apply_refund, flag_dispute, lock, mark_paid
from engagements.billing.writer import one_writer
from engagements.lifecycle import Actor
from engagements.models import Engagement, WebhookEvent

log = logging.getLogger(__name__)
STRIPE = Actor.system("Stripe (webhook)")
FULFIL_TASK = "workers.fulfil_webhook_event"
#: Results of an event not fulfilled yet (a failed attempt waiting for its retry is "retrying").
UNFULFILLED = ("received", "retrying")
#: Results of an event whose fulfilment failed for good ("error": before fulfilment moved to the worker).
FAILED = ("failed", "error")


@dataclass(frozen=True)
class Received:
    """The answer for Stripe: HTTP status and what we did ("received", "duplicate", or why refused)."""

    status: int
    result: str


def sweep_after() -> timedelta:
    """How long a stored event waits for its task before the sweep sends it again (config, seconds)."""
    return timedelta(seconds=float(current_app.config.get("WEBHOOK_SWEEP_AFTER_SECONDS", 10)))


def receive(payload: bytes, signature_header: str | None) -> Received:
    """Verify, store once, queue the fulfilment; nothing is written for a bad signature.

    A redelivery of an event whose fulfilment failed for good (Stripe's "Resend")
    queues it again with fresh attempts.
    """
    try:
        event = stripe_client.verify_webhook(payload, signature_header)
    except stripe_client.SignatureError as exc:
        log.warning("stripe webhook refused: %s", exc)
        malformed = isinstance(exc, stripe_client.MalformedEventError)
        return Received(400, "malformed_event" if malformed else "invalid_signature")
    db.session.rollback()  # end the request's reads: no connection is held while queueing for the writer
    with one_writer():
        row_id = _store(event, payload)
        if row_id is None:
            row_id = _requeue_failed(event["id"])
        if row_id is None:
            db.session.rollback()
            return Received(200, "duplicate")
        db.session.commit()
    # Sent once the row is committed, outside the writer queue: the next delivery need not wait
    # for the broker. Lost with this process before it leaves? The sweep sends it again.
    send_task_after_commit(FULFIL_TASK, row_id)
    db.session.commit()
    return Received(200, "received")


# Plain SQL understood by SQLite (3.35+) and PostgreSQL alike; unlike the dialect
# insert constructs it is compiled once and cached.
_INSERT_EVENT = text(
    "INSERT INTO engagements_webhook_events "
    "(stripe_event_id, type, result, detail, payment_intent_id, payload, received_at, attempts, next_attempt_at) "
    "VALUES (:stripe_event_id, :type, 'received', '', :payment_intent_id, :payload, :received_at, 0, "
    ":next_attempt_at) ON CONFLICT (stripe_event_id) DO NOTHING RETURNING id"
).bindparams(bindparam("received_at", type_=UTCDateTime()), bindparam("next_attempt_at", type_=UTCDateTime()))


def _store(event: dict[str, Any], payload: bytes) -> int | None:
    """Insert the event row; its id, or None when this id was stored before.

    ``INSERT ... ON CONFLICT DO NOTHING`` answers duplicates in one statement;
    when two first deliveries race, the unique index makes one of them wait
    and then find the row.
    """
    now = utcnow()
    return db.session.execute(
        _INSERT_EVENT,
        {
            "stripe_event_id": event["id"],
            "type": event["type"][:100],
            "payload": payload.decode("utf-8"),
            "payment_intent_id": _payment_intent_of(event),
            "received_at": now,
            "next_attempt_at": now + sweep_after(),
        },
    ).scalar_one_or_none()


def _requeue_failed(event_id: str) -> int | None:
    """A redelivery of an event that failed for good is fulfilled again (fresh attempts, once)."""
    return db.session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.stripe_event_id == event_id, WebhookEvent.result.in_(FAILED))
        .values(result="received", detail="redelivered by Stripe", attempts=0, processed_at=None,
                next_attempt_at=utcnow() + sweep_after())
        .returning(WebhookEvent.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()


def finish(row_id: int, outcome: Outcome) -> None:
    """Record what fulfilling the stored event did (the caller commits)."""
    db.session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.id == row_id)
        .values(
            result=outcome.code,
            detail=outcome.detail[:2000],
            processed_at=utcnow(),
            next_attempt_at=None,
            engagement_id=_engagement_for_log(outcome),
        )
        .execution_options(synchronize_session=False)
    )


def _engagement_for_log(outcome: Outcome) -> int | None:
    return getattr(outcome, "engagement_id", None)


def _payment_intent_of(event: dict[str, Any]) -> str | None:
    obj = (event.get("data") or {}).get("object") or {}
    if obj.get("object") == "payment_intent":
        return obj.get("id")
    pi = obj.get("payment_intent")
    if isinstance(pi, dict):
        pi = pi.get("id")
    return pi if isinstance(pi, str) else None


# -- dispatch -------------------------------------------------------------------


@dataclass(frozen=True)
class Applied(Outcome):
    engagement_id: int | None = None


def process(event: dict[str, Any]) -> Applied:
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return Applied("ignored", f"event type {event['type']} is not used")
    return handler((event.get("data") or {}).get("object") or {})


def _engagement_id_from(metadata: Any) -> int | None:
    if not isinstance(metadata, dict):
        return None
    raw = metadata.get("engagement_id")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _engagement_by_payment_intent(payment_intent_id: str | None) -> int | None:
    if not payment_intent_id:
        return None
    return db.session.execute(
        select(Engagement.id).where(Engagement.payment_intent_id == payment_intent_id)
    ).scalar_one_or_none()


def _unknown(engagement_id: int | None, what: str) -> Applied:
    log.warning("stripe event for unknown engagement %s (%s)", engagement_id, what)
    return Applied("unknown_engagement", f"{what}: no engagement {engagement_id}")


def _with_engagement(outcome: Outcome, engagement_id: int) -> Applied:
    return Applied(outcome.code, outcome.detail, engagement_id)


def _fulfil(
    engagement_id: int | None, amount: int, currency: str, payment_intent_id: str | None, what: str
) -> Applied:
    if engagement_id is None:
        return Applied("ignored", f"{what} without our metadata")
    if not payment_intent_id:
        return Applied("ignored", f"{what} without a payment")
    outcome = mark_paid(
        engagement_id,
        method="card",
        amount_minor=amount,
        currency=currency,
        external_ref=payment_intent_id,
        actor=STRIPE,
        payment_intent_id=payment_intent_id,
        reason=f"Card payment confirmed by Stripe ({what})",
    )
    if outcome.code == "unknown_engagement":
        return _unknown(engagement_id, what)
    if outcome.code in ("processed", "already_applied", "returned", "refund_due"):
        replay_waiting(payment_intent_id)
    return _with_engagement(outcome, engagement_id)


def on_checkout_completed(session: dict[str, Any]) -> Applied:
    engagement_id = _engagement_id_from(session.get("metadata"))
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        if engagement_id is None:
            return Applied("ignored", "checkout session without our metadata")
        return Applied(
            "awaiting_async_payment", "checkout completed; the payment is still processing", engagement_id
        )
    return on_checkout_paid(session)


def on_checkout_paid(session: dict[str, Any]) -> Applied:
    pi = session.get("payment_intent")
    if isinstance(pi, dict):
        pi = pi.get("id")
    return _fulfil(
        _engagement_id_from(session.get("metadata")),
        int(session.get("amount_total") or 0),
        session.get("currency") or "",
        pi,
        "checkout session paid",
    )


def on_checkout_failed(session: dict[str, Any]) -> Applied:
    engagement_id = _engagement_id_from(session.get("metadata"))
    if engagement_id is None:
        return Applied("ignored", "checkout session without our metadata")
    engagement = lock(engagement_id)
    if engagement is None:
        return _unknown(engagement_id, "async payment failed")
    if engagement.checkout_session_id == session.get("id") and engagement.state == "awaiting_payment":
        engagement.checkout_session_id = None
        engagement.checkout_url = ""
        notifications.payment_failed(engagement)
    return Applied("payment_failed", "the bank refused the payment; the cluster may pay again", engagement_id)


def on_payment_intent_succeeded(intent: dict[str, Any]) -> Applied:
    amount = intent.get("amount_received") or intent.get("amount") or 0
    return _fulfil(
        _engagement_id_from(intent.get("metadata")),
        int(amount),
        intent.get("currency") or "",
        intent.get("id"),
        "payment intent succeeded",
    )


def on_charge_refunded(charge_obj: dict[str, Any]) -> Applied:
    charge = stripe_client.charge_info(charge_obj)
    engagement_id = _engagement_id_from(charge.metadata) or _engagement_by_payment_intent(
        charge.payment_intent_id
    )
    if engagement_id is None:
        if charge.payment_intent_id:
            return Applied(
                "waiting_for_payment", "refund for a payment we have not seen yet; replayed when it arrives"
            )
        return Applied("ignored", "refund of a charge that is not ours")
    refunds = charge.refunds
    if not refunds and charge.amount_refunded:
        refunds = tuple(stripe_client.list_refunds(charge.id))
    if db.session.get(Engagement, engagement_id) is None:
        return _unknown(engagement_id, "charge refunded")
    codes: list[str] = []
    for refund in refunds:
        if refund.status in ("failed", "canceled"):
            continue
        outcome = apply_refund(
            engagement_id,
            method="card",
            amount_minor=refund.amount,
            external_ref=refund.id,
            actor=STRIPE,
            reason="Refund confirmed by Stripe",
        )
        codes.append(outcome.code)
    code = "processed" if "processed" in codes else ("already_applied" if codes else "ignored")
    return Applied(code, f"{len(codes)} refund(s) seen", engagement_id)


def on_dispute_created(dispute: dict[str, Any]) -> Applied:
    pi = dispute.get("payment_intent")
    engagement_id = _engagement_id_from(dispute.get("metadata")) or _engagement_by_payment_intent(pi)
    if engagement_id is None:
        return Applied("unknown_engagement", f"dispute on a payment we do not know ({pi})")
    reason = dispute.get("reason") or "unspecified"
    outcome = flag_dispute(engagement_id, f"dispute opened: {reason}")
    return _with_engagement(outcome, engagement_id)


HANDLERS: dict[str, Callable[[dict[str, Any]], Applied]] = {
    "checkout.session.completed": on_checkout_completed,
    "checkout.session.async_payment_succeeded": on_checkout_paid,
    "checkout.session.async_payment_failed": on_checkout_failed,
    "payment_intent.succeeded": on_payment_intent_succeeded,
    "charge.refunded": on_charge_refunded,
    "charge.dispute.created": on_dispute_created,
}


def replay_waiting(payment_intent_id: str) -> None:
    """Apply refunds that arrived before their payment, now that it is known."""
    rows = (
        db.session.execute(
            select(WebhookEvent).where(
                WebhookEvent.payment_intent_id == payment_intent_id,
                WebhookEvent.result == "waiting_for_payment",
            )
        )
        .scalars()
        .all()
    )
    for row in rows:
        event = json.loads(row.payload)
        outcome = process(event)
        row.result, row.detail, row.processed_at = outcome.code, f"replayed: {outcome.detail}", utcnow()
        row.engagement_id = outcome.engagement_id
