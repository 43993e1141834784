"""The background worker: plugin jobs on a schedule, run by a real Celery worker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.support.plugins import TARGET as SAMPLE_PLUGIN_PATH
from workers.celery_app import celery_init_app

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/15"


def test_beat_schedule_lists_every_plugin_job(make_app):
    celery = celery_init_app(make_app())
    schedule = celery.conf.beat_schedule
    assert schedule["sample.hello"]["args"] == ("sample.hello",)
    assert schedule["innovativeness.purge-anonymous"]["schedule"] == 3600.0
    assert schedule["innovativeness.close-due-rounds"]["task"] == "workers.run_periodic_job"


def test_job_runs_in_the_app_context_and_is_skipped_when_its_plugin_is_off(make_app):
    app = make_app(CELERY_TASK_ALWAYS_EAGER=True)
    celery_init_app(app)
    from core.plugins.state import set_enabled
    from workers.tasks import run_periodic_job

    with app.app_context():
        assert run_periodic_job.delay("sample.hello").get() == "sample job ran for http://localhost"
        set_enabled("sample", False)
        assert run_periodic_job.delay("sample.hello").get() == "skipped sample.hello: plugin disabled"
        assert run_periodic_job.delay("nope.nothing").get() == "unknown job nope.nothing"


def _redis_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.integration
def test_a_real_worker_runs_a_plugin_job_through_redis(make_app, database_url):
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis must run in CI (.ci/run starts it)")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    queue = f"plugin-job-{uuid.uuid4().hex[:8]}"  # private: another test run may share this Redis
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "BASE_URL": "http://worker.test",
        "SECRET_KEY": "worker-test",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONPATH": os.pathsep.join([str(SAMPLE_PLUGIN_PATH), str(ROOT)]),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.app", "worker", "--pool=solo", "--loglevel=warning",
         "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        celery = celery_init_app(
            make_app(CELERY_BROKER_URL=REDIS_URL, CELERY_RESULT_BACKEND=REDIS_URL, CELERY_TASK_ALWAYS_EAGER=False,
                     CELERY_TASK_DEFAULT_QUEUE=queue)
        )
        started = time.monotonic()
        result = celery.send_task("workers.run_periodic_job", args=("sample.hello",))
        assert result.get(timeout=60) == "sample job ran for http://worker.test"
        assert time.monotonic() - started < 60
        assert _heartbeat_rows(lambda rows: len(rows) == 1 and rows[0].stopped_at is None), "no heartbeat while running"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    # a warm shutdown (SIGTERM) marks the worker stopped at once, so pages need not wait 90 s to say so
    assert _heartbeat_rows(lambda rows: len(rows) == 1 and rows[0].stopped_at is not None), "stop not recorded"


def _heartbeat_rows(ok, seconds: float = 30) -> bool:  # type: ignore[no-untyped-def]
    """Poll the worker's heartbeat rows until ``ok(rows)`` holds or ``seconds`` pass."""
    from sqlalchemy import select

    from core.background.models import WorkerHeartbeat
    from core.extensions import db

    deadline = time.monotonic() + seconds
    while True:
        rows = db.session.execute(select(WorkerHeartbeat)).scalars().all()
        db.session.rollback()
        if ok(rows) or time.monotonic() > deadline:
            return bool(ok(rows))
        time.sleep(0.2)
