"""Server-side login sessions.

Flask's cookie session alone would let a copied cookie work after logout. Here
the cookie only holds a random token naming an ``AuthSession`` row; logout
deletes the row, so the copied cookie no longer identifies anyone.
"""

from __future__ import annotations

import secrets

from flask import session
from flask_login import login_user, logout_user
from sqlalchemy import delete, select

from core.accounts.models import AuthSession, User
from core.extensions import db


def load_user_from_session_token(token: str) -> User | None:
    if not token:
        return None
    row = db.session.execute(select(AuthSession).where(AuthSession.token == token)).scalar_one_or_none()
    if row is None:
        return None
    user = row.user
    user.auth_session_token = token
    return user


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
