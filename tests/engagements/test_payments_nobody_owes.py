"""Payments for engagements that owe nothing go back through Stripe, once (issue 10, cases 1 and 5).

A signed ``payment_intent.succeeded`` for an engagement the cluster cancelled
used to be answered 200 and the money kept; now it is refunded automatically,
recorded in the ledger, and admins and managers are told. Cancelling a card
booking refunds through Stripe.
"""

from __future__ import annotations

import time
from email.message import EmailMessage

from sqlalchemy import select

from core.api import db
from engagements import bookings
from engagements.billing import checkout
from engagements.lifecycle import Actor
from engagements.models import Engagement, LedgerEntry, WebhookEvent
from tests.engagements.conftest import book
from tests.engagements.support import body, event, sign
from tests.factories import create_user, login, manager_of


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def _post(client, evt):  # type: ignore[no-untyped-def]
    payload = body(evt)
    return client.post("/webhooks/stripe", data=payload, headers={"Stripe-Signature": sign(payload)})


def _result(evt) -> str:  # type: ignore[no-untyped-def]
    """What the worker's task (eager in tests: right after the webhook's commit) did with the event."""
    db.session.expire_all()
    return db.session.execute(select(WebhookEvent.result).where(WebhookEvent.stripe_event_id == evt["id"])).scalar_one()


def _ledger() -> list[tuple[str, int]]:
    db.session.expire_all()
    return [(e.kind, e.amount_minor) for e in db.session.execute(select(LedgerEntry).order_by(LedgerEntry.id)).scalars()]


def _cancelled_card_engagement(cluster, service, stand_in) -> tuple[Engagement, str]:  # type: ignore[no-untyped-def]
    """A card engagement sent to Checkout, then cancelled; the customer pays anyway. Returns its PaymentIntent."""
    engagement = book(cluster, service, method="card", card_enabled=True)
    manager = manager_of(cluster)
    checkout.start(engagement.id, Actor(manager.id, manager.email), manager.email)
    db.session.expire_all()
    session_id = db.session.get(Engagement, engagement.id).checkout_session_id
    bookings.cancel(engagement.id, Actor(manager.id, manager.email), "Plans changed")
    stand_in.sessions[session_id]["status"] = "open"  # the customer had the page open in another tab
    stand_in.pay(session_id)
    return engagement, stand_in.sessions[session_id]["payment_intent"]


def _intent_succeeded(engagement: Engagement, payment_intent: str) -> dict:  # type: ignore[type-arg]
    return event(
        "payment_intent.succeeded",
        {
            "id": payment_intent,
            "object": "payment_intent",
            "amount": 120000,
            "amount_received": 120000,
            "currency": "eur",
            "status": "succeeded",
            "metadata": {"engagement_id": str(engagement.id)},
        },
    )


def test_payment_for_a_cancelled_engagement_is_refunded_once_and_everyone_told(  # type: ignore[no-untyped-def]
    client, cluster, workshop, stripe_stand_in, mail
):
    admin = create_user(is_admin=True)
    engagement, intent = _cancelled_card_engagement(cluster, workshop, stripe_stand_in)
    mail.clear()
    first_event = _intent_succeeded(engagement, intent)
    first = _post(client, first_event)
    assert first.status_code == 200 and first.json == {"received": "received"}
    assert _result(first_event) == "returned"
    # Stripe sends the news again under another event id, and the checkout session completes too
    again = _intent_succeeded(engagement, intent)
    assert _post(client, again).json == {"received": "received"} and _result(again) == "already_applied"

    charge = stripe_stand_in.charge_of(intent)
    assert charge["amount_refunded"] == 120000 and len(charge["refunds"]["data"]) == 1
    assert _ledger() == [("charge", 120000), ("refund", 120000)]
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "refunded"
    # Stripe's own charge.refunded report of our refund adds nothing
    _post(client, stripe_stand_in.refund_event(intent))
    assert _ledger() == [("charge", 120000), ("refund", 120000)]

    manager = manager_of(cluster)
    told = [_text(m) for m in mail.wait_for(manager.email, 2)]
    assert any("refunded through Stripe to the card used" in t for t in told)
    admin_mail = mail.wait_for(admin.email, 1)
    assert any("Payment returned" in m["Subject"] for m in admin_mail)
    row = db.session.execute(
        select(WebhookEvent).where(WebhookEvent.result == "returned")
    ).scalar_one()
    assert row.engagement_id == engagement.id


