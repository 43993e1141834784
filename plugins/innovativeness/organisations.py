"""Who a participant answers for: an opaque key of their member organisation,
and whether they are cluster-office staff.

The key lets a round count one response per organisation without storing the
organisation's name next to anonymous answers.
"""

from __future__ import annotations

import hashlib

from core.api import MemberInfo

#: Workspace managers run the cluster organisation, so their answers describe
#: their own work: they are shown apart from the members' view.
CLUSTER_OFFICE_ROLES = frozenset({"manager"})


def organisation_key(cluster_id: int, organisation_name: str) -> str:
    """16 hex characters from the cluster and the organisation's name as typed
    (case and spacing ignored); "" when the member gave no organisation name,
    so that they count as an organisation of their own."""
    name = " ".join((organisation_name or "").casefold().split())
    if not name:
        return ""
    return hashlib.sha256(f"{cluster_id}:{name}".encode()).hexdigest()[:16]


def is_cluster_office(member: MemberInfo) -> bool:
    return member.role in CLUSTER_OFFICE_ROLES
