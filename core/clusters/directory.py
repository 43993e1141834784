"""Read-only view of a cluster's members, for plugins and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.clusters.models import ORGANISATION_TYPES, Membership
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


def list_members(cluster_id: int) -> list[MemberInfo]:
    """All members of a cluster in one query, managers first."""
    rows = db.session.execute(
        select(Membership).where(Membership.cluster_id == cluster_id).order_by(Membership.role, Membership.id)
    ).scalars()
    return [
        MemberInfo(
            membership_id=m.id,
            user_id=m.user_id,
            email=m.user.email,
            name=m.user.name,
            role=m.role,
            organisation_name=m.organisation_name,
            organisation_type=m.organisation_type,
        )
        for m in rows
    ]
