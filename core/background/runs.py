"""Periodic job runs: recorded by the worker, listed and retried on the admin's jobs page."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import delete, select, update

from core.background.models import JobRun
from core.hygiene.ids import parse_id
from core.background.registry import register_job_source
from core.extensions import db
from core.models import utcnow
from core.plugins.types import JobRow, JobSource, JobState
from core.tasks import send_task_after_commit

KIND = "periodic"
TASK = "workers.run_periodic_job"
#: Runs older than this are deleted by the hourly housekeeping job.
KEEP_RUNS = timedelta(days=30)
_AS_JOB_STATE: dict[str, JobState] = {
    "running": "running", "done": "done", "retrying": "queued", "failed": "failed", "retried": "done",
}
_FROM_JOB_STATE: dict[str, tuple[str, ...]] = {
    "running": ("running",), "done": ("done", "retried"), "queued": ("retrying",), "failed": ("failed",),
}


def start_run(name: str, attempt: int) -> int:
    """Record that attempt ``attempt`` (1-based) of job ``name`` started; commits; the run's id."""
    run = JobRun(name=name[:120], state="running", attempt=attempt, started_at=utcnow())
    db.session.add(run)
    db.session.commit()
    return run.id


def finish_run(run_id: int, state: str, summary: str = "", error: str = "") -> None:
    """Record how run ``run_id`` ended: "done", "retrying" (Celery tries again) or "failed"; commits."""
    db.session.rollback()  # a failed job may have left its transaction broken
    db.session.execute(
        update(JobRun).where(JobRun.id == run_id)
        .values(state=state, summary=summary[:2000], error=error[:2000], finished_at=utcnow())
    )
    db.session.commit()


def delete_old_runs() -> int:
    """Delete runs started more than ``KEEP_RUNS`` ago; commits; how many."""
    result = db.session.execute(delete(JobRun).where(JobRun.started_at < utcnow() - KEEP_RUNS))
    db.session.commit()
    return result.rowcount or 0  # type: ignore[attr-defined]  # a DML result has a row count


def list_runs(state: str | None, limit: int) -> list[JobRow]:
    query = select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    if state is not None:
        query = query.where(JobRun.state.in_(_FROM_JOB_STATE.get(state, ())))
    return [
        JobRow(kind=KIND, key=str(run.id), title=f"Periodic job {run.name}", state=_AS_JOB_STATE.get(run.state, "done"),
               created_at=run.started_at, updated_at=run.finished_at, attempts=run.attempt,
               error=run.error if run.state in ("failed", "retrying") else "")
        for run in db.session.execute(query).scalars()
    ]


def retry_run(key: str, actor_label: str) -> str:
    """Run the failed run's job again now; ``ValueError`` unless the run failed for good."""
    run_id = parse_id(key) or 0  # ASCII digits within an id's range; else nothing matches
    run = db.session.get(JobRun, run_id)
    claimed = db.session.execute(  # type: ignore[attr-defined]  # a DML result has a row count
        update(JobRun).where(JobRun.id == run_id, JobRun.state == "failed")
        .values(state="retried", summary=f"Retried by {actor_label}"[:2000])
    ).rowcount
    if run is None or claimed != 1:
        db.session.rollback()
        raise ValueError("Only a failed periodic job run can be retried.")
    send_task_after_commit(TASK, run.name)
    db.session.commit()
    return f"{run.name} will run again in a moment."


def register(app: Flask) -> None:
    register_job_source(app, JobSource(KIND, "Periodic jobs", list_runs, retry=retry_run, order=90))
