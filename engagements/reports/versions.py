"""Reading an engagement's report versions (newest first); versions are never changed here."""

from __future__ import annotations

from sqlalchemy import select

from core.api import db
from engagements.reports.content import ReportContent
from engagements.reports.models import ReportSharing, ReportVersion


def latest_version(engagement_id: int) -> ReportVersion | None:
    """The highest-numbered version, delivered or not; None before the first draft exists."""
    return db.session.execute(
        select(ReportVersion)
        .where(ReportVersion.engagement_id == engagement_id)
        .order_by(ReportVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()


def get_version(engagement_id: int, number: int) -> ReportVersion | None:
    """Version ``number`` of this engagement's report, or None (never another engagement's)."""
    return db.session.execute(
        select(ReportVersion).where(
            ReportVersion.engagement_id == engagement_id, ReportVersion.number == number
        )
    ).scalar_one_or_none()


def list_versions(engagement_id: int) -> list[ReportVersion]:
    """Every version, newest first: the history the consultant sees."""
    return list(
        db.session.execute(
            select(ReportVersion)
            .where(ReportVersion.engagement_id == engagement_id)
            .order_by(ReportVersion.number.desc())
        ).scalars()
    )


def delivered_versions(engagement_id: int) -> list[ReportVersion]:
    """Versions delivered to the cluster, newest first: all the cluster may read."""
    return list(
        db.session.execute(
            select(ReportVersion)
            .where(ReportVersion.engagement_id == engagement_id, ReportVersion.delivered_at.is_not(None))
            .order_by(ReportVersion.number.desc())
        ).scalars()
    )


def content_of(version: ReportVersion) -> ReportContent:
    """The typed content stored with ``version``."""
    return ReportContent.from_json(version.content)


def members_can_read(engagement_id: int) -> bool:
    """Whether a manager has shared the delivered report with the cluster's plain members."""
    sharing = db.session.get(ReportSharing, engagement_id)
    return bool(sharing and sharing.members_can_read)
