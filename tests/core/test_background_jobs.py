"""/admin/jobs: background work of every kind in one list, periodic job runs recorded, failures
mailed to the admins once, retried with a CSRF-protected button; only admins get in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.api import JobRow, JobSource, PeriodicJob, db, utcnow
from core.background.alerts import alert_failed_jobs
from core.background.models import JobRun
from core.background.registry import job_sources, register_job_source
from tests.core.test_hook_results import plugin
from tests.factories import create_cluster, create_user, csrf_token_from, login, manager_of

CALLS: list[str] = []


def _failing() -> str:
    CALLS.append("fail")
    raise RuntimeError("disk full")


def _fine() -> str:
    CALLS.append("fine")
    return "tidied 3 things"


@pytest.fixture()
def ticking(make_app):  # type: ignore[no-untyped-def]
    """An app with a plugin whose scheduled jobs succeed ("ticking.tidy") or always fail ("ticking.fail")."""
    CALLS.clear()
    jobs = lambda: [PeriodicJob("tidy", _fine, 600), PeriodicJob("fail", _failing, 600)]  # noqa: E731
    return make_app(EXTRA_PLUGINS=[(plugin("ticking", periodic_jobs=jobs), "ticking")])


def _run(app, name: str) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return app.extensions["celery"].tasks["workers.run_periodic_job"].apply(args=(name,)).get()


def _runs() -> list[tuple[str, str, int, str]]:
    db.session.rollback()
    return [(r.name, r.state, r.attempt, r.error)
            for r in db.session.execute(select(JobRun).order_by(JobRun.id)).scalars()]


def test_each_periodic_run_is_recorded_and_a_failing_job_retries_then_fails_for_good(ticking):  # type: ignore[no-untyped-def]
    assert _run(ticking, "ticking.tidy") == "tidied 3 things"
    assert "failed for good" in _run(ticking, "ticking.fail")  # eager: the three retries run at once
    runs = _runs()
    assert runs[0][:3] == ("ticking.tidy", "done", 1)
    assert [(name, state, attempt) for name, state, attempt, _ in runs[1:]] == [
        ("ticking.fail", "retrying", 1), ("ticking.fail", "retrying", 2), ("ticking.fail", "retrying", 3),
        ("ticking.fail", "failed", 4),
    ]
    assert runs[-1][3] == "RuntimeError: disk full"
    assert CALLS == ["fine", "fail", "fail", "fail", "fail"]


def test_a_failed_periodic_job_is_mailed_once_listed_and_retried_by_an_admin(ticking, mail):  # type: ignore[no-untyped-def]
    admin = create_user(is_admin=True)
    _run(ticking, "ticking.fail")
    with ticking.app_context():
        assert alert_failed_jobs() == 1
        assert alert_failed_jobs() == 0  # later sweeps do not repeat it
    message = mail.wait_for(admin.email, 1)[0]
    assert message["Subject"] == "Background job failed: Periodic job ticking.fail"
    assert "RuntimeError: disk full" in message.get_body(preferencelist=("plain",)).get_content()

    client = ticking.test_client()
    login(client, admin)
    page = client.get("/admin/jobs?state=failed&kind=periodic").get_data(as_text=True)
    assert "Periodic job ticking.fail" in page and "RuntimeError: disk full" in page
    assert page.count('class="badge badge-warn">failed') == 1  # the retrying attempts are not failures
    run_id = db.session.execute(select(JobRun.id).where(JobRun.state == "failed")).scalar_one()
    response = client.post(f"/admin/jobs/periodic/{run_id}/retry?state=failed&show=periodic")
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/jobs?state=failed&kind=periodic")
    # the retry ran it again (eager) and it failed again: four more attempts, a new failure to alert about
    assert [s for _, s, _, _ in _runs()].count("failed") == 1 and _runs()[3][1] == "retried"
    with ticking.app_context():
        assert alert_failed_jobs() == 1
    assert len(mail.wait_for(admin.email, 2)) == 2
    again = client.post(f"/admin/jobs/periodic/{run_id}/retry", follow_redirects=True).get_data(as_text=True)
    assert "Only a failed periodic job run can be retried." in again


def test_the_page_merges_kinds_newest_first_filters_and_pages(client, app):  # type: ignore[no-untyped-def]
    now = utcnow()
    db.session.add_all(
        [JobRun(name=f"core.job{i}", state="done" if i % 3 else "failed", attempt=1, summary="", error="boom" if i % 3 == 0 else "",
                started_at=now - timedelta(minutes=i), finished_at=now - timedelta(minutes=i)) for i in range(60)]
    )
    db.session.commit()
    extra = [JobRow("imports", "1", "Import of members.csv", "queued", now + timedelta(seconds=1))]
    register_job_source(app, JobSource("imports", "Member imports", lambda state, limit: extra if state in (None, "queued") else []))
    try:
        login(client, create_user(is_admin=True))
        first = client.get("/admin/jobs").get_data(as_text=True)
        assert first.count("<tr>") == 51  # header + 50 rows
        assert first.index("Import of members.csv") < first.index("core.job0")  # newest first, across kinds
        assert "page=2" in first
        second = client.get("/admin/jobs?page=2").get_data(as_text=True)
        assert second.count("<tr>") == 12 and "core.job59" in second and "page=3" not in second
        failed = client.get("/admin/jobs?state=failed").get_data(as_text=True)
        assert failed.count("<tr>") == 21 and "Import of members.csv" not in failed and failed.count(">Retry<") == 20
        only_imports = client.get("/admin/jobs?kind=imports").get_data(as_text=True)
        assert "Import of members.csv" in only_imports and "core.job" not in only_imports
        empty = client.get("/admin/jobs?kind=imports&state=failed").get_data(as_text=True)
        assert "No job matches." in empty
        assert client.get("/admin/jobs?state=exploded").status_code == 400
        assert client.get("/admin/jobs?kind=nothing").status_code == 400
        assert client.post("/admin/jobs/nothing/1/retry").status_code == 404
        assert client.post("/admin/jobs/imports/1/retry").status_code == 404  # a source that cannot retry
    finally:
        app.extensions["core_job_sources"].pop("imports")


def test_an_empty_page_says_so_and_a_broken_source_is_a_notice(client, app):  # type: ignore[no-untyped-def]
    login(client, create_user(is_admin=True))
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "No background jobs yet." in page and "Background jobs" in page
    beyond = client.get("/admin/jobs?page=999").get_data(as_text=True)
    assert "This page is past the last one." in beyond and "No background jobs yet." not in beyond
    assert "This page is past the last one." in client.get("/admin/mail/?page=999").get_data(as_text=True)

    def broken(state, limit):  # type: ignore[no-untyped-def]
        raise RuntimeError("source down")

    register_job_source(app, JobSource("broken", "Broken kind", broken))
    try:
        page = client.get("/admin/jobs").get_data(as_text=True)
        assert "Broken kind: its jobs could not be listed right now" in page
    finally:
        app.extensions["core_job_sources"].pop("broken")


def test_only_admins_see_or_retry_jobs(client, app):  # type: ignore[no-untyped-def]
    run = JobRun(name="core.expire_sessions", state="failed", attempt=4, summary="", error="boom", started_at=utcnow())
    db.session.add(run)
    db.session.commit()
    assert client.get("/admin/jobs").status_code in (302, 303)  # to the login page
    assert client.post(f"/admin/jobs/periodic/{run.id}/retry").status_code in (302, 303)
    cluster = create_cluster()
    login(client, manager_of(cluster))  # a cluster manager is no admin
    assert client.get("/admin/jobs").status_code == 403
    assert client.post(f"/admin/jobs/periodic/{run.id}/retry").status_code == 403
    db.session.expire_all()
    assert db.session.get(JobRun, run.id).state == "failed"
    assert "Background jobs" not in client.get(f"/clusters/{cluster.id}").get_data(as_text=True)


def test_the_retry_button_needs_its_csrf_token(make_app):  # type: ignore[no-untyped-def]
    app = make_app(WTF_CSRF_ENABLED=True)
    admin = create_user(is_admin=True)
    run = JobRun(name="core.expire_sessions", state="failed", attempt=4, summary="", error="boom", started_at=utcnow())
    db.session.add(run)
    db.session.commit()
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": admin.email, "password": "correct horse battery staple", "csrf_token": token})
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert client.post(f"/admin/jobs/periodic/{run.id}/retry").status_code == 400
    db.session.expire_all()
    assert db.session.get(JobRun, run.id).state == "failed"
    form = re.search(rf'action="/admin/jobs/periodic/{run.id}/retry[^"]*"(.*?)</form>', page, re.S)
    assert form is not None
    response = client.post(f"/admin/jobs/periodic/{run.id}/retry", data={"csrf_token": csrf_token_from(form.group(1))})
    assert response.status_code == 303


def test_plugins_contribute_sources_through_the_hook_and_the_admin_nav_links_the_page(app, client):  # type: ignore[no-untyped-def]
    sources, failed = job_sources(app)
    assert {"periodic", "reports", "stripe_events"} <= {s.kind for s in sources} and failed == []
    login(client, create_user(is_admin=True))
    assert 'href="/admin/jobs"' in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("kind", ["periodic", "mail", "bulk-mail", "reports", "stripe_events"])
@pytest.mark.parametrize("key", ["9" * 23, "１", "-1", "0x1"])
def test_retrying_a_job_that_cannot_exist_is_refused_not_an_error(client, kind, key):  # type: ignore[no-untyped-def]
    login(client, create_user(is_admin=True))
    response = client.post(f"/admin/jobs/{kind}/{key}/retry", follow_redirects=True)
    assert response.status_code == 200 and "can be" in response.get_data(as_text=True)  # "only a failed … can be …"
