"""Many mails of one template as a background job with progress ("sent 40 of 120").

The request records a ``BulkMailJob`` (the recipients and their contexts) in
its own transaction and the ``workers.send_bulk_mail`` task, sent after the
commit, renders and queues the mails in batches of ``BATCH_SIZE``. Each batch
commits its mails together with the job's ``done`` counter, so a job picked up
again (worker restarted, task re-delivered) continues after the last batch and
queues no mail twice.

Contexts are stored as JSON: strings, numbers, booleans, None, lists, dicts,
and ``datetime`` (tagged, restored as aware UTC datetimes), so templates read
``round.closes_at.strftime(...)`` from a dict as they would from an object.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

from flask import current_app
from sqlalchemy import select, update

from core.email.models import BulkMailJob
from core.email.sending import record_mail, render_mail
from core.extensions import db
from core.models import utcnow
from core.tasks import send_now, send_task_after_commit
from core.templating import background_request_context

log = logging.getLogger(__name__)
BULK_TASK = "workers.send_bulk_mail"
BATCH_SIZE = 25
#: A running job without progress for this long lost its worker; the sweep starts it again.
STALLED_AFTER = timedelta(minutes=5)
_DATETIME_TAG = "__utc_datetime__"


class BulkMailError(ValueError):
    """A bulk job that cannot be recorded (a context that is not JSON-safe); the message says what."""


@dataclass(frozen=True)
class BulkMailProgress:
    """What a page shows of a job: ``done`` of ``total`` queued; ``label`` is a plural noun."""

    job_id: int
    cluster_id: int | None
    label: str
    state: str
    done: int
    total: int
    error: str

    @property
    def is_terminal(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def dumps_context(value: Any) -> Any:
    """``value`` as JSON-safe data; raises ``BulkMailError`` for anything else (ORM rows, bytes)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, datetime):
        return {_DATETIME_TAG: value.isoformat()}
    if isinstance(value, dict):
        return {str(k): dumps_context(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [dumps_context(v) for v in value]
    raise BulkMailError(f"a bulk mail context holds {type(value).__name__}; pass plain values (str, numbers, datetime, dicts)")


def loads_context(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_DATETIME_TAG}:
            return datetime.fromisoformat(value[_DATETIME_TAG])
        return {k: loads_context(v) for k, v in value.items()}
    if isinstance(value, list):
        return [loads_context(v) for v in value]
    return value


def send_bulk_email(
    recipients: Iterable[tuple[str, dict[str, Any]]],
    subject: str,
    template: str,
    label: str = "emails",
    cluster_id: int | None = None,
    key: str = "",
    **context: Any,
) -> int:
    """Record a job that mails ``template`` to each ``(address, own context)``; returns the job id.

    ``context`` is shared by every mail, each recipient's own context overrides it.
    ``label`` names the mails in progress texts ("Sending 40 of 120 invitations");
    ``key`` names what the job is about, for ``bulk_mail_jobs(key)`` on its page.
    The job joins the caller's transaction: nothing is sent if it rolls back. Raises
    ``BulkMailError`` when a context is not JSON-safe (see ``dumps_context``).
    """
    items = [{"to": to, "context": dumps_context(own)} for to, own in recipients]
    job = BulkMailJob(
        cluster_id=cluster_id,
        label=label[:80],
        key=key[:120],
        subject=subject,
        template=template,
        context=dumps_context(context),
        items=items,
        total=len(items),
        done=0,
        state="queued" if items else "done",
        finished_at=None if items else utcnow(),
    )
    db.session.add(job)
    db.session.flush()
    if items:
        send_task_after_commit(BULK_TASK, job.id, after_request=True)
    return job.id


def run_bulk_job(job_id: int) -> str:
    """Render and queue the job's remaining mails batch by batch; returns a summary.

    A job another worker is running (progress within ``STALLED_AFTER``) is left alone.
    A rendering error marks the job ``failed`` with the error; mails queued before stay queued.
    """
    now = utcnow()
    claimed = db.session.execute(
        update(BulkMailJob)
        .where(
            BulkMailJob.id == job_id,
            (BulkMailJob.state == "queued") | ((BulkMailJob.state == "running") & (BulkMailJob.updated_at < now - STALLED_AFTER)),
        )
        .values(state="running", updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]  # a DML result has a row count
    db.session.commit()
    if claimed != 1:
        return f"bulk mail job {job_id}: not queued or running elsewhere"
    job = db.session.get(BulkMailJob, job_id)
    if job is None:  # claimed a moment ago; jobs are never deleted
        raise RuntimeError(f"bulk mail job {job_id} vanished")
    shared = loads_context(job.context)
    try:
        with background_request_context():  # templates may build links with url_for
            while job.done < job.total:
                for item in job.items[job.done : job.done + BATCH_SIZE]:
                    ctx = {**shared, **loads_context(item["context"])}
                    record_mail(item["to"], *render_mail(job.subject, job.template, ctx), bulk_job_id=job.id)
                job.done = min(job.total, job.done + BATCH_SIZE)
                job.updated_at = utcnow()
                db.session.commit()
    except Exception as exc:
        db.session.rollback()
        job = db.session.get(BulkMailJob, job_id)
        if job is None:
            raise
        job.state, job.error, job.finished_at = "failed", f"{type(exc).__name__}: {exc}"[:1000], utcnow()
        db.session.commit()
        log.exception("bulk mail job %s failed", job_id)
        return f"bulk mail job {job_id}: failed"
    job.state, job.finished_at = "done", utcnow()
    db.session.commit()
    return f"bulk mail job {job_id}: queued {job.total}"


def progress(job_id: int, cluster_id: int | None = None) -> BulkMailProgress | None:
    """The job's progress, or None when it does not exist (or belongs to another cluster)."""
    job = db.session.get(BulkMailJob, job_id)
    if job is None or (cluster_id is not None and job.cluster_id != cluster_id):
        return None
    return _progress(job)


def retry_bulk_job(job_id: int) -> bool:
    """Queue a ``failed`` job again; it continues after the mails already queued. Commits."""
    job = db.session.get(BulkMailJob, job_id)
    if job is None or job.state != "failed":
        return False
    job.state, job.error, job.finished_at, job.updated_at = "queued", None, None, utcnow()
    send_task_after_commit(BULK_TASK, job.id, after_request=True)
    db.session.commit()
    return True


def failed_bulk_jobs(limit: int = 20) -> list[BulkMailProgress]:
    """The latest ``failed`` bulk jobs, newest first."""
    rows = db.session.execute(
        select(BulkMailJob).where(BulkMailJob.state == "failed").order_by(BulkMailJob.id.desc()).limit(limit)
    ).scalars()
    return [_progress(job) for job in rows]


def bulk_mail_jobs(key: str, cluster_id: int | None, limit: int = 3) -> list[BulkMailProgress]:
    """The latest jobs recorded with ``key`` in ``cluster_id``, newest first."""
    rows = db.session.execute(
        select(BulkMailJob)
        .where(BulkMailJob.key == key, BulkMailJob.cluster_id == cluster_id)
        .order_by(BulkMailJob.id.desc())
        .limit(limit)
    ).scalars()
    return [_progress(job) for job in rows]


def _progress(job: BulkMailJob) -> BulkMailProgress:
    return BulkMailProgress(job.id, job.cluster_id, job.label, job.state, job.done, job.total, job.error or "")


def sweep_bulk_jobs(now: datetime | None = None) -> list[int]:
    """Re-send the task of queued jobs older than a minute and running jobs without progress; returns ids."""
    now = now or utcnow()
    ids = list(
        db.session.execute(
            select(BulkMailJob.id).where(
                ((BulkMailJob.state == "queued") & (BulkMailJob.created_at < now - timedelta(minutes=1)))
                | ((BulkMailJob.state == "running") & (BulkMailJob.updated_at < now - STALLED_AFTER))
            )
        ).scalars()
    )
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for job_id in ids:
        send_now(app, BULK_TASK, job_id)
    return ids
