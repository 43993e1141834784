"""Scheduled jobs that plugins contribute, looked up by their full name."""

from __future__ import annotations

from flask import Flask

from core.plugins.types import PeriodicJob


def periodic_jobs(app: Flask) -> dict[str, PeriodicJob]:
    """Every plugin's jobs, keyed ``<slug>.<name>``.

    Raises ``HookResultError`` when a plugin returns something other than a
    list of ``PeriodicJob``: the worker then stops at start-up, naming it.
    """
    host = app.extensions["plugin_host"]
    jobs: dict[str, PeriodicJob] = {}
    for slug, found in host.results("designing_clusters_periodic_jobs"):
        for job in found:
            jobs[f"{slug}.{job.name}"] = job
    return jobs
