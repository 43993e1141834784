"""Consultants' availability: slots they offer, which clusters choose as preferred dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from core.api import db, get_people, utcnow
from engagements.models import AvailabilitySlot

HORIZON_DAYS = 180


class AvailabilityError(ValueError):
    """The slot cannot be added or removed; the message is shown."""


@dataclass(frozen=True)
class OpenSlot:
    id: int
    starts_at: datetime
    minutes: int
    consultant_name: str
    note: str

    @property
    def label(self) -> str:
        return self.label_in("UTC")

    def label_in(self, zone_name: str) -> str:
        """``Tue 09 Mar 2027, 09:00 (Europe/Paris, CET), 4 h with Carla``: in the reader's zone, labelled."""
        from engagements import zones

        hours = f"{self.minutes // 60} h" + (f" {self.minutes % 60} min" if self.minutes % 60 else "")
        return f"{zones.label(self.starts_at, zone_name, '%a %d %b %Y, %H:%M')}, {hours} with {self.consultant_name}"


def open_slots(now: datetime | None = None) -> list[OpenSlot]:
    """Free slots from now to the horizon, soonest first, with consultant names (two queries)."""
    now = now or utcnow()
    rows = (
        db.session.execute(
            select(AvailabilitySlot)
            .where(
                AvailabilitySlot.engagement_id.is_(None),
                AvailabilitySlot.starts_at > now,
                AvailabilitySlot.starts_at < now + timedelta(days=HORIZON_DAYS),
            )
            .order_by(AvailabilitySlot.starts_at)
        )
        .scalars()
        .all()
    )
    names = get_people(r.consultant_id for r in rows)
    return [
        OpenSlot(
            r.id,
            r.starts_at,
            r.minutes,
            names[r.consultant_id].name if r.consultant_id in names else "",
            r.note,
        )
        for r in rows
    ]


def slots_of(consultant_id: int) -> list[AvailabilitySlot]:
    return list(
        db.session.execute(
            select(AvailabilitySlot)
            .where(AvailabilitySlot.consultant_id == consultant_id, AvailabilitySlot.starts_at > utcnow())
            .order_by(AvailabilitySlot.starts_at)
        ).scalars()
    )


def add(consultant_id: int, starts_at: datetime, minutes: int, note: str) -> AvailabilitySlot:
    if starts_at <= utcnow():
        raise AvailabilityError("Choose a time in the future.")
    slot = AvailabilitySlot(consultant_id=consultant_id, starts_at=starts_at, minutes=minutes, note=note)
    db.session.add(slot)
    db.session.commit()
    return slot


def remove(consultant_id: int, slot_id: int) -> None:
    slot = db.session.get(AvailabilitySlot, slot_id)
    if slot is None or slot.consultant_id != consultant_id:
        raise AvailabilityError("No such slot.")
    if slot.engagement_id is not None:
        raise AvailabilityError("This slot is booked; move the workshop first.")
    db.session.delete(slot)
    db.session.commit()


def describe(slot_ids: list[int], zone_name: str = "UTC") -> str:
    """The chosen slots as text for the engagement's preferred dates, in the cluster's zone."""
    chosen = {s.id: s for s in open_slots()}
    return "\n".join(chosen[i].label_in(zone_name) for i in slot_ids if i in chosen)


def claim(consultant_id: int, starts_at: datetime, engagement_id: int) -> None:
    """When a workshop is fixed on one of the consultant's free slots, the slot is taken."""
    db.session.execute(
        update(AvailabilitySlot)
        .where(
            AvailabilitySlot.consultant_id == consultant_id,
            AvailabilitySlot.starts_at == starts_at,
            AvailabilitySlot.engagement_id.is_(None),
        )
        .values(engagement_id=engagement_id)
        .execution_options(synchronize_session=False)
    )


def release(engagement_id: int) -> int:
    """The engagement no longer holds its slot (cancelled or moved): the slot is offered again.

    Returns the number of slots freed.
    """
    return db.session.execute(
        update(AvailabilitySlot)
        .where(AvailabilitySlot.engagement_id == engagement_id)
        .values(engagement_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]  # a DML result has a row count
