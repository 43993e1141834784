"""The manager's consolidation page: accept, park or merge notes."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from core.api import current_cluster, manager_required
from plugins.canvas import consolidation as service
from plugins.canvas import queries
from plugins.canvas.elements import framework
from plugins.canvas.errors import CanvasError, StaleEdit
from plugins.canvas.forms import MergeForm
from plugins.canvas.views import bp
from plugins.canvas.views.helpers import is_htmx, load_canvas, load_note, refusal, seen_version


def _page(canvas, form: MergeForm | None = None, status: int = 200, message: str = "", selected=()):
    groups = queries.board(canvas, current_cluster().user_id, include=("proposed", "accepted", "parked", "merged"))
    return (
        render_template(
            "canvas/consolidate.html",
            canvas=canvas,
            groups=groups,
            form=form or MergeForm(formdata=None),
            message=message,
            selected=set(selected),
            fw=framework(),
        ),
        status,
    )


@bp.get("/<int:canvas_id>/consolidate")
@manager_required
def consolidate(cluster_id: int, canvas_id: int):
    return _page(load_canvas(canvas_id))


@bp.post("/<int:canvas_id>/notes/<int:note_id>/review")
@manager_required
def review(cluster_id: int, canvas_id: int, note_id: int):
    canvas = load_canvas(canvas_id)
    note = load_note(canvas, note_id)
    try:
        service.review_note(note, current_cluster(), request.form.get("action", ""), seen_version())
    except StaleEdit as exc:
        if is_htmx():
            return refusal(exc, canvas)
        return _page(load_canvas(canvas_id), status=409, message=exc.message)
    except CanvasError as exc:
        return refusal(exc, canvas)
    if is_htmx():
        view = queries.note_views(canvas, current_cluster().user_id, [note.id])[0]
        return render_template("canvas/partials/review_row.html", canvas=canvas, note=view)
    return redirect(url_for("canvas.consolidate", cluster_id=cluster_id, canvas_id=canvas_id) + f"#note-{note.id}")


@bp.post("/<int:canvas_id>/merge")
@manager_required
def merge(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    form = MergeForm()
    ids = [int(v) for v in request.form.getlist("note_ids") if v.isdigit()]
    if not form.validate_on_submit():
        return _page(canvas, form, 400, selected=ids)
    try:
        service.merge_notes(canvas, current_cluster(), ids, form.text.data, form.explanation.data or "")
    except CanvasError as exc:
        if exc.status_code in (400, 409):
            return _page(load_canvas(canvas_id), form, exc.status_code, exc.message, selected=ids)
        return refusal(exc, canvas)
    flash(f"{len(set(ids))} notes were merged into one accepted note.", "success")
    return redirect(url_for("canvas.consolidate", cluster_id=cluster_id, canvas_id=canvas_id))
