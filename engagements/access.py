"""The consultant of an engagement may read its cluster: core access grants kept in step.

Core holds the grants (``core.api.grant_cluster_access``); this module decides
when: the consultant who takes (or is assigned) an engagement can read the
cluster's tool pages and exports while the engagement is open and for
``ACCESS_AFTER_END`` after it reaches an end state. Reassigning moves the
grant to the new consultant. Nothing here commits: the engagement change that
causes it carries the grant in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from core.api import db, grant_cluster_access, set_cluster_access_expiry
from engagements.models import Engagement, Transition

#: How long the consultant keeps reading after the engagement ends (product rule: 30 days).
ACCESS_AFTER_END = timedelta(days=30)
#: States after which the engagement is over for its consultant.
END_STATES = frozenset({"closed", "cancelled", "refunded"})


def source_of(engagement_id: int) -> str:
    """The key core files the grant under, so it can be found again."""
    return f"engagements:{engagement_id}"


def _reason(engagement: Engagement) -> str:
    text = f"Consultant of engagement #{engagement.id} “{engagement.title}”, until 30 days after it ends"
    return text[:300]


def _ended_at(engagement: Engagement) -> datetime:
    """When the engagement first reached an end state (its timeline is the record)."""
    ended = db.session.execute(
        select(Transition.created_at)
        .where(Transition.engagement_id == engagement.id, Transition.to_state.in_(END_STATES))
        .order_by(Transition.created_at, Transition.id)
        .limit(1)
    ).scalar_one_or_none()
    return ended or engagement.updated_at


def grant_to_consultant(engagement_id: int) -> None:
    """Give the engagement's current consultant read access to its cluster (moving it from
    a previous consultant). An engagement already over gets a grant that ends 30 days
    after it ended. No consultant: nothing happens. Does not commit."""
    engagement = db.session.get(Engagement, engagement_id, populate_existing=True)
    if engagement is None or engagement.consultant_id is None:
        return
    expires_at = _ended_at(engagement) + ACCESS_AFTER_END if engagement.state in END_STATES else None
    grant_cluster_access(
        engagement.cluster_id, engagement.consultant_id, source_of(engagement.id), _reason(engagement), expires_at
    )


def engagement_ended(engagement_id: int, at: datetime) -> None:
    """The engagement reached an end state at ``at`` (aware UTC): access lasts 30 more days.

    Never extends an earlier end (a refund after closing keeps the close's date). Does not commit.
    """
    set_cluster_access_expiry(source_of(engagement_id), at + ACCESS_AFTER_END)
