"""Activity history and snapshots: the record of who changed what, and when."""

from __future__ import annotations

import json

from core.api import ClusterContext, db
from plugins.canvas.models import Canvas, Event, Snapshot


def quote(text: str, limit: int = 60) -> str:
    """A note's text shortened for a history line."""
    text = " ".join(text.split())
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def record(canvas: Canvas, actor: ClusterContext, action: str, summary: str, member_action: bool = False) -> None:
    """Add an event in the caller's transaction.

    ``member_action`` marks contributions (notes, votes, marks), whose author is
    hidden on an anonymous canvas; a manager's steering stays attributed.
    """
    db.session.add(
        Event(
            cluster_id=canvas.cluster_id,
            canvas_id=canvas.id,
            actor_id=actor.user_id,
            anonymous=bool(member_action and canvas.anonymous),
            action=action,
            summary=summary[:300],
        )
    )


def take_snapshot(canvas: Canvas, actor: ClusterContext) -> Snapshot:
    """Freeze the canvas as JSON (same shape as the JSON export) in the caller's transaction."""
    from plugins.canvas.exports import canvas_document

    db.session.flush()
    snapshot = Snapshot(
        cluster_id=canvas.cluster_id,
        canvas_id=canvas.id,
        status=canvas.status,
        created_by_id=actor.user_id,
        data=json.dumps(canvas_document(canvas), ensure_ascii=False),
    )
    db.session.add(snapshot)
    return snapshot
