"""What every page's layout needs: navigation, cluster switcher, labels."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

from core.background.heartbeat import worker_status
from core.clusters.access import memberships_of_current_user
from core.email.views import outbox_readable
from core.clusters.models import CLUSTER_STAGES, ORGANISATION_TYPES, ROLES
from core.plugins import calls
from core.plugins.types import UserContext
from core.wording import counted, quoted, signed_change


def background_request_context() -> AbstractContextManager:
    """A request context built from ``BASE_URL`` when none is active.

    Emails and report sections are also rendered from commands and workers;
    ``url_for(..., _external=True)`` and the layout need a request there.
    """
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["BASE_URL"])


#: Names the shared layout (``templates/base.html``, ``templates/admin/_nav.html``)
#: reads from every page's context. All start with ``layout_`` so a plugin's own
#: template variables never collide with them; a view's own context wins over
#: these anyway (Flask applies context processors first).
LAYOUT_NAMES = (
    "layout_cluster",
    "layout_cluster_nav",
    "layout_header_links",
    "layout_memberships",
    "layout_admin_links",
    "layout_outbox_enabled",
    "layout_background_worker",
)
#: Reference labels any template may use; read-only, upper-case by convention.
LABEL_NAMES = ("ORGANISATION_TYPES", "CLUSTER_STAGES", "ROLES")


def inject_layout_context() -> dict[str, Any]:
    labels = {"ORGANISATION_TYPES": ORGANISATION_TYPES, "CLUSTER_STAGES": CLUSTER_STAGES, "ROLES": ROLES}
    if not has_request_context():
        return labels
    context: dict[str, Any] = {
        **labels,
        "layout_outbox_enabled": outbox_readable,
        "layout_background_worker": worker_status,  # called by progress fragments only: no query otherwise
        "layout_cluster": g.get("cluster"),
    }
    if request.endpoint == "static" or request.blueprint == "health":
        return context
    context["layout_cluster_nav"] = lambda: calls.cluster_nav(g.cluster) if g.get("cluster") else []
    context["layout_header_links"] = _header_links
    context["layout_memberships"] = _my_memberships
    context["layout_admin_links"] = calls.admin_nav
    # Deprecated spellings, kept for templates written before the layout_ prefix.
    context.update(
        outbox_enabled=outbox_readable, cluster_nav=context["layout_cluster_nav"], header_links=_header_links,
        my_memberships=_my_memberships, admin_links=calls.admin_nav,
    )
    return context


def _header_links() -> list:
    if not current_user.is_authenticated:
        return []
    return calls.user_nav(
        UserContext(
            id=current_user.id,
            email=current_user.email,
            is_admin=current_user.is_admin,
            is_consultant=current_user.is_consultant,
        )
    )


def _my_memberships() -> list:
    return memberships_of_current_user() if current_user.is_authenticated else []


def register_filters(app: Flask) -> None:
    app.add_template_filter(counted, "counted")
    app.add_template_filter(quoted, "quoted")
    app.add_template_filter(signed_change, "signed_change")

    @app.template_filter("org_type")
    def org_type(value: str) -> str:
        return ORGANISATION_TYPES.get(value, value)

    @app.template_filter("date")
    def date(value: Any, fmt: str = "%d %b %Y") -> str:
        return value.strftime(fmt) if value else ""

    @app.template_filter("datetime")
    def datetime_(value: Any) -> str:
        return value.strftime("%d %b %Y, %H:%M UTC") if value else ""
