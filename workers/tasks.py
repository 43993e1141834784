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


# -- reports: ids in, the job row is the truth (engagements.reports.jobs) ---------------------

#: Celery-level cap on re-deliveries of one message; the job's own attempts are bounded by
#: REPORT_JOB_MAX_ATTEMPTS, and "running elsewhere" waits are bounded by the lease.
REPORT_TASK_MAX_RETRIES = 20


def _run_report_job(task, job_id: int) -> str:  # type: ignore[no-untyped-def]
    from engagements.reports.jobs import RetryLater, run_job

    try:
        summary = run_job(job_id)
    except RetryLater as later:
        log.info("report job %s: retry in %ss (%s)", job_id, later.countdown, later)
        raise task.retry(countdown=later.countdown, max_retries=REPORT_TASK_MAX_RETRIES, exc=later)
    log.info(summary)
    return summary


@shared_task(name="workers.compose_report", bind=True, acks_late=True, reject_on_worker_lost=True)
def compose_report(self, job_id: int) -> str:  # type: ignore[no-untyped-def]
    """Collect the tools' contributions into the draft version the job reserved, then render it."""
    return _run_report_job(self, job_id)


@shared_task(name="workers.render_report", bind=True, acks_late=True, reject_on_worker_lost=True)
def render_report(self, job_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render and store the PDF of the version the job names (after a consultant's edit)."""
    return _run_report_job(self, job_id)


@shared_task(name="workers.draft_workshop_brief", bind=True, acks_late=True, reject_on_worker_lost=True)
def draft_workshop_brief(self, job_id: int) -> str:  # type: ignore[no-untyped-def]
    """Draft a workshop's brief from the cluster's divergences into the version the job
    reserved, then render its PDF (a ``ReportJob`` of kind ``brief``: same retries and reaper)."""
    return _run_report_job(self, job_id)


@shared_task(name="workers.reap_report_jobs")
def reap_report_jobs() -> str:
    """Periodic: re-send report jobs stuck in the queue or left running by a dead worker."""
    from engagements.reports.jobs import reap_stuck_jobs

    resent = reap_stuck_jobs()
    return f"re-sent {len(resent)} report job(s)"
