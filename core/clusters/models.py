from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import User
from core.extensions import db
from core.models import ClusterOwned, UTCDateTime, utcnow

ORGANISATION_TYPES: dict[str, str] = {
    "sme": "SME",
    "large_firm": "Large firm",
    "startup": "Start-up",
    "university": "University",
    "research_institute": "Research institute",
    "public_authority": "Public authority",
    "intermediary": "Intermediary",
    "investor": "Investor",
    "other": "Other",
}

CLUSTER_STAGES: dict[str, str] = {
    "emerging": "Emerging",
    "growing": "Growing",
    "mature": "Mature",
    "renewing": "Renewing or transforming",
}

ROLES: dict[str, str] = {"manager": "Manager", "member": "Member"}


def _zone_from_country(context) -> str:  # type: ignore[no-untyped-def]
    from core.clusters.time_zones import default_zone

    return default_zone(context.get_current_parameters().get("country"))


class Cluster(db.Model):
    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    country: Mapped[str] = mapped_column(String(80))
    region: Mapped[str] = mapped_column(String(120), default="")
    sectors: Mapped[str] = mapped_column(String(300), default="")
    stage: Mapped[str] = mapped_column(String(20), default="emerging")
    member_count: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    #: IANA name (``Europe/Paris``); defaults from the country, editable in the cluster settings.
    time_zone: Mapped[str] = mapped_column(String(64), default=_zone_from_country)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Membership(ClusterOwned, db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("cluster_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    organisation_name: Mapped[str] = mapped_column(String(160), default="")
    organisation_type: Mapped[str] = mapped_column(String(30), default="other")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
    cluster: Mapped[Cluster] = relationship()

    @property
    def organisation_type_label(self) -> str:
        return ORGANISATION_TYPES.get(self.organisation_type, self.organisation_type)


class Invitation(ClusterOwned, db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20), default="member")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    cluster: Mapped[Cluster] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()


class AccessGrant(ClusterOwned, db.Model):
    """Read-only access to a cluster for someone who is not a member.

    A feature outside core (e.g. an engagement) grants it under its own
    ``source`` key ("engagements:12") so it can find the grant again. At most
    one grant per source is live (not ended) at a time. ``expires_at`` None
    means open-ended; ``ended_at`` records a manager (``ended_by_id``) or the
    source (no ``ended_by_id``) ending it early.
    """

    __tablename__ = "cluster_access_grants"
    __table_args__ = (
        Index(
            "uq_cluster_access_grants_live_source",
            "source",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(300))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    cluster: Mapped[Cluster] = relationship()

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.ended_at is None and (self.expires_at is None or self.expires_at > now)
