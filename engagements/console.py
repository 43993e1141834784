"""The consultant console: taking on engagements, fixing dates, delivering."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from core.api import PersonInfo, db, get_person, manager_emails, staff_people, utcnow
from engagements import access, availability, effects, notifications, zones
from engagements.billing.rows import lock
from engagements.calendar_invite import build_invitation
from engagements.lifecycle import Actor, transition
from engagements.links import absolute
from engagements.models import Engagement, Transition

ACTIVE = ("paid", "scheduled", "in_delivery", "delivered")


class ConsoleError(ValueError):
    """The action is not possible; the message is shown to the consultant."""


def queue(user_id: int, is_admin: bool) -> dict[str, list[Engagement]]:
    """Unassigned paid work, the consultant's own, and (for admins) everyone else's."""
    rows = (
        db.session.execute(
            select(Engagement)
            .where(Engagement.state.in_(ACTIVE + ("awaiting_payment", "requested", "closed")))
            .order_by(Engagement.created_at.desc())
        )
        .scalars()
        .all()
    )
    unassigned = [e for e in rows if e.consultant_id is None and e.state in ACTIVE]
    mine = [e for e in rows if e.consultant_id == user_id]
    others = [e for e in rows if is_admin and e.consultant_id not in (None, user_id)]
    pending = [e for e in rows if is_admin and e.state in ("requested", "awaiting_payment")]
    return {"unassigned": unassigned, "mine": mine, "others": others, "pending_payment": pending}


def can_view(engagement: Engagement, user_id: int, is_admin: bool) -> bool:
    return is_admin or engagement.consultant_id in (None, user_id)


def assign(engagement_id: int, consultant_id: int, actor: Actor, is_admin: bool) -> None:
    """Consultants take unassigned work; admins may assign anyone (or reassign)."""
    target = get_person(consultant_id)
    if target is None or not (target.is_consultant or target.is_admin):
        raise ConsoleError("Choose a consultant.")
    if not is_admin and consultant_id != actor.user_id:
        raise ConsoleError("You can only assign yourself.")
    query = update(Engagement).where(Engagement.id == engagement_id).values(consultant_id=consultant_id)
    if not is_admin:
        query = query.where(Engagement.consultant_id.is_(None))
    if db.session.execute(query.execution_options(synchronize_session=False)).rowcount != 1:
        effects.rollback()
        raise ConsoleError("Someone else took this engagement first.")
    access.grant_to_consultant(engagement_id)
    effects.commit()


def schedule(engagement_id: int, start: datetime, minutes: int, location: str, actor: Actor) -> None:
    """Fix (or move) the date and send the managers and the consultant an .ics invitation.

    ``start`` is an aware UTC instant (see ``zones.to_utc`` for wall-clock input);
    the cluster's zone is recorded with it. Each change of date or place is an update of the same calendar event (same
    UID, SEQUENCE + 1). A move frees the consultant's previous slot.
    """
    if start <= utcnow():
        raise ConsoleError("Choose a date in the future: a date in the past would also change the cluster's refund terms.")
    engagement = lock(engagement_id)
    if engagement is None:
        raise ConsoleError("No such engagement.")
    update_ = engagement.state == "scheduled"
    if update_:
        # A move changes no state, so the lifecycle records no transition: note it in the timeline.
        db.session.add(
            Transition(
                engagement_id=engagement.id, from_state="scheduled", to_state="scheduled", actor_id=actor.user_id,
                actor_label=actor.label,
                reason=f"Date moved to {zones.label(start, zones.cluster_zone(engagement.cluster_id))}",
            )
        )
    if engagement.state == "paid":
        if not transition(
            engagement.id, "paid", "scheduled", actor, f"Date fixed: {zones.label(start, zones.cluster_zone(engagement.cluster_id))}"
        ):
            effects.rollback()
            raise ConsoleError("The engagement changed meanwhile; reload and try again.")
    elif engagement.state != "scheduled":
        effects.rollback()
        raise ConsoleError("Only paid engagements can be scheduled.")
    engagement.scheduled_for = start
    engagement.scheduled_time_zone = zones.cluster_zone(engagement.cluster_id)
    engagement.scheduled_minutes = minutes
    engagement.scheduled_location = location
    engagement.schedule_sequence = (engagement.schedule_sequence or 0) + 1
    if engagement.consultant_id is None and actor.user_id is not None:
        engagement.consultant_id = actor.user_id
        db.session.flush()
        access.grant_to_consultant(engagement.id)
    availability.release(engagement.id)
    if engagement.consultant_id is not None:
        availability.claim(engagement.consultant_id, start, engagement.id)
    if not update_:  # the first date fixes the workshop's length: its brief is drafted for it
        from engagements.briefs.jobs import draft_when_scheduled

        db.session.flush()
        draft_when_scheduled(engagement, actor)
    notifications.scheduled(engagement, invitation(engagement), when_text(engagement), update=update_)
    effects.commit()


def withdraw_invitation(engagement: Engagement) -> None:
    """The date is off: a METHOD:CANCEL (same UID, SEQUENCE + 1) to everyone who was invited.

    Call after the engagement left ``scheduled``; the caller commits. The .ics
    download serves the same cancelled event from then on.
    """
    if engagement.scheduled_for is None:
        return
    engagement.schedule_sequence = (engagement.schedule_sequence or 0) + 1
    recipients = {
        email: absolute("engagements.detail", cluster_id=engagement.cluster_id, engagement_id=engagement.id)
        for email in manager_emails(engagement.cluster_id)
    }
    consultant = get_person(engagement.consultant_id)
    if consultant is not None:
        recipients[consultant.email] = absolute("engagements_console.detail", engagement_id=engagement.id)
    notifications.calendar_cancelled(engagement, invitation(engagement), when_text(engagement), recipients)


def is_called_off(engagement: Engagement) -> bool:
    """A dated engagement that will not take place: its calendar event is cancelled."""
    return engagement.state in ("cancelled", "refunded") and engagement.scheduled_for is not None


def invitation(engagement: Engagement) -> bytes:
    """The engagement's calendar event in its current state: an invitation, or its cancellation."""
    managers = manager_emails(engagement.cluster_id)
    consultant = get_person(engagement.consultant_id)
    host = current_app.config.get("BASE_URL", "http://localhost").split("//")[-1].split("/")[0].split(":")[0]
    return build_invitation(
        uid=f"engagement-{engagement.id}@{host}",
        sequence=engagement.schedule_sequence,
        title=engagement.title,
        description=f"Designing Clusters engagement #{engagement.id}: {engagement.title}",
        start=engagement.scheduled_for,  # type: ignore[arg-type]
        minutes=engagement.scheduled_minutes,
        location=engagement.scheduled_location,
        organizer_email=consultant.email
        if consultant
        else current_app.config.get("MAIL_DEFAULT_SENDER", "noreply@localhost").split("<")[-1].rstrip(">"),
        attendees=managers + ([consultant.email] if consultant else []),
        url=absolute("engagements.detail", cluster_id=engagement.cluster_id, engagement_id=engagement.id),
        cancelled=is_called_off(engagement),
        time_zone=zone_of(engagement),
    )


