"""Read-only facts about users (names, emails, roles) without importing core internals.

core.api has no user directory yet, so this reads the ``users`` table through a
lightweight table clause; only columns core documents as stable are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Boolean, Integer, String, column, or_, select, table

from core.api import db

_users = table(
    "users",
    column("id", Integer),
    column("email", String),
    column("display_name", String),
    column("is_admin", Boolean),
    column("is_consultant", Boolean),
)


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    name: str
    is_admin: bool
    is_consultant: bool


def _person(row) -> Person:  # type: ignore[no-untyped-def]
    name = row.display_name or row.email.split("@")[0]
    return Person(row.id, row.email, name, bool(row.is_admin), bool(row.is_consultant))


def get(user_id: int | None) -> Person | None:
    if user_id is None:
        return None
    row = db.session.execute(select(_users).where(_users.c.id == user_id)).first()
    return _person(row) if row else None


def many(user_ids: Iterable[int | None]) -> dict[int, Person]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(_users).where(_users.c.id.in_(ids)))
    return {row.id: _person(row) for row in rows}


def staff() -> list[Person]:
    """Consultants and admins, by name."""
    rows = db.session.execute(
        select(_users)
        .where(or_(_users.c.is_consultant.is_(True), _users.c.is_admin.is_(True)))
        .order_by(_users.c.email)
    )
    return [_person(row) for row in rows]


_memberships = table(
    "memberships",
    column("cluster_id", Integer),
    column("user_id", Integer),
    column("role", String),
)
_clusters = table("clusters", column("id", Integer), column("name", String))


def managed_clusters(user_id: int) -> list[tuple[int, str]]:
    """(cluster id, name) of the clusters this user manages, for booking links."""
    rows = db.session.execute(
        select(_clusters.c.id, _clusters.c.name)
        .join(_memberships, _memberships.c.cluster_id == _clusters.c.id)
        .where(_memberships.c.user_id == user_id, _memberships.c.role == "manager")
        .order_by(_clusters.c.name)
    )
    return [(row.id, row.name) for row in rows]


def cluster_names(cluster_ids: Iterable[int]) -> dict[int, str]:
    ids = set(cluster_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(_clusters.c.id, _clusters.c.name).where(_clusters.c.id.in_(ids)))
    return {row.id: row.name for row in rows}


def manager_emails(cluster_id: int) -> list[str]:
    """The addresses of a cluster's managers only (one query, whatever the member count)."""
    rows = db.session.execute(
        select(_users.c.email)
        .join(_memberships, _memberships.c.user_id == _users.c.id)
        .where(_memberships.c.cluster_id == cluster_id, _memberships.c.role == "manager")
        .order_by(_users.c.email)
    )
    return list(rows.scalars())
