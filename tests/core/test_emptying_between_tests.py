"""The suite empties the database after each test while a background writer may still commit.

On PostgreSQL, TRUNCATE and a writer finishing its commit (worker task, live
server thread) must not deadlock: every writing transaction takes the
data-version row last, so TRUNCATE must take it last as well.
"""

from __future__ import annotations

import threading
import time

from flask import Flask
from sqlalchemy import text

from core.data_version import DataVersion, bump
from core.extensions import db
from core.testing import delete_all_rows


def _truncate_is_waiting() -> bool:
    with db.engine.connect() as probe:
        return bool(probe.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'TRUNCATE%'"
        )).scalar())


def test_emptying_waits_for_a_writer_finishing_its_commit_without_deadlock(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        delete_all_rows()  # SQLite writers are serialised by its file lock: nothing to interleave
        assert db.session.query(DataVersion).count() == 0
        return
    outcome: list[BaseException | None] = []

    def empty() -> None:
        with app.app_context():
            try:
                delete_all_rows(attempts=1)  # a deadlock would surface here, not be retried away
                outcome.append(None)
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                outcome.append(error)

    writer = db.session  # a write in flight: a row locked, the version bump still to come
    db.session.execute(text("INSERT INTO users (email, display_name, password_hash, is_admin, is_consultant, created_at) "
                            "VALUES ('late@example.org', 'Late', 'x', false, false, now())"))
    emptier = threading.Thread(target=empty)
    emptier.start()
    deadline = time.monotonic() + 10
    while not _truncate_is_waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _truncate_is_waiting(), "TRUNCATE never waited on the writer's lock"
    bump(writer)  # the writer's last lock; a deadlock is detected after deadlock_timeout (1 s)
    writer.commit()
    emptier.join(timeout=30)
    assert outcome == [None]
    with db.engine.connect() as check:
        assert check.execute(text("SELECT count(*) FROM users")).scalar() == 0
        assert check.execute(text("SELECT count(*) FROM data_version")).scalar() == 0
