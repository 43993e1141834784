"""Composing the agenda: exercises, who diverges in words, participants and the timetable.

Pure functions over plain data. The exercises are Liberating Structures and classic
facilitation formats (Lipmanowicz & McCandless, *The Surprising Power of Liberating
Structures*, 2013; Kaner, *Facilitator's Guide to Participatory Decision-Making*, 3rd
ed., 2014), picked by the kind of divergence:

* actor types stand apart in a direction (higher / lower) → **fishbowl**: each side
  explains its view while the others listen, then the circle opens;
* actor types dispute a role (direction "apart") → **pairwise ranking** of the options;
* members split over notes or statements (an agreement figure) → **dot-voting** on
  reworded options;
* a wide spread with no group apart → **1-2-4-All**: alone, in pairs, in fours, then all.

Time boxes are the formats' usual lengths; ``timetable_for`` scales them to the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from core.api import ORGANISATION_TYPES, Divergence, quoted
from engagements.briefs.draft import AgendaItem, Participant, TimetableSlot


@dataclass(frozen=True)
class Exercise:
    name: str
    description: str
    minutes: int  # the usual time box


FISHBOWL = Exercise(
    "Fishbowl",
    "An inner circle of the groups that stand apart explains its view while the others listen; "
    "then the circle opens to everyone, one empty chair at a time.",
    30,
)
PAIRWISE = Exercise(
    "Pairwise ranking",
    "List the options (who leads, who contributes, who benefits); in small mixed groups compare them "
    "two at a time and keep a tally, then compare the groups' rankings.",
    25,
)
DOT_VOTING = Exercise(
    "Dot-voting",
    "Reword the contested notes as options on the wall; each participant places three dots, "
    "then discuss the options with the most and the fewest dots.",
    20,
)
ONE_TWO_FOUR_ALL = Exercise(
    "1-2-4-All",
    "One minute alone, two in pairs, four in fours, then the whole room shares what stood out "
    "(Liberating Structures).",
    20,
)

#: Timetable rules (minutes): opening and closing are a share of the day within bounds; a
#: workshop over two hours gets one break; no agenda item gets less than MIN_ITEM_MINUTES.
OPENING_SHARE, OPENING_BOUNDS = 0.08, (5, 20)
CLOSING_SHARE, CLOSING_BOUNDS = 0.12, (5, 30)
BREAK_AFTER_MINUTES, BREAK_MINUTES = 120, 15
MIN_ITEM_MINUTES = 5


def exercise_for(divergence: Divergence) -> Exercise:
    """The exercise suited to the divergence's kind (see the module docstring)."""
    directions = {g.direction for g in divergence.groups}
    if directions & {"higher", "lower"}:
        return FISHBOWL
    if "apart" in directions:
        return PAIRWISE
    if "agreement" in divergence.measure.lower() or "contest" in divergence.measure.lower():
        return DOT_VOTING
    return ONE_TWO_FOUR_ALL


def actor_label(actor_type: str) -> str:
    return ORGANISATION_TYPES.get(actor_type, actor_type)


def who_diverges(divergence: Divergence) -> str:
    """The groups that stand apart, in words; or how the people are split when none does."""
    if not divergence.groups:
        return (f"{divergence.people} people are split on this across actor types; "
                "no single actor type stands apart as a group.")
    parts = []
    for group in divergence.groups:
        label = actor_label(group.actor_type)
        verb = {"higher": "rate it higher", "lower": "rate it lower"}.get(group.direction, "see it differently")
        detail = f" ({group.detail})" if group.detail else ""
        parts.append(f"{label} members ({group.people}) {verb}{detail}")
    return "; ".join(parts) + "."


def decision_sought(divergence: Divergence) -> str:
    directions = {g.direction for g in divergence.groups}
    topic = quoted(divergence.topic)
    if "apart" in directions:
        return f"Agree who leads, who contributes and who benefits for {topic}, with an owner and a date."
    if directions:
        return f"A shared position on {topic} that every actor type can support, and the next step."
    return f"One agreed wording of {topic} and what the cluster does about it next."


def measure_text(divergence: Divergence) -> str:
    value = f"{divergence.value:.0f}" if float(divergence.value).is_integer() else f"{divergence.value:.1f}"
    unit = divergence.unit.strip()
    return f"{divergence.measure} {value} {unit}".strip() if unit else f"{divergence.measure} {value}"


def participants_for(items: Sequence[tuple[AgendaItem, Divergence]], cluster_types: Sequence[str]) -> tuple[Participant, ...]:
    """Every actor type diverging on a chosen item is required; the manager and the
    cluster's other actor types are invited as optional, in the platform's order."""
    return participants_of([(item, [g.actor_type for g in divergence.groups]) for item, divergence in items],
                           cluster_types)


