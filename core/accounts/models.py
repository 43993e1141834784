from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_consultant: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Set by the user loader (not a column): the server-side session of this request.
    auth_session_token = None

    def get_id(self) -> str:  # Flask-Login stores this in the cookie
        return self.auth_session_token or ""

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]


class AuthSession(db.Model):
    """A server-side login session: deleting the row kills the cookie."""

    __tablename__ = "auth_sessions"
    data_version_exempt = True  # no page shows sessions; "last seen" changes every minute

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Last request seen (updated at most once a minute); NULL on rows older than
    # this column means "since created_at". See core.accounts.sessions.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    user: Mapped[User] = relationship(lazy="joined")
