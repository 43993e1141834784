"""Read models for pages and exports, each built with a fixed number of queries.

A canvas page costs the same number of SQL queries whether it holds 3 notes or
300: one query for the notes, one grouped query for the vote tallies and the
viewer's own votes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from functools import cache
from typing import Any

from flask import g
from sqlalchemy import Select, bindparam, case, func, select, union

from core.api import ORGANISATION_TYPES, db, list_members
from plugins.canvas.alignment import NoteFact, VoteFact
from plugins.canvas.elements import Element, framework
from plugins.canvas.models import STATUSES, Canvas, Note, RoleMark, Vote
from plugins.canvas.roles import MarkFact


@dataclass(frozen=True)
class NoteView:
    id: int
    element: str
    text: str
    explanation: str
    status: str
    author_label: str
    is_mine: bool
    agree: int
    disagree: int
    my_vote: str | None
    version: int
    merged_into_id: int | None = None

    @property
    def votes(self) -> int:
        return self.agree + self.disagree


@dataclass(frozen=True)
class ElementView:
    element: Element
    notes: list[NoteView] = field(default_factory=list)


def _tallies(canvas_id: int, viewer_id: int, note_ids: list[int] | None):
    """Agree and disagree counts per note plus the viewer's own vote, in one grouped query.

    Kept apart from the notes query on purpose: joined to it, PostgreSQL picks a
    nested loop over the aggregate when table statistics are fresh or missing.
    """
    query = (
        select(
            Vote.note_id,
            func.sum(case((Vote.value == "agree", 1), else_=0)),
            func.sum(case((Vote.value == "disagree", 1), else_=0)),
            func.max(case((Vote.user_id == viewer_id, Vote.value), else_=None)),
        )
        .where(Vote.canvas_id == canvas_id)
        .group_by(Vote.note_id)
    )
    if note_ids is not None:
        query = query.where(Vote.note_id.in_(note_ids))
    return {r[0]: (int(r[1]), int(r[2]), r[3]) for r in db.session.execute(query)}


def note_views(canvas: Canvas, viewer_id: int, note_ids: list[int] | None = None) -> list[NoteView]:
    """Notes of a canvas (or the given ones) with tallies and the viewer's vote: three queries.

    A note made by merging others is labelled with every original author's actor type."""
    query = (
        select(
            Note.id,
            Note.element,
            Note.text,
            Note.explanation,
            Note.status,
            Note.author_id,
            Note.author_org_type,
            Note.version,
            Note.merged_into_id,
        )
        .where(Note.canvas_id == canvas.id)
        .order_by(Note.created_at, Note.id)
    )
    if note_ids is not None:
        query = query.where(Note.id.in_(note_ids))
    rows = db.session.execute(query).all()
    tallies = _tallies(canvas.id, viewer_id, note_ids)
    no_votes = (0, 0, None)
    merged_from: dict[int, list[str]] = {}
    for merged_id, org_type in db.session.execute(
        select(Note.merged_into_id, Note.author_org_type)
        .where(Note.canvas_id == canvas.id, Note.merged_into_id.is_not(None))
        .order_by(Note.id)
    ):
        types = merged_from.setdefault(merged_id, [])
        if org_type not in types:
            types.append(org_type)

    def label(note_id: int, org_type: str) -> str:
        if canvas.anonymous:
            return ""
        return ", ".join(ORGANISATION_TYPES.get(t, t) for t in merged_from.get(note_id, [org_type]))

    return [
        NoteView(
            id=r[0],
            element=r[1],
            text=r[2],
            explanation=r[3],
            status=r[4],
            author_label=label(r[0], r[6]),
            is_mine=r[5] == viewer_id,
            agree=tallies.get(r[0], no_votes)[0],
            disagree=tallies.get(r[0], no_votes)[1],
            my_vote=tallies.get(r[0], no_votes)[2],
            version=r[7],
            merged_into_id=r[8],
        )
        for r in rows
    ]


def board(canvas: Canvas, viewer_id: int, include: tuple[str, ...] | None = None) -> list[ElementView]:
    """Notes grouped by element in framework order.

    By default an agreed canvas shows its accepted notes and any other canvas
    every note not merged away; ``include`` picks the statuses explicitly.
    """
    if include is None:
        include = ("accepted",) if canvas.is_agreed else ("proposed", "accepted", "parked")
    groups = {e.key: ElementView(element=e) for e in framework().elements}
    for note in note_views(canvas, viewer_id):
        if note.status in include and note.element in groups:
            groups[note.element].notes.append(note)
    return list(groups.values())