def participants_from_items(items: Sequence[AgendaItem], cluster_types: Sequence[str]) -> tuple[Participant, ...]:
    """``participants_for`` recomputed from stored items (their ``actor_types``), after an edit."""
    return participants_of([(item, item.actor_types) for item in items], cluster_types)


def participants_of(items: Sequence[tuple[AgendaItem, Sequence[str]]], cluster_types: Sequence[str]) -> tuple[Participant, ...]:
    """Who to invite, from each item and the actor types standing apart on it."""
    topics: dict[str, list[str]] = {}
    for item, actor_types in items:
        for actor_type in actor_types:
            topics.setdefault(actor_type, []).append(item.title)
    required = [
        Participant(actor_label(t), "Stands apart on " + ", ".join(quoted(x) for x in dict.fromkeys(titles)), True)
        for t, titles in sorted(topics.items(), key=lambda kv: _type_order(kv[0]))
    ]
    optional = [Participant("Cluster manager", "Hosts the workshop and owns the follow-up.", False)]
    optional += [
        Participant(actor_label(t), "Member of the cluster; the agenda concerns all members.", False)
        for t in sorted(set(cluster_types) - topics.keys(), key=_type_order)
    ]
    return tuple(required + optional)


def _type_order(actor_type: str) -> tuple[int, str]:
    keys = list(ORGANISATION_TYPES)
    return (keys.index(actor_type) if actor_type in keys else len(keys), actor_type)


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return min(bounds[1], max(bounds[0], value))


def _apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` whole minutes in proportion to ``weights`` (largest remainder, ties
    to the earlier item); equal shares when every weight is 0."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _frame(length_minutes: int) -> tuple[int, int, int]:
    """(opening, closing, break) minutes of a workshop of this length."""
    opening = _clamp(round(length_minutes * OPENING_SHARE), OPENING_BOUNDS)
    closing = _clamp(round(length_minutes * CLOSING_SHARE), CLOSING_BOUNDS)
    return opening, closing, (BREAK_MINUTES if length_minutes > BREAK_AFTER_MINUTES else 0)


def items_that_fit(length_minutes: int) -> int:
    """How many agenda items, at ``MIN_ITEM_MINUTES`` each, a workshop of this length holds
    beside its opening, closing and break (0 when none; a 15-minute session holds 1)."""
    opening, closing, pause = _frame(length_minutes)
    return max((length_minutes - opening - closing - pause) // MIN_ITEM_MINUTES, 0)


def timetable_for(items: Sequence[AgendaItem], length_minutes: int) -> tuple[TimetableSlot, ...]:
    """Slots that exactly fill ``length_minutes``: opening, the items in order (their time
    boxes scaled to the time left, none under ``MIN_ITEM_MINUTES``), one break in the middle
    when the workshop lasts over two hours, and the closing with the decisions.

    Items that already fill the time keep their minutes, so re-timing an unchanged
    agenda changes nothing. With no items the middle is one open discussion.

    Raises ``ValueError`` when the length cannot hold the opening, closing and every
    item at its minimum (e.g. 30 minutes for 6 items).
    """
    if length_minutes <= 0:
        raise ValueError("A workshop needs a length of at least one minute.")
    opening, closing, pause = _frame(length_minutes)
    left = length_minutes - opening - closing - pause
    needed = max(len(items), 1) * MIN_ITEM_MINUTES
    if left < needed:
        fit = items_that_fit(length_minutes)
        raise ValueError(
            f"{length_minutes} minutes cannot hold {len(items)} agenda items: they need at least "
            f"{needed + opening + closing + pause} minutes (opening {opening}, closing {closing}"
            f"{f', break {pause}' if pause else ''}, {MIN_ITEM_MINUTES} minutes per item). "
            f"Lengthen the workshop on the engagement page, or keep at most {fit} "
            f"item{'' if fit == 1 else 's'} on the agenda."
        )
    if items:
        extra = _apportion(left - len(items) * MIN_ITEM_MINUTES,
                           [max(item.minutes - MIN_ITEM_MINUTES, 0) for item in items])
        middle: list[tuple[int, str, str | None]] = [(MIN_ITEM_MINUTES + e, item.title, item.key) for item, e in zip(items, extra, strict=True)]
    else:
        middle = [(left, "Open discussion of the cluster's goals", None)]
    plan: list[tuple[int, str, str | None]] = [(opening, "Opening: goals of the day and ground rules", None)]
    half = (len(middle) + 1) // 2
    plan += middle[:half]
    if pause:
        plan.append((pause, "Break", None))
    plan += middle[half:]
    plan.append((closing, "Closing: decisions, owners and dates", None))
    slots: list[TimetableSlot] = []
    start = 0
    for minutes, label, key in plan:
        slots.append(TimetableSlot(start, minutes, label, key))
        start += minutes
    return tuple(slots)
