"""Building canvases for tests through the same services the views call."""

from __future__ import annotations

from core.api import ClusterContext
from core.clusters.models import Cluster, Membership
from core.extensions import db
from plugins.canvas import contributions, lifecycle
from plugins.canvas.models import Canvas, Note


def context_of(membership: Membership) -> ClusterContext:
    return ClusterContext(
        id=membership.cluster_id,
        name=membership.cluster.name,
        user_id=membership.user_id,
        role="manager" if membership.role == "manager" else "member",
        organisation_type=membership.organisation_type,
        membership_id=membership.id,
    )


def manager_membership(cluster: Cluster) -> Membership:
    return db.session.query(Membership).filter_by(cluster_id=cluster.id, role="manager").one()


def new_canvas(cluster: Cluster, title: str = "As-is 2026", anonymous: bool = False) -> Canvas:
    canvas_id = lifecycle.create_canvas(context_of(manager_membership(cluster)), title, anonymous=anonymous)
    return db.session.get(Canvas, canvas_id)


def note_by(canvas: Canvas, membership: Membership, text: str, element: str = "actors") -> Note:
    note_id = contributions.add_note(canvas, context_of(membership), element, text)
    return db.session.get(Note, note_id)


def vote_by(note: Note, membership: Membership, value: str = "agree") -> None:
    contributions.cast_vote(note, context_of(membership), value)


def url(canvas: Canvas, path: str = "") -> str:
    return f"/clusters/{canvas.cluster_id}/canvas/{canvas.id}{path}"
