"""Mail through a real Celery worker on Redis to a real SMTP server that goes away for 30 s.

Redis database 8 and a queue of its own (``mail-worker-test``) keep this test apart from the
other engineers' and tests' workers on the shared Redis.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from core.api import db, send_email
from core.email.models import OutboxEmail
from tests.support.plugins import TARGET as SAMPLE_PLUGIN_PATH
from tests.engagements.support import free_port
from tests.support.smtp import _Handler

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/8"
QUEUE = f"mail-worker-{uuid.uuid4().hex[:8]}"  # private: another test run may share this Redis
SMTP_PORT = free_port()
OUTAGE_SECONDS = 30
MAILS = 50


def _redis_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


def _purge_queue() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).delete(QUEUE)


def _states() -> dict[str, int]:
    db.session.expire_all()
    return dict(db.session.execute(select(OutboxEmail.state, func.count(OutboxEmail.id)).group_by(OutboxEmail.state)).all())


@pytest.mark.integration
def test_fifty_mails_made_while_smtp_is_down_for_30_s_all_arrive_exactly_once(make_app, database_url) -> None:  # type: ignore[no-untyped-def]
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis must run in CI (.ci/run starts it)")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    _purge_queue()
    settings = {
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(SMTP_PORT),
        "MAIL_RETRY_BASE_SECONDS": "2", "MAIL_RETRY_MAX_SECONDS": "8", "MAIL_MAX_ATTEMPTS": "30",
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
    }
    env = {
        **os.environ, **settings,
        "DATABASE_URL": database_url, "CELERY_BROKER_URL": REDIS_URL, "CELERY_RESULT_BACKEND": REDIS_URL,
        "BASE_URL": "http://worker.test", "SECRET_KEY": "worker-test",
        "PYTHONPATH": os.pathsep.join([str(SAMPLE_PLUGIN_PATH), str(ROOT)]),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.app", "worker", "--pool=threads", "--concurrency=4",
         "--loglevel=warning", "-Q", QUEUE, "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    handler = _Handler()
    smtp = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    try:
        app = make_app(
            CELERY_BROKER_URL=REDIS_URL, CELERY_RESULT_BACKEND=REDIS_URL, CELERY_TASK_ALWAYS_EAGER=False,
            MAIL_SERVER="127.0.0.1", MAIL_PORT=SMTP_PORT, CELERY_TASK_DEFAULT_QUEUE=QUEUE,
        )
        down_since = time.monotonic()  # the SMTP server is not running yet
        with app.app_context():
            for batch in range(5):  # five changes, ten mails each, committed while SMTP is down
                with app.test_request_context():
                    for n in range(10):
                        send_email(f"m{batch * 10 + n}@example.org", f"Mail {batch * 10 + n}", "verify_email",
                                   user={"name": "Ada"}, link="http://worker.test/x")
                db.session.commit()
            with app.test_request_context():
                send_email("rolled-back@example.org", "Never", "verify_email", user={"name": "Ada"}, link="x")
            db.session.rollback()

            deadline = time.monotonic() + 90  # the worker may still be starting on a busy machine
            while _states().get("retrying", 0) < MAILS and time.monotonic() < deadline:
                time.sleep(0.2)
            waiting = _states()
            assert set(waiting) <= {"retrying", "sending"} and sum(waiting.values()) == MAILS, waiting
            errors = set(db.session.execute(select(OutboxEmail.last_error)).scalars())
            assert all("Connection refused" in (e or "") or "ConnectionRefused" in (e or "") for e in errors), errors

            time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_since)))
            waiting = _states()
            assert set(waiting) <= {"retrying", "sending"} and sum(waiting.values()) == MAILS  # none lost or failed
            smtp.start()
            deadline = time.monotonic() + 60
            while len(handler.messages) < MAILS and time.monotonic() < deadline:
                time.sleep(0.5)
            time.sleep(3)  # any duplicate would arrive by now
            ids = [str(m["Message-ID"]) for m in handler.messages]
            assert len(ids) == MAILS and len(set(ids)) == MAILS, f"{len(ids)} messages, {len(set(ids))} distinct"
            assert sorted(str(m["To"]) for m in handler.messages) == sorted(f"m{i}@example.org" for i in range(MAILS))
            assert _states() == {"sent": MAILS}
            attempts = set(db.session.execute(select(OutboxEmail.attempts)).scalars())
            assert min(attempts) >= 2  # each failed during the outage and was retried after it
            db.session.remove()
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
        if smtp._thread is not None:  # started
            smtp.stop()
        _purge_queue()
    assert "Traceback" not in output or "ConnectionRefused" in output, output[-3000:]
