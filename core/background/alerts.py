"""A job that failed for good is mailed to the admins once (recorded in ``job_alerts``).

``alert_once`` is called where a failure becomes final (e.g. the Stripe fulfilment's
last attempt) and by the worker's sweep (``alert_failed_jobs``, every minute), which
catches every source, including ones that do not call it. The alert row is inserted
before the mail leaves and committed with it: if the mail cannot be sent, the row is
rolled back and the next sweep tries again; once committed, no sweep repeats it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.accounts.models import User
from core.background.models import JobAlert
from core.background.registry import job_sources
from core.email.sending import send_email
from core.extensions import db
from core.links import absolute_url
from core.models import utcnow
from core.plugins.types import JobRow, JobSource
from core.templating import background_request_context

log = logging.getLogger(__name__)
#: Failures older than this are not mailed (a first deployment must not mail years of history).
ALERT_WINDOW = timedelta(days=7)
#: How many failed jobs of one kind a sweep looks at.
SWEEP_LIMIT = 200
ALERT_SUBJECT = "Background job failed: "


def admin_emails() -> list[str]:
    return list(db.session.execute(select(User.email).where(User.is_admin.is_(True)).order_by(User.email)).scalars())


def alert_once(job: JobRow, kind_title: str = "") -> bool:
    """Mail the admins about ``job`` (state "failed") unless that was done already; commits.

    True when this call sent the alert. A job that failed again after a retry has a
    new ``updated_at`` and is alerted again. Mail errors are logged; the alert then
    stays unsent and the next sweep retries it.
    """
    if job.state != "failed":
        return False
    if job.kind == "mail" and ALERT_SUBJECT in job.title:
        return False  # an alert about an undeliverable alert would loop for as long as mail is down
    failed_at = job.updated_at or job.created_at
    try:
        with db.session.begin_nested():
            db.session.add(JobAlert(kind=job.kind, job_key=job.key[:120], failed_at=failed_at, sent_at=utcnow()))
    except IntegrityError:
        db.session.rollback()
        return False
    try:
        recipients = admin_emails()
        with background_request_context():
            jobs_url = absolute_url("admin.jobs", state="failed", kind=job.kind)
            for email in recipients:
                send_email(email, f"{ALERT_SUBJECT}{job.title}"[:190], "background_job_failed",
                           job=job, kind_title=kind_title or job.kind, jobs_url=jobs_url)
        db.session.commit()
    except Exception:  # the next sweep tries again
        db.session.rollback()
        log.exception("could not mail the admins about failed job %s/%s", job.kind, job.key)
        return False
    log.warning("background job %s/%s failed for good; %d admin(s) mailed", job.kind, job.key, len(recipients))
    return True


def alert_failed_jobs() -> int:
    """Sweep every source for jobs failed for good and not alerted yet; the number alerted."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    since = utcnow() - ALERT_WINDOW
    sent = 0
    sources, _failed = job_sources(app)
    with background_request_context():  # sources build links with url_for
        for source in sources:
            sent += _sweep_source(source, since)
    return sent


def _sweep_source(source: JobSource, since: datetime) -> int:
    sent = 0
    try:
        rows = source.list_jobs("failed", SWEEP_LIMIT)
    except Exception:  # one broken source must not hide the others
        db.session.rollback()
        log.exception("job source %s could not be listed", source.kind)
        return 0
    for row in rows:
        if (row.updated_at or row.created_at) >= since and not _already(row):
            sent += alert_once(row, source.title)
    return sent


def _already(row: JobRow) -> bool:
    return db.session.execute(
        select(JobAlert.id).where(JobAlert.kind == row.kind, JobAlert.job_key == row.key[:120],
                                  JobAlert.failed_at == (row.updated_at or row.created_at))
    ).first() is not None
