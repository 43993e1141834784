"""POST /webhooks/stripe: signatures, storing each event once, order-independence."""

from __future__ import annotations

import json
import threading
import time

from sqlalchemy import func, select

from core.api import db
from engagements.billing import checkout
from engagements.lifecycle import Actor
from engagements.models import Engagement, LedgerEntry, Transition, WebhookEvent
from tests.engagements.conftest import book
from tests.engagements.support import body, event, sign
from tests.factories import manager_of

URL = "/webhooks/stripe"


def _post(client, evt_or_payload, header=None):  # type: ignore[no-untyped-def]
    payload = evt_or_payload if isinstance(evt_or_payload, bytes) else body(evt_or_payload)
    return client.post(
        URL,
        data=payload,
        headers={"Stripe-Signature": header or sign(payload), "Content-Type": "application/json"},
    )


def _fulfilled(client, evt) -> str:  # type: ignore[no-untyped-def]
    """Post the event (answered at once: "received"), then what the worker's task did with it.

    With CELERY_TASK_ALWAYS_EAGER the task runs right after the webhook's commit."""
    response = _post(client, evt)
    assert response.status_code == 200 and response.json == {"received": "received"}
    db.session.expire_all()
    return db.session.execute(
        select(WebhookEvent.result).where(WebhookEvent.stripe_event_id == evt["id"])
    ).scalar_one()


def _count(model) -> int:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _paid_transitions(engagement_id: int) -> int:
    db.session.expire_all()
    return db.session.execute(
        select(func.count())
        .select_from(Transition)
        .where(Transition.engagement_id == engagement_id, Transition.to_state == "paid")
    ).scalar_one()


def _card_engagement(cluster, service, stand_in):  # type: ignore[no-untyped-def]
    engagement = book(cluster, service, method="card", card_enabled=True)
    manager = manager_of(cluster)
    checkout.start(engagement.id, Actor(manager.id, manager.email), manager.email)
    db.session.expire_all()
    return db.session.get(Engagement, engagement.id)


def test_checkout_completed_marks_the_engagement_paid_once(client, cluster, workshop, stripe_stand_in, mail):  # type: ignore[no-untyped-def]
    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    assert engagement.state == "awaiting_payment"
    evt = stripe_stand_in.pay(engagement.checkout_session_id)
    assert _post(client, evt).status_code == 200
    again = _post(client, evt)
    assert again.status_code == 200 and again.json == {"received": "duplicate"}
    db.session.expire_all()
    engagement = db.session.get(Engagement, engagement.id)
    assert (
        engagement.state == "paid" and engagement.payment_intent_id == evt["data"]["object"]["payment_intent"]
    )
    assert _paid_transitions(engagement.id) == 1
    assert _count(LedgerEntry) == 1 and _count(WebhookEvent) == 1
    mail.wait_for(manager_of(cluster).email, 2)  # "requested" + "paid"
    time.sleep(0.2)
    assert len(mail.to(manager_of(cluster).email)) == 2


def test_payment_intent_succeeded_after_checkout_changes_nothing_more(
    client, cluster, workshop, stripe_stand_in
):  # type: ignore[no-untyped-def]
    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    completed = stripe_stand_in.pay(engagement.checkout_session_id)
    pi = completed["data"]["object"]["payment_intent"]
    intent = event(
        "payment_intent.succeeded",
        {
            "id": pi,
            "object": "payment_intent",
            "amount": 120000,
            "amount_received": 120000,
            "currency": "eur",
            "metadata": {"engagement_id": str(engagement.id)},
        },
    )
    assert _fulfilled(client, intent) == "processed"
    assert _fulfilled(client, completed) == "already_applied"
    assert _paid_transitions(engagement.id) == 1 and _count(LedgerEntry) == 1


