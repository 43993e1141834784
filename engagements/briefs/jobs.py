"""Brief jobs: a ``ReportJob`` of kind ``brief`` drafts a new version and renders its PDF.

Created in the caller's transaction (task sent after the commit, ``send_task_after_commit``),
claimed, retried, fenced and reaped by ``engagements.reports.jobs`` like a report's draft.
Started when a workshop is paid (``billing.payments.mark_paid``), when its date is first
fixed (``console.schedule``: the length is then known), and on the consultant's demand.
"""

from __future__ import annotations

from sqlalchemy import select

from core.api import db, utcnow
from engagements.briefs.models import BriefVersion
from engagements.briefs.versions import next_number
from engagements.lifecycle import Actor
from engagements.models import Engagement
from engagements.reports import jobs as report_jobs
from engagements.reports.jobs import JobProgress, ReportJobError
from engagements.reports.models import ReportJob

#: Engagement states in which a brief may be drafted (paid, before or after the date).
DRAFTABLE_STATES = frozenset({"paid", "scheduled", "in_delivery", "delivered"})
KINDS = ("brief",)


def has_brief(engagement: Engagement) -> bool:
    """Workshops get a brief (facilitated sessions and reports do not)."""
    return engagement.kind == "workshop"


def create_brief_job(engagement_id: int, actor: Actor) -> ReportJob:
    """Queue a new draft of the brief (next version number reserved); sent after the caller commits.

    Returns the queued or running brief job if there is one. Raises ``ReportJobError`` for an
    unknown engagement, one that is not a workshop, or one not (or no longer) paid for.
    Does not commit.
    """
    engagement = report_jobs._lock_engagement(engagement_id)
    if engagement is None:
        raise ReportJobError(f"no engagement {engagement_id}")
    if not has_brief(engagement):
        raise ReportJobError(f"a {engagement.kind_info.noun} has no workshop brief")
    if engagement.state not in DRAFTABLE_STATES:
        raise ReportJobError(f"a brief can be drafted once the workshop is paid (the engagement is {engagement.state})")
    active = running_job(engagement_id)
    if active is not None:
        return active
    job = ReportJob(
        engagement_id=engagement_id, cluster_id=engagement.cluster_id, kind="brief",
        version_number=next_number(engagement_id), state="queued", attempts=0, error="",
        requested_by_id=actor.user_id, requested_by_label=actor.label[:120], sent_at=utcnow(),
    )
    db.session.add(job)
    report_jobs._send(job)
    return job


def draft_when_scheduled(engagement: Engagement, actor: Actor) -> ReportJob | None:
    """On the first date fixed: redraft for the now known length, unless a person has already
    edited the brief (their work is kept; they can redraft on demand). Does not commit."""
    if not has_brief(engagement):
        return None
    edited = db.session.execute(
        select(BriefVersion.id).where(BriefVersion.engagement_id == engagement.id,
                                      BriefVersion.based_on.is_not(None)).limit(1)
    ).scalar_one_or_none()
    if edited is not None:
        return None
    return create_brief_job(engagement.id, actor)


def running_job(engagement_id: int) -> ReportJob | None:
    """The brief job queued or running for this engagement, if any."""
    return db.session.execute(
        select(ReportJob)
        .where(ReportJob.engagement_id == engagement_id, ReportJob.kind == "brief",
               ReportJob.state.in_(("queued", *report_jobs.RUNNING)))
        .order_by(ReportJob.id.desc()).limit(1)
    ).scalar_one_or_none()


def progress(engagement_id: int) -> JobProgress | None:
    """The progress of the engagement's latest brief job, or None before any."""
    job = report_jobs.latest_job(engagement_id, KINDS)
    return report_jobs.job_progress(job) if job is not None else None
