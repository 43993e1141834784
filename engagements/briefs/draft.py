"""The shape of a drafted workshop brief, shared by the drafting rule and the stored versions.

A draft is plain data (frozen dataclasses) so it can be ranked and timed by pure
functions, stored as JSON in a brief version and edited by the consultant.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaItem:
    """One item of the workshop agenda.

    ``key`` is "<plugin>:<divergence key>" for a drafted item and "added-<n>" for one the
    consultant added; ``source`` the tool's slug ("" when added) and ``about`` the
    divergence's ``about`` (so outcomes can return to the tool). ``measure`` states the
    figure in words ("agreement 42 %"); ``people`` how many people are behind it;
    ``minutes`` the exercise's time box; ``score`` the ranking score (see ``ranking``).
    ``evidence_html`` is self-contained HTML (inline SVG). ``actor_types`` are the actor
    types that stand apart on it (so "who to invite" can be recomputed after edits).
    """

    key: str
    title: str
    question: str
    evidence_html: str
    who_diverges: str
    exercise: str
    minutes: int
    decision_sought: str
    source: str = ""
    about: str = ""
    measure: str = ""
    people: int = 0
    score: float = 0.0
    actor_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimetableSlot:
    """A slot of the workshop day: ``start_minute`` from the start, ``minutes`` long.

    ``agenda_key`` names the agenda item discussed, None for opening, breaks and closing.
    """

    start_minute: int
    minutes: int
    label: str
    agenda_key: str | None = None


@dataclass(frozen=True)
class Participant:
    """Who to invite: an actor type, why, and whether the agenda needs them there."""

    actor_type: str
    reason: str
    required: bool


@dataclass(frozen=True)
class BriefDraft:
    """A drafted brief: the cluster's goals, 3–6 agenda items, participants and a timetable
    that fills ``length_minutes``; ``considered`` counts the divergences ranked and
    ``unavailable`` names tools whose divergences could not be read."""

    goals: str
    items: tuple[AgendaItem, ...]
    participants: tuple[Participant, ...]
    timetable: tuple[TimetableSlot, ...]
    length_minutes: int
    considered: int = 0
    unavailable: tuple[str, ...] = ()
    cluster_types: tuple[str, ...] = ()  # the members' actor types when drafted (optional invitees)
