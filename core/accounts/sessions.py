"""Server-side login sessions.

Flask's cookie session alone would let a copied cookie work after logout. Here
the cookie only holds a random token naming an ``AuthSession`` row; logout
deletes the row, so the copied cookie no longer identifies anyone.

Each row also ends on its own: after ``SESSION_IDLE_SECONDS`` without a request
and ``SESSION_MAX_SECONDS`` after login, checked on every request; the worker's
``core.expire_sessions`` job deletes the rows left behind.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app, g, session
from flask_login import login_user, logout_user
from sqlalchemy import Select, bindparam, delete, or_, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import contains_eager, lazyload

from core.accounts.models import AuthSession, User
from core.extensions import db
from core.models import utcnow

TOUCH_EVERY = timedelta(minutes=1)  # idle time is tracked to the minute, not a write per request


@cache
def _signed_in_statement() -> Select[Any]:
    """Session row, its user, the user's memberships with their clusters, the data
    version (``core.data_version``) and the plugin-state stamp (``core.plugins.state``),
    in one statement built once per process: one row per membership (one row with
    no membership for a user in none).
    """
    from core.clusters.models import Cluster, Membership
    from core.data_version import version_column
    from core.plugins.state import stamp_columns

    return (
        select(AuthSession, Membership, version_column(), *stamp_columns())
        .join(AuthSession.user)
        .outerjoin(Membership, Membership.user_id == AuthSession.user_id)
        .outerjoin(Membership.cluster)
        .options(contains_eager(AuthSession.user), contains_eager(Membership.cluster), lazyload(Membership.user))
        .where(AuthSession.token == bindparam("token"))
        .order_by(Cluster.name, Membership.id)
    )


def _signed_in_rows(token: str) -> list[Any]:
    """The signed-in statement's rows, their objects in the request's session.

    On PostgreSQL the statement runs on a connection of its own in autocommit
    mode, given back to the pool as soon as the rows are read: a page served from
    ``core.page_cache`` needs nothing else from the database, and outside a
    transaction its one statement is one round trip instead of three (BEGIN, the
    SELECT, and the ROLLBACK when the connection goes back). The objects are then
    merged into the request's session without a statement (``merge(load=False)``,
    SQLAlchemy's way of adopting rows read elsewhere), and every other statement
    runs in the request's transaction as before. The connection is never held
    while the request waits for another one, so threaded servers cannot starve
    the pool. SQLite has no round trips to save and begins transactions lazily.
    """
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return list(db.session.execute(_signed_in_statement(), {"token": token}).all())
    with OrmSession(engine.execution_options(isolation_level="AUTOCOMMIT")) as side:
        rows = side.execute(_signed_in_statement(), {"token": token}).all()
        if not rows:
            return []
        auth = db.session.merge(rows[0][0], load=False)  # with its user (contains_eager)
        return [(auth, db.session.merge(r[1], load=False) if r[1] is not None else None, *r[2:]) for r in rows]


def load_user_from_session_token(token: str) -> User | None:
    """Flask-Login's user loader: the live session's user, or None (unknown, ended or expired).

    The same statement leaves the user's memberships (ordered by cluster name) in
    ``g._my_memberships`` for ``core.clusters.access``, the data version in
    ``g._data_version`` for ``core.page_cache`` and the plugin-state stamp in
    ``g._plugin_stamp``, so a signed-in page pays one statement for all four.
    """
    if not token:
        return None
    rows = _signed_in_rows(token)
    if not rows:
        return None
    row = rows[0][0]
    now = utcnow()
    if _expired(row, now):
        db.session.delete(row)
        db.session.commit()
        return None
    g._my_memberships = [r[1] for r in rows if r[1] is not None]
    g._data_version = rows[0][2]
    g._plugin_stamp = tuple(rows[0][3:])
    if row.last_seen_at is None or now - row.last_seen_at >= _touch_every():
        row.last_seen_at = now
        db.session.commit()
    user = row.user
    user.auth_session_token = token
    return user


def _touch_every() -> timedelta:
    """How stale "last seen" may get: a minute, or a quarter of a shorter idle lifetime
    (an idle limit near a minute would otherwise end sessions that were in use)."""
    return min(TOUCH_EVERY, _lifetimes()[0] / 4)


def _lifetimes() -> tuple[timedelta, timedelta]:
    cfg = current_app.config
    return timedelta(seconds=cfg["SESSION_IDLE_SECONDS"]), timedelta(seconds=cfg["SESSION_MAX_SECONDS"])


def _expired(row: AuthSession, now: datetime) -> bool:
    idle, absolute = _lifetimes()
    return now - (row.last_seen_at or row.created_at) > idle or now - row.created_at > absolute


def delete_expired_sessions() -> int:
    """Delete every session row past its idle or absolute lifetime; returns how many."""
    now = utcnow()
    idle, absolute = _lifetimes()
    result = db.session.execute(
        delete(AuthSession).where(
            or_(
                AuthSession.created_at < now - absolute,
                AuthSession.last_seen_at < now - idle,
                (AuthSession.last_seen_at.is_(None)) & (AuthSession.created_at < now - idle),
            )
        )
    )
    db.session.commit()
    return result.rowcount or 0  # type: ignore[attr-defined]  # a DML result has a row count


def start_session(user: User) -> None:
    """Log in: new server-side session and a fresh cookie (no fixation)."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(AuthSession(token=token, user_id=user.id))
    db.session.commit()
    user.auth_session_token = token
    login_user(user, remember=False)


def end_session(user: User) -> None:
    if user.auth_session_token:
        db.session.execute(delete(AuthSession).where(AuthSession.token == user.auth_session_token))
        db.session.commit()
    logout_user()
    session.clear()


def end_all_sessions(user_id: int, keep_token: str | None = None) -> None:
    """After a password change or reset, every other session dies."""
    query = delete(AuthSession).where(AuthSession.user_id == user_id)
    if keep_token:
        query = query.where(AuthSession.token != keep_token)
    db.session.execute(query)
