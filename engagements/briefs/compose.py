"""The worker's step: draft the brief the job reserved, from the cluster's divergences.

The drafting rule (which divergences become agenda items, the exercises, participants,
timetable) is ``engagements.briefs.drafting.draft_brief``; this module only gathers its
inputs (the cluster, the goals given at booking, the workshop's scheduled length) and
stores the result as an immutable version.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.api import ClusterContext, ReportRequest, cluster_names, db, utcnow
from engagements.briefs import content as brief_content
from engagements.briefs.length import length_minutes
from engagements.briefs.models import BriefVersion
from engagements.models import Engagement
from engagements.reports.models import ReportJob

DRAFT_SUMMARY = "Drafted by the worker from the cluster's divergences"


def _version(engagement_id: int, number: int) -> BriefVersion | None:
    return db.session.execute(
        select(BriefVersion).where(BriefVersion.engagement_id == engagement_id, BriefVersion.number == number)
    ).scalar_one_or_none()


def compose_brief(job: ReportJob) -> BriefVersion:
    """Draft and insert the version the job reserved; commits.

    Idempotent: if that version exists (an earlier attempt got this far, or a duplicate
    delivery won the unique constraint) it is returned unchanged. Raises ``LookupError``
    if the engagement is gone, and whatever the drafting rule raises (the job retries).
    """
    from engagements.briefs.drafting import draft_brief  # the drafting rule (its own module)

    existing = _version(job.engagement_id, job.version_number)
    if existing is not None:
        return existing
    engagement = db.session.get(Engagement, job.engagement_id)
    if engagement is None:
        raise LookupError(f"engagement {job.engagement_id} is gone")
    now = utcnow()
    name = cluster_names([engagement.cluster_id]).get(engagement.cluster_id, "")
    cluster = ClusterContext(id=engagement.cluster_id, name=name, user_id=engagement.consultant_id or 0,
                             role="manager", organisation_type="")
    request = ReportRequest(engagement_id=engagement.id, as_of=now, goals=engagement.goals or "",
                            title=engagement.title)
    minutes = length_minutes(engagement)
    engagement_id, cluster_id, number = engagement.id, engagement.cluster_id, job.version_number
    by_id, by_label = job.requested_by_id, job.requested_by_label
    previous = db.session.execute(
        select(BriefVersion.number).where(BriefVersion.engagement_id == engagement_id,
                                          BriefVersion.number < number)
        .order_by(BriefVersion.number.desc()).limit(1)
    ).scalar_one_or_none()
    db.session.commit()  # nothing pending: a failing tool's rollback must not undo anything
    draft = draft_brief(cluster, request, minutes)
    version = BriefVersion(
        engagement_id=engagement_id, cluster_id=cluster_id, number=number, based_on=None,
        content=brief_content.to_json(draft),
        change_summary=DRAFT_SUMMARY + (f" (replaces version {previous})" if previous else ""),
        state="draft", created_by_id=by_id, created_by_label=by_label or "Brief worker", created_at=now,
    )
    db.session.add(version)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _version(engagement_id, number)
        if existing is None:
            raise
        return existing
    return version
