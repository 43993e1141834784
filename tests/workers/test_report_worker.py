"""Report tasks on a real Celery worker: duplicates make one version; a worker SIGKILLed
mid-render has its message re-delivered (RabbitMQ) and the job still yields exactly one version."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.api import db
from engagements.reports import jobs
from engagements.reports.models import ReportJob, ReportVersion
from tests.engagements.reports.factories import paid_report_engagement
from tests.support.plugins import TARGET as SAMPLE_PLUGIN_PATH

ROOT = Path(__file__).resolve().parents[2]
REDIS_BROKER = "redis://127.0.0.1:6379/10"  # db 15 belongs to the other worker tests
RESULTS = "redis://127.0.0.1:6379/11"
RABBITMQ_BROKER = "amqp://guest:guest@127.0.0.1:5672//"
LEASE_SECONDS = 3

pytestmark = pytest.mark.integration


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _require(port: int, name: str) -> None:
    if not _port_open(port):
        if os.environ.get("CI"):
            pytest.fail(f"{name} must run in CI (.ci/run starts it)")
        pytest.skip(f"{name} is not running on 127.0.0.1:{port}")


class Worker:
    """A real `celery worker` process on the test database, consuming one private queue."""

    def __init__(self, broker: str, queue: str, app, pool: str) -> None:  # type: ignore[no-untyped-def]
        self.env = {
            **os.environ,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": RESULTS,
            "STORAGE_DIR": app.config["STORAGE_DIR"],
            "BASE_URL": "http://worker.test",
            "SECRET_KEY": "worker-test",
            "REPORT_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
            "PYTHONPATH": os.pathsep.join([str(SAMPLE_PLUGIN_PATH), str(ROOT)]),
        }
        self.args = [sys.executable, "-m", "celery", "-A", "workers.app", "worker", f"--pool={pool}",
                     "--concurrency=2", "--loglevel=warning", "-Q", queue,
                     "--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # the worker and any child: no chance to ack
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture()
def worker_factory() -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def make(broker: str, queue: str, app, pool: str = "solo") -> Worker:  # type: ignore[no-untyped-def]
        worker = Worker(broker, queue, app, pool)
        started.append(worker)
        return worker

    yield make
    for worker in started:
        worker.stop()


def _sending_app(make_app, broker: str):  # type: ignore[no-untyped-def]
    return make_app(CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=RESULTS, CELERY_TASK_ALWAYS_EAGER=False)


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _job(job_id: int) -> ReportJob:
    db.session.rollback()
    db.session.expire_all()
    job = db.session.get(ReportJob, job_id)
    assert job is not None
    return job


def _versions(engagement_id: int) -> list[ReportVersion]:
    db.session.rollback()
    return list(db.session.execute(select(ReportVersion).where(ReportVersion.engagement_id == engagement_id)).scalars())


def _queued_job() -> tuple[int, int]:
    """A paid report engagement and its draft job, committed without sending (the test sends)."""
    engagement = paid_report_engagement()
    job = ReportJob(engagement_id=engagement.id, cluster_id=engagement.cluster_id, kind="draft",
                    version_number=jobs.next_version_number(engagement.id), state="queued", attempts=0, error="")
    db.session.add(job)
    db.session.commit()
    return engagement.id, job.id


def test_the_same_job_sent_twenty_times_to_two_worker_threads_makes_one_version(make_app, worker_factory):
    _require(6379, "Redis")
    queue = f"reports-{uuid.uuid4().hex[:8]}"
    sender = _sending_app(make_app, REDIS_BROKER)
    engagement_id, job_id = _queued_job()
    worker = worker_factory(REDIS_BROKER, queue, sender, pool="threads")
    worker.start()
    celery = sender.extensions["celery"]
    for _ in range(20):
        celery.send_task(jobs.COMPOSE_TASK, args=(job_id,), queue=queue)
    _wait_for(lambda: _job(job_id).state == "ready", 120, "the job to be ready")
    time.sleep(LEASE_SECONDS + 2)  # duplicates that met the running job come back after the lease
    assert [v.number for v in _versions(engagement_id)] == [1]
    done = _job(job_id)
    assert done.state == "ready" and done.attempts == 1


def test_a_worker_killed_mid_render_is_redelivered_after_restart_and_makes_one_version(make_app, worker_factory):
    _require(5672, "RabbitMQ")
    queue = f"reports-{uuid.uuid4().hex[:8]}"
    sender = _sending_app(make_app, RABBITMQ_BROKER)
    engagement_id, job_id = _queued_job()
    first = worker_factory(RABBITMQ_BROKER, queue, sender)
    first.start()
    sender.extensions["celery"].send_task(jobs.COMPOSE_TASK, args=(job_id,), queue=queue)
    _wait_for(lambda: _job(job_id).state == "rendering", 120, "the render to start")
    first.kill()
    killed = _job(job_id)
    assert killed.state == "rendering" and killed.attempts == 1  # killed before it could finish

    second = worker_factory(RABBITMQ_BROKER, queue, sender)
    second.start()
    _wait_for(lambda: _job(job_id).state == "ready", 120, "the re-delivered job to finish")
    versions = _versions(engagement_id)
    assert [v.number for v in versions] == [1] and versions[0].pdf_name
    assert _job(job_id).attempts == 2  # the second worker claimed it once the dead run's lease ran out