def alignment_facts(canvas_id: int) -> tuple[list[NoteFact], list[VoteFact]]:
    """Notes and votes; a note made by merging is marked so that only its originals count as written notes."""
    rows = db.session.execute(
        select(Note.id, Note.element, Note.author_id, Note.author_org_type, Note.text, Note.merged_into_id)
        .where(Note.canvas_id == canvas_id)
        .order_by(Note.id)
    ).all()
    merge_results = {r[5] for r in rows if r[5] is not None}
    notes = [
        NoteFact(id=r[0], element=r[1], author_id=r[2], author_org_type=r[3], text=r[4], is_merge=r[0] in merge_results)
        for r in rows
    ]
    votes = [
        VoteFact(note_id=r[0], user_id=r[1], voter_org_type=r[2], value=r[3])
        for r in db.session.execute(
            select(Vote.note_id, Vote.user_id, Vote.voter_org_type, Vote.value).where(Vote.canvas_id == canvas_id)
        )
    ]
    return notes, votes


def cluster_actor_types(cluster_id: int) -> list[str]:
    """Organisation types present among the cluster's members, in the platform's order."""
    present = {m.organisation_type for m in list_members(cluster_id)}
    return [key for key in ORGANISATION_TYPES if key in present] + sorted(present - ORGANISATION_TYPES.keys())


def role_facts(canvas_id: int) -> tuple[list[tuple[int, str]], list[MarkFact]]:
    """The canvas's activities (notes of element 6 still in play) and all role marks."""
    activities = [
        (r[0], r[1])
        for r in db.session.execute(
            select(Note.id, Note.text)
            .where(Note.canvas_id == canvas_id, Note.element == "activities", Note.status.in_(("proposed", "accepted")))
            .order_by(Note.created_at, Note.id)
        )
    ]
    marks = [
        MarkFact(activity_id=r[0], actor_type=r[1], user_id=r[2], role=r[3])
        for r in db.session.execute(
            select(RoleMark.activity_id, RoleMark.actor_type, RoleMark.user_id, RoleMark.role).where(
                RoleMark.canvas_id == canvas_id
            )
        )
    ]
    return activities, marks


@dataclass(frozen=True)
class CanvasSummary:
    id: int
    title: str
    status: str
    status_label: str
    anonymous: bool
    created_at: object
    notes: int
    votes: int
    contributors: int


@dataclass(frozen=True)
class CanvasTitle:
    id: int
    title: str


def latest_canvas_titles(cluster_id: int, limit: int) -> list[CanvasTitle]:
    """The newest canvases' ids and titles in one query (export links need no counts)."""
    rows = db.session.execute(
        select(Canvas.id, Canvas.title)
        .where(Canvas.cluster_id == cluster_id)
        .order_by(Canvas.created_at.desc(), Canvas.id.desc())
        .limit(limit)
    )
    return [CanvasTitle(*row) for row in rows]


def canvas_summaries(cluster_id: int, statuses: tuple[str, ...] | None = None) -> list[CanvasSummary]:
    """Every canvas of a cluster (newest first) with its contribution counts, in one query.

    Kept for the request on ``flask.g``: the dashboard's widget and its export
    links both read it. ``statuses`` filters the result (None: every status).
    """
    memo = g.setdefault("_canvas_summaries", {})
    if cluster_id not in memo:
        memo[cluster_id] = _all_summaries(cluster_id)
    return [c for c in memo[cluster_id] if statuses is None or c.status in statuses]


@cache
def _summaries_statement() -> Select[Any]:
    """Canvases of ``:cluster_id`` with note, vote and contributor counts; built once per process."""
    notes = (select(func.count(Note.id)).where(Note.canvas_id == Canvas.id, Note.status != "merged")
             .correlate(Canvas).scalar_subquery())
    votes = select(func.count(Vote.id)).where(Vote.canvas_id == Canvas.id).correlate(Canvas).scalar_subquery()
    people = union(
        select(Note.author_id.label("uid")).where(Note.canvas_id == Canvas.id, Note.author_id.is_not(None))
        .correlate(Canvas),
        select(Vote.user_id).where(Vote.canvas_id == Canvas.id).correlate(Canvas),
    ).subquery()
    contributors = select(func.count()).select_from(people).correlate(Canvas).scalar_subquery()
    return (
        select(Canvas, notes, votes, contributors)
        .where(Canvas.cluster_id == bindparam("cluster_id"))
        .order_by(Canvas.created_at.desc(), Canvas.id.desc())
    )


def _all_summaries(cluster_id: int) -> list[CanvasSummary]:
    rows = db.session.execute(_summaries_statement(), {"cluster_id": cluster_id}).all()
    return [
        CanvasSummary(
            id=c.id,
            title=c.title,
            status=c.status,
            status_label=STATUSES[c.status],
            anonymous=c.anonymous,
            created_at=c.created_at,
            notes=note_count or 0,
            votes=vote_count or 0,
            contributors=contributor_count or 0,
        )
        for c, note_count, vote_count, contributor_count in rows
    ]
