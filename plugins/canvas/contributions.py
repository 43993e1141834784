"""Members' contributions: notes, votes and role marks, only while a canvas is open."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from core.api import ClusterContext, db
from plugins.canvas.elements import framework
from plugins.canvas.errors import InvalidInput, NotAllowed, StaleEdit, WrongState
from plugins.canvas.history import quote, record
from plugins.canvas.queries import cluster_actor_types
from plugins.canvas.models import EXPLANATION_MAX, ROLE_VALUES, TEXT_MAX, VOTE_VALUES, Canvas, Note, RoleMark, Vote


def validate_note(text: str, explanation: str) -> tuple[str, str]:
    """Trimmed text and explanation, or ``InvalidInput`` naming the problem."""
    text = (text or "").strip()
    explanation = (explanation or "").strip()
    if not text:
        raise InvalidInput("Write a short note before adding it.")
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"A note can have at most {TEXT_MAX} characters (this one has {len(text)}).")
    if len(explanation) > EXPLANATION_MAX:
        raise InvalidInput(
            f"The explanation can have at most {EXPLANATION_MAX} characters (this one has {len(explanation)})."
        )
    return text, explanation


def require_open(canvas: Canvas) -> None:
    if canvas.is_agreed:
        raise WrongState("This canvas is agreed and read-only.")
    if not canvas.is_open:
        raise WrongState("This canvas is being consolidated; contributions are closed.")


def add_note(canvas: Canvas, actor: ClusterContext, element: str, text: str, explanation: str = "") -> int:
    require_open(canvas)
    if framework().get(element) is None:
        raise InvalidInput("Unknown canvas element.")
    text, explanation = validate_note(text, explanation)
    note = Note(
        cluster_id=canvas.cluster_id,
        canvas_id=canvas.id,
        element=element,
        text=text,
        explanation=explanation,
        author_id=actor.user_id,
        author_org_type=actor.organisation_type,
    )
    db.session.add(note)
    record(canvas, actor, "note_added", f"added {quote(text)} to {framework().get(element).title}", member_action=True)
    db.session.commit()
    return note.id


def require_editable(note: Note, actor: ClusterContext) -> None:
    require_open(note.canvas)
    if note.author_id != actor.user_id:
        raise NotAllowed("You can only change your own notes.")
    if note.status != "proposed":
        raise WrongState("This note has already been consolidated by the manager and can no longer change.")


def edit_note(note: Note, actor: ClusterContext, text: str, explanation: str, seen_version: int) -> None:
    """Save an edit only if nobody saved the note since the editor loaded it."""
    require_editable(note, actor)
    text, explanation = validate_note(text, explanation)
    if note.version != seen_version:
        db.session.rollback()
        raise StaleEdit(
            "This note was changed after you opened it. The latest text is shown below; "
            "your version is kept in the form so you can merge the two and save again."
        )
    note.text = text
    note.explanation = explanation
    record(note.canvas, actor, "note_edited", f"edited a note in {_element_title(note)}, now {quote(text)}",
           member_action=True)
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleEdit("This note was changed at the same moment by someone else; please reload it.") from exc


def delete_note(note: Note, actor: ClusterContext, seen_version: int | None = None) -> None:
    require_editable(note, actor)
    if seen_version is not None and note.version != seen_version:
        db.session.rollback()
        raise StaleEdit("This note was changed after you opened the page; check the new text before deleting it.")
    record(note.canvas, actor, "note_deleted", f"deleted {quote(note.text)} from {_element_title(note)}",
           member_action=True)
    db.session.execute(delete(Vote).where(Vote.note_id == note.id))
    db.session.execute(delete(RoleMark).where(RoleMark.activity_id == note.id))
    db.session.delete(note)
    db.session.commit()


def cast_vote(note: Note, actor: ClusterContext, value: str) -> None:
    """Agree, disagree, or ``clear`` to withdraw; one vote per member and note."""
    require_open(note.canvas)
    if value not in (*VOTE_VALUES, "clear"):
        raise InvalidInput("A vote is either agree or disagree.")
    if note.author_id == actor.user_id:
        raise NotAllowed("You cannot vote on your own note.")
    if note.status in ("merged", "parked"):
        raise WrongState("This note is no longer open for votes.")
    existing = db.session.execute(
        select(Vote).where(Vote.note_id == note.id, Vote.user_id == actor.user_id)
    ).scalar_one_or_none()
    if value == "clear":
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(
            Vote(
                cluster_id=note.cluster_id,
                canvas_id=note.canvas_id,
                note_id=note.id,
                user_id=actor.user_id,
                voter_org_type=actor.organisation_type,
                value=value,
            )
        )
    else:
        existing.value = value
    verb = "withdrew a vote" if value == "clear" else f"voted {value}"
    record(note.canvas, actor, "vote", f"{verb} on {quote(note.text)} in {_element_title(note)}", member_action=True)
    _commit_once_per_member()


def mark_role(canvas: Canvas, actor: ClusterContext, activity: Note, actor_type: str, role: str) -> None:
    """Set (or clear with an empty role) the member's view of one roles-matrix cell."""
    require_open(canvas)
    if activity.canvas_id != canvas.id or activity.element != "activities" or activity.status in ("merged", "parked"):
        raise InvalidInput("Pick one of this canvas's value-creating activities.")
    if actor_type not in cluster_actor_types(canvas.cluster_id):
        # The matrix has a column per type present among members; no other cell exists.
        raise InvalidInput("Pick one of the organisation types of this cluster's members.")
    if role and role not in ROLE_VALUES:
        raise InvalidInput("A role is lead, contribute or benefit.")
    existing = db.session.execute(
        select(RoleMark).where(
            RoleMark.activity_id == activity.id, RoleMark.actor_type == actor_type, RoleMark.user_id == actor.user_id
        )
    ).scalar_one_or_none()
    if not role:
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(
            RoleMark(
                cluster_id=canvas.cluster_id,
                canvas_id=canvas.id,
                activity_id=activity.id,
                actor_type=actor_type,
                user_id=actor.user_id,
                role=role,
            )
        )
    else:
        existing.role = role
    record(canvas, actor, "role", "updated the roles matrix", member_action=True)
    _commit_once_per_member()


def _commit_once_per_member() -> None:
    """A double click can race two inserts of the same member's vote or mark; the unique key keeps one."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise StaleEdit("Your previous click was still being saved; the page shows the result.") from exc


def _element_title(note: Note) -> str:
    element = framework().get(note.element)
    return element.title if element else note.element
