"""The manager's consolidation: accept, park, or merge several notes into one."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from core.api import ClusterContext, db
from plugins.canvas.contributions import validate_note
from plugins.canvas.elements import framework
from plugins.canvas.errors import InvalidInput, NotAllowed, StaleEdit, WrongState
from plugins.canvas.history import quote, record
from plugins.canvas.models import Canvas, Note, Vote

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

    The new note belongs to the originals' authors, not to the manager who merged
    them: their common author (else none) and their most frequent actor type; pages
    label it with every original author's actor type. The originals' votes move to
    the new note, one per voter (their latest vote). The originals stay (status
    ``merged``, pointing at the new note) so the history and each author's
    contribution in the alignment view are intact.
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
        author_id=_common_author(notes),
        author_org_type=Counter(n.author_org_type for n in notes).most_common(1)[0][0],
        status="accepted",
    )
    db.session.add(merged)
    db.session.flush()
    for note in notes:
        note.status = "merged"
        note.merged_into_id = merged.id
    _move_votes(canvas, ids, merged.id)
    record(canvas, actor, "notes_merged", f"merged {len(notes)} notes in {framework().get(element).title}")
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleEdit("One of the notes changed at the same moment; please reload.") from exc
    return merged.id


def _common_author(notes: list[Note]) -> int | None:
    authors = {n.author_id for n in notes}
    return authors.pop() if len(authors) == 1 else None


def _move_votes(canvas: Canvas, from_ids: list[int], to_id: int) -> None:
    """Each voter's latest vote on any of the originals becomes their vote on the merged note."""
    votes = db.session.execute(
        select(Vote).where(Vote.canvas_id == canvas.id, Vote.note_id.in_(from_ids)).order_by(Vote.updated_at, Vote.id)
    ).scalars().all()
    latest = {vote.user_id: vote for vote in votes}
    for vote in votes:
        db.session.delete(vote)
    db.session.flush()
    for vote in latest.values():
        db.session.add(Vote(cluster_id=canvas.cluster_id, canvas_id=canvas.id, note_id=to_id, user_id=vote.user_id,
                            voter_org_type=vote.voter_org_type, value=vote.value))


def _verb(action: str) -> str:
    return {"accept": "accepted", "park": "parked", "reset": "reopened"}[action]
