"""The one place that checks cluster access.

Any route whose URL carries ``cluster_id`` is checked before its view runs:
the current user must be a member, otherwise the answer is 404 — the same as
for a cluster that does not exist, so URLs reveal nothing. Objects owned by a
cluster are loaded with ``get_in_cluster_or_404``.

A non-member holding a live access grant (``core.clusters.grants``, e.g. the
consultant of an engagement) is let in as role "consultant": read-only, so
every request other than GET/HEAD/OPTIONS answers 403 here, before any view
runs. Views that show one person's own data or act for a member are marked
``members_only`` (403 for consultants); an expired or ended grant is 404 as
for any outsider.
"""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

from flask import abort, g, redirect, request, session, url_for
from flask_login import current_user
from core.clusters.grants import AccessInfo, live_grant
from core.clusters.models import Membership
from core.extensions import db
from core.hygiene.ids import is_valid_id
from core.plugins.types import ClusterContext

ModelT = TypeVar("ModelT")
ACTIVE_CLUSTER_KEY = "active_cluster_id"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_MESSAGE = "Your access to this cluster is read-only: only its members can change anything."
MEMBERS_ONLY_MESSAGE = "This page is for the cluster's members; your access shows the cluster's aggregated results only."


def load_cluster_for_request() -> Any:
    """before_request: resolve ``cluster_id`` into ``g.cluster`` or answer 404 (403 for a write by a consultant)."""
    args = request.view_args or {}
    if "cluster_id" not in args:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    # One query answers both "is this user a member?" and the cluster switcher.
    membership = next((m for m in memberships_of_current_user() if m.cluster_id == args["cluster_id"]), None)
    if membership is None:
        return _load_for_grant_holder(args["cluster_id"])
    g.membership = membership
    g.access_grant = None
    g.cluster = ClusterContext(
        id=membership.cluster_id,
        name=membership.cluster.name,
        user_id=current_user.id,
        role="manager" if membership.role == "manager" else "member",
        organisation_type=membership.organisation_type,
        membership_id=membership.id,
        time_zone=membership.cluster.time_zone,
    )
    if session.get(ACTIVE_CLUSTER_KEY) != membership.cluster_id:
        session[ACTIVE_CLUSTER_KEY] = membership.cluster_id
    return None


def _load_for_grant_holder(cluster_id: int) -> None:
    grant = live_grant(cluster_id, current_user.id)
    if grant is None:
        abort(404)
    if request.method not in SAFE_METHODS:
        abort(403, description=READ_ONLY_MESSAGE)
    g.membership = None
    g.access_grant = grant
    g.cluster = ClusterContext(
        id=cluster_id,
        name=grant.cluster_name,
        user_id=current_user.id,
        role="consultant",
        organisation_type="",
        membership_id=0,
    )


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
    """The current user's membership row; 403 for a consultant, who has none."""
    current_cluster()
    if g.membership is None:
        abort(403, description=MEMBERS_ONLY_MESSAGE)
    return g.membership


def current_access_grant() -> AccessInfo | None:
    """The grant a consultant reads the current cluster through (None for members)."""
    current_cluster()
    return g.get("access_grant")


def require_member() -> None:
    """403 for a consultant; use as a blueprint's ``before_request`` to keep all its pages to members."""
    if current_cluster().is_consultant:
        abort(403, description=MEMBERS_ONLY_MESSAGE)


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


def members_only(view: F) -> F:
    """Only members (managers included) may open this view: 403 for a consultant.

    For pages about one person (their answers, their saved results, their
    membership) and pages that act as a member (answering a round).
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        require_member()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