def test_stripe_unreachable_for_the_refund_fails_the_fulfilment_and_a_redelivery_fulfils_it(  # type: ignore[no-untyped-def]
    app, client, cluster, workshop, stripe_stand_in
):
    from tests.engagements.support import free_port

    engagement, intent = _cancelled_card_engagement(cluster, workshop, stripe_stand_in)
    evt = _intent_succeeded(engagement, intent)
    app.config["STRIPE_API_BASE"] = f"http://127.0.0.1:{free_port()}"
    try:
        assert _post(client, evt).status_code == 200  # stored: Stripe need not deliver it again
    finally:
        app.config["STRIPE_API_BASE"] = stripe_stand_in.url
    # eager tasks retry at once: every attempt failed, nothing half-done is left
    assert _ledger() == [] and _result(evt) == "failed"
    assert _post(client, evt).json == {"received": "received"}  # Stripe's "Resend" queues it again
    assert _result(evt) == "returned"
    assert _ledger() == [("charge", 120000), ("refund", 120000)]


def test_cancelling_a_paid_card_booking_refunds_through_stripe(client, cluster, workshop, stripe_stand_in, mail):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop, method="card", card_enabled=True)
    manager = manager_of(cluster)
    checkout.start(engagement.id, Actor(manager.id, manager.email), manager.email)
    db.session.expire_all()
    session_id = db.session.get(Engagement, engagement.id).checkout_session_id
    _post(client, stripe_stand_in.pay(session_id))
    mail.clear()
    login(client, manager)
    response = client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"})
    assert "is refunded to the card used" in client.get(response.location).get_data(as_text=True)
    assert _ledger() == [("charge", 120000), ("refund", 120000)]
    intent = stripe_stand_in.sessions[session_id]["payment_intent"]
    assert stripe_stand_in.charge_of(intent)["amount_refunded"] == 120000
    cancelled = next(m for m in mail.wait_for(manager.email, 1) if m["Subject"].startswith("Cancelled"))
    assert "is refunded to the card used" in _text(cancelled)


def test_payment_for_a_cancelled_engagement_through_localstripe(cluster, review, stripe_local, mail):  # type: ignore[no-untyped-def]
    """The real SDK against localstripe: the signed webhook arrives by itself and the refund is real."""
    import stripe

    from tests.engagements.support import SECRET_KEY

    engagement = book(cluster, review, method="card", card_enabled=True)
    manager = manager_of(cluster)
    bookings.cancel(engagement.id, Actor(manager.id, manager.email), "Changed our minds")
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": stripe_local}, max_network_retries=0)
    customer = client.v1.customers.create(params={"email": "office@cluster.example"})
    intent = client.v1.payment_intents.create(
        params={
            "amount": engagement.total_minor,
            "currency": "eur",
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "confirm": True,
            "metadata": {"engagement_id": str(engagement.id)},
        }
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        db.session.expire_all()
        if db.session.get(Engagement, engagement.id).state == "refunded":
            break
        time.sleep(0.1)
    assert db.session.get(Engagement, engagement.id).state == "refunded"
    assert _ledger() == [("charge", engagement.total_minor), ("refund", engagement.total_minor)]
    refunds = client.v1.refunds.list(params={"payment_intent": intent.id}).data
    assert sum(r.amount for r in refunds) == engagement.total_minor
