"""Members' actions on notes (add, edit, delete, vote) and on the roles matrix.

Each action works as a plain form post (redirect back to the board) and, when
sent by htmx, answers with just the fragment to swap in place.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from core.api import ORGANISATION_TYPES, current_cluster
from plugins.canvas import contributions, queries
from plugins.canvas.elements import framework
from plugins.canvas.errors import CanvasError, StaleEdit
from plugins.canvas.forms import EditNoteForm, NoteForm
from plugins.canvas.models import ROLE_VALUES
from plugins.canvas.roles import build_matrix
from plugins.canvas.views import bp
from plugins.canvas.views.canvases import board_page
from plugins.canvas.views.helpers import is_htmx, load_canvas, load_note, refusal


def _board_url(canvas_id: int, anchor: str = "") -> str:
    url = url_for("canvas.board", cluster_id=current_cluster().id, canvas_id=canvas_id)
    return f"{url}#{anchor}" if anchor else url


def render_note(canvas, note_id: int, status: int = 200):
    views = queries.note_views(canvas, current_cluster().user_id, [note_id])
    return render_template("canvas/partials/note.html", canvas=canvas, note=views[0]), status


def _render_element(canvas, element_key: str, form: NoteForm | None = None, status: int = 200):
    group = next(g for g in queries.board(canvas, current_cluster().user_id) if g.element.key == element_key)
    return (
        render_template(
            "canvas/partials/element.html",
            canvas=canvas,
            group=group,
            form=form or NoteForm(formdata=None),
            fw=framework(),
        ),
        status,
    )


@bp.post("/<int:canvas_id>/notes")
def add_note(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    form = NoteForm()
    element = form.element.data if framework().get(form.element.data or "") else None
    if element is None:
        return refusal(CanvasError("Choose one of the canvas elements."), canvas)
    if form.validate_on_submit():
        try:
            contributions.add_note(canvas, current_cluster(), element, form.text.data, form.explanation.data or "")
        except CanvasError as exc:
            if exc.status_code != 400:
                return refusal(exc, canvas)
            form.text.errors = [exc.message]
        else:
            if is_htmx():
                return _render_element(canvas, element)
            flash("Your note was added.", "success")
            return redirect(_board_url(canvas_id, f"element-{element}"))
    if is_htmx():
        return _render_element(canvas, element, form, 400)
    return board_page(canvas, forms={element: form}, status=400)


@bp.get("/<int:canvas_id>/notes/<int:note_id>")
def show_note(cluster_id: int, canvas_id: int, note_id: int):
    canvas = load_canvas(canvas_id)
    note = load_note(canvas, note_id)
    if not is_htmx():
        return redirect(_board_url(canvas_id, f"note-{note.id}"))
    return render_note(canvas, note.id)


def _edit_page(canvas, note, form: EditNoteForm, status: int = 200, message: str = ""):
    template = "canvas/partials/note_edit.html" if is_htmx() else "canvas/note_edit.html"
    return render_template(template, canvas=canvas, note=note, form=form, message=message), status


@bp.route("/<int:canvas_id>/notes/<int:note_id>/edit", methods=["GET", "POST"])
def edit_note(cluster_id: int, canvas_id: int, note_id: int):
    canvas = load_canvas(canvas_id)
    note = load_note(canvas, note_id)
    if request.method == "GET":
        try:
            contributions.require_editable(note, current_cluster())
        except CanvasError as exc:
            return refusal(exc, canvas)
        form = EditNoteForm(formdata=None, text=note.text, explanation=note.explanation, version=note.version)
        return _edit_page(canvas, note, form)
    form = EditNoteForm()
    if not form.validate_on_submit():
        return _edit_page(canvas, note, form, 400)
    try:
        contributions.edit_note(note, current_cluster(), form.text.data, form.explanation.data or "", form.version.data)
    except StaleEdit as exc:
        note = load_note(canvas, note_id)
        form.version.data = note.version
        return _edit_page(canvas, note, form, 409, exc.message)
    except CanvasError as exc:
        return refusal(exc, canvas)
    if is_htmx():
        return render_note(canvas, note.id)
    flash("Your note was saved.", "success")
    return redirect(_board_url(canvas_id, f"note-{note.id}"))


@bp.post("/<int:canvas_id>/notes/<int:note_id>/delete")
def delete_note(cluster_id: int, canvas_id: int, note_id: int):
    canvas = load_canvas(canvas_id)
    note = load_note(canvas, note_id)
    element = note.element
    version = request.form.get("version", type=int)
    try:
        contributions.delete_note(note, current_cluster(), version)
    except CanvasError as exc:
        return refusal(exc, canvas)
    if is_htmx():
        return _render_element(canvas, element)
    flash("Your note was deleted.", "success")
    return redirect(_board_url(canvas_id, f"element-{element}"))


@bp.post("/<int:canvas_id>/notes/<int:note_id>/vote")
def vote(cluster_id: int, canvas_id: int, note_id: int):
    canvas = load_canvas(canvas_id)
    note = load_note(canvas, note_id)
    try:
        contributions.cast_vote(note, current_cluster(), request.form.get("value", ""))
    except CanvasError as exc:
        return refusal(exc, canvas)
    if is_htmx():
        return render_note(canvas, note.id)
    return redirect(_board_url(canvas_id, f"note-{note.id}"))


def _matrix(canvas):
    activities, marks = queries.role_facts(canvas.id)
    actor_types = queries.cluster_actor_types(canvas.cluster_id)
    return build_matrix(activities, actor_types, marks, viewer_id=current_cluster().user_id)


@bp.get("/<int:canvas_id>/roles")
def roles(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    return render_template(
        "canvas/roles.html", canvas=canvas, matrix=_matrix(canvas), roles=ROLE_VALUES, types=ORGANISATION_TYPES
    )


@bp.post("/<int:canvas_id>/roles")
def mark_role(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    activity = load_note(canvas, request.form.get("activity_id", type=int) or 0)
    actor_type = request.form.get("actor_type", "")
    try:
        contributions.mark_role(canvas, current_cluster(), activity, actor_type, request.form.get("role", ""))
    except CanvasError as exc:
        return refusal(exc, canvas)
    if is_htmx():
        matrix = _matrix(canvas)
        cells = [c for r in matrix.rows if r.activity_id == activity.id for c in r.cells if c.actor_type == actor_type]
        if cells:
            return render_template(
                "canvas/partials/role_cell.html", canvas=canvas, cell=cells[0], roles=ROLE_VALUES, types=ORGANISATION_TYPES
            )
    flash("Your view of the roles was saved.", "success")
    url = url_for("canvas.roles", cluster_id=cluster_id, canvas_id=canvas_id)
    return redirect(f"{url}#activity-{activity.id}")
