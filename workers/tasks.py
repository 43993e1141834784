"""Tasks. Each takes names or ids and is safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from core.plugins.jobs import periodic_jobs
from core.plugins.state import is_enabled

log = logging.getLogger(__name__)


#: Celery retries of a failing periodic job (each attempt is one row in ``job_runs``).
PERIODIC_JOB_MAX_RETRIES = 3


@shared_task(name="workers.run_periodic_job", bind=True)
def run_periodic_job(self, name: str) -> str:  # type: ignore[no-untyped-def]
    """Run one plugin job by its full name (``<slug>.<name>``); skipped when the plugin is off.

    Each attempt is recorded in ``job_runs`` (core.background.runs): a failure is retried
    up to ``PERIODIC_JOB_MAX_RETRIES`` times with back-off (2, 4, 8 s), then "failed",
    which the admins see on the jobs page and are mailed about once.
    """
    from core.background.runs import finish_run, start_run

    job = periodic_jobs(current_app).get(name)
    if job is None:
        return f"unknown job {name}"
    if not is_enabled(name.split(".", 1)[0]):
        return f"skipped {name}: plugin disabled"
    run_id = start_run(name, self.request.retries + 1)
    try:
        summary = job.run()
    except Exception as exc:
        log.exception("job %s failed (attempt %s)", name, self.request.retries + 1)
        error = f"{type(exc).__name__}: {exc}"
        if self.request.retries < PERIODIC_JOB_MAX_RETRIES:
            finish_run(run_id, "retrying", error=error)
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1), max_retries=PERIODIC_JOB_MAX_RETRIES)
        finish_run(run_id, "failed", error=error)
        return f"job {name} failed for good: {error}"
    finish_run(run_id, "done", summary=str(summary))
    log.info("job %s: %s", name, summary)
    return summary


@shared_task(name="workers.alert_failed_jobs")
def alert_failed_jobs() -> str:
    """Periodic: mail the admins once about each background job that failed for good."""
    from core.background.alerts import alert_failed_jobs as sweep

    return f"alerted {sweep()} failed job(s)"


# -- Stripe events: stored by the webhook, fulfilled here (engagements.billing.fulfilment) -----

#: Celery-level cap on retries of one message; the event's own attempts are bounded by WEBHOOK_MAX_ATTEMPTS.
WEBHOOK_TASK_MAX_RETRIES = 20


@shared_task(name="workers.fulfil_webhook_event", bind=True, acks_late=True, reject_on_worker_lost=True,
             ignore_result=True)
def fulfil_webhook_event(self, event_row_id: int) -> str:  # type: ignore[no-untyped-def]
    """Apply one stored Stripe event (idempotent: a duplicate finds it done)."""
    from engagements.billing.fulfilment import RetryLater, fulfil

    try:
        summary = fulfil(event_row_id)
    except RetryLater as later:
        log.info("stripe event %s: retry in %ss (%s)", event_row_id, later.countdown, later)
        raise self.retry(countdown=later.countdown, max_retries=WEBHOOK_TASK_MAX_RETRIES, exc=later)
    log.info(summary)
    return summary


@shared_task(name="workers.sweep_webhook_events")
def sweep_webhook_events() -> str:
    """Periodic: send again the stored Stripe events still unfulfilled (lost sends, worker down)."""
    from engagements.billing.fulfilment import sweep

    return f"re-sent {len(sweep())} stripe event(s)"


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
