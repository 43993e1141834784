"""A canvas's life: created open, consolidated, agreed, and duplicated from there.

Service functions own their transaction: they commit on success and raise a
``CanvasError`` (after rolling back) when the request must be refused.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from core.api import ClusterContext, db
from plugins.canvas.elements import framework
from plugins.canvas.errors import InvalidInput, NotAllowed, StaleEdit, WrongState
from plugins.canvas.history import record, take_snapshot
from plugins.canvas.models import STATUSES, TITLE_MAX, Canvas, Note

#: Allowed status changes; an agreed canvas is final (duplicate it to go on).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("consolidation",),
    "consolidation": ("open", "agreed"),
    "agreed": (),
}


def _require_manager(actor: ClusterContext) -> None:
    if not actor.is_manager:
        raise NotAllowed("Only the cluster's managers can do this.")


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("Give the canvas a title.")
    if len(title) > TITLE_MAX:
        raise InvalidInput(f"The title can have at most {TITLE_MAX} characters.")
    return title


def create_canvas(actor: ClusterContext, title: str, description: str = "", anonymous: bool = False) -> int:
    _require_manager(actor)
    canvas = Canvas(
        cluster_id=actor.id,
        title=_clean_title(title),
        description=(description or "").strip()[:2000],
        anonymous=anonymous,
        framework_version=framework().version,
        created_by_id=actor.user_id,
    )
    db.session.add(canvas)
    db.session.flush()
    record(canvas, actor, "created", f"created the canvas “{canvas.title}”")
    take_snapshot(canvas, actor)
    db.session.commit()
    return canvas.id


def update_settings(
    canvas: Canvas, actor: ClusterContext, *, title: str, description: str, anonymous: bool, seen_version: int
) -> None:
    """Rename, describe, or switch anonymous contributions on or off."""
    _require_manager(actor)
    if canvas.is_agreed:
        raise WrongState("This canvas is agreed and can no longer change.")
    _check_version(canvas, seen_version)
    if canvas.anonymous and not anonymous and _has_notes(canvas.id):
        raise InvalidInput(
            "Members wrote their notes on the promise of anonymity, so it cannot be switched off any more. "
            "Start a new canvas to collect named contributions."
        )
    canvas.title = _clean_title(title)
    canvas.description = (description or "").strip()[:2000]
    changed_anonymity = canvas.anonymous != anonymous
    canvas.anonymous = anonymous
    summary = "changed the title or description"
    if changed_anonymity:
        summary = "made contributions anonymous" if anonymous else "made contributions show organisation types"
    record(canvas, actor, "settings", summary)
    _commit_versioned()


def change_status(canvas: Canvas, actor: ClusterContext, new_status: str, seen_version: int) -> None:
    """Move the canvas on (or back to open) and snapshot it in the same transaction."""
    _require_manager(actor)
    if new_status not in STATUSES:
        raise InvalidInput("Unknown status.")
    _check_version(canvas, seen_version)
    if new_status not in TRANSITIONS[canvas.status]:
        raise WrongState(f"A canvas that is “{canvas.status_label}” cannot become “{STATUSES[new_status]}”.")
    if new_status == "agreed" and not _has_accepted_notes(canvas.id):
        raise WrongState("Accept at least one note before marking the canvas as agreed.")
    old = canvas.status_label
    canvas.status = new_status
    record(canvas, actor, "status", f"moved the canvas from “{old}” to “{canvas.status_label}”")
    take_snapshot(canvas, actor)
    _commit_versioned()


def duplicate_canvas(canvas: Canvas, actor: ClusterContext, title: str) -> int:
    """Start a new open canvas from an agreed one: its accepted notes, no votes."""
    _require_manager(actor)
    if not canvas.is_agreed:
        raise WrongState("Only an agreed canvas can be duplicated.")
    copy = Canvas(
        cluster_id=canvas.cluster_id,
        title=_clean_title(title),
        description=canvas.description,
        anonymous=canvas.anonymous,
        framework_version=framework().version,
        source_canvas_id=canvas.id,
        created_by_id=actor.user_id,
    )
    db.session.add(copy)
    db.session.flush()
    accepted = db.session.execute(
        select(Note).where(Note.canvas_id == canvas.id, Note.status == "accepted").order_by(Note.id)
    ).scalars()
    for note in accepted:
        db.session.add(
            Note(
                cluster_id=copy.cluster_id,
                canvas_id=copy.id,
                element=note.element,
                text=note.text,
                explanation=note.explanation,
                author_id=note.author_id,
                author_org_type=note.author_org_type,
            )
        )
    record(copy, actor, "created", f"started this canvas from the agreed canvas “{canvas.title}”")
    take_snapshot(copy, actor)
    db.session.commit()
    return copy.id


def _has_notes(canvas_id: int) -> bool:
    return db.session.execute(select(Note.id).where(Note.canvas_id == canvas_id).limit(1)).first() is not None


def _has_accepted_notes(canvas_id: int) -> bool:
    return (
        db.session.execute(
            select(Note.id).where(Note.canvas_id == canvas_id, Note.status == "accepted").limit(1)
        ).first()
        is not None
    )


def _check_version(row: Canvas | Note, seen_version: int) -> None:
    if row.version != seen_version:
        db.session.rollback()
        raise StaleEdit(
            "Someone else saved a change in the meantime. The page now shows the latest version; "
            "please check it and try again."
        )


def _commit_versioned() -> None:
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleEdit("Someone else saved a change at the same moment; please reload and try again.") from exc
