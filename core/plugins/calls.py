"""Request-time hook calls, each contained: a failing plugin becomes a notice."""

from __future__ import annotations

from typing import Any

from flask import current_app

from core.plugins.manager import HookFailure, PluginHost
from core.plugins.state import is_enabled
from core.plugins.types import (
    ClusterContext,
    Download,
    ExportLink,
    NavItem,
    PublicPage,
    ToolInfo,
    UserContext,
    Widget,
)


def host() -> PluginHost:
    return current_app.extensions["plugin_host"]


def _call(hook: str, **kwargs: Any) -> tuple[list[Any], list[HookFailure]]:
    return host().call_safely(hook, enabled=is_enabled, **kwargs)


def enabled_tools() -> list[ToolInfo]:
    return sorted(
        (t for t in host().tools.values() if t.kind == "tool" and is_enabled(t.slug)),
        key=lambda t: t.order,
    )


def all_plugins() -> list[ToolInfo]:
    return sorted(host().tools.values(), key=lambda t: t.order)


def cluster_nav(cluster: ClusterContext) -> list[NavItem]:
    return _call("designing_clusters_nav_items", cluster=cluster)[0]


def user_nav(user: UserContext) -> list[NavItem]:
    return _call("designing_clusters_user_nav", user=user)[0]


def admin_nav() -> list[NavItem]:
    return _call("designing_clusters_admin_nav")[0]


def dashboard_widgets(cluster: ClusterContext) -> tuple[list[Widget], list[HookFailure]]:
    return _call("designing_clusters_dashboard_widgets", cluster=cluster)


def public_pages() -> dict[str, list[PublicPage]]:
    """Public pages grouped by plugin slug, for the home page's tool cards."""
    return {
        slug: sorted(pages, key=lambda page: page.order)
        for slug, pages in host().call_each("designing_clusters_public_pages", is_enabled)
        if pages
    }


def downloads() -> list[Download]:
    return _call("designing_clusters_downloads")[0]


def exports(cluster: ClusterContext) -> list[ExportLink]:
    return _call("designing_clusters_exports", cluster=cluster)[0]


def notify_user_deleted(user_id: int) -> None:
    """Not contained: a plugin that cannot remove the user's data must stop the deletion."""
    for _slug, _nothing in host().results("designing_clusters_delete_user_data", user_id=user_id):
        pass
