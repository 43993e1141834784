"""The real stripe SDK against localstripe: customers, PaymentIntents, refunds, signed webhooks.

localstripe signs its events and POSTs them to the app served live; the
engagement must become paid, then refunded, with no help from the test.
"""

from __future__ import annotations

import time

import pytest
import stripe
from sqlalchemy import select

from core.api import db
from engagements import effects
from engagements.billing import refunds, stripe_client
from engagements.billing.payments import lock
from engagements.lifecycle import Actor
from engagements.models import Engagement, LedgerEntry, WebhookEvent
from tests.engagements.conftest import book
from tests.engagements.support import SECRET_KEY


def _client(base: str) -> stripe.StripeClient:
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": base}, max_network_retries=0)


def _wait_for_state(engagement_id: int, state: str, timeout: float = 15.0) -> Engagement:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        engagement = db.session.get(Engagement, engagement_id)
        if engagement.state == state:
            return engagement
        time.sleep(0.1)
    raise AssertionError(f"engagement stayed {engagement.state}, expected {state}")


def _pay(base: str, engagement: Engagement, payment_method: str):  # type: ignore[no-untyped-def]
    client = _client(base)
    customer = client.v1.customers.create(params={"email": "office@cluster.example"})
    return client.v1.payment_intents.create(
        params={
            "amount": engagement.total_minor,
            "currency": engagement.currency.lower(),
            "customer": customer.id,
            "payment_method": payment_method,
            "confirm": True,
            "metadata": {"engagement_id": str(engagement.id)},
        },
        options={"idempotency_key": f"test-{engagement.id}-{payment_method}"},
    )


def test_visa_payment_is_delivered_by_webhook_and_refund_follows(cluster, workshop, stripe_local, mail):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop, method="card", card_enabled=True)
    intent = _pay(stripe_local, engagement, "pm_card_visa")
    assert intent.status == "succeeded"
    paid = _wait_for_state(engagement.id, "paid")
    assert paid.payment_intent_id == intent.id

    locked = lock(engagement.id)
    done = refunds.refund(locked, paid.total_minor, Actor.system("test"), "Goodwill", key="full")
    effects.commit()
    assert done == paid.total_minor
    _wait_for_state(engagement.id, "refunded")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        db.session.expire_all()
        types = set(db.session.execute(select(WebhookEvent.type)).scalars())
        if "charge.refunded" in types:
            break
        time.sleep(0.1)
    assert {"payment_intent.succeeded", "charge.refunded"} <= types
    kinds = db.session.execute(select(LedgerEntry.kind).order_by(LedgerEntry.id)).scalars().all()
    assert kinds == ["charge", "refund"]  # the webhook's refund report matched the one we recorded


def test_refund_made_in_stripe_directly_reaches_the_engagement(cluster, review, stripe_local):  # type: ignore[no-untyped-def]
    engagement = book(cluster, review, method="card", card_enabled=True)
    intent = _pay(stripe_local, engagement, "pm_card_visa")
    _wait_for_state(engagement.id, "paid")
    _client(stripe_local).v1.refunds.create(params={"payment_intent": intent.id, "amount": 10000})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        db.session.expire_all()
        amounts = (
            db.session.execute(select(LedgerEntry.amount_minor).where(LedgerEntry.kind == "refund"))
            .scalars()
            .all()
        )
        if amounts:
            break
        time.sleep(0.1)
    assert amounts == [10000]
    assert db.session.get(Engagement, engagement.id).state == "paid"  # partial refund keeps the engagement


def test_declined_card_leaves_the_engagement_unpaid(cluster, workshop, stripe_local):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop, method="card", card_enabled=True)
    with pytest.raises(stripe.CardError):
        _pay(stripe_local, engagement, "pm_card_chargeCustomerFail")
    time.sleep(1.5)  # localstripe delivers events after one second
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "requested"
    assert db.session.execute(select(LedgerEntry.id)).first() is None


def test_stripe_client_reads_charges_for_reconciliation(cluster, review, stripe_local):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from core.api import utcnow

    engagement = book(cluster, review, method="card", card_enabled=True)
    intent = _pay(stripe_local, engagement, "pm_card_visa")
    charges = [
        c
        for c in stripe_client.list_charges_since(utcnow() - timedelta(days=30))
        if c.payment_intent_id == intent.id
    ]
    assert len(charges) == 1 and charges[0].amount == engagement.total_minor
    assert stripe_client.retrieve_payment_intent_metadata(intent.id) == {"engagement_id": str(engagement.id)}
