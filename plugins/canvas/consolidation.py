"""The manager's consolidation: accept, park, or merge several notes into one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from core.api import ClusterContext, db
from plugins.canvas.contributions import validate_note
from plugins.canvas.elements import framework
from plugins.canvas.errors import InvalidInput, NotAllowed, StaleEdit, WrongState
from plugins.canvas.history import quote, record
from plugins.canvas.models import Canvas, Note

REVIEW_ACTIONS: dict[str, str] = {"accept": "accepted", "park": "parked", "reset": "proposed"}


def _require_consolidating(canvas: Canvas, actor: ClusterContext) -> None:
    if not actor.is_manager:
        raise NotAllowed("Only the cluster's managers consolidate a canvas.")
    if canvas.is_agreed:
        raise WrongState("This canvas is agreed and read-only.")
    if canvas.status != "consolidation":
        raise WrongState("Move the canvas to consolidation first.")


def review_note(note: Note, actor: ClusterContext, action: str, seen_version: int) -> None:
    """Accept or park a note, or put it back to proposed."""
    _require_consolidating(note.canvas, actor)
    if action not in REVIEW_ACTIONS:
        raise InvalidInput("Choose accept, park or reset.")
    if note.status == "merged":
        raise WrongState("This note was merged into another one.")
    if note.version != seen_version:
        db.session.rollback()
        raise StaleEdit("This note changed since you loaded the page; its current state is shown.")
    note.status = REVIEW_ACTIONS[action]
    record(note.canvas, actor, f"note_{note.status}", f"{_verb(action)} {quote(note.text)}")
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleEdit("This note changed at the same moment; please reload.") from exc


def merge_notes(
    canvas: Canvas, actor: ClusterContext, note_ids: list[int], text: str, explanation: str = ""
) -> int:
    """Replace two or more notes of one element by a new accepted note.

    The originals stay (status ``merged``, pointing at the new note) so that
    their votes still count in the alignment view and the history is intact.
    """
    _require_consolidating(canvas, actor)
    ids = sorted(set(note_ids))
    if len(ids) < 2:
        raise InvalidInput("Select at least two notes to merge.")
    text, explanation = validate_note(text, explanation)
    notes = list(
        db.session.execute(select(Note).where(Note.canvas_id == canvas.id, Note.id.in_(ids))).scalars()
    )
    if len(notes) != len(ids):
        raise InvalidInput("Some of the selected notes are not on this canvas.")
    elements = {n.element for n in notes}
    if len(elements) != 1:
        raise InvalidInput("Only notes of the same element can be merged.")
    if any(n.status == "merged" for n in notes):
        raise WrongState("One of the selected notes was already merged.")
    element = elements.pop()
    merged = Note(
        cluster_id=canvas.cluster_id,
        canvas_id=canvas.id,
        element=element,
        text=text,
        explanation=explanation,
        author_id=actor.user_id,
        author_org_type=actor.organisation_type,
        status="accepted",
    )
    db.session.add(merged)
    db.session.flush()
    for note in notes:
        note.status = "merged"
        note.merged_into_id = merged.id
    record(canvas, actor, "notes_merged", f"merged {len(notes)} notes in {framework().get(element).title}")
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleEdit("One of the notes changed at the same moment; please reload.") from exc
    return merged.id


def _verb(action: str) -> str:
    return {"accept": "accepted", "park": "parked", "reset": "reopened"}[action]
