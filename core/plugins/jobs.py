"""Scheduled jobs, core's own and those plugins contribute, looked up by their full name."""

from __future__ import annotations

from flask import Flask

from core.plugins.types import PeriodicJob


def _expire_sessions_and_mail_counts() -> str:
    from core.accounts.sessions import delete_expired_sessions
    from core.background.runs import delete_old_runs
    from core.email.limits import delete_old_sends
    return (f"deleted {delete_expired_sessions()} expired sessions, {delete_old_sends()} old mail counts, "
            f"{delete_old_runs()} old job runs")


def core_jobs() -> dict[str, PeriodicJob]:
    """Core's housekeeping, keyed like plugins' jobs (``core.<name>``)."""
    return {"core.expire_sessions": PeriodicJob("expire_sessions", _expire_sessions_and_mail_counts, 3600)}


def periodic_jobs(app: Flask) -> dict[str, PeriodicJob]:
    """Core's and every plugin's jobs, keyed ``<slug>.<name>``.

    Raises ``HookResultError`` when a plugin returns something other than a
    list of ``PeriodicJob``: the worker then stops at start-up, naming it.
    """
    host = app.extensions["plugin_host"]
    jobs: dict[str, PeriodicJob] = dict(core_jobs())
    for slug, found in host.results("designing_clusters_periodic_jobs"):
        for job in found:
            jobs[f"{slug}.{job.name}"] = job
    return jobs
