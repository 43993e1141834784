"""The one place that checks cluster access.

Any route whose URL carries ``cluster_id`` is checked before its view runs:
the current user must be a member, otherwise the answer is 404 — the same as
for a cluster that does not exist, so URLs reveal nothing. Objects owned by a
cluster are loaded with ``get_in_cluster_or_404``.
"""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

from flask import abort, g, redirect, request, session, url_for
from flask_login import current_user
from core.clusters.models import Membership
from core.extensions import db
from core.hygiene.ids import is_valid_id
from core.plugins.types import ClusterContext

ModelT = TypeVar("ModelT")
ACTIVE_CLUSTER_KEY = "active_cluster_id"


def load_cluster_for_request() -> Any:
    """before_request: resolve ``cluster_id`` into ``g.cluster`` or answer 404."""
    args = request.view_args or {}
    if "cluster_id" not in args:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path))
    # One query answers both "is this user a member?" and the cluster switcher.
    membership = next((m for m in memberships_of_current_user() if m.cluster_id == args["cluster_id"]), None)
    if membership is None:
        abort(404)
    g.membership = membership
    g.cluster = ClusterContext(
        id=membership.cluster_id,
        name=membership.cluster.name,
        user_id=current_user.id,
        role="manager" if membership.role == "manager" else "member",
        organisation_type=membership.organisation_type,
        membership_id=membership.id,
    )
    if session.get(ACTIVE_CLUSTER_KEY) != membership.cluster_id:
        session[ACTIVE_CLUSTER_KEY] = membership.cluster_id
    return None


def memberships_of_current_user() -> list[Membership]:
    """The signed-in user's memberships with their clusters, loaded once per request."""
    cached = g.get("_my_memberships")
    if cached is None:
        from core.clusters.services import memberships_of

        cached = g._my_memberships = memberships_of(current_user.id)
    return cached


def current_cluster() -> ClusterContext:
    """The cluster of the current request (only inside cluster-scoped routes)."""
    cluster = g.get("cluster")
    if cluster is None:
        abort(404)
    return cluster


def current_membership() -> Membership:
    current_cluster()
    return g.membership


def get_in_cluster_or_404(model: type[ModelT], ident: Any) -> ModelT:
    """Load a cluster-owned row by primary key; 404 unless it is the current cluster's."""
    obj = db.session.get(model, ident) if is_valid_id(ident) else None
    if obj is None or getattr(obj, "cluster_id", None) != current_cluster().id:
        abort(404)
    return obj


F = TypeVar("F", bound=Callable[..., Any])


def manager_required(view: F) -> F:
    """Only the cluster's managers may run this view (403 for plain members)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_cluster().is_manager:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
