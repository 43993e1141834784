"""Whether a background worker runs: heartbeats written by the worker, read by pages and /healthz.

Before, a queued report or mail with no worker running sat still on its progress bar
with no reason given anywhere; the admins had no way to see that no worker ran.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.background.heartbeat import SILENT_AFTER_SECONDS, record_heartbeat, worker_status
from core.background.models import WorkerHeartbeat
from core.data_version import current_version
from core.extensions import db
from core.models import utcnow
from tests.factories import create_user, login
from workers.heartbeat import Heartbeat


@pytest.fixture()
def with_worker(app, monkeypatch):  # type: ignore[no-untyped-def]
    """The app as deployed: jobs go to a worker instead of running inside the request."""
    monkeypatch.setitem(app.config, "CELERY_TASK_ALWAYS_EAGER", False)
    return app


def _age(node: str, seconds: float) -> None:
    db.session.execute(update(WorkerHeartbeat).where(WorkerHeartbeat.node == node)
                       .values(seen_at=utcnow() - timedelta(seconds=seconds)))
    db.session.commit()


def test_states_from_never_to_running_silent_and_stopped(with_worker) -> None:  # type: ignore[no-untyped-def]
    assert worker_status().state == "never" and worker_status().work_waits
    record_heartbeat("celery@one", starting=True)
    status = worker_status()
    assert status.state == "running" and not status.work_waits
    assert [n.node for n in status.nodes] == ["celery@one"] and status.nodes[0].alive
    later = utcnow() + timedelta(seconds=SILENT_AFTER_SECONDS + 1)
    assert worker_status(now=later).state == "silent"
    record_heartbeat("celery@two")  # a second worker still beating keeps the platform running
    assert worker_status(now=utcnow() + timedelta(seconds=SILENT_AFTER_SECONDS - 5)).state == "running"
    _age("celery@one", SILENT_AFTER_SECONDS + 60)  # crashed: never said it stopped
    record_heartbeat("celery@two", stopping=True)  # the last one heard from stopped cleanly
    stopped = worker_status()
    assert stopped.state == "stopped" and stopped.work_waits and stopped.last_seen is not None
    assert [(n.node, n.alive) for n in stopped.nodes] == [("celery@two", False), ("celery@one", False)]


def test_jobs_run_in_process_need_no_worker(app) -> None:  # type: ignore[no-untyped-def]
    assert app.config["CELERY_TASK_ALWAYS_EAGER"] is True
    status = worker_status()
    assert status.state == "in-process" and not status.work_waits


def test_heartbeats_are_not_data_changes(with_worker) -> None:  # type: ignore[no-untyped-def]
    record_heartbeat("celery@one", starting=True)
    before = current_version()
    db.session.rollback()
    for _ in range(3):
        record_heartbeat("celery@one")
    assert current_version() == before  # cached pages are not rendered again every 30 s


def test_the_heartbeat_thread_beats_until_stopped_and_marks_the_stop(with_worker) -> None:  # type: ignore[no-untyped-def]
    beat = Heartbeat(with_worker, "celery@thread", every=0.05)
    beat.start()
    deadline = time.monotonic() + 10
    first_seen = None
    while time.monotonic() < deadline:
        row = db.session.execute(select(WorkerHeartbeat).where(WorkerHeartbeat.node == "celery@thread")).scalar()
        db.session.rollback()
        if row is not None and first_seen is None:
            first_seen = row.seen_at
        elif row is not None and row.seen_at > first_seen:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the heartbeat thread did not write twice")
    assert worker_status().state == "running"
    beat.stop()
    db.session.rollback()
    assert worker_status().state == "stopped"


def test_the_jobs_page_tells_the_admins_when_no_worker_runs(client, with_worker) -> None:  # type: ignore[no-untyped-def]
    login(client, create_user(is_admin=True))
    assert "No background worker is running." in client.get("/admin/").text
    never = client.get("/admin/jobs", headers={"Cache-Control": "no-cache"}).text
    assert "No background worker has reported yet." in never and "celery -A workers.app worker" in never
    record_heartbeat("celery@host-a", starting=True)
    running = client.get("/admin/jobs", headers={"Cache-Control": "no-cache"}).text
    assert "<strong>Running.</strong>" in running and "celery@host-a" in running
    assert "No background worker is running" not in client.get("/admin/").text
    _age("celery@host-a", SILENT_AFTER_SECONDS + 30)
    silent = client.get("/admin/jobs", headers={"Cache-Control": "no-cache"}).text
    assert f"No background worker has reported for more than {SILENT_AFTER_SECONDS} seconds" in silent
    assert 'badge-warn">not heard from' in silent


def test_healthz_says_whether_a_worker_runs_without_failing_the_web_app(client, with_worker) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["worker"] == "never"
    record_heartbeat("celery@host-a", starting=True)
    body = client.get("/healthz").get_json()
    assert body["worker"] == "running" and body["worker_last_seen"].startswith(str(utcnow().year))
