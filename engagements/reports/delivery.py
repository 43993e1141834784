"""Delivering a report version to the cluster, revising it, and sharing it with members.

Delivery freezes a version (``delivered_at``; versions are never edited, so a later
edit is a new version), renders its final PDF (the cover now carries the delivery date
and, for a revision, "revised"), and moves the engagement to "delivered" through the lifecycle
(paid → in delivery → delivered as needed). A version delivered after an earlier one
is a revision: labelled "revised" on its cover, the engagement stays delivered (or
closed), and the managers are told again. Earlier versions stay readable.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from core.api import db, utcnow
from engagements import effects, notifications
from engagements.billing.payments import lock
from engagements.lifecycle import Actor, transition
from engagements.reports import jobs
from engagements.reports.models import ReportSharing, ReportVersion
from engagements.reports.versions import latest_version

#: States from which a report can be delivered (a revision also from delivered and closed).
#: "scheduled" only if someone fixed a date for a report (the lifecycle allows it).
DELIVERABLE_STATES = ("paid", "scheduled", "in_delivery", "delivered", "closed")


class DeliveryRefused(ValueError):
    """The version cannot be delivered now; the message says why (HTTP 400/409)."""


def deliver(engagement_id: int, number: int, actor: Actor) -> ReportVersion:
    """Deliver version ``number`` (it must be the latest, rendered and not yet delivered); commit.

    Emails the cluster's managers after the commit. Raises ``DeliveryRefused``.
    """
    engagement = lock(engagement_id)
    latest = latest_version(engagement_id)
    if engagement is None or latest is None:
        effects.rollback()
        raise DeliveryRefused("There is no report to deliver yet.")
    if number > latest.number or number < 1:
        effects.rollback()
        raise DeliveryRefused(f"There is no version {number}.")
    if latest.number != number:
        effects.rollback()
        raise DeliveryRefused(
            f"Version {latest.number} is newer than version {number}; review it and deliver that one."
        )
    if latest.delivered_at is not None:
        effects.rollback()
        raise DeliveryRefused(f"Version {number} has already been delivered.")
    if not latest.pdf_name:
        effects.rollback()
        raise DeliveryRefused(
            f"The PDF of version {number} is not ready yet; deliver it once it is rendered."
        )
    if engagement.state not in DELIVERABLE_STATES:
        effects.rollback()
        raise DeliveryRefused("Only a paid engagement's report can be delivered.")
    revision = _delivered_before(engagement_id, number)
    latest.delivered_at = utcnow()
    latest.delivered_by_id = actor.user_id
    latest.is_revision = revision
    _render_final(latest, actor)
    label = f"Report version {number} delivered" + (" (revised)" if revision else "")
    if engagement.state in ("paid", "scheduled"):
        transition(engagement_id, engagement.state, "in_delivery", actor, "Report writing started")
    if engagement.state == "in_delivery":
        transition(engagement_id, "in_delivery", "delivered", actor, label)
    notifications.report_delivered(engagement, latest, revised=revision)
    effects.commit()
    return latest


def _render_final(version: ReportVersion, actor: Actor) -> None:
    """The cover of a delivered version differs from its draft's (delivery date, "revised", no
    "draft" mark), so its PDF is rendered again. The draft's file stays in storage (its name
    carries its own checksum), so a failed commit never leaves a version without its file."""
    version.pdf_name = version.pdf_sha256 = None
    version.pdf_size = version.pdf_pages = None
    version.rendered_at = None
    db.session.flush()
    jobs.create_render_job(version, actor)


def set_sharing(engagement_id: int, members_can_read: bool, actor: Actor) -> None:
    """A manager's choice whether the cluster's plain members may read the delivered report; commits."""
    sharing = db.session.get(ReportSharing, engagement_id)
    if sharing is None:
        sharing = ReportSharing(engagement_id=engagement_id)
        db.session.add(sharing)
    sharing.members_can_read = members_can_read
    sharing.changed_by_id = actor.user_id
    sharing.changed_at = utcnow()
    db.session.commit()


def _delivered_before(engagement_id: int, number: int) -> bool:
    return bool(
        db.session.execute(
            select(
                exists().where(
                    ReportVersion.engagement_id == engagement_id,
                    ReportVersion.number < number,
                    ReportVersion.delivered_at.is_not(None),
                )
            )
        ).scalar()
    )
