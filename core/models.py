"""Shared model helpers: timestamps and the cluster-ownership mixin."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, ForeignKey, TypeDecorator
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stores aware UTC datetimes; SQLite drops the zone, so put it back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[override]
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value

    def process_result_value(self, value, dialect):  # type: ignore[override]
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class ClusterOwned:
    """Every tenant-owned row carries its cluster; see ``core.clusters.access``."""

    @declared_attr
    def cluster_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True, nullable=False)
