"""Stripe webhook endpoint under load: one server process, 20 % duplicate deliveries.

Target (issue 5): at least 300 events/s with p99 under 50 ms, measured against
the trivial ``/ping`` route served by the same process in the same run. As in
the other benchmarks, requests go through the WSGI app in-process (no network,
no HTTP server in the way), from one thread and then from four. Each
unique event is a signed ``payment_intent.succeeded`` for its own engagement
(the heaviest path: verify, store, compare-and-set, ledger, receipt number,
email to the outbox); every fifth delivery repeats an event already sent.
After the run the database is checked: one "paid" transition and one ledger
entry per engagement, whatever the duplicates.

Run: .venv/bin/python bench/bench_webhooks.py   (BENCH_DATABASE_URL for PostgreSQL;
SQLite runs in WAL mode with synchronous=NORMAL, as core sets it)
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import threading
import time

from common import bench_database_url, make_bench_app, run_load

from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.clusters.models import Cluster, Membership
from core.extensions import db
from engagements.models import Engagement, LedgerEntry, Service, Transition, WebhookEvent

WEBHOOK_SECRET = "whsec_bench"
EVENTS = 1500
DUPLICATE_SHARE = 0.2
CONCURRENCY = 4


def seed(count: int) -> list[int]:
    user = User(email="manager@bench.example", password_hash=hash_password("bench passphrase 2026"))
    cluster = Cluster(name="Bench cluster", country="France")
    db.session.add_all([user, cluster])
    db.session.flush()
    db.session.add(
        Membership(cluster_id=cluster.id, user_id=user.id, role="manager", organisation_type="intermediary")
    )
    service = Service(
        slug="bench",
        title="Bench workshop",
        price_minor=100000,
        currency="EUR",
        vat_rate_bp=2000,
        cancellation_policy="14:100",
    )
    db.session.add(service)
    db.session.flush()
    rows = [
        Engagement(
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
            requested_by_id=user.id,
        )
        for _ in range(count)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [e.id for e in rows]


def signed(event: dict) -> tuple[bytes, str]:
    payload = json.dumps(event, indent=2).encode()
    t = int(time.time())
    mac = hmac.new(WEBHOOK_SECRET.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={t},v1={mac}"


def deliveries(engagement_ids: list[int], total: int) -> list[tuple[bytes, str]]:
    """``total`` deliveries, a fifth of them repeats of an earlier event."""
    rng = random.Random(5)
    unique = [
        signed(
            {
                "id": f"evt_bench_{i}",
                "object": "event",
                "type": "payment_intent.succeeded",
                "created": int(time.time()),
                "data": {
                    "object": {
                        "id": f"pi_bench_{i}",
                        "object": "payment_intent",
                        "amount": 120000,
                        "amount_received": 120000,
                        "currency": "eur",
                        "metadata": {"engagement_id": str(eid)},
                    }
                },
            }
        )
        for i, eid in enumerate(engagement_ids)
    ]
    out: list[tuple[bytes, str]] = []
    sent: list[tuple[bytes, str]] = []
    fresh = iter(unique)
    for _ in range(total):
        if sent and rng.random() < DUPLICATE_SHARE:
            out.append(rng.choice(sent))
        else:
            item = next(fresh)
            sent.append(item)
            out.append(item)
    return out


def main() -> None:
    url = bench_database_url()
    app = make_bench_app(url)
    app.config.update(STRIPE_SECRET_KEY="sk_bench", STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, LOG_LEVEL="WARNING")
    runs = [(1, EVENTS), (CONCURRENCY, EVENTS)]
    total = sum(n for _, n in runs) + 20 * len(runs)  # run_load warms up with 20 calls
    with app.app_context():
        ids = seed(total)
    plan = deliveries(ids, total)
    duplicates = total - len({p for p, _ in plan})
    local = threading.local()

    def client():  # type: ignore[no-untyped-def]
        if not hasattr(local, "c"):
            local.c = app.test_client()
        return local.c

    counter = itertools.count()
    lock = threading.Lock()

    def deliver() -> int:
        with lock:
            payload, header = plan[next(counter)]
        return (
            client()
            .post(
                "/webhooks/stripe",
                data=payload,
                headers={"Stripe-Signature": header, "Content-Type": "application/json"},
            )
            .status_code
        )

    print(f"database: {url.split(':', 1)[0]}; in-process WSGI, one process")
    print(f"deliveries: {total} ({duplicates} duplicates, {duplicates / total:.0%})")
    met = True
    for threads, n in runs:
        ping = run_load(lambda: client().get("/ping").status_code, total=n, concurrency=threads)
        hooks = run_load(deliver, total=n, concurrency=threads)
        print(ping.line(f"GET /ping, {threads} thread(s)"))
        print(hooks.line(f"POST /webhooks/stripe, {threads} th."))
        print(
            f"  -> {hooks.rps:.0f} events/s = {hooks.rps / ping.rps:.3f} x baseline; "
            f"p99 {hooks.percentile(99):.1f} ms vs baseline p99 {ping.percentile(99):.2f} ms"
        )
        met = met and hooks.rps >= 300 and hooks.percentile(99) < 50 and hooks.errors == 0
    with app.app_context():
        paid = db.session.query(Transition).filter(Transition.to_state == "paid").count()
        ledger = db.session.query(LedgerEntry).count()
        events = db.session.query(WebhookEvent).count()
        doubles = (
            db.session.query(Transition.engagement_id)
            .filter(Transition.to_state == "paid")
            .group_by(Transition.engagement_id)
            .having(db.func.count() > 1)
            .count()
        )
    print(f"target (>= 300 events/s, p99 < 50 ms) {'met' if met else 'NOT met'} in every run")
    print(
        f"check: {events} events stored, {paid} paid transitions, {ledger} ledger entries, "
        f"{doubles} engagements paid twice"
    )


if __name__ == "__main__":
    main()
