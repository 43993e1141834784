"""Report drafts and renders on the admin's background-jobs page (a ``JobSource``)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core.api import JobRow, JobSource, JobState, db
from engagements.lifecycle import Actor
from engagements.reports import jobs
from engagements.reports.models import ReportJob

KIND = "reports"
_AS_JOB_STATE: dict[str, JobState] = {
    "queued": "queued", "collecting": "running", "rendering": "running", "failed": "failed", "ready": "done",
}
_FROM_JOB_STATE = {"queued": ("queued",), "running": jobs.RUNNING, "failed": ("failed",), "done": ("ready",)}


def as_job_row(job: ReportJob) -> JobRow:
    state = _AS_JOB_STATE.get(job.state, "done")
    what = "Draft" if job.kind == "draft" else "PDF"
    return JobRow(
        kind=KIND,
        key=str(job.id),
        title=f"{what} of report version {job.version_number}, engagement #{job.engagement_id}",
        state=state,
        created_at=job.created_at,
        updated_at=job.finished_at if state == "failed" else job.updated_at,
        attempts=job.attempts,
        error=job.error if state in ("failed", "queued") else "",
        link=url_for("engagements_admin.engagement", engagement_id=job.engagement_id),
    )


def list_report_jobs(state: str | None, limit: int) -> list[JobRow]:
    query = select(ReportJob).order_by(ReportJob.id.desc()).limit(limit)
    if state is not None:
        query = query.where(ReportJob.state.in_(_FROM_JOB_STATE.get(state, ())))
    return [as_job_row(job) for job in db.session.execute(query).scalars()]


def retry_report_job(key: str, actor_label: str) -> str:
    """Queue a failed report job again (``jobs.retry_job``); ``ValueError`` otherwise."""
    job = jobs.retry_job(int(key) if key.isdigit() else 0, Actor.system(actor_label))
    db.session.commit()
    return f"Report job #{job.id} is queued again."


SOURCE = JobSource(KIND, "Reports", list_report_jobs, retry=retry_report_job, order=20)
