"""Workshop outcomes returning to the canvas: start a to-be canvas from the decisions."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from core.api import agreed_outcomes, confirmation_page, counted, current_cluster, manager_required
from plugins.canvas import outcomes
from plugins.canvas.errors import CanvasError
from plugins.canvas.views import bp
from plugins.canvas.views.helpers import refusal


@bp.post("/to-be/<int:engagement_id>")
@manager_required
def to_be_from_workshop(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    """POST from the brief's outcomes page (CSRF checked app-wide); asks for confirmation first."""
    cluster = current_cluster()
    found = [o for o in agreed_outcomes(cluster) if o.engagement_id == engagement_id]
    if not found:  # no workshop of this cluster recorded decisions under this number
        abort(404)
    existing = outcomes.existing_to_be(cluster.id, engagement_id)
    if existing is not None:
        flash("A to-be canvas was already started from this workshop's decisions; here it is.", "info")
        return redirect(url_for("canvas.board", cluster_id=cluster_id, canvas_id=existing))
    decisions = outcomes.canvas_decisions(found)
    if decisions:
        listed = "; ".join(f"“{o.decision}”" for _, o in decisions)
        asked = confirmation_page(
            f"Start a to-be canvas from {counted(len(decisions), 'workshop decision')}?",
            f"A new canvas, open for members' contributions, will hold these decisions as its first notes: "
            f"{listed}. A canvas cannot be deleted once started.",
            "Start the to-be canvas",
            url_for("canvas.index", cluster_id=cluster_id),
        )
        if asked is not None:
            return asked
    try:
        canvas_id = outcomes.start_to_be_canvas(cluster, engagement_id, found)
    except CanvasError as exc:
        return refusal(exc)
    flash(f"To-be canvas started with {counted(len(decisions), 'workshop decision')}. "
          "Members can now add notes and vote.", "success")
    return redirect(url_for("canvas.board", cluster_id=cluster_id, canvas_id=canvas_id))
