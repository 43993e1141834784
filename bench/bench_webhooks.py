"""Stripe webhook endpoint under load with ``wrk``, then fulfilment lag with a real worker.

Targets (issue 11): at least 300 events/s with 20 % duplicate deliveries and p99 under
50 ms, on SQLite and on PostgreSQL; the worker fulfils a stored event within 1 s (p50)
on the Redis broker.

1. gunicorn (2 sync workers) serves the app as deployed: tasks go to Redis (DB 7, a
   private ``hooks-bench-*`` queue). ``wrk`` (2 threads, 4 connections, 10 s) first GETs
   ``/ping`` (the baseline, same run, same server), then POSTs pre-signed
   ``payment_intent.succeeded`` events from a file (``webhook_deliveries.lua``): one per
   engagement, every fifth delivery a repeat of an earlier one. No worker runs in this
   phase, so the figures are the endpoint's own: verify, store once, send the task.
2. A Celery worker (2 processes, one per core) is started on a fresh queue and events are posted one by
   one at about 20/s; the lag is ``processed_at - received_at`` of each stored event.
   Then the database is checked: one "paid" transition and one ledger entry per event.

Run: .venv/bin/python bench/bench_webhooks.py
     (BENCH_PG_URL overrides postgresql+psycopg://postgres@127.0.0.1:5432/bench_hooks;
      BENCH_DATABASES=sqlite or =postgresql runs one of them)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import redis
import requests
from common import ROOT, SECRET, gunicorn, make_bench_app

from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.clusters.models import Cluster, Membership
from core.extensions import db
from engagements.models import Engagement, LedgerEntry, Service, Transition, WebhookEvent

WEBHOOK_SECRET = "whsec_bench"
BROKER = "redis://127.0.0.1:6379/7"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_hooks")
DUPLICATE_SHARE = 0.2
UNIQUE_EVENTS = 12000  # more than 10 s at 1000 events/s, so the file's repeats are the only ones
WRK_THREADS, WRK_CONNECTIONS = 2, int(os.environ.get("BENCH_CONNECTIONS", "4"))
WRK_SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
LAG_EVENTS, LAG_RATE = 200, 20.0
WARM_UP_EVENTS = 40  # each gunicorn worker connects to the broker on its first send
SCRIPTS = Path(__file__).resolve().parent


def seed(count: int) -> list[int]:
    """``count`` card engagements awaiting payment (EUR 1,200.00 each); their ids."""
    user = User(email="manager@bench.example", password_hash=hash_password("bench passphrase 2026"))
    cluster = Cluster(name="Bench cluster", country="France")
    db.session.add_all([user, cluster])
    db.session.flush()
    db.session.add(
        Membership(cluster_id=cluster.id, user_id=user.id, role="manager", organisation_type="intermediary")
    )
    service = Service(
        slug="bench",
        # A facilitated session: paying for a workshop also queues its brief's drafting (PDF rendering)
        # on the same worker, which is document work, not the fulfilment this measures.
        kind="session",
        title="Bench session",
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


@dataclass
class Wrk:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_200: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def line(self, label: str) -> str:
        return (f"{label:30} {self.rps:8.1f} req/s   p50 {self.p50_ms:6.2f} ms   p99 {self.p99_ms:6.2f} ms   "
                f"errors {self.errors + self.non_200}")


def wrk(base: str, path: str, script: str, *args: str) -> Wrk:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "-s", str(SCRIPTS / script),
               base + path]
    if args:
        command += ["--", *args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(text for text in reversed(output.splitlines()) if text.startswith("{"))
    return Wrk(**json.loads(line))


def signed_line(event_id: str, engagement_id: int) -> str:
    """One line of the deliveries file: Stripe's signature header, a tab, the exact body it signs."""
    payload = json.dumps({
        "id": event_id, "object": "event", "type": "payment_intent.succeeded", "created": int(time.time()),
        "data": {"object": {"id": f"pi_{event_id}", "object": "payment_intent", "amount": 120000,
                            "amount_received": 120000, "currency": "eur",
                            "metadata": {"engagement_id": str(engagement_id)}}},
    }, separators=(",", ":"))
    t = int(time.time())
    mac = hmac.new(WEBHOOK_SECRET.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}\t{payload}"


