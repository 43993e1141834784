"""How long a workshop is: the length its brief's timetable must fill."""

from __future__ import annotations

from sqlalchemy import select

from core.api import db
from engagements.models import AvailabilitySlot, Engagement

#: A workshop with no date and no chosen slot yet is planned as one day: the length the
#: consultant's availability slots default to (``AvailabilitySlot.minutes``), in minutes.
DEFAULT_LENGTH_MINUTES = 360


def length_minutes(engagement: Engagement) -> int:
    """The workshop's scheduled length in minutes: the date fixed by the consultant, else the
    availability slot the cluster chose at booking, else ``DEFAULT_LENGTH_MINUTES``."""
    if engagement.scheduled_minutes and engagement.scheduled_minutes > 0:
        return int(engagement.scheduled_minutes)
    slot_minutes = db.session.execute(
        select(AvailabilitySlot.minutes).where(AvailabilitySlot.engagement_id == engagement.id).limit(1)
    ).scalar_one_or_none()
    return int(slot_minutes) if slot_minutes else DEFAULT_LENGTH_MINUTES
