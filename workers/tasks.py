"""Tasks. Each takes names or ids and is safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from core.plugins.jobs import periodic_jobs
from core.plugins.state import is_enabled

log = logging.getLogger(__name__)


@shared_task(name="workers.run_periodic_job", autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def run_periodic_job(name: str) -> str:
    """Run one plugin job by its full name (``<slug>.<name>``); skipped when the plugin is off."""
    job = periodic_jobs(current_app).get(name)
    if job is None:
        return f"unknown job {name}"
    if not is_enabled(name.split(".", 1)[0]):
        return f"skipped {name}: plugin disabled"
    summary = job.run()
    log.info("job %s: %s", name, summary)
    return summary