def deliveries_file(engagement_ids: list[int], tag: str) -> tuple[str, int]:
    """Write the deliveries (a fifth are repeats of an earlier event); (path, number of lines)."""
    rng = random.Random(11)
    unique = [signed_line(f"evt_{tag}_{i}", eid) for i, eid in enumerate(engagement_ids)]
    lines: list[str] = []
    sent: list[str] = []
    fresh = iter(unique)
    while True:
        if sent and rng.random() < DUPLICATE_SHARE:
            lines.append(rng.choice(sent))
            continue
        item = next(fresh, None)
        if item is None:
            break
        sent.append(item)
        lines.append(item)
    path = Path(tempfile.mkdtemp()) / "deliveries.txt"
    path.write_text("\n".join(lines) + "\n")
    return str(path), len(lines)


def server_env(queue: str) -> dict[str, str]:
    return {
        "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER, "CELERY_TASK_DEFAULT_QUEUE": queue,
        # Paid workshops and sessions queue their brief's drafting: a worker of its own renders those.
        "CELERY_DOCUMENTS_QUEUE": f"{queue}-documents",
        "STRIPE_SECRET_KEY": "sk_bench", "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "BASE_URL": "http://bench.test",
    }


def start_worker(database_url: str, queue: str, concurrency: int = 2) -> subprocess.Popen:  # type: ignore[type-arg]
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET, "MAIL_SERVER": "", "LOG_LEVEL": "WARNING",
           **server_env(queue)}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.app", "worker", "--pool=prefork", f"--concurrency={concurrency}",
         "--loglevel=warning", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def fulfilment_lag(app, base: str, database_url: str, engagement_ids: list[int], tag: str) -> list[float]:  # type: ignore[no-untyped-def]
    """Post events one by one at LAG_RATE/s with a worker running; each event's stored → fulfilled seconds."""
    session = requests.Session()
    event_ids = []
    for i, eid in enumerate(engagement_ids):
        header, payload = signed_line(f"evt_{tag}_{i}", eid).split("\t", 1)
        started = time.perf_counter()
        response = session.post(base + "/webhooks/stripe", data=payload.encode(),
                                headers={"Stripe-Signature": header, "Content-Type": "application/json"})
        assert response.status_code == 200, response.text
        event_ids.append(f"evt_{tag}_{i}")
        time.sleep(max(0.0, 1 / LAG_RATE - (time.perf_counter() - started)))
    with app.app_context():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            db.session.rollback()
            rows = db.session.execute(
                db.select(WebhookEvent.received_at, WebhookEvent.processed_at, WebhookEvent.result)
                .where(WebhookEvent.stripe_event_id.in_(event_ids))
            ).all()
            if len(rows) == len(event_ids) and all(r.processed_at is not None for r in rows):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("the worker did not fulfil every event within 2 minutes")
        bad = [r.result for r in rows if r.result != "processed"]
        if bad:
            raise RuntimeError(f"events not processed: {bad[:5]}")
        return [(r.processed_at - r.received_at).total_seconds() for r in rows]


def warm_up(base: str, engagement_ids: list[int], tag: str) -> None:
    """A few deliveries before measuring, as a long-running server has had them (broker connections)."""
    session = requests.Session()
    for i, eid in enumerate(engagement_ids):
        header, payload = signed_line(f"evt_{tag}_warm_{i}", eid).split("\t", 1)
        session.post(base + "/webhooks/stripe", data=payload.encode(),
                     headers={"Stripe-Signature": header, "Content-Type": "application/json"})


