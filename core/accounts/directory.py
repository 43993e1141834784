"""Read-only facts about users for plugins: names, emails, platform roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import or_, select

from core.accounts.models import User
from core.extensions import db


@dataclass(frozen=True)
class PersonInfo:
    id: int
    email: str
    name: str
    is_admin: bool
    is_consultant: bool


_COLUMNS = (User.id, User.email, User.display_name, User.is_admin, User.is_consultant)


def _person(row) -> PersonInfo:  # type: ignore[no-untyped-def]
    user_id, email, display_name, is_admin, is_consultant = row
    return PersonInfo(user_id, email, display_name or email.split("@")[0], bool(is_admin), bool(is_consultant))


def get_person(user_id: int | None) -> PersonInfo | None:
    if user_id is None:
        return None
    row = db.session.execute(select(*_COLUMNS).where(User.id == user_id)).first()
    return _person(row) if row else None


def get_people(user_ids: Iterable[int | None]) -> dict[int, PersonInfo]:
    """Several users in one query, by id."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {p.id: p for p in map(_person, db.session.execute(select(*_COLUMNS).where(User.id.in_(ids))))}


def staff_people() -> list[PersonInfo]:
    """Consultants and admins, by email."""
    rows = db.session.execute(
        select(*_COLUMNS).where(or_(User.is_consultant.is_(True), User.is_admin.is_(True))).order_by(User.email)
    )
    return [_person(row) for row in rows]
