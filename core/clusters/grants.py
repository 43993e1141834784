"""Read-only access to a cluster for people who are not members (e.g. its consultant).

Core keeps the grants; features outside core decide when to give them and
find them again by their ``source`` key ("engagements:12"), so core never
needs to know what an engagement is. ``core.clusters.access`` consults
``live_grant`` for every cluster URL a non-member opens.

``grant_cluster_access`` and ``set_cluster_access_expiry`` do not commit: they join the
caller's transaction (the engagement change that causes them). ``end_cluster_access``
is a manager's action and commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.clusters.models import AccessGrant
from core.data_version import VersionedMemo
from core.extensions import db
from core.models import utcnow

#: A non-member's grants to a cluster, read per data version: every cluster URL they open asks.
_NOT_ENDED: VersionedMemo[tuple[AccessInfo, ...]] = VersionedMemo(size=4096)

@dataclass(frozen=True)
class AccessInfo:
    """A live grant as pages show it. Datetimes are aware UTC; ``expires_at`` None = open-ended."""

    id: int
    cluster_id: int
    cluster_name: str
    user_id: int
    name: str
    email: str
    reason: str
    source: str
    granted_at: datetime
    expires_at: datetime | None


class AccessError(ValueError):
    """The grant cannot be changed; the message is shown to the user."""


def _info(grant: AccessGrant) -> AccessInfo:
    return AccessInfo(
        id=grant.id,
        cluster_id=grant.cluster_id,
        cluster_name=grant.cluster.name,
        user_id=grant.user_id,
        name=grant.user.name,
        email=grant.user.email,
        reason=grant.reason,
        source=grant.source,
        granted_at=grant.granted_at,
        expires_at=grant.expires_at,
    )


def _live_for_source(source: str) -> AccessGrant | None:
    return db.session.execute(
        select(AccessGrant).where(AccessGrant.source == source, AccessGrant.ended_at.is_(None))
    ).scalar_one_or_none()


def grant_cluster_access(
    cluster_id: int, user_id: int, source: str, reason: str, expires_at: datetime | None = None
) -> bool:
    """Give ``user_id`` read-only access to the cluster on behalf of ``source``.

    Idempotent per source: calling again for the same user refreshes the
    reason and expiry of the live grant; calling for another user ends the
    previous holder's grant (the work passed to someone else) and grants the
    new one. A grant a manager ended stays ended for that user and source:
    returns False then, True otherwise. Does not commit.
    """
    live = _live_for_source(source)
    if live is not None and live.user_id == user_id and live.cluster_id == cluster_id:
        live.reason = reason
        live.expires_at = expires_at
        return True
    if live is not None:
        live.ended_at = utcnow()
        live.ended_by_id = None
        db.session.flush()
    refused = db.session.execute(
        select(AccessGrant.id).where(
            AccessGrant.source == source,
            AccessGrant.user_id == user_id,
            AccessGrant.cluster_id == cluster_id,
            AccessGrant.ended_by_id.is_not(None),
        )
    ).first()
    if refused is not None:
        return False
    db.session.add(
        AccessGrant(cluster_id=cluster_id, user_id=user_id, source=source, reason=reason, expires_at=expires_at)
    )
    db.session.flush()
    return True


def set_cluster_access_expiry(source: str, expires_at: datetime) -> None:
    """Make the live grant of ``source`` end at ``expires_at`` (aware UTC).

    Never extends: an expiry already earlier than ``expires_at`` stays. No
    live grant: nothing happens. Does not commit.
    """
    live = _live_for_source(source)
    if live is not None and (live.expires_at is None or live.expires_at > expires_at):
        live.expires_at = expires_at


def end_cluster_access(cluster_id: int, grant_id: int, ended_by_id: int) -> AccessInfo:
    """A manager ends a live grant of their cluster now; commits.

    Raises ``AccessError`` if the grant is not a live grant of ``cluster_id``.
    """
    grant = db.session.get(AccessGrant, grant_id)
    if grant is None or grant.cluster_id != cluster_id or not grant.is_live():
        raise AccessError("That access has already ended.")
    grant.ended_at = utcnow()
    grant.ended_by_id = ended_by_id
    info = _info(grant)
    db.session.commit()
    return info


def end_all_access_of_user(user_id: int) -> int:
    """End every live grant of ``user_id`` now (e.g. their consultant role was removed); returns how many.

    Ended as by their source (no ``ended_by_id``), so the work that granted them
    may grant again later. Does not commit.
    """
    now = utcnow()
    live = [g for g in db.session.scalars(select(AccessGrant).where(AccessGrant.user_id == user_id,
                                                                    AccessGrant.ended_at.is_(None)))
            if g.is_live(now)]
    for grant in live:
        grant.ended_at = now
    return len(live)


def live_grant(cluster_id: int, user_id: int) -> AccessInfo | None:
    """The user's live grant to the cluster (the latest expiring one), or None.

    The grants not ended are read once per data version (any write that ends or
    changes one is a new version); expiry is checked against the clock each call.
    """
    now = utcnow()
    live = [g for g in _NOT_ENDED.get((cluster_id, user_id), lambda: _not_ended(cluster_id, user_id))
            if g.expires_at is None or g.expires_at > now]
    if not live:
        return None
    # An open-ended grant outlasts any dated one.
    live.sort(key=lambda g: (g.expires_at is None, g.expires_at or now))
    return live[-1]


def _not_ended(cluster_id: int, user_id: int) -> tuple[AccessInfo, ...]:
    rows = db.session.execute(
        select(AccessGrant).options(joinedload(AccessGrant.cluster), joinedload(AccessGrant.user)).where(
            AccessGrant.cluster_id == cluster_id,
            AccessGrant.user_id == user_id,
            AccessGrant.ended_at.is_(None),
        )
    ).scalars()
    return tuple(_info(g) for g in rows)


def live_grants_of_cluster(cluster_id: int) -> list[AccessInfo]:
    """Every live grant to the cluster, for its managers' members page."""
    rows = db.session.execute(
        select(AccessGrant)
        .where(AccessGrant.cluster_id == cluster_id, AccessGrant.ended_at.is_(None))
        .order_by(AccessGrant.granted_at, AccessGrant.id)
    ).scalars()
    now = utcnow()
    return [_info(g) for g in rows if g.is_live(now)]


def live_grants_of_user(user_id: int) -> list[AccessInfo]:
    """Every cluster the user may read without being a member, for their cluster list."""
    rows = db.session.execute(
        select(AccessGrant)
        .where(AccessGrant.user_id == user_id, AccessGrant.ended_at.is_(None))
        .order_by(AccessGrant.granted_at, AccessGrant.id)
    ).scalars()
    now = utcnow()
    return [_info(g) for g in rows if g.is_live(now)]
