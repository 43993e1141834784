"""Read-only views of memberships for plugins and the dashboard.

Plain column selects, not ORM objects: a cluster may have a thousand members
and these lists are read on hot pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from flask import g
from sqlalchemy import select

from core.accounts.models import User
from core.clusters.access import current_cluster
from core.clusters.models import ORGANISATION_TYPES, Cluster, Membership
from core.extensions import db


@dataclass(frozen=True)
class MemberInfo:
    membership_id: int
    user_id: int
    email: str
    name: str
    role: str
    organisation_name: str
    organisation_type: str

    @property
    def organisation_type_label(self) -> str:
        return ORGANISATION_TYPES.get(self.organisation_type, self.organisation_type)


@dataclass(frozen=True)
class UserClusterInfo:
    cluster_id: int
    cluster_name: str
    membership_id: int
    role: str


_MEMBER_COLUMNS = (
    Membership.id,
    Membership.user_id,
    User.email,
    User.display_name,
    Membership.role,
    Membership.organisation_name,
    Membership.organisation_type,
)


def _member(row) -> MemberInfo:  # type: ignore[no-untyped-def]
    membership_id, user_id, email, display_name, role, org_name, org_type = row
    return MemberInfo(membership_id, user_id, email, display_name or email.split("@")[0], role, org_name, org_type)


def list_members(cluster_id: int) -> list[MemberInfo]:
    """All members of a cluster in one query, managers first."""
    rows = db.session.execute(
        select(*_MEMBER_COLUMNS)
        .join(User, User.id == Membership.user_id)
        .where(Membership.cluster_id == cluster_id)
        .order_by(Membership.role, Membership.id)
    )
    return [_member(row) for row in rows]


def members_by_id(membership_ids: list[int]) -> dict[int, MemberInfo]:
    """Members for the given membership ids (any cluster: callers pass ids they own)."""
    if not membership_ids:
        return {}
    rows = db.session.execute(
        select(*_MEMBER_COLUMNS).join(User, User.id == Membership.user_id).where(Membership.id.in_(membership_ids))
    )
    return {info.membership_id: info for info in map(_member, rows)}


def current_member() -> MemberInfo:
    """The signed-in user's membership in the current request's cluster, frozen.

    Only inside cluster-scoped routes (404 elsewhere, like ``current_cluster``).
    One query, kept on ``g`` for the rest of the request.
    """
    cluster = current_cluster()
    cached = g.get("_current_member")
    if cached is None or cached.membership_id != cluster.membership_id:
        cached = g._current_member = members_by_id([cluster.membership_id])[cluster.membership_id]
    return cached


def clusters_of_user(user_id: int) -> list[UserClusterInfo]:
    """The user's clusters with their role, by cluster name."""
    rows = db.session.execute(
        select(Cluster.id, Cluster.name, Membership.id, Membership.role)
        .join(Membership, Membership.cluster_id == Cluster.id)
        .where(Membership.user_id == user_id)
        .order_by(Cluster.name)
    )
    return [UserClusterInfo(*row) for row in rows]


def cluster_names(cluster_ids: Iterable[int]) -> dict[int, str]:
    ids = set(cluster_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Cluster.id, Cluster.name).where(Cluster.id.in_(ids))).all())


def cluster_time_zones(cluster_ids: Iterable[int]) -> dict[int, str]:
    """IANA zone names by cluster id, one query (for pages outside a cluster: console, emails)."""
    ids = set(cluster_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Cluster.id, Cluster.time_zone).where(Cluster.id.in_(ids))).all())


def cluster_stages(cluster_ids: Iterable[int]) -> dict[int, str]:
    """Development stage (a ``CLUSTER_STAGES`` key) of each cluster, in one query."""
    ids = set(cluster_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Cluster.id, Cluster.stage).where(Cluster.id.in_(ids))).all())


def manager_emails(cluster_id: int) -> list[str]:
    """The addresses of a cluster's managers (one query, whatever the member count)."""
    return list(
        db.session.execute(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.cluster_id == cluster_id, Membership.role == "manager")
            .order_by(User.email)
        ).scalars()
    )


def managed_clusters(user_id: int) -> list[UserClusterInfo]:
    return [info for info in clusters_of_user(user_id) if info.role == "manager"]