def zone_of(engagement: Engagement) -> str:
    """The zone the date is shown in: the one recorded with it, else (not fixed yet) the cluster's."""
    return engagement.scheduled_time_zone or (
        "UTC" if engagement.scheduled_for is not None else zones.cluster_zone(engagement.cluster_id)
    )


def when_text(engagement: Engagement) -> str:
    """``Tuesday 09 March 2027, 09:30 (Europe/Paris, CET)``, or "" before a date is fixed."""
    if engagement.scheduled_for is None:
        return ""
    return zones.label(engagement.scheduled_for, zone_of(engagement))


STEP_ACTIONS = {
    "start": (("paid", "scheduled"), "in_delivery", "Delivery started"),
    "deliver": (("in_delivery",), "delivered", "Delivered"),
    "close": (("delivered",), "closed", "Closed"),
}


def advance(engagement_id: int, action: str, actor: Actor, note: str = "") -> str:
    """Move delivery forward one step; returns the new state."""
    if action not in STEP_ACTIONS:
        raise ConsoleError("Unknown action.")
    sources, target, label = STEP_ACTIONS[action]
    engagement = lock(engagement_id)
    if engagement is None or engagement.state not in sources:
        effects.rollback()
        raise ConsoleError("That step is not possible in the engagement's current state.")
    if engagement.needs_date and action == "start" and engagement.state == "paid":
        effects.rollback()
        raise ConsoleError(f"Fix the date of the {engagement.kind_info.noun} first.")
    if not transition(engagement.id, engagement.state, target, actor, note or label):
        effects.rollback()
        raise ConsoleError("The engagement changed meanwhile; reload and try again.")
    effects.commit()
    return target


def consultants() -> list[PersonInfo]:
    return staff_people()


def local_day(engagement: Engagement) -> str:
    """The fixed date's day in the zone it was fixed in (``09 Mar 2027``), or ""."""
    if engagement.scheduled_for is None:
        return ""
    return zones.local(engagement.scheduled_for, zone_of(engagement)).strftime("%d %b %Y")