def test_completed_but_unpaid_session_waits_for_the_async_result(client, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    completed = stripe_stand_in.pay(engagement.checkout_session_id, async_payment=True)
    assert _fulfilled(client, completed) == "awaiting_async_payment"
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "awaiting_payment"
    assert _fulfilled(client, stripe_stand_in.settle_async(engagement.checkout_session_id, True)) == "processed"
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "paid"


def test_failed_async_payment_leaves_the_engagement_payable_again(client, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    _post(client, stripe_stand_in.pay(engagement.checkout_session_id, async_payment=True))
    assert _fulfilled(client, stripe_stand_in.settle_async(engagement.checkout_session_id, False)) == "payment_failed"
    db.session.expire_all()
    engagement = db.session.get(Engagement, engagement.id)
    assert engagement.state == "awaiting_payment" and engagement.checkout_session_id is None
    assert _count(LedgerEntry) == 0


def test_bad_signature_stale_timestamp_and_reserialised_body_are_refused(
    client, cluster, workshop, stripe_stand_in
):  # type: ignore[no-untyped-def]
    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    evt = stripe_stand_in.pay(engagement.checkout_session_id)
    payload = body(evt)
    reserialised = json.dumps(json.loads(payload), separators=(",", ":")).encode()
    cases = [
        (payload, sign(payload, secret="whsec_wrong")),
        (payload, sign(payload, timestamp=int(time.time()) - 301)),
        (reserialised, sign(payload)),
        (payload, "t=123"),
    ]
    for data, header in cases:
        assert _post(client, data, header).status_code == 400
    assert client.post(URL, data=payload).status_code == 400  # no header at all
    assert _count(WebhookEvent) == 0 and _count(LedgerEntry) == 0
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "awaiting_payment"


def test_unknown_types_are_stored_and_ignored(client, stripe_stand_in):  # type: ignore[no-untyped-def]
    assert _fulfilled(client, event("customer.created", {"id": "cus_1", "object": "customer"})) == "ignored"
    assert db.session.execute(select(WebhookEvent.result)).scalar_one() == "ignored"


def test_event_for_an_unknown_engagement_is_stored_and_reported(client, stripe_stand_in):  # type: ignore[no-untyped-def]
    evt = event(
        "payment_intent.succeeded",
        {
            "id": "pi_x",
            "object": "payment_intent",
            "amount": 100,
            "currency": "eur",
            "metadata": {"engagement_id": "999999"},
        },
    )
    assert _fulfilled(client, evt) == "unknown_engagement"
    assert db.session.execute(select(WebhookEvent.result)).scalar_one() == "unknown_engagement"


def test_wrong_amount_is_reported_not_fulfilled(client, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    evt = event(
        "payment_intent.succeeded",
        {
            "id": "pi_cheap",
            "object": "payment_intent",
            "amount": 100,
            "currency": "eur",
            "metadata": {"engagement_id": str(engagement.id)},
        },
    )
    assert _fulfilled(client, evt) == "amount_mismatch"
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "awaiting_payment"


def test_refund_arriving_before_the_completion_ends_refunded(
    client, cluster, workshop, stripe_stand_in, mail
):  # type: ignore[no-untyped-def]
    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    completed = stripe_stand_in.pay(engagement.checkout_session_id)
    pi = completed["data"]["object"]["payment_intent"]
    stripe_stand_in.handle("POST", "/v1/refunds", {"payment_intent": pi, "amount": "120000"}, None)
    refunded = stripe_stand_in.refund_event(pi)
    assert _fulfilled(client, refunded) == "waiting_for_payment"
    assert _fulfilled(client, completed) == "processed"
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "refunded"
    states = (
        db.session.execute(
            select(Transition.to_state)
            .where(Transition.engagement_id == engagement.id)
            .order_by(Transition.id)
        )
        .scalars()
        .all()
    )
    assert states[-2:] == ["paid", "refunded"]
    assert (
        db.session.execute(
            select(WebhookEvent.result).where(WebhookEvent.type == "charge.refunded")
        ).scalar_one()
        == "processed"
    )


def test_dispute_flags_the_engagement(client, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    completed = stripe_stand_in.pay(engagement.checkout_session_id)
    _post(client, completed)
    pi = completed["data"]["object"]["payment_intent"]
    dispute = event(
        "charge.dispute.created",
        {"id": "dp_1", "object": "dispute", "payment_intent": pi, "reason": "fraudulent", "amount": 120000},
    )
    assert _fulfilled(client, dispute) == "flagged"
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).disputed_at is not None


def test_twenty_concurrent_deliveries_give_one_transition_email_and_ledger_entry(
    app,
    cluster,
    workshop,
    stripe_stand_in,
    mail,  # type: ignore[no-untyped-def]
):
    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    payload = body(stripe_stand_in.pay(engagement.checkout_session_id))
    header = sign(payload)
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def deliver() -> None:
        with app.test_client() as c:
            barrier.wait()
            statuses.append(c.post(URL, data=payload, headers={"Stripe-Signature": header}).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 20
    assert _paid_transitions(engagement.id) == 1
    assert _count(LedgerEntry) == 1 and _count(WebhookEvent) == 1
    manager = manager_of(cluster).email
    mail.wait_for(manager, 2)
    time.sleep(0.3)
    assert sum("Payment received" in m["Subject"] for m in mail.to(manager)) == 1


def test_cancelling_while_checkout_is_open_closes_the_payment_page(
    client, cluster, workshop, stripe_stand_in
):  # type: ignore[no-untyped-def]
    from tests.factories import login

    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"})
    assert stripe_stand_in.sessions[engagement.checkout_session_id]["status"] == "expired"
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "cancelled"


def test_cancel_waits_when_the_card_payment_was_just_made(client, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    from tests.factories import login

    engagement = _card_engagement(cluster, workshop, stripe_stand_in)
    stripe_stand_in.pay(engagement.checkout_session_id)  # paid, webhook not arrived yet
    login(client, manager_of(cluster))
    response = client.post(
        f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel",
        data={"confirm": "y"},
        follow_redirects=True,
    )
    assert "being confirmed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "awaiting_payment"
