"""Canvas list, creation, the board page, settings, status changes, history."""

from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from core.api import cacheable, confirmation_page, current_cluster, db, get_in_cluster_or_404, list_members, manager_required
from plugins.canvas import lifecycle, queries
from plugins.canvas.elements import framework
from plugins.canvas.errors import CanvasError, InvalidInput, StaleEdit
from plugins.canvas.forms import CanvasForm, DuplicateForm, NoteForm, SettingsForm
from plugins.canvas.models import STATUSES, Event, Snapshot
from plugins.canvas.views import bp
from plugins.canvas.views.helpers import load_canvas, refusal, seen_version


@bp.get("/")
def index(cluster_id: int):
    return _index_page(CanvasForm())


def _index_page(form: CanvasForm, status: int = 200):
    cluster = current_cluster()
    return (
        render_template(
            "canvas/index.html", summaries=queries.canvas_summaries(cluster.id), form=form, fw=framework()
        ),
        status,
    )


@bp.post("/")
@manager_required
def create(cluster_id: int):
    form = CanvasForm()
    if not form.validate_on_submit():
        return _index_page(form, 400)
    try:
        canvas_id = lifecycle.create_canvas(
            current_cluster(), form.title.data, form.description.data or "", bool(form.anonymous.data)
        )
    except CanvasError as exc:
        form.title.errors = [exc.message]
        return _index_page(form, exc.status_code)
    flash("Canvas created. Members can now add their notes.", "success")
    return redirect(url_for("canvas.board", cluster_id=cluster_id, canvas_id=canvas_id))


def board_page(canvas, forms: dict | None = None, status: int = 200, settings_form=None, message: str = ""):
    """The board with optional failed forms (per element key) kept for re-display."""
    cluster = current_cluster()
    groups = queries.board(canvas, cluster.user_id)
    if settings_form is None:
        settings_form = SettingsForm(
            formdata=None, title=canvas.title, description=canvas.description, anonymous=canvas.anonymous,
            version=canvas.version,
        )
    return (
        render_template(
            "canvas/board.html",
            canvas=canvas,
            groups=groups,
            forms=forms or {},
            blank_form=NoteForm(formdata=None),
            settings_form=settings_form,
            duplicate_form=DuplicateForm(formdata=None, title=f"{canvas.title} (new)"),
            transitions=[(s, STATUSES[s]) for s in lifecycle.TRANSITIONS[canvas.status]],
            message=message,
            fw=framework(),
        ),
        status,
    )


@bp.get("/<int:canvas_id>")
@cacheable
def board(cluster_id: int, canvas_id: int):
    return board_page(load_canvas(canvas_id))


@bp.post("/<int:canvas_id>/settings")
@manager_required
def settings(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    form = SettingsForm()
    if not form.validate_on_submit():
        return board_page(canvas, status=400, settings_form=form)
    try:
        lifecycle.update_settings(
            canvas,
            current_cluster(),
            title=form.title.data,
            description=form.description.data or "",
            anonymous=bool(form.anonymous.data),
            seen_version=form.version.data,
        )
    except StaleEdit as exc:
        canvas = load_canvas(canvas_id)
        form.version.data = canvas.version
        return board_page(canvas, status=409, settings_form=form, message=exc.message)
    except InvalidInput as exc:
        form.anonymous.errors = [exc.message]
        return board_page(canvas, status=400, settings_form=form)
    except CanvasError as exc:
        return refusal(exc, canvas)
    flash("Canvas settings saved.", "success")
    return redirect(url_for("canvas.board", cluster_id=cluster_id, canvas_id=canvas_id))


@bp.post("/<int:canvas_id>/status")
@manager_required
def change_status(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    page = _confirm_status(canvas, request.form.get("status", ""))
    if page is not None:
        return page
    try:
        lifecycle.change_status(canvas, current_cluster(), request.form.get("status", ""), seen_version())
    except CanvasError as exc:
        return refusal(exc, canvas)
    flash(f"The canvas is now “{STATUSES[canvas.status]}”. A snapshot was saved.", "success")
    target = "canvas.consolidate" if canvas.status == "consolidation" else "canvas.board"
    return redirect(url_for(target, cluster_id=cluster_id, canvas_id=canvas_id))


def _confirm_status(canvas, status: str):  # type: ignore[no-untyped-def]
    """Closing contributions and agreeing ask first; reopening does not."""
    back = url_for("canvas.board", cluster_id=canvas.cluster_id, canvas_id=canvas.id)
    if status == "consolidation" and canvas.status == "open":
        return confirmation_page(
            f"Close contributions to “{canvas.title}”?",
            "Members can no longer add, edit or vote on notes; you then accept, park and merge notes. "
            "A snapshot is saved. You can reopen contributions later.",
            "Close contributions",
            back,
        )
    if status == "agreed" and canvas.status == "consolidation":
        return confirmation_page(
            f"Mark “{canvas.title}” as agreed?",
            "The canvas becomes read-only for good: no note can be added, changed, accepted or parked any more. "
            "To go on from it later, you would duplicate it.",
            "Mark as agreed",
            back,
        )
    return None


@bp.post("/<int:canvas_id>/duplicate")
@manager_required
def duplicate(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    form = DuplicateForm()
    if not form.validate_on_submit():
        return board_page(canvas, status=400)
    try:
        new_id = lifecycle.duplicate_canvas(canvas, current_cluster(), form.title.data)
    except CanvasError as exc:
        return refusal(exc, canvas)
    flash("A new open canvas was started from the agreed one.", "success")
    return redirect(url_for("canvas.board", cluster_id=cluster_id, canvas_id=new_id))


@bp.get("/<int:canvas_id>/history")
def history(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    names = {m.user_id: m.name or m.email for m in list_members(cluster_id)}
    events = db.session.execute(
        select(Event).where(Event.canvas_id == canvas.id).order_by(Event.created_at.desc(), Event.id.desc()).limit(500)
    ).scalars().all()
    snapshots = db.session.execute(
        select(Snapshot.id, Snapshot.status, Snapshot.created_at)
        .where(Snapshot.canvas_id == canvas.id)
        .order_by(Snapshot.created_at.desc(), Snapshot.id.desc())
    ).all()
    return render_template(
        "canvas/history.html", canvas=canvas, events=events, names=names, snapshots=snapshots, statuses=STATUSES
    )


@bp.get("/<int:canvas_id>/snapshots/<int:snapshot_id>")
def snapshot(cluster_id: int, canvas_id: int, snapshot_id: int):
    canvas = load_canvas(canvas_id)
    snap = get_in_cluster_or_404(Snapshot, snapshot_id)
    if snap.canvas_id != canvas.id:
        abort(404)
    document = json.loads(snap.data)
    by_element: dict[str, list[dict]] = {e.key: [] for e in framework().elements}
    for note in document["notes"]:
        if note["status"] != "merged" and note["element"] in by_element:
            by_element[note["element"]].append(note)
    return render_template(
        "canvas/snapshot.html", canvas=canvas, snap=snap, document=document, by_element=by_element,
        fw=framework(), statuses=STATUSES,
    )
