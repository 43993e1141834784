"""Which tools are enabled: runtime state in the database, read per request."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, g, request
from sqlalchemy import Boolean, ForeignKey, String, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow


class PluginState(db.Model):
    __tablename__ = "plugin_states"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PluginRequired(ValueError):
    """An attempt to disable a plugin the platform depends on."""


def required_slugs() -> frozenset[str]:
    tools = current_app.extensions["plugin_host"].tools
    return frozenset(slug for slug, info in tools.items() if info.required)


class DemoLoad(db.Model):
    """A plugin's demo content is in the demo cluster (so ``demo`` adds it only once)."""

    __tablename__ = "demo_loads"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def disabled_slugs() -> frozenset[str]:
    """Slugs switched off by an admin; read once per request and kept on ``g``.

    A required plugin is never among them, even if a row says so (switched off
    before it was marked required).
    """
    cached = g.get("_disabled_plugins")
    if cached is None:
        try:
            rows = db.session.execute(select(PluginState.slug).where(PluginState.enabled.is_(False)))
            cached = frozenset(rows.scalars()) - required_slugs()
        except SQLAlchemyError:
            db.session.rollback()
            cached = frozenset()
        g._disabled_plugins = cached
    return cached


def is_enabled(slug: str) -> bool:
    return slug not in disabled_slugs()


def set_enabled(slug: str, enabled: bool) -> None:
    """Switch a plugin on or off; raises ``PluginRequired`` for turning off a required one."""
    if not enabled and slug in required_slugs():
        title = current_app.extensions["plugin_host"].tools[slug].title
        raise PluginRequired(f"{title} is required by the platform (payments and their webhooks depend on it); it stays enabled.")
    state = db.session.get(PluginState, slug) or PluginState(slug=slug)
    state.enabled = enabled
    db.session.add(state)
    db.session.commit()
    g.pop("_disabled_plugins", None)


def refuse_disabled_plugin_routes() -> None:
    """before_request: a disabled tool's URLs answer 404, without a restart."""
    owner = current_app.extensions["plugin_host"].blueprint_owner.get(request.blueprint or "")
    if owner is not None and not is_enabled(owner):
        abort(404)
