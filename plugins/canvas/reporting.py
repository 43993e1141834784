"""What the canvas contributes to reports, recommendations, the dashboard and exports.

Reports describe one *reference canvas* per cluster: the most recent agreed
canvas, or else the most recent canvas that has notes.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup
from sqlalchemy import exists, select

from core.api import (
    ORGANISATION_TYPES,
    ClusterContext,
    KeyFigure,
    Methodology,
    Recommendation,
    ReportSection,
    db,
)
from plugins.canvas import queries
from plugins.canvas.alignment import Alignment, compute_alignment
from plugins.canvas.elements import framework
from plugins.canvas.heatmap import heatmap_svg, percent
from plugins.canvas.models import Canvas, Note

LOW_AGREEMENT = 0.6
MIN_VOTES = 5
#: Research-based driver (see the innovativeness question bank) each element's advice relates to.
ELEMENT_DRIVERS: dict[str, str] = {
    "actors": "D1",
    "resources": "D5",
    "flows": "D10",
    "governance": "D12",
    "propositions": "D15",
    "activities": "D16",
    "vision": "D3",
}


def render_fragment(template: str, **context: object) -> Markup:
    """Render without a request: report workers have an app context only, so no context processors."""
    return Markup(current_app.jinja_env.get_template(template).render(**context))


def reference_canvas(cluster_id: int) -> Canvas | None:
    base = select(Canvas).where(Canvas.cluster_id == cluster_id).order_by(Canvas.created_at.desc(), Canvas.id.desc())
    agreed = db.session.execute(base.where(Canvas.status == "agreed").limit(1)).scalar_one_or_none()
    if agreed is not None:
        return agreed
    has_notes = exists().where(Note.canvas_id == Canvas.id)
    return db.session.execute(base.where(has_notes).limit(1)).scalar_one_or_none()


def _alignment(canvas: Canvas) -> Alignment:
    notes, votes = queries.alignment_facts(canvas.id)
    return compute_alignment(framework().keys, notes, votes, queries.cluster_actor_types(canvas.cluster_id))


def report_sections(cluster: ClusterContext) -> list[ReportSection]:
    canvas = reference_canvas(cluster.id)
    if canvas is None:
        return []
    include = ("accepted",) if canvas.is_agreed else ("proposed", "accepted")
    groups = queries.board(canvas, viewer_id=-1, include=include)
    snapshot_html = render_fragment("canvas/report_snapshot.html", canvas=canvas, groups=groups, fw=framework())
    result = _alignment(canvas)
    alignment_html = render_fragment(
        "canvas/partials/alignment_body.html",
        alignment=result,
        heatmap=heatmap_svg(result),
        percent=percent,
        titles=framework().by_key(),
        types=ORGANISATION_TYPES,
    )
    notes = sum(len(g.notes) for g in groups)
    as_of = (
        f"canvas “{canvas.title}” (no. {canvas.id}, {canvas.status_label.lower()}, "
        f"last changed {canvas.updated_at:%d %b %Y %H:%M} UTC)"
    )
    return [
        ReportSection(
            key="canvas-snapshot",
            title=f"Cluster business model canvas: {canvas.title}",
            html=snapshot_html,
            order=30,
            summary=f"{notes} notes on the canvas “{canvas.title}” ({canvas.status_label.lower()}).",
            key_figures=(KeyFigure("Canvas notes", str(notes)),),
            as_of=as_of,
        ),
        ReportSection(
            key="canvas-alignment",
            title="Alignment among members",
            html=alignment_html,
            order=31,
            summary=f"Overall agreement {percent(result.agreement_ratio)} over {result.votes} votes.",
            key_figures=(KeyFigure("Agreement on the canvas", percent(result.agreement_ratio)),),
            as_of=as_of,
        ),
    ]


def methodology() -> list[Methodology]:
    fw = framework()
    return [
        Methodology(
            title="Cluster business model canvas",
            method=(
                "Members place notes on the elements of the cluster business model and vote agree or disagree "
                "on each other's notes; the manager consolidates them. The report uses the most recent agreed "
                "canvas (or else the most recent one with notes). Agreement per element is the share of agree "
                f"votes among all votes; an element with at least {MIN_VOTES} votes and less than "
                f"{percent(LOW_AGREEMENT)} agreement is flagged, and kinds of organisation present in the "
                "cluster that wrote and voted nothing are named."
            ),
            references=(fw.citation.text, fw.licence.line),
            order=30,
        )
    ]


def recommendations(cluster: ClusterContext) -> list[Recommendation]:
    canvas = reference_canvas(cluster.id)
    if canvas is None:
        return []
    return draft_recommendations(canvas.title, _alignment(canvas))


def draft_recommendations(canvas_title: str, result: Alignment) -> list[Recommendation]:
    """Low-agreement elements and kinds of organisation that contributed nothing."""
    titles = framework().by_key()
    drafted: list[Recommendation] = []
    for element in result.elements:
        ratio = element.agreement_ratio
        if ratio is None or element.votes < MIN_VOTES or ratio >= LOW_AGREEMENT:
            continue
        title = titles[element.element].title
        contested = "; ".join(f"“{c.text}”" for c in element.most_contested[:2])
        drafted.append(
            Recommendation(
                key=f"canvas-low-agreement-{element.element}",
                title=f"Build a shared view of “{title}”",
                rationale=(
                    f"Only {percent(ratio)} of the {element.votes} votes on the notes of “{title}” in the canvas "
                    f"“{canvas_title}” were agree votes: members do not yet share a picture of this element."
                    + (f" The most contested notes: {contested}." if contested else "")
                ),
                actions=(
                    f"Hold a facilitated discussion on “{title}”, starting from the most contested notes.",
                    "Ask members of each kind of organisation to explain their view before deciding.",
                    "Revisit the element in the next canvas round and compare the agreement ratio.",
                ),
                priority=2 if ratio < 0.4 else 3,
                source="canvas",
                driver=ELEMENT_DRIVERS.get(element.element),
                owner_role="Cluster manager",
                horizon="0–3 months" if ratio < 0.4 else "3–6 months",
                indicator=f"Agreement on “{title}” in the next canvas round (now {percent(ratio)})",
                # Urgency: the share of votes that were not agree votes (0–1).
                score=round(1 - ratio, 4),
            )
        )
    for actor_type in result.silent_actor_types():
        label = ORGANISATION_TYPES.get(actor_type, actor_type)
        drafted.append(
            Recommendation(
                key=f"canvas-silent-{actor_type}",
                title=f"Bring members of type “{label}” into the conversation",
                rationale=(
                    f"The cluster has members of type “{label}”, but none of them wrote or voted on a note of the "
                    f"canvas “{canvas_title}”. Their view of how the cluster creates value is missing."
                ),
                actions=(
                    f"Invite the {label} members personally to the next canvas session.",
                    "Check whether the cluster's offer and governance give them a reason and a place to take part.",
                ),
                priority=3,
                source="canvas",
                driver="D12",
                owner_role="Cluster manager with the board",
                horizon="3–6 months",
                indicator=f"Notes and votes by {label} members in the next canvas round",
                # A whole kind of member is silent: as urgent as a half-contested element.
                score=0.5,
            )
        )
    return drafted
