"""Reading a workshop's brief versions (newest first) and the next free version number."""

from __future__ import annotations

from sqlalchemy import func, select

from core.api import db
from engagements.briefs import content as brief_content
from engagements.briefs.draft import BriefDraft
from engagements.briefs.models import BriefVersion
from engagements.reports.models import ReportJob


def next_number(engagement_id: int) -> int:
    """Above every brief version and every number a brief job reserved (lock the engagement first)."""
    versions = db.session.execute(
        select(func.max(BriefVersion.number)).where(BriefVersion.engagement_id == engagement_id)
    ).scalar()
    reserved = db.session.execute(
        select(func.max(ReportJob.version_number)).where(
            ReportJob.engagement_id == engagement_id, ReportJob.kind == "brief"
        )
    ).scalar()
    return max(versions or 0, reserved or 0) + 1


def latest_version(engagement_id: int) -> BriefVersion | None:
    """The highest-numbered version, shared or not; None before the first draft."""
    return db.session.execute(
        select(BriefVersion).where(BriefVersion.engagement_id == engagement_id)
        .order_by(BriefVersion.number.desc()).limit(1)
    ).scalar_one_or_none()


def get_version(engagement_id: int, number: int) -> BriefVersion | None:
    """Version ``number`` of this engagement's brief, or None (never another engagement's)."""
    return db.session.execute(
        select(BriefVersion).where(BriefVersion.engagement_id == engagement_id, BriefVersion.number == number)
    ).scalar_one_or_none()


def list_versions(engagement_id: int) -> list[BriefVersion]:
    """Every version, newest first (the consultant's history)."""
    return list(db.session.execute(
        select(BriefVersion).where(BriefVersion.engagement_id == engagement_id).order_by(BriefVersion.number.desc())
    ).scalars())


def shared_versions(engagement_id: int) -> list[BriefVersion]:
    """Versions shared with the cluster's managers, newest first: all the cluster may read."""
    return list(db.session.execute(
        select(BriefVersion)
        .where(BriefVersion.engagement_id == engagement_id, BriefVersion.state == "shared")
        .order_by(BriefVersion.number.desc())
    ).scalars())


def draft_of(version: BriefVersion) -> BriefDraft:
    """The typed brief stored with ``version``."""
    return brief_content.from_json(version.content)
