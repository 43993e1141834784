"""The success page asks Stripe and the webhook reports the same payment, at the same time.

Whichever arrives first marks the engagement paid; the other changes nothing.
ENGAGEMENTS_RACE_TRIALS trials (200 by default) with both requests released together on two threads.
"""

from __future__ import annotations

import os
import random
import threading
import time

from sqlalchemy import func, select

from core.api import db
from engagements.models import Engagement, LedgerEntry, Transition
from tests.engagements.support import body, sign
from tests.factories import login, manager_of

# 200 trials by default (each pays a card engagement end to end, mail included); raise it with the
# variable for a longer hunt.
TRIALS = int(os.environ.get("ENGAGEMENTS_RACE_TRIALS", "200"))


def _awaiting(cluster, service, stand_in) -> tuple[Engagement, dict]:  # type: ignore[no-untyped-def]
    engagement = Engagement(
        cluster_id=cluster.id,
        service_id=service.id,
        state="awaiting_payment",
        payment_method="card",
        title=service.title,
        net_minor=100000,
        vat_minor=20000,
        total_minor=120000,
        currency="EUR",
        vat_rate_bp=2000,
        cancellation_policy="14:100",
    )
    db.session.add(engagement)
    db.session.flush()
    _, session = stand_in.handle(
        "POST",
        "/v1/checkout/sessions",
        {
            "mode": "payment",
            "line_items[0][price_data][unit_amount]": "120000",
            "line_items[0][price_data][currency]": "eur",
            "metadata[engagement_id]": str(engagement.id),
            "payment_intent_data[metadata][engagement_id]": str(engagement.id),
        },
        None,
    )
    engagement.checkout_session_id = session["id"]
    db.session.commit()
    return engagement, stand_in.pay(session["id"])


def test_success_page_racing_the_webhook_never_pays_twice(app, cluster, review, stripe_stand_in, monkeypatch):  # type: ignore[no-untyped-def]
    # The race is about marking the payment; drafting each paid report (a PDF per trial) is not.
    from engagements.reports import jobs as report_jobs

    monkeypatch.setattr(report_jobs, "create_draft_job", lambda *args, **kwargs: None)
    manager = manager_of(cluster)
    cluster_id = cluster.id
    page_client = app.test_client()
    login(page_client, manager)
    hook_client = app.test_client()
    start, done = threading.Barrier(3), threading.Barrier(3)
    job: dict = {}
    errors: list[str] = []

    def run(name: str, request) -> None:  # type: ignore[no-untyped-def]
        try:
            for _ in range(TRIALS):
                start.wait()
                status = request().status_code
                if status != 200:
                    errors.append(f"{name}: {status}")
                done.wait()
        except threading.BrokenBarrierError:
            pass
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(f"{name}: {exc!r}")
            start.abort()
            done.abort()

    def deliver_webhook():  # type: ignore[no-untyped-def]
        # The success page has more to do before it reaches the database (session,
        # a call to Stripe); a small random head start for it lets both sides win.
        time.sleep(job["delay"])
        return hook_client.post(
            "/webhooks/stripe", data=job["payload"], headers={"Stripe-Signature": job["sig"]}
        )

    def open_success_page():  # type: ignore[no-untyped-def]
        return page_client.get(f"/clusters/{cluster_id}/engagements/{job['id']}/checkout/success")

    threads = [
        threading.Thread(target=run, args=("webhook", deliver_webhook)),
        threading.Thread(target=run, args=("page", open_success_page)),
    ]
    for t in threads:
        t.start()
    ids = []
    rng = random.Random(1000)
    try:
        for _ in range(TRIALS):
            engagement, evt = _awaiting(cluster, review, stripe_stand_in)
            payload = body(evt)
            job.update(id=engagement.id, payload=payload, sig=sign(payload), delay=rng.uniform(0, 0.012))
            ids.append(engagement.id)
            start.wait()
            done.wait()
    except threading.BrokenBarrierError:
        pass
    for t in threads:
        t.join()

    assert errors == []
    db.session.expire_all()
    paid_transitions = db.session.execute(
        select(Transition.engagement_id, func.count())
        .where(Transition.to_state == "paid")
        .group_by(Transition.engagement_id)
    ).all()
    assert len(paid_transitions) == TRIALS and all(n == 1 for _, n in paid_transitions)
    charges = db.session.execute(
        select(LedgerEntry.engagement_id, func.count()).group_by(LedgerEntry.engagement_id)
    ).all()
    assert len(charges) == TRIALS and all(n == 1 for _, n in charges)
    states = set(db.session.execute(select(Engagement.state).where(Engagement.id.in_(ids))).scalars())
    assert states == {"paid"}
    winners = set(
        db.session.execute(select(Transition.actor_label).where(Transition.to_state == "paid")).scalars()
    )
    assert winners == {"Stripe (webhook)", "Stripe (checkout return)"}  # the race really happened both ways
