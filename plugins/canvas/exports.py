"""Exports of a canvas: a JSON document, CSV of notes and of votes.

The JSON document is also the snapshot format. Exports name organisation
types, never people, and drop even those for notes on an anonymous canvas.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.api import ORGANISATION_TYPES, csv_from_dicts, db, utcnow
from plugins.canvas.elements import framework
from plugins.canvas.models import Canvas, Vote
from plugins.canvas.queries import note_views

NOTE_COLUMNS = ("id", "element", "element_title", "text", "explanation", "status", "author_organisation_type",
                "agree", "disagree", "merged_into")
VOTE_COLUMNS = ("note_id", "element", "value", "voter_organisation_type", "voted_at")


def canvas_document(canvas: Canvas) -> dict[str, Any]:
    fw = framework()
    titles = {e.key: e.title for e in fw.elements}
    notes = note_views(canvas, viewer_id=-1)
    element_of = {n.id: n.element for n in notes}
    votes = db.session.execute(
        select(Vote.note_id, Vote.value, Vote.voter_org_type, Vote.updated_at)
        .where(Vote.canvas_id == canvas.id)
        .order_by(Vote.note_id, Vote.id)
    ).all()
    return {
        "canvas": {
            "id": canvas.id,
            "title": canvas.title,
            "description": canvas.description,
            "status": canvas.status,
            "anonymous": canvas.anonymous,
            "framework_version": canvas.framework_version,
            "created_at": canvas.created_at.isoformat() if canvas.created_at else None,
            "exported_at": utcnow().isoformat(),
        },
        "framework": {
            "version": fw.version,
            "attribution": fw.attribution,
            "citation": fw.citation.text,
            "doi": fw.citation.doi,
            "licence": fw.licence.name,
            "licence_url": fw.licence.url,
            "source_licence": fw.citation.licence,
            "source_licence_url": fw.citation.licence_url,
            "changes": fw.changes,
        },
        "elements": [{"key": e.key, "number": e.number, "title": e.title} for e in fw.elements],
        "notes": [
            {
                "id": n.id,
                "element": n.element,
                "element_title": titles.get(n.element, n.element),
                "text": n.text,
                "explanation": n.explanation,
                "status": n.status,
                "author_organisation_type": None if canvas.anonymous else n.author_label,
                "agree": n.agree,
                "disagree": n.disagree,
                "merged_into": n.merged_into_id,
            }
            for n in notes
        ],
        "votes": [
            {
                "note_id": v[0],
                "element": element_of.get(v[0]),
                "value": v[1],
                "voter_organisation_type": ORGANISATION_TYPES.get(v[2], v[2]),
                "voted_at": v[3].isoformat() if v[3] else None,
            }
            for v in votes
        ],
    }


def _csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    return csv_from_dicts(columns, rows)


def notes_csv(canvas: Canvas) -> str:
    return _csv(NOTE_COLUMNS, canvas_document(canvas)["notes"])


def votes_csv(canvas: Canvas) -> str:
    return _csv(VOTE_COLUMNS, canvas_document(canvas)["votes"])


def export_filename(canvas: Canvas, extension: str, suffix: str = "") -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in canvas.title.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part)[:60] or "canvas"
    return f"canvas-{canvas.id}-{slug}{suffix}.{extension}"
