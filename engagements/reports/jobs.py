"""Report jobs: created in the caller's transaction, run by the worker, visible as progress.

The job row is the truth (state, attempts, error, timings), not Celery's result backend.

- ``create_draft_job`` / ``create_render_job`` / ``retry_job`` change rows in the caller's
  transaction and send the task with ``core.api.send_task_after_commit``: nothing is sent
  if the caller rolls back. They do not commit.
- ``run_job`` (called by the worker's tasks) claims the job by compare-and-set: one
  ``UPDATE ... WHERE state = 'queued'`` (or a running job whose lease ran out, i.e. whose
  worker died), so a job delivered twice, or twenty times, runs once. Every later write of
  that run is fenced by the attempt number it claimed, so a worker presumed dead cannot
  overwrite the run that replaced it. The version a draft creates is unique per
  (engagement, number), so even a duplicate run cannot make two.
- Failures are retried ``REPORT_JOB_MAX_ATTEMPTS`` times in all, with exponential backoff
  (``REPORT_JOB_RETRY_BASE_SECONDS`` × 2^(attempt−1), at most 5 minutes); then ``failed``
  with the reason for staff, and ``retry_job`` puts it back in the queue.
- ``reap_stuck_jobs`` (periodic, in the worker's beat) re-sends queued jobs nobody started
  within ``REPORT_JOB_STUCK_SECONDS`` and running jobs whose lease
  (``REPORT_JOB_LEASE_SECONDS`` without progress) ran out.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from core.api import db, send_task_after_commit, utcnow
from engagements.lifecycle import Actor
from engagements.models import Engagement
from engagements.reports.models import JOB_STATE_LABELS, ReportJob, ReportVersion

log = logging.getLogger(__name__)

COMPOSE_TASK = "workers.compose_report"
RENDER_TASK = "workers.render_report"
#: A workshop brief's job (kind ``brief``) shares these rows and this machinery; its steps
#: live in ``engagements.briefs.compose`` (see ``engagements.briefs.jobs``).
BRIEF_TASK = "workers.draft_workshop_brief"
TASKS = {"draft": COMPOSE_TASK, "render": RENDER_TASK, "brief": BRIEF_TASK}
#: Kinds whose first stage collects the tools' data (then render, then ready).
DRAFT_KINDS = ("draft", "brief")
REPORT_KINDS = ("draft", "render")
RUNNING = ("collecting", "rendering")
TERMINAL = ("ready", "failed")
#: Engagement states in which a draft may be generated (a revision after delivery included).
DRAFTABLE_STATES = frozenset({"paid", "scheduled", "in_delivery", "delivered"})
MAX_BACKOFF_SECONDS = 300


class ReportJobError(ValueError):
    """The job cannot be created or retried (wrong kind of engagement, state, or job)."""


class RetryLater(Exception):
    """The task should be delivered again after ``countdown`` seconds (the worker re-sends it)."""

    def __init__(self, countdown: float, reason: str) -> None:
        super().__init__(reason)
        self.countdown = countdown


@dataclass(frozen=True)
class JobProgress:
    """What a progress display shows. ``step`` of ``total`` counts finished stages
    (a draft: collecting, rendering, ready = 3; a render job: rendering, ready = 2).
    ``error`` is for staff only (consultants, admins); ``is_terminal`` means polling may stop."""

    job_id: int
    kind: str
    state: str
    label: str
    step: int
    total: int
    attempts: int
    version_number: int
    error: str
    is_terminal: bool
    created_at: datetime
    finished_at: datetime | None

    @property
    def percent(self) -> int:
        return round(100 * self.step / self.total)


# -- creating jobs (caller's transaction) -------------------------------------------------


def _job_task(job: ReportJob) -> str:
    return TASKS.get(job.kind, RENDER_TASK)


def _send(job: ReportJob) -> None:
    db.session.flush()  # the job needs its id before the send is registered
    send_task_after_commit(_job_task(job), job.id)


def _lock_engagement(engagement_id: int) -> Engagement | None:
    return db.session.execute(
        select(Engagement).where(Engagement.id == engagement_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()


def next_version_number(engagement_id: int) -> int:
    """The next free version number: above every version and every number a draft job reserved.

    Anything that inserts a version (editing too) must take its number here, with the
    engagement row locked, so a queued draft and an edit never claim the same number.
    """
    versions = db.session.execute(
        select(func.max(ReportVersion.number)).where(ReportVersion.engagement_id == engagement_id)
    ).scalar()
    reserved = db.session.execute(
        select(func.max(ReportJob.version_number)).where(
            ReportJob.engagement_id == engagement_id, ReportJob.kind == "draft"
        )
    ).scalar()
    return max(versions or 0, reserved or 0) + 1


def create_draft_job(engagement_id: int, actor: Actor) -> ReportJob:
    """Queue a new draft (next version number reserved); task sent after the caller commits.

    If a draft is already queued or running for this engagement, that job is returned
    instead of a second one. Raises ``ReportJobError`` for an unknown engagement, one that
    does not produce a report, or one not (or no longer) paid for.
    """
    engagement = _lock_engagement(engagement_id)
    if engagement is None:
        raise ReportJobError(f"no engagement {engagement_id}")
    if not engagement.kind_info.produces_report:
        raise ReportJobError(f"a {engagement.kind_info.noun} has no report")
    if engagement.state not in DRAFTABLE_STATES:
        raise ReportJobError(f"a draft can be generated once the report is paid (the engagement is {engagement.state})")
    active = db.session.execute(
        select(ReportJob)
        .where(ReportJob.engagement_id == engagement_id, ReportJob.kind == "draft",
               ReportJob.state.in_(("queued", *RUNNING)))
        .order_by(ReportJob.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if active is not None:
        return active
    job = ReportJob(
        engagement_id=engagement_id,
        cluster_id=engagement.cluster_id,
        kind="draft",
        version_number=next_version_number(engagement_id),
        state="queued",
        attempts=0,
        error="",
        requested_by_id=actor.user_id,
        requested_by_label=actor.label[:120],
        sent_at=utcnow(),
    )
    db.session.add(job)
    _send(job)
    return job


def create_render_job(version: ReportVersion, actor: Actor) -> ReportJob:
    """Queue the PDF rendering of ``version`` (after an edit); task sent after the caller commits.

    Returns the existing job while that version is queued or rendering. A version rendered
    before gets a new job: delivery clears its PDF to render the delivered cover.
    The version must be flushed (have an id).
    """
    existing = db.session.execute(
        select(ReportJob)
        .where(ReportJob.engagement_id == version.engagement_id, ReportJob.kind == "render",
               ReportJob.version_number == version.number, ReportJob.state.in_(("queued", "rendering")))
        .order_by(ReportJob.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    job = ReportJob(
        engagement_id=version.engagement_id,
        cluster_id=version.cluster_id,
        kind="render",
        version_number=version.number,
        state="queued",
        attempts=0,
        error="",
        requested_by_id=actor.user_id,
        requested_by_label=actor.label[:120],
        sent_at=utcnow(),
    )
    db.session.add(job)
    _send(job)
    return job


def retry_job(job_id: int, actor: Actor) -> ReportJob:
    """Put a failed job back in the queue (attempts start again); ``ReportJobError`` otherwise."""
    now = utcnow()
    result = db.session.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id, ReportJob.state == "failed")
        .values(state="queued", attempts=0, sent_at=now, started_at=None, finished_at=None, updated_at=now,
                error=f"Retried by {actor.label}")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ReportJobError("only a failed job can be retried")
    job = db.session.get(ReportJob, job_id, populate_existing=True)
    assert job is not None
    send_task_after_commit(_job_task(job), job.id)
    return job


# -- reading --------------------------------------------------------------------------------


def latest_job(engagement_id: int, kinds: tuple[str, ...] = REPORT_KINDS) -> ReportJob | None:
    """The engagement's newest job of one of ``kinds`` (the report's by default)."""
    return db.session.execute(
        select(ReportJob)
        .where(ReportJob.engagement_id == engagement_id, ReportJob.kind.in_(kinds))
        .order_by(ReportJob.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def job_progress(job: ReportJob) -> JobProgress:
    stages = (
        ("queued", "collecting", "rendering", "ready") if job.kind in DRAFT_KINDS else ("queued", "rendering", "ready")
    )
    total = len(stages) - 1
    step = stages.index(job.state) if job.state in stages else 0
    return JobProgress(
        job_id=job.id,
        kind=job.kind,
        state=job.state,
        label=JOB_STATE_LABELS.get(job.state, job.state),
        step=step,
        total=total,
        attempts=job.attempts,
        version_number=job.version_number,
        error=job.error if job.state == "failed" else "",
        is_terminal=job.state in TERMINAL,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def progress(engagement_id: int) -> JobProgress | None:
    """The progress of the engagement's latest job, or None before any job."""
    job = latest_job(engagement_id)
    return job_progress(job) if job is not None else None


