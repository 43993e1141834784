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


@shared_task(name="workers.reap_report_jobs")
def reap_report_jobs() -> str:
    """Periodic: re-send report jobs stuck in the queue or left running by a dead worker."""
    from engagements.reports.jobs import reap_stuck_jobs

    resent = reap_stuck_jobs()
    return f"re-sent {len(resent)} report job(s)"


# -- mail: ids in, the mail row is the truth (core.email.queue, core.email.bulk) ----------------

#: Celery-level cap on re-sends of one delivery; the mail's own attempts are bounded by MAIL_MAX_ATTEMPTS.
MAIL_TASK_MAX_RETRIES = 50


@shared_task(name="workers.deliver_mail", bind=True, acks_late=True, reject_on_worker_lost=True)
def deliver_mail(self, mail_id: int) -> str:  # type: ignore[no-untyped-def]
    """Send one recorded mail by SMTP; after a failed attempt, run again after the backoff."""
    from core.email.queue import RetryLater, deliver

    try:
        return deliver(mail_id)
    except RetryLater as later:
        log.info("%s; next attempt in %ss", later, later.countdown)
        if self.request.is_eager:  # inline (tests, demo): the sweep sends it again when due
            return str(later)
        raise self.retry(countdown=later.countdown, max_retries=MAIL_TASK_MAX_RETRIES, exc=later)


@shared_task(name="workers.send_bulk_mail", acks_late=True, reject_on_worker_lost=True)
def send_bulk_mail(job_id: int) -> str:
    """Render and queue the mails of one bulk job in batches, recording progress."""
    from core.email.bulk import run_bulk_job

    summary = run_bulk_job(job_id)
    log.info(summary)
    return summary


@shared_task(name="workers.sweep_mail")
def sweep_mail() -> str:
    """Periodic: re-send delivery and bulk tasks that were lost (broker down, worker killed)."""
    from core.email.bulk import sweep_bulk_jobs
    from core.email.queue import sweep

    return f"re-sent {len(sweep())} mail(s), {len(sweep_bulk_jobs())} bulk job(s)"
