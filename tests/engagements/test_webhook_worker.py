"""A real Celery worker on Redis fulfils posted Stripe events, also those posted while it was down."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from core.api import db
from engagements.models import Engagement, LedgerEntry, WebhookEvent
from tests.engagements.support import SECRET_KEY, WEBHOOK_SECRET, body, sign
from tests.engagements.test_webhook_fulfilment import REDIS, _card_engagement, _redis_or_skip
from tests.factories import manager_of
from tests.support.plugins import TARGET as SAMPLE_PLUGIN_PATH

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


class Worker:
    """``celery worker`` on the test database, consuming one private queue (named hooks-*)."""

    def __init__(self, app, queue: str, mail_port: int, stripe_url: str) -> None:  # type: ignore[no-untyped-def]
        env = {
            **os.environ,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "CELERY_BROKER_URL": REDIS,
            "CELERY_RESULT_BACKEND": REDIS,
            # The mail the fulfilment records is delivered by this same worker: same queue.
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "STORAGE_DIR": app.config["STORAGE_DIR"],
            "BASE_URL": "http://worker.test",
            "SECRET_KEY": "worker-test",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(mail_port),
            "STRIPE_SECRET_KEY": SECRET_KEY,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_API_BASE": stripe_url,
            "PYTHONPATH": os.pathsep.join([str(SAMPLE_PLUGIN_PATH), str(ROOT)]),
        }
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workers.app", "worker", "--pool=solo", "--loglevel=warning",
             "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture()
def hooks_queue() -> Iterator[str]:
    _redis_or_skip()
    queue = f"hooks-{uuid.uuid4().hex[:8]}"
    yield queue
    redis.Redis.from_url(REDIS).delete(queue)


@pytest.fixture()
def start_worker(app, mail_catcher, stripe_stand_in, hooks_queue) -> Iterator[Callable[[], Worker]]:  # type: ignore[no-untyped-def]
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(app, hooks_queue, mail_catcher.port, stripe_stand_in.url)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _state(engagement_id: int) -> str:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Engagement, engagement_id).state


def test_a_real_worker_fulfils_events_posted_before_and_after_it_started(  # type: ignore[no-untyped-def]
    make_app, cluster, workshop, stripe_stand_in, hooks_queue, start_worker, mail
):
    sender = make_app(
        CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=REDIS, CELERY_RESULT_BACKEND=REDIS,
        STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=stripe_stand_in.url,
    )
    sender.extensions["celery"].conf.task_default_queue = hooks_queue
    client = sender.test_client()
    first, second = _card_engagement(cluster, workshop), _card_engagement(cluster, workshop)

    def post(engagement):  # type: ignore[no-untyped-def]
        payload = body(stripe_stand_in.pay(engagement.checkout_session_id))
        response = client.post("/webhooks/stripe", data=payload, headers={"Stripe-Signature": sign(payload)})
        assert response.status_code == 200 and response.json == {"received": "received"}
        return payload

    early = post(first)  # no worker yet: stored, its task waits in Redis
    time.sleep(0.5)
    assert _state(first.id) == "awaiting_payment"
    start_worker()
    _wait_for(lambda: _state(first.id) == "paid", 120, "the worker to fulfil the event it found waiting")
    post(second)
    _wait_for(lambda: _state(second.id) == "paid", 60, "the worker to fulfil a fresh event")
    duplicate = client.post("/webhooks/stripe", data=early, headers={"Stripe-Signature": sign(early)})
    assert duplicate.json == {"received": "duplicate"}
    time.sleep(1)
    db.session.rollback()
    assert db.session.execute(select(func.count()).select_from(LedgerEntry)).scalar_one() == 2
    results = db.session.execute(select(WebhookEvent.result)).scalars().all()
    assert sorted(results) == ["processed", "processed"]
    manager = manager_of(cluster).email
    paid_mails = [m for m in mail.wait_for(manager, 4, timeout=60) if "Payment received" in m["Subject"]]
    assert len(paid_mails) == 2
