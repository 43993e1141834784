"""Drafting a workshop brief from the cluster's measured divergences.

``draft_brief`` asks every enabled tool where its members disagree
(``core.api.collect_divergences``), ranks the answers (``ranking``), and composes the
agenda, participants and timetable (``agenda``). It reads the database (the tools do)
but writes nothing: the caller stores the draft.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from core.api import ClusterContext, ReportRequest, collect_divergences, list_members, quoted
from engagements.briefs import agenda
from engagements.briefs.draft import AgendaItem, BriefDraft
from engagements.briefs.ranking import MAX_ITEMS, MIN_ITEMS, RankedDivergence, rank, select_items

log = logging.getLogger(__name__)

#: Minutes of workshop per agenda item when choosing how many items to take (3..6):
#: 60 min → 3 items, 120 → 4, 180 or more → 6. A usual exercise plus its debrief.
MINUTES_PER_ITEM = 30


def max_items_for(length_minutes: int) -> int:
    """How many agenda items a workshop of this length can hold (3..6)."""
    return min(MAX_ITEMS, max(MIN_ITEMS, length_minutes // MINUTES_PER_ITEM))


def agenda_item(ranked: RankedDivergence) -> AgendaItem:
    """One agenda item from a ranked divergence, with its exercise's usual time box."""
    d = ranked.divergence
    exercise = agenda.exercise_for(d)
    return AgendaItem(
        key=ranked.key,
        title=d.topic,
        question=d.question or f"Where do we stand on {quoted(d.topic)}, and why do we see it differently?",
        evidence_html=str(d.evidence),
        who_diverges=agenda.who_diverges(d),
        exercise=f"{exercise.name}: {exercise.description}",
        minutes=exercise.minutes,
        decision_sought=agenda.decision_sought(d),
        source=ranked.plugin,
        about=d.about,
        measure=agenda.measure_text(d),
        people=d.people,
        score=round(ranked.score, 4),
        actor_types=tuple(dict.fromkeys(g.actor_type for g in d.groups)),
    )


def draft_brief(cluster: ClusterContext, request: ReportRequest, length_minutes: int) -> BriefDraft:
    """A brief for a workshop of ``length_minutes`` (> 0) from the tools' divergences.

    Items are chosen by ``ranking.select_items`` (3–6, fewer only when fewer exist; at most
    ``max_items_for(length_minutes)``), and no more than the length holds
    (``agenda.items_that_fit``: a short session gets fewer items, never a failed draft); their
    time boxes are then fitted to the length, so each item's ``minutes`` equals its timetable
    slot. Raises ``ValueError`` only for a length under 15 minutes (the scheduling form's floor).
    """
    found = collect_divergences(cluster, request)
    for failure in found.failures:
        log.error("brief for engagement %s: tool %s failed in %s", request.engagement_id, failure.plugin, failure.hook)
    members = list_members(cluster.id)
    ranked = rank(found.divergences, request.goals, cluster_size=len(members))
    chosen = select_items(ranked, max_items_for(length_minutes))[: agenda.items_that_fit(length_minutes)]
    items = [agenda_item(r) for r in chosen]
    timetable = agenda.timetable_for(items, length_minutes)
    fitted = {slot.agenda_key: slot.minutes for slot in timetable if slot.agenda_key}
    items = [replace(item, minutes=fitted[item.key]) for item in items]
    present_types = list(dict.fromkeys(m.organisation_type for m in members if m.organisation_type))
    participants = agenda.participants_for([(i, r.divergence) for i, r in zip(items, chosen, strict=True)], present_types)
    return BriefDraft(
        goals=request.goals,
        items=tuple(items),
        participants=participants,
        timetable=timetable,
        length_minutes=length_minutes,
        considered=len(ranked),
        unavailable=tuple(sorted({f.plugin for f in found.failures})),
        cluster_types=tuple(present_types),
    )

