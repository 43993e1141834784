"""Cluster workspace use cases: creation, profile, memberships, roles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, lazyload

from core.accounts.models import User
from core.clusters.models import Cluster, Membership
from core.extensions import db


class ClusterError(ValueError):
    """A cluster change was refused; the message is shown to the user."""


@dataclass(frozen=True)
class ClusterProfile:
    name: str
    country: str
    region: str = ""
    sectors: str = ""
    stage: str = "emerging"
    member_count: int | None = None
    website: str = ""
    description: str = ""
    time_zone: str = ""  # empty: the country's zone (core.clusters.time_zones.default_zone)

    def resolved(self) -> dict[str, object]:
        from core.clusters.time_zones import default_zone

        return {**self.__dict__, "time_zone": self.time_zone or default_zone(self.country)}


def create_cluster(
    creator: User, profile: ClusterProfile, organisation_name: str, organisation_type: str
) -> Cluster:
    """Create a workspace; its creator becomes its first manager."""
    cluster = Cluster(**profile.resolved())
    db.session.add(cluster)
    db.session.flush()
    db.session.add(
        Membership(
            cluster_id=cluster.id,
            user_id=creator.id,
            role="manager",
            organisation_name=organisation_name.strip(),
            organisation_type=organisation_type,
        )
    )
    db.session.commit()
    return cluster


def update_profile(cluster_id: int, profile: ClusterProfile) -> None:
    cluster = db.session.get(Cluster, cluster_id)
    assert cluster is not None
    for key, value in profile.resolved().items():
        setattr(cluster, key, value)
    db.session.commit()


def memberships_of(user_id: int) -> list[Membership]:
    return list(
        db.session.execute(
            select(Membership)
            .join(Membership.cluster)
            .options(contains_eager(Membership.cluster), lazyload(Membership.user))
            .where(Membership.user_id == user_id)
            .order_by(Cluster.name)
        ).scalars()
    )


def _manager_count(cluster_id: int) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(Membership.cluster_id == cluster_id, Membership.role == "manager")
    ) or 0


def change_role(membership: Membership, role: str) -> Membership:
    if role not in ("manager", "member"):
        raise ClusterError("Choose manager or member.")
    if membership.role == "manager" and role == "member" and _manager_count(membership.cluster_id) <= 1:
        raise ClusterError("A cluster needs at least one manager. Make someone else manager first.")
    membership.role = role
    db.session.commit()
    return membership


def update_organisation(membership: Membership, name: str, organisation_type: str) -> None:
    membership.organisation_name = name.strip()
    membership.organisation_type = organisation_type
    db.session.commit()


def remove_member(membership: Membership) -> None:
    if membership.role == "manager" and _manager_count(membership.cluster_id) <= 1:
        raise ClusterError("The last manager cannot leave or be removed. Make someone else manager first.")
    db.session.delete(membership)
    db.session.commit()


def leave_all_clusters_for_deletion(user: User) -> None:
    """Before an account is deleted: refuse if it is some cluster's last manager."""
    for membership in memberships_of(user.id):
        if membership.role == "manager" and _manager_count(membership.cluster_id) <= 1:
            raise ClusterError(
                f"You are the last manager of {membership.cluster.name}. Hand over the role before deleting your account."
            )
