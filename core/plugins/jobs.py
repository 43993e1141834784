"""Scheduled jobs that plugins contribute, looked up by their full name."""

from __future__ import annotations

from flask import Flask

from core.plugins.types import PeriodicJob


def periodic_jobs(app: Flask) -> dict[str, PeriodicJob]:
    """Every plugin's jobs, keyed ``<slug>.<name>``."""
    host = app.extensions["plugin_host"]
    jobs: dict[str, PeriodicJob] = {}
    for impl in host.pm.hook.designing_clusters_periodic_jobs.get_hookimpls():
        slug = host.plugin_slug(impl.plugin_name)
        for job in impl.function() or []:
            jobs[f"{slug}.{job.name}"] = job
    return jobs
