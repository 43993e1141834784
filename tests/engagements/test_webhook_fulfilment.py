"""Stripe events are stored at once and fulfilled by the worker's task: retried, swept, reconciled.

"Worker down" is a real sending app on Redis (DB 7) whose queue nobody consumes: the
event is stored and its task waits in Redis. The session app (eager tasks) then plays
the worker that comes back, through the sweep or ``engagements reconcile --fix``.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta
from typing import Iterator

import pytest
import redis
from sqlalchemy import func, select

from core.api import db, utcnow
from engagements.billing import checkout, fulfilment
from engagements.lifecycle import Actor
from engagements.models import Engagement, LedgerEntry, Transition, WebhookEvent
from tests.engagements.conftest import book
from tests.engagements.support import SECRET_KEY, WEBHOOK_SECRET, body, free_port, sign
from tests.engagements.test_payments_nobody_owes import _cancelled_card_engagement, _intent_succeeded
from tests.factories import create_user, login, manager_of

URL = "/webhooks/stripe"
REDIS = "redis://127.0.0.1:6379/7"  # DB 7 and queues named hooks-*: this suite's share of the shared Redis


def _redis_or_skip() -> None:
    with socket.socket() as sock:
        sock.settimeout(1)
        if sock.connect_ex(("127.0.0.1", 6379)) != 0:
            if os.environ.get("CI"):
                pytest.fail("Redis must run in CI")
            pytest.skip("Redis is not running on 127.0.0.1:6379")


@pytest.fixture()
def worker_down(make_app, stripe_stand_in) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    """The web app as deployed (tasks sent to Redis), with no worker consuming its queue."""
    _redis_or_skip()
    queue = f"hooks-down-{uuid.uuid4().hex[:8]}"
    sender = make_app(
        CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=REDIS, CELERY_RESULT_BACKEND=REDIS,
        STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=stripe_stand_in.url,
    )
    sender.extensions["celery"].conf.task_default_queue = queue
    yield sender
    redis.Redis.from_url(REDIS).delete(queue)


def _post(client, evt):  # type: ignore[no-untyped-def]
    payload = body(evt)
    return client.post(URL, data=payload, headers={"Stripe-Signature": sign(payload), "Content-Type": "application/json"})


def _row(evt) -> WebhookEvent:  # type: ignore[no-untyped-def]
    db.session.rollback()
    db.session.expire_all()
    return db.session.execute(select(WebhookEvent).where(WebhookEvent.stripe_event_id == evt["id"])).scalar_one()


def _state(engagement_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Engagement, engagement_id).state


def _card_engagement(cluster, service):  # type: ignore[no-untyped-def]
    engagement = book(cluster, service, method="card", card_enabled=True)
    manager = manager_of(cluster)
    checkout.start(engagement.id, Actor(manager.id, manager.email), manager.email)
    db.session.expire_all()
    return db.session.get(Engagement, engagement.id)


def _count(model) -> int:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_with_the_worker_down_the_event_is_stored_answered_and_fulfilled_by_the_sweep(  # type: ignore[no-untyped-def]
    worker_down, cluster, workshop, stripe_stand_in, mail
):
    engagement = _card_engagement(cluster, workshop)
    evt = stripe_stand_in.pay(engagement.checkout_session_id)
    response = _post(worker_down.test_client(), evt)
    assert response.status_code == 200 and response.json == {"received": "received"}
    assert _post(worker_down.test_client(), evt).json == {"received": "duplicate"}
    row = _row(evt)
    assert row.result == "received" and row.processed_at is None and _state(engagement.id) == "awaiting_payment"
    assert redis.Redis.from_url(REDIS).llen(worker_down.extensions["celery"].conf.task_default_queue) == 1

    assert fulfilment.sweep() == []  # too fresh: its own task may still arrive
    later = utcnow() + timedelta(seconds=11)
    assert fulfilment.sweep(now=later) == [row.id]  # the worker is back (eager): fulfilled after the commit
    done = _row(evt)
    assert done.result == "processed" and done.processed_at is not None and done.engagement_id == engagement.id
    assert _state(engagement.id) == "paid" and _count(LedgerEntry) == 1
    assert fulfilment.sweep(now=later + timedelta(minutes=10)) == []
    mail.wait_for(manager_of(cluster).email, 2)  # "requested" + "paid"


def test_events_stored_in_the_wrong_order_end_refunded(worker_down, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    engagement = _card_engagement(cluster, workshop)
    completed = stripe_stand_in.pay(engagement.checkout_session_id)
    pi = completed["data"]["object"]["payment_intent"]
    stripe_stand_in.handle("POST", "/v1/refunds", {"payment_intent": pi, "amount": "120000"}, None)
    client = worker_down.test_client()
    assert _post(client, stripe_stand_in.refund_event(pi)).status_code == 200  # the refund arrives first
    assert _post(client, completed).status_code == 200
    assert fulfilment.sweep(now=utcnow() + timedelta(seconds=11)) != []
    assert _state(engagement.id) == "refunded"
    assert _row(completed).result == "processed"
    states = db.session.execute(
        select(Transition.to_state).where(Transition.engagement_id == engagement.id).order_by(Transition.id)
    ).scalars().all()
    assert states[-2:] == ["paid", "refunded"] and states.count("paid") == 1


def test_reconcile_reports_then_fulfils_events_the_worker_never_took(worker_down, app, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    with stripe_stand_in.lock:  # the stand-in serves the whole session: forget earlier tests' charges
        stripe_stand_in.charges.clear()
        stripe_stand_in.refunds.clear()
    engagement = _card_engagement(cluster, workshop)
    evt = stripe_stand_in.pay(engagement.checkout_session_id)
    _post(worker_down.test_client(), evt)
    runner = app.test_cli_runner()
    report = runner.invoke(args=["engagements", "reconcile"])
    assert "event_not_fulfilled" in report.output and evt["id"] in report.output
    assert _row(evt).result == "received" and _state(engagement.id) == "awaiting_payment"
    fixed = runner.invoke(args=["engagements", "reconcile", "--fix"])
    assert "event_not_fulfilled" in fixed.output and "[fixed]" in fixed.output, fixed.output
    assert _row(evt).result == "processed" and _state(engagement.id) == "paid"
    assert "agree" in runner.invoke(args=["engagements", "reconcile"]).output


def test_a_failed_attempt_is_recorded_with_backoff_and_retried(worker_down, app, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    engagement, intent = _cancelled_card_engagement(cluster, workshop, stripe_stand_in)
    evt = _intent_succeeded(engagement, intent)  # refunding it needs Stripe
    _post(worker_down.test_client(), evt)
    row_id = _row(evt).id
    app.config["STRIPE_API_BASE"] = f"http://127.0.0.1:{free_port()}"  # Stripe unreachable
    try:
        before = utcnow()
        with pytest.raises(fulfilment.RetryLater) as first:
            fulfilment.fulfil(row_id)
        assert first.value.countdown == 5
        row = _row(evt)
        assert row.result == "retrying" and row.attempts == 1 and "Attempt 1" in row.detail
        assert row.next_attempt_at is not None and row.next_attempt_at >= before + timedelta(seconds=5)
        assert _count(LedgerEntry) == 0  # the failed attempt left nothing half-done
        with pytest.raises(fulfilment.RetryLater) as second:
            fulfilment.fulfil(row_id)
        assert second.value.countdown == 10 and _row(evt).attempts == 2
        assert fulfilment.sweep() == []  # not due before its backoff
    finally:
        app.config["STRIPE_API_BASE"] = stripe_stand_in.url
    assert fulfilment.sweep(now=utcnow() + timedelta(minutes=1)) == [row_id]
    done = _row(evt)
    assert done.result == "returned" and done.attempts == 2
    assert fulfilment.fulfil(row_id).endswith("already returned")  # a late duplicate task changes nothing
    assert _count(LedgerEntry) == 2  # the payment and its return, once


def test_failing_for_good_mails_the_admins_once_and_the_admin_retries_it(  # type: ignore[no-untyped-def]
    app, client, cluster, workshop, stripe_stand_in, mail
):
    from core.background.alerts import alert_failed_jobs

    admins = [create_user(is_admin=True), create_user(is_admin=True)]
    engagement, intent = _cancelled_card_engagement(cluster, workshop, stripe_stand_in)
    evt = _intent_succeeded(engagement, intent)
    mail.clear()
    app.config["STRIPE_API_BASE"] = f"http://127.0.0.1:{free_port()}"
    try:
        assert _post(client, evt).status_code == 200  # eager: all five attempts run at once, and fail
    finally:
        app.config["STRIPE_API_BASE"] = stripe_stand_in.url
    row = _row(evt)
    assert row.result == "failed" and row.attempts == 5 and "Attempt 5" in row.detail
    for admin in admins:
        alert = mail.wait_for(admin.email, 1)
        assert "Background job failed" in alert[0]["Subject"] and evt["id"] in alert[0]["Subject"]
        text = alert[0].get_body(preferencelist=("plain",)).get_content()
        assert "http://localhost/admin/jobs?state=failed&kind=stripe_events" in text
    assert alert_failed_jobs() == 0  # the sweep finds it already alerted
    assert alert_failed_jobs() == 0
    assert all(len(mail.to(admin.email)) == 1 for admin in admins)

    login(client, admins[0])
    page = client.get("/admin/jobs?state=failed")
    assert page.status_code == 200 and evt["id"] in page.get_data(as_text=True)
    retried = client.post(f"/admin/jobs/stripe_events/{row.id}/retry", follow_redirects=True)
    assert "queued for fulfilment again" in retried.get_data(as_text=True)
    assert _row(evt).result == "returned"  # eager: fulfilled on the retry's commit
    again = client.post(f"/admin/jobs/stripe_events/{row.id}/retry", follow_redirects=True)
    assert "Only a Stripe event whose fulfilment failed can be retried" in again.get_data(as_text=True)
