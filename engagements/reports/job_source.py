"""Report and workshop-brief drafts and renders on the admin's background-jobs page (a ``JobSource``)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core.api import JobRow, JobSource, JobState, db, parse_id
from engagements.lifecycle import Actor
from engagements.models import Engagement
from engagements.reports import jobs
from engagements.reports.models import ReportJob

KIND = "reports"
_AS_JOB_STATE: dict[str, JobState] = {
    "queued": "queued", "collecting": "running", "rendering": "running", "failed": "failed", "ready": "done",
}
_FROM_JOB_STATE = {"queued": ("queued",), "running": jobs.RUNNING, "failed": ("failed",), "done": ("ready",)}


def job_title(job: ReportJob, engagement_kind: str | None) -> str:
    """What the job makes, in words: a workshop brief's draft or PDF, or a report's."""
    what = "Draft" if job.kind in ("draft", "brief") else "PDF"
    if job.kind == "brief" or engagement_kind == "workshop":
        return f"Workshop brief — {what.lower()} of version {job.version_number}, engagement #{job.engagement_id}"
    return f"{what} of report version {job.version_number}, engagement #{job.engagement_id}"


def as_job_row(job: ReportJob, engagement_kind: str | None = None) -> JobRow:
    state = _AS_JOB_STATE.get(job.state, "done")
    return JobRow(
        kind=KIND,
        key=str(job.id),
        title=job_title(job, engagement_kind),
        state=state,
        created_at=job.created_at,
        updated_at=job.finished_at if state == "failed" else job.updated_at,
        attempts=job.attempts,
        error=job.error if state in ("failed", "queued") else "",
        link=url_for("engagements_admin.engagement", engagement_id=job.engagement_id),
    )


def list_report_jobs(state: str | None, limit: int) -> list[JobRow]:
    """Report and workshop-brief jobs (drafts and PDFs), newest first."""
    query = (select(ReportJob, Engagement.kind).outerjoin(Engagement, Engagement.id == ReportJob.engagement_id)
             .order_by(ReportJob.id.desc()).limit(limit))
    if state is not None:
        query = query.where(ReportJob.state.in_(_FROM_JOB_STATE.get(state, ())))
    return [as_job_row(job, kind) for job, kind in db.session.execute(query).all()]


def retry_report_job(key: str, actor_label: str) -> str:
    """Queue a failed report job again (``jobs.retry_job``); ``ValueError`` otherwise."""
    job = jobs.retry_job(parse_id(key) or 0, Actor.system(actor_label))
    db.session.commit()
    return f"Report job #{job.id} is queued again."


SOURCE = JobSource(KIND, "Reports and workshop briefs", list_report_jobs, retry=retry_report_job, order=20)
