"""Workshop decisions returning to the canvas: a "to-be" canvas seeded with them.

A workshop's agreed outcomes (``core.api.agreed_outcomes``) whose ``about`` is
"canvas:element:<key>" concern a canvas element. The manager can start a new canvas,
open for contributions, whose first notes are those decisions (one per decision, in
the element it concerns), so members vote on and refine the agreed direction. One
to-be canvas per workshop: pressing the button again leads to the one already made.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select

from core.api import AgreedOutcome, ClusterContext, OutcomeAction, counted, db
from plugins.canvas.elements import framework
from plugins.canvas.errors import InvalidInput, NotAllowed
from plugins.canvas.history import record, take_snapshot
from plugins.canvas.models import EXPLANATION_MAX, TEXT_MAX, TITLE_MAX, Canvas, Event, Note

ABOUT_PREFIX = "canvas:element:"


def element_of(outcome: AgreedOutcome) -> str | None:
    """The canvas element an outcome concerns, or None (another tool's, or an unknown element)."""
    if not outcome.about.startswith(ABOUT_PREFIX):
        return None
    key = outcome.about.removeprefix(ABOUT_PREFIX)
    return key if framework().get(key) is not None else None


def canvas_decisions(outcomes: tuple[AgreedOutcome, ...] | list[AgreedOutcome]) -> list[tuple[str, AgreedOutcome]]:
    """(element key, outcome) for the decisions about canvas elements, in framework order."""
    order = {key: i for i, key in enumerate(framework().keys)}
    found = [(key, o) for o in outcomes if (key := element_of(o)) is not None and o.decision.strip()]
    return sorted(found, key=lambda pair: order[pair[0]])


def outcome_actions(cluster: ClusterContext, outcomes: tuple[AgreedOutcome, ...]) -> list[OutcomeAction]:
    """One "start a to-be canvas" button per workshop with decisions about the canvas (managers only);
    "open the to-be canvas" once it was started."""
    if not cluster.is_manager:
        return []
    actions = []
    for engagement_id in sorted({o.engagement_id for o in outcomes}):
        count = len(canvas_decisions([o for o in outcomes if o.engagement_id == engagement_id]))
        if not count:
            continue
        if existing_to_be(cluster.id, engagement_id) is not None:  # the same URL leads to it: say so
            actions.append(OutcomeAction(
                label="Open the to-be canvas",
                url=url_for("canvas.to_be_from_workshop", cluster_id=cluster.id, engagement_id=engagement_id),
                description=f"Already started from this workshop's {counted(count, 'decision')} about canvas elements.",
                order=10,
            ))
            continue
        actions.append(OutcomeAction(
            label=f"Start a to-be canvas from {counted(count, 'decision')}",
            url=url_for("canvas.to_be_from_workshop", cluster_id=cluster.id, engagement_id=engagement_id),
            description=(f"Creates a new canvas open for members' contributions, with the workshop's "
                         f"{counted(count, 'decision')} about canvas elements as its first notes."),
            order=10,
        ))
    return actions


def _marker(engagement_id: int) -> str:
    return f"to_be_from_workshop:{engagement_id}"


def existing_to_be(cluster_id: int, engagement_id: int) -> int | None:
    """The canvas already started from this workshop's decisions, if any."""
    return db.session.execute(
        select(Event.canvas_id).where(Event.cluster_id == cluster_id, Event.action == _marker(engagement_id))
        .order_by(Event.id).limit(1)
    ).scalar_one_or_none()


def _explanation(outcome: AgreedOutcome) -> str:
    parts = [f"Decided at the workshop on “{outcome.topic}”"
             + (f" on {outcome.decided_on:%d %b %Y}" if outcome.decided_on else "") + "."]
    if outcome.owner:
        parts.append(f"Owner: {outcome.owner}.")
    if outcome.due:
        parts.append(f"Due: {outcome.due:%d %b %Y}.")
    return " ".join(parts)[:EXPLANATION_MAX]


def to_be_title(outcomes: list[tuple[str, AgreedOutcome]]) -> str:
    day = max((o.decided_on for _, o in outcomes if o.decided_on), default=None)
    return (f"To-be canvas from the workshop of {day:%d %b %Y}" if isinstance(day, date)
            else "To-be canvas from the workshop")[:TITLE_MAX]


def start_to_be_canvas(actor: ClusterContext, engagement_id: int, outcomes: list[AgreedOutcome]) -> int:
    """Create the open to-be canvas with one note per decision about a canvas element; its id.

    Raises ``NotAllowed`` for anyone but a manager and ``InvalidInput`` when no decision
    concerns the canvas. Commits.
    """
    if not actor.is_manager:
        raise NotAllowed("Only the cluster's managers can start a canvas.")
    decisions = canvas_decisions([o for o in outcomes if o.engagement_id == engagement_id])
    if not decisions:
        raise InvalidInput("None of this workshop's decisions concerns the canvas.")
    canvas = Canvas(
        cluster_id=actor.id,
        title=to_be_title(decisions),
        description="Where the cluster wants to go: the workshop's decisions are the first notes; "
                    "add, vote and refine them.",
        framework_version=framework().version,
        created_by_id=actor.user_id,
    )
    db.session.add(canvas)
    db.session.flush()
    for element, outcome in decisions:
        db.session.add(Note(
            cluster_id=actor.id, canvas_id=canvas.id, element=element,
            text=" ".join(outcome.decision.split())[:TEXT_MAX], explanation=_explanation(outcome),
            author_id=actor.user_id, author_org_type=actor.organisation_type or "other",
        ))
    record(canvas, actor, _marker(engagement_id),
           f"started this to-be canvas from {counted(len(decisions), 'workshop decision')}")
    take_snapshot(canvas, actor)
    db.session.commit()
    return canvas.id
