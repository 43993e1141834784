"""Server-side sessions end after an idle time and an absolute lifetime; the worker's job deletes the rows."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import update

from core.accounts.models import AuthSession
from core.extensions import db
from core.models import utcnow
from core.plugins.jobs import periodic_jobs
from tests.factories import create_user, login


def _only_session() -> AuthSession:
    db.session.expire_all()
    return db.session.query(AuthSession).one()


def test_a_session_idle_too_long_ends_on_the_next_request(client, app: Flask):
    login(client, create_user())
    row = _only_session()
    row.last_seen_at = utcnow() - timedelta(seconds=app.config["SESSION_IDLE_SECONDS"] + 60)
    db.session.commit()
    assert client.get("/clusters").status_code == 302  # to the login page
    assert db.session.query(AuthSession).count() == 0


def test_an_active_session_still_ends_after_its_absolute_lifetime(client, app: Flask):
    login(client, create_user())
    row = _only_session()
    row.created_at = utcnow() - timedelta(seconds=app.config["SESSION_MAX_SECONDS"] + 60)
    row.last_seen_at = utcnow()
    db.session.commit()
    assert client.get("/clusters").status_code == 302


def test_requests_keep_a_session_alive(client, app: Flask):
    login(client, create_user())
    row = _only_session()
    almost = utcnow() - timedelta(seconds=app.config["SESSION_IDLE_SECONDS"] - 120)
    row.last_seen_at = almost
    db.session.commit()
    assert client.get("/clusters").status_code == 200
    assert _only_session().last_seen_at > almost + timedelta(seconds=60)


def test_the_periodic_job_deletes_expired_rows_only(app: Flask):
    user = create_user()
    now = utcnow()
    idle = timedelta(seconds=app.config["SESSION_IDLE_SECONDS"] + 60)
    old = timedelta(seconds=app.config["SESSION_MAX_SECONDS"] + 60)
    db.session.add_all([
        AuthSession(token="fresh", user_id=user.id, created_at=now, last_seen_at=now),
        AuthSession(token="idle", user_id=user.id, created_at=now - idle, last_seen_at=now - idle),
        AuthSession(token="ancient", user_id=user.id, created_at=now - old, last_seen_at=now),
        AuthSession(token="legacy-idle", user_id=user.id, created_at=now - idle),
    ])
    db.session.commit()
    job = periodic_jobs(app)["core.expire_sessions"]
    # Rows from before the column existed have no last_seen_at.
    db.session.execute(update(AuthSession).where(AuthSession.token == "legacy-idle").values(last_seen_at=None))
    db.session.commit()
    assert "deleted 3 expired sessions" in job.run()
    assert [s.token for s in db.session.query(AuthSession).all()] == ["fresh"]


def test_the_worker_task_runs_the_core_job_by_name(app: Flask):
    from workers.tasks import run_periodic_job

    # The beat schedule is built from periodic_jobs(app), so core's job is scheduled like a plugin's.
    assert run_periodic_job("core.expire_sessions").startswith("deleted 0 expired sessions")


def test_a_short_idle_limit_does_not_end_a_session_in_use(make_app):
    """'Last seen' is written at most once a minute, or every quarter of a shorter idle limit:
    with a 60-second limit, a request every 20 seconds keeps the session (it used to end at 60 s)."""
    app = make_app(SESSION_IDLE_SECONDS=60)
    client = app.test_client()
    login(client, create_user())
    start = _only_session().created_at
    for seconds in (20, 40, 60, 80, 100):
        row = _only_session()
        # Move the clock by moving the stored times back (the request reads the real clock).
        shift = timedelta(seconds=20)
        row.created_at -= shift
        row.last_seen_at -= shift
        db.session.commit()
        assert client.get("/clusters").status_code == 200, f"logged out after {seconds} s of use"
    assert _only_session().created_at < start - timedelta(seconds=90)