# -- running (the worker) -------------------------------------------------------------------


def _setting(name: str) -> int:
    return int(current_app.config[name])


def backoff_seconds(attempt: int) -> int:
    """Delay before attempt ``attempt + 1``: base × 2^(attempt−1), capped at 5 minutes."""
    return min(MAX_BACKOFF_SECONDS, _setting("REPORT_JOB_RETRY_BASE_SECONDS") * 2 ** max(0, attempt - 1))


def _claim(job_id: int) -> int | None:
    """Claim the job (compare-and-set); the attempt number claimed, or None if not claimable."""
    now = utcnow()
    stale = now - timedelta(seconds=_setting("REPORT_JOB_LEASE_SECONDS"))
    job = db.session.get(ReportJob, job_id, populate_existing=True)
    if job is None:
        return None
    first = "collecting" if job.kind in DRAFT_KINDS else "rendering"
    result = db.session.execute(
        update(ReportJob)
        .where(
            ReportJob.id == job_id,
            or_(ReportJob.state == "queued", and_(ReportJob.state.in_(RUNNING), ReportJob.updated_at < stale)),
        )
        .values(state=first, attempts=ReportJob.attempts + 1, started_at=now, updated_at=now, finished_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(ReportJob, job_id, populate_existing=True).attempts  # type: ignore[union-attr]


def _advance(job_id: int, attempt: int, **values: object) -> bool:
    """Update the job only if this run still owns it (fenced by its attempt number); commits."""
    result = db.session.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id, ReportJob.attempts == attempt, ReportJob.state.in_(RUNNING))
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def run_job(job_id: int) -> str:
    """Run one job to the end; returns a short summary for the worker's log.

    Raises ``RetryLater`` when the task should come back later: after a failed attempt
    that has attempts left (the job is queued again), or when another worker holds a live
    lease on the job (a duplicate delivery racing the first). While it runs, a heartbeat
    renews the lease, so only a dead worker's job can be claimed again.
    """
    attempt = _claim(job_id)
    if attempt is None:
        job = db.session.get(ReportJob, job_id, populate_existing=True)
        if job is None:
            return f"report job {job_id}: gone"
        if job.state in RUNNING:
            raise RetryLater(_setting("REPORT_JOB_LEASE_SECONDS"), f"report job {job_id} is being run elsewhere")
        return f"report job {job_id}: already {job.state}"
    job = db.session.get(ReportJob, job_id)
    assert job is not None
    with _Heartbeat(job_id, attempt):
        return _run_claimed(job, attempt)


def _run_claimed(job: ReportJob, attempt: int) -> str:
    from engagements.reports.compose import compose_draft
    from engagements.reports.render import render_version_pdf

    job_id = job.id
    if job.kind == "brief":
        return _run_brief(job, attempt)
    try:
        if job.kind == "draft":
            version = compose_draft(job)
            if not _advance(job_id, attempt, state="rendering"):
                return f"report job {job_id}: taken over by another worker"
        else:
            version = db.session.execute(
                select(ReportVersion).where(ReportVersion.engagement_id == job.engagement_id,
                                            ReportVersion.number == job.version_number)
            ).scalar_one()
        render_version_pdf(version.id)
    except Exception as exc:  # recorded on the job row, then retried or failed
        db.session.rollback()
        log.exception("report job %s attempt %s failed", job_id, attempt)
        return _failed_attempt(job_id, attempt, exc)
    if not _advance(job_id, attempt, state="ready", finished_at=utcnow(), error=""):
        return f"report job {job_id}: taken over by another worker"
    return f"report job {job_id}: version {job.version_number} ready"


def _run_brief(job: ReportJob, attempt: int) -> str:
    """A brief's job: draft the version it reserved (collecting), render its PDF, ready."""
    from engagements.briefs.compose import compose_brief
    from engagements.briefs.render import render_brief_pdf

    job_id = job.id
    try:
        version = compose_brief(job)
        if not _advance(job_id, attempt, state="rendering"):
            return f"brief job {job_id}: taken over by another worker"
        render_brief_pdf(version.id)
    except Exception as exc:  # recorded on the job row, then retried or failed
        db.session.rollback()
        log.exception("brief job %s attempt %s failed", job_id, attempt)
        return _failed_attempt(job_id, attempt, exc)
    if not _advance(job_id, attempt, state="ready", finished_at=utcnow(), error=""):
        return f"brief job {job_id}: taken over by another worker"
    return f"brief job {job_id}: version {job.version_number} ready"


class _Heartbeat:
    """Renews the job's lease (``updated_at``) every third of the lease while this run owns it.

    A thread with its own app context and session; it stops with the run, or by itself once
    the run no longer owns the job. A failed beat is logged: at worst the lease runs out and
    the job is claimed again, which the fencing and the unique version make harmless.
    """

    def __init__(self, job_id: int, attempt: int) -> None:
        self.job_id, self.attempt = job_id, attempt
        self.app = current_app._get_current_object()  # type: ignore[attr-defined]
        self.every = max(0.5, _setting("REPORT_JOB_LEASE_SECONDS") / 3)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"report-job-{job_id}-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)

    def _beat(self) -> None:
        with self.app.app_context():
            while not self.stopped.wait(self.every):
                try:
                    result = db.session.execute(
                        update(ReportJob)
                        .where(ReportJob.id == self.job_id, ReportJob.attempts == self.attempt,
                               ReportJob.state.in_(RUNNING))
                        .values(updated_at=utcnow())
                        .execution_options(synchronize_session=False)
                    )
                    db.session.commit()
                    if result.rowcount != 1:
                        return
                except Exception:  # see the class docstring
                    db.session.rollback()
                    log.warning("report job %s: heartbeat failed", self.job_id, exc_info=True)


def _failed_attempt(job_id: int, attempt: int, exc: Exception) -> str:
    reason = f"Attempt {attempt}: {type(exc).__name__}: {exc}"[:2000]
    if attempt < _setting("REPORT_JOB_MAX_ATTEMPTS"):
        now = utcnow()
        db.session.execute(
            update(ReportJob)
            .where(ReportJob.id == job_id, ReportJob.attempts == attempt, ReportJob.state.in_(RUNNING))
            .values(state="queued", error=reason, sent_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        raise RetryLater(backoff_seconds(attempt), reason)
    _advance(job_id, attempt, state="failed", error=reason, finished_at=utcnow())
    return f"report job {job_id}: failed after {attempt} attempts"


# -- the reaper (periodic) ------------------------------------------------------------------


def reap_stuck_jobs(now: datetime | None = None) -> list[int]:
    """Re-send jobs that are stuck; jobs out of attempts become ``failed``. Commits.

    Stuck: queued and not sent since ``REPORT_JOB_STUCK_SECONDS`` (a send lost with its
    broker, a worker that never came), or running without progress for
    ``REPORT_JOB_LEASE_SECONDS`` (its worker died). Returns the ids re-sent.
    """
    now = now or utcnow()
    stuck_before = now - timedelta(seconds=_setting("REPORT_JOB_STUCK_SECONDS"))
    stale_before = now - timedelta(seconds=_setting("REPORT_JOB_LEASE_SECONDS"))
    candidates = db.session.execute(
        select(ReportJob.id, ReportJob.state, ReportJob.attempts, ReportJob.sent_at, ReportJob.updated_at).where(
            or_(
                and_(ReportJob.state == "queued", or_(ReportJob.sent_at.is_(None), ReportJob.sent_at < stuck_before)),
                and_(ReportJob.state.in_(RUNNING), ReportJob.updated_at < stale_before),
            )
        )
    ).all()
    resent: list[int] = []
    for job_id, state, attempts, sent_at, updated_at in candidates:
        guard = [ReportJob.id == job_id, ReportJob.state == state, ReportJob.attempts == attempts]
        if state in RUNNING and attempts >= _setting("REPORT_JOB_MAX_ATTEMPTS"):
            values: dict[str, object] = {
                "state": "failed", "finished_at": now, "updated_at": now,
                "error": f"The worker stopped while working on this report ({attempts} attempts).",
            }
        else:
            # Keep updated_at as it was (no onupdate): a dead run's lease must stay expired.
            values = {"sent_at": now, "updated_at": ReportJob.updated_at}
        result = db.session.execute(
            update(ReportJob).where(*guard).values(**values).execution_options(synchronize_session=False)
        )
        if result.rowcount == 1 and "sent_at" in values:
            job = db.session.get(ReportJob, job_id, populate_existing=True)
            assert job is not None
            send_task_after_commit(_job_task(job), job_id)
            resent.append(job_id)
    db.session.commit()
    if resent:
        log.warning("report reaper re-sent stuck jobs %s", resent)
    return resent