def run(database_url: str) -> bool:
    label = database_url.split(":", 1)[0].split("+")[0]
    app = make_bench_app(database_url)
    with app.app_context():
        ids = seed(UNIQUE_EVENTS + LAG_EVENTS + WARM_UP_EVENTS)
    load_ids, lag_ids = ids[:UNIQUE_EVENTS], ids[UNIQUE_EVENTS:UNIQUE_EVENTS + LAG_EVENTS]
    warm_ids = ids[UNIQUE_EVENTS + LAG_EVENTS:]
    path, lines = deliveries_file(load_ids, f"{label}_{uuid.uuid4().hex[:6]}")
    queue = f"hooks-bench-{uuid.uuid4().hex[:8]}"
    broker = redis.Redis.from_url(BROKER)
    print(f"\n== {label}: gunicorn -w 2, wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{WRK_SECONDS}s, "
          f"{lines} signed deliveries on file ({lines - UNIQUE_EVENTS} repeats, "
          f"{(lines - UNIQUE_EVENTS) / lines:.0%})")
    try:
        with gunicorn(database_url, workers=2, extra_env=server_env(queue)) as base:
            warm_up(base, warm_ids, label)
            ping = wrk(base, "/ping", "ping.lua")
            hooks = wrk(base, "/webhooks/stripe", "webhook_deliveries.lua", path, str(WRK_THREADS))
            with app.app_context():
                stored = db.session.execute(db.select(db.func.count()).select_from(WebhookEvent)).scalar_one() - len(warm_ids)
            queued = broker.llen(queue)
            broker.delete(queue)  # the load phase's tasks are not this benchmark's lag
            print(ping.line("GET /ping (baseline)"))
            print(hooks.line("POST /webhooks/stripe"))
            repeats = hooks.requests - stored
            print(f"  -> {hooks.rps:.0f} events/s = {hooks.rps / ping.rps:.3f} x baseline; p99 {hooks.p99_ms:.1f} ms "
                  f"= {hooks.p99_ms / ping.p99_ms:.1f} x baseline p99; {stored} events stored once from "
                  f"{hooks.requests} deliveries ({repeats / hooks.requests:.0%} duplicates), {queued} tasks queued")
            met = hooks.rps >= 300 and hooks.p99_ms < 50 and hooks.errors + hooks.non_200 == 0
            print(f"  target (>= 300 events/s, p99 < 50 ms, no errors): {'met' if met else 'NOT met'}")

            with app.app_context():  # the load phase's events are not this measurement's: the sweep must not
                db.session.execute(  # make the lag worker fulfil a thousand of them first
                    db.update(WebhookEvent).where(WebhookEvent.processed_at.is_(None))
                    .values(result="ignored", detail="benchmark load phase", processed_at=db.func.now())
                )
                db.session.commit()
            lag_queue = f"hooks-bench-lag-{uuid.uuid4().hex[:8]}"
            worker = start_worker(database_url, lag_queue)
            documents = start_worker(database_url, f"{lag_queue}-documents", concurrency=1)
            try:
                with gunicorn(database_url, workers=2, extra_env=server_env(lag_queue)) as lag_base:
                    time.sleep(3)  # let the worker connect
                    lags = fulfilment_lag(app, lag_base, database_url, lag_ids, f"{label}_lag")
            finally:
                stop(worker)
                stop(documents)
                broker.delete(lag_queue, f"{lag_queue}-documents")
            p50 = statistics.median(lags)
            print(f"fulfilment lag (stored -> fulfilled), {len(lags)} events at {LAG_RATE:.0f}/s, worker on Redis: "
                  f"p50 {p50 * 1000:.0f} ms, p99 {percentile(lags, 99) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms "
                  f"-> target (p50 <= 1 s) {'met' if p50 <= 1 else 'NOT met'}")
            with app.app_context():
                paid = db.session.execute(
                    db.select(db.func.count()).select_from(Transition).where(Transition.to_state == "paid")
                ).scalar_one()
                ledger = db.session.execute(db.select(db.func.count()).select_from(LedgerEntry)).scalar_one()
            print(f"check: {len(lags)} events fulfilled -> {paid} paid transitions, {ledger} ledger entries")
            return met and p50 <= 1 and paid == len(lags) == ledger
    finally:
        shutil.rmtree(Path(path).parent, ignore_errors=True)


def postgres_url() -> str | None:
    """The benchmark's PostgreSQL database, created when missing; None when the server is not reachable."""
    import psycopg

    target = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    name = target.rsplit("/", 1)[1]
    try:
        with psycopg.connect(target.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=3) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable ({exc}); skipping it")
        return None
    return PG_URL


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    urls = []
    if "sqlite" in wanted:
        urls.append(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    if "postgresql" in wanted and (pg := postgres_url()):
        urls.append(pg)
    results = [run(url) for url in urls]
    print(f"\nall targets {'met' if all(results) else 'NOT met'} ({len(results)} database(s))")


if __name__ == "__main__":
    main()
