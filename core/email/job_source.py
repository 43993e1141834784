"""Mail on the admin's background-jobs page: each mail and each bulk sending is a job.

A failed mail or bulk job is listed with its error and a Retry; a mail failing for
good is therefore also covered by the failed-job alerts (``core.background.alerts``).
"""

from __future__ import annotations

from flask import Flask, url_for
from sqlalchemy import select

from core.background.registry import register_job_source
from core.email import bulk, queue
from core.email.models import BulkMailJob, OutboxEmail
from core.hygiene.ids import parse_id
from core.extensions import db
from core.plugins.types import JobRow, JobSource, JobState

_MAIL_AS_JOB: dict[str, JobState] = {
    "queued": "queued", "retrying": "queued", "sending": "running", "sent": "done", "kept": "done", "failed": "failed",
}
_BULK_AS_JOB: dict[str, JobState] = {"queued": "queued", "running": "running", "done": "done", "failed": "failed"}


def _states_for(state: str | None, table: dict[str, JobState]) -> list[str] | None:
    return None if state is None else [own for own, job in table.items() if job == state]


def list_mail(state: str | None, limit: int) -> list[JobRow]:
    query = select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(limit)
    wanted = _states_for(state, _MAIL_AS_JOB)
    if wanted is not None:
        query = query.where(OutboxEmail.state.in_(wanted))
    return [
        JobRow(kind="mail", key=str(m.id), title=f"Mail to {m.recipient}: {m.subject}",
               state=_MAIL_AS_JOB.get(m.state, "done"), created_at=m.created_at,
               updated_at=m.sent_at, attempts=m.attempts,
               error=(m.last_error or "") if m.state in ("failed", "retrying") else "",
               link=url_for("mail_admin.index", state=m.state))
        for m in db.session.execute(query).scalars()
    ]


def retry_mail(key: str, actor_label: str) -> str:
    mail_id = parse_id(key)
    mail = db.session.get(OutboxEmail, mail_id) if mail_id is not None else None
    if mail is None or not queue.retry(mail):
        raise ValueError("Only a mail that failed for good can be sent again.")
    return f"The mail to {mail.recipient} is queued again."


def list_bulk(state: str | None, limit: int) -> list[JobRow]:
    query = select(BulkMailJob).order_by(BulkMailJob.id.desc()).limit(limit)
    wanted = _states_for(state, _BULK_AS_JOB)
    if wanted is not None:
        query = query.where(BulkMailJob.state.in_(wanted))
    return [
        JobRow(kind="bulk-mail", key=str(job.id), title=f"Sending {job.total} {job.label} ({job.done} queued)",
               state=_BULK_AS_JOB.get(job.state, "done"), created_at=job.created_at, updated_at=job.updated_at,
               error=job.error or "")
        for job in db.session.execute(query).scalars()
    ]


def retry_bulk(key: str, actor_label: str) -> str:
    job_id = parse_id(key)
    if not (job_id is not None and bulk.retry_bulk_job(job_id)):
        raise ValueError("Only a bulk sending that failed can be started again.")
    return "The sending continues where it stopped."


def register(app: Flask) -> None:
    register_job_source(app, JobSource("mail", "Mail", list_mail, retry=retry_mail, order=20))
    register_job_source(app, JobSource("bulk-mail", "Bulk mail", list_bulk, retry=retry_bulk, order=21))
