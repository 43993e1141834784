"""Tasks leave only with the commit that needs them (eager mode runs them inline after it)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from core.accounts.models import User
from core.api import db, send_task_after_commit
from tests.factories import create_user

RUNS: list[tuple[str, bool]] = []


@pytest.fixture()
def recorder(app):
    """A task on the test app's Celery that records its argument and whether its row is visible."""
    celery = app.extensions["celery"]

    @celery.task(name="tests.record_user", shared=False)  # not added to every later Celery app
    def record_user(email: str) -> None:
        seen = db.session.execute(select(User.id).where(User.email == email)).first() is not None
        RUNS.append((email, seen))

    RUNS.clear()
    yield RUNS
    celery.tasks.pop("tests.record_user", None)


def test_sent_after_commit_and_the_task_sees_the_committed_row(recorder):
    db.session.add(User(email="a@example.org", password_hash="x"))
    send_task_after_commit("tests.record_user", "a@example.org")
    db.session.flush()
    assert recorder == []
    db.session.commit()
    assert recorder == [("a@example.org", True)]
    db.session.commit()  # a later commit sends nothing again
    assert recorder == [("a@example.org", True)]


def test_a_rollback_sends_nothing(recorder):
    create_user(email="b@example.org")
    send_task_after_commit("tests.record_user", "b@example.org")
    db.session.rollback()
    db.session.commit()
    assert recorder == []


def test_a_rolled_back_savepoint_drops_only_its_own_sends(recorder):
    create_user(email="c@example.org")
    send_task_after_commit("tests.record_user", "outer")
    savepoint = db.session.begin_nested()
    send_task_after_commit("tests.record_user", "inner")
    savepoint.rollback()
    kept = db.session.begin_nested()
    send_task_after_commit("tests.record_user", "released")
    kept.commit()
    assert recorder == []  # releasing a savepoint is not the commit
    db.session.commit()
    assert [name for name, _ in recorder] == ["outer", "released"]


def test_a_released_savepoint_then_a_rollback_sends_nothing(recorder):
    create_user(email="d@example.org")
    savepoint = db.session.begin_nested()
    send_task_after_commit("tests.record_user", "d@example.org")
    savepoint.commit()
    db.session.rollback()
    db.session.commit()
    assert recorder == []


def test_document_tasks_go_to_their_own_queue_when_one_is_set(make_app):  # type: ignore[no-untyped-def]
    import redis

    from core.tasks import send_now

    broker = "redis://127.0.0.1:6379/9"
    default, documents = f"routing-{uuid.uuid4().hex[:8]}", f"routing-{uuid.uuid4().hex[:8]}-documents"
    app = make_app(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=broker,
                   CELERY_TASK_DEFAULT_QUEUE=default, CELERY_DOCUMENTS_QUEUE=documents)
    queues = redis.Redis.from_url(broker)
    try:
        with app.app_context():
            send_now(app, "workers.render_report", 1)
            send_now(app, "workers.deliver_mail", 1)
        assert (queues.llen(documents), queues.llen(default)) == (1, 1)
    finally:
        queues.delete(default, documents)
