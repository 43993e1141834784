"""Which tools are enabled: runtime state in the database, cached per process.

Each process keeps the disabled slugs with a stamp of the ``plugin_states`` table
(row count and latest ``updated_at``). A signed-in request reads the stamp in
the same statement as its session (``core.accounts.sessions``), so a change made
by any process takes effect at the next request, without a statement of its own;
other requests read the slugs directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, current_app, g, has_request_context, request, session
from sqlalchemy import Boolean, ForeignKey, String, func, select
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


def stamp_columns() -> list[Any]:
    """Scalar subqueries naming the table's state: (row count, latest ``updated_at``)."""
    return [
        select(func.count()).select_from(PluginState).scalar_subquery().label("plugin_rows"),
        select(func.max(PluginState.updated_at)).scalar_subquery().label("plugin_updated"),
    ]


_STAMP_KEY = "plugin_state_cache"  # app.extensions[...] = (stamp, disabled slugs), per process


def _read_disabled() -> frozenset[str]:
    rows = db.session.execute(select(PluginState.slug).where(PluginState.enabled.is_(False)))
    return frozenset(rows.scalars()) - required_slugs()


def _signed_in_stamp() -> tuple[Any, ...] | None:
    """The stamp read with the session row, loading the user if the cookie names one."""
    if "_plugin_stamp" not in g and session.get("_user_id"):
        from flask_login import current_user

        current_user.is_authenticated  # noqa: B018 - runs the user loader, which reads the stamp
    return g.get("_plugin_stamp")


def disabled_slugs() -> frozenset[str]:
    """Slugs switched off by an admin; kept on ``g`` for the request and per process by stamp.

    A required plugin is never among them, even if a row says so (switched off
    before it was marked required).
    """
    cached = g.get("_disabled_plugins")
    if cached is None:
        try:
            stamp = _signed_in_stamp() if has_request_context() else None
            known = current_app.extensions.get(_STAMP_KEY)
            if stamp is not None and known is not None and known[0] == stamp:
                cached = known[1]
            else:
                cached = _read_disabled()
                if stamp is not None:
                    current_app.extensions[_STAMP_KEY] = (stamp, cached)
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
    g.pop("_plugin_stamp", None)  # read before the change
    current_app.extensions.pop(_STAMP_KEY, None)


def refuse_disabled_plugin_routes() -> None:
    """before_request: a disabled tool's URLs answer 404, without a restart."""
    owner = current_app.extensions["plugin_host"].blueprint_owner.get(request.blueprint or "")
    # A required plugin (payments and their webhooks) is never off: no need to read the table.
    if owner is not None and owner not in required_slugs() and not is_enabled(owner):
        abort(404)
