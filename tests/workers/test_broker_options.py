"""Broker settings of the report worker: Redis visibility timeout, a fast-polling embedded broker, the reaper."""

from __future__ import annotations

from kombu import Connection

from engagements.reports.jobs import MAX_BACKOFF_SECONDS
from workers.celery_app import (
    SQL_BROKER_POLLING_SECONDS,
    VISIBILITY_TIMEOUT_SECONDS,
    broker_transport_options,
    celery_init_app,
)


def test_redis_redelivers_only_after_the_longest_task_and_retry_delay(app):
    options = broker_transport_options("redis://127.0.0.1:6379/0")
    longest = app.config["REPORT_JOB_LEASE_SECONDS"] + MAX_BACKOFF_SECONDS
    assert options["visibility_timeout"] == VISIBILITY_TIMEOUT_SECONDS > longest
    assert broker_transport_options("amqp://guest@localhost//") == {}


def test_the_embedded_broker_polls_every_100_ms_and_still_carries_messages(make_app, tmp_path):
    url = f"sqla+sqlite:///{tmp_path / 'broker.db'}"
    celery = celery_init_app(make_app(CELERY_BROKER_URL=url))
    assert celery.conf.broker_transport_options == {"polling_interval": SQL_BROKER_POLLING_SECONDS}
    with Connection(url, transport_options=celery.conf.broker_transport_options) as conn:
        assert conn.transport.polling_interval == SQL_BROKER_POLLING_SECONDS
        queue = conn.SimpleQueue("polling-check")
        queue.put({"job": 7})
        message = queue.get(timeout=5)
        assert message.payload == {"job": 7}
        message.ack()
        queue.close()


def test_the_reaper_runs_every_minute_in_beat(make_app):
    schedule = celery_init_app(make_app()).conf.beat_schedule
    assert schedule["reports.reap-stuck-jobs"] == {"task": "workers.reap_report_jobs", "schedule": 60.0}
