"""The engagement lifecycle: allowed transitions only, each one compare-and-set.

A transition is one ``UPDATE ... WHERE id = :id AND state = :expected``. When two
requests (or two deliveries of one webhook) race, the database lets exactly one
of them change the row; the loser sees zero rows updated and does nothing else —
no second timeline entry, email or ledger line.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm.util import identity_key

from core.api import db, utcnow
from engagements import access as consultant_access
from engagements.models import Engagement, Transition

STATE_LABELS: dict[str, str] = {
    "requested": "Requested",
    "awaiting_payment": "Awaiting payment",
    "paid": "Paid",
    "scheduled": "Scheduled",
    "in_delivery": "In delivery",
    "delivered": "Delivered",
    "closed": "Closed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
}

ALLOWED: dict[str, frozenset[str]] = {
    "requested": frozenset({"awaiting_payment", "cancelled"}),
    "awaiting_payment": frozenset({"paid", "cancelled"}),
    "paid": frozenset({"scheduled", "in_delivery", "cancelled", "refunded"}),
    "scheduled": frozenset({"in_delivery", "cancelled", "refunded"}),
    "in_delivery": frozenset({"delivered", "refunded"}),
    "delivered": frozenset({"closed", "refunded"}),
    "closed": frozenset({"refunded"}),
    "cancelled": frozenset({"refunded"}),
    "refunded": frozenset(),
}

#: States in which money has been received (a charge may be refunded).
PAID_STATES = frozenset({"paid", "scheduled", "in_delivery", "delivered", "closed"})
#: States from which the cluster may still cancel.
CANCELLABLE = frozenset({"requested", "awaiting_payment", "paid", "scheduled"})
#: The happy path, for the progress display.
MAIN_PATH = ("requested", "awaiting_payment", "paid", "scheduled", "in_delivery", "delivered", "closed")


class TransitionNotAllowed(ValueError):
    """The lifecycle has no arrow from the current state to the requested one."""


@dataclass(frozen=True)
class Actor:
    """Who causes a transition: a user, or the system (Stripe, a CLI run)."""

    user_id: int | None
    label: str

    @classmethod
    def system(cls, label: str) -> "Actor":
        return cls(None, label)


def is_allowed(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED.get(from_state, frozenset())


def transition(
    engagement_id: int, expected: str, to_state: str, actor: Actor, reason: str = "", **also: object
) -> bool:
    """Move the engagement from ``expected`` to ``to_state`` if nobody else moved it first.

    Returns True for the one caller that won; False if the row was not in
    ``expected`` any more. ``also`` sets more columns in the same UPDATE. Does
    not commit: the caller's transaction carries the transition together with
    its side effects (ledger, emails). Reaching an end state starts the
    consultant's last 30 days of access to the cluster (``engagements.access``).
    """
    if not is_allowed(expected, to_state):
        raise TransitionNotAllowed(f"{expected} → {to_state} is not an allowed transition")
    now = utcnow()
    values: dict[str, object] = {**also, "state": to_state, "updated_at": now}
    if to_state == "paid":
        values["paid_at"] = now
    result = db.session.execute(
        update(Engagement)
        .where(Engagement.id == engagement_id, Engagement.state == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.add(
        Transition(
            engagement_id=engagement_id,
            from_state=expected,
            to_state=to_state,
            actor_id=actor.user_id,
            actor_label=actor.label,
            reason=reason,
            created_at=now,
        )
    )
    if to_state in consultant_access.END_STATES:
        consultant_access.engagement_ended(engagement_id, now)
    engagement = db.session.identity_map.get(identity_key(Engagement, engagement_id))
    if engagement is not None:
        db.session.expire(engagement, ["state", "updated_at", "paid_at"])
    return True


def record_creation(engagement: Engagement, actor: Actor) -> None:
    """The first timeline entry (no from-state)."""
    db.session.add(
        Transition(
            engagement_id=engagement.id,
            from_state=None,
            to_state=engagement.state,
            actor_id=actor.user_id,
            actor_label=actor.label,
            reason="Engagement requested",
        )
    )


def current_state(engagement_id: int) -> str | None:
    """Read the state straight from the database (not from a stale identity map)."""
    return db.session.execute(
        select(Engagement.state).where(Engagement.id == engagement_id)
    ).scalar_one_or_none()
