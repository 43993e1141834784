"""Shared pieces of the canvas views: loading through the tenant check, htmx, refusals."""

from __future__ import annotations

from flask import Response, abort, make_response, render_template, request

from core.api import get_in_cluster_or_404
from plugins.canvas.errors import CanvasError
from plugins.canvas.models import Canvas, Note


def load_canvas(canvas_id: int) -> Canvas:
    return get_in_cluster_or_404(Canvas, canvas_id)


def load_note(canvas: Canvas, note_id: int) -> Note:
    """A note of this canvas; a note id from another canvas answers 404 too."""
    note = get_in_cluster_or_404(Note, note_id)
    if note.canvas_id != canvas.id:
        abort(404)
    return note


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def seen_version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        abort(400)


def refusal(exc: CanvasError, canvas: Canvas | None = None) -> Response:
    """Answer a refused action: a message region for htmx, a page otherwise."""
    if is_htmx():
        response = make_response(
            render_template("canvas/partials/message.html", message=exc.message), exc.status_code
        )
        response.headers["HX-Retarget"] = "#canvas-messages"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return make_response(
        render_template("canvas/refused.html", message=exc.message, canvas=canvas), exc.status_code
    )
