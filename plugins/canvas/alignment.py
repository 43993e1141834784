"""Alignment metrics: how far members agree, element by element.

Pure functions over plain facts, so they can be checked by hand:

* contributors of an element — distinct members who wrote a note in it or
  voted on one of its notes;
* agreement ratio — agree votes / all votes on the element's notes (``None``
  when nobody voted yet, which is not the same as 0 % agreement);
* contest score of a note — ``1 - |agree - disagree| / votes``: 1.0 for an even
  split, 0.0 when everyone voted the same way; a note is contested only when
  it has both agree and disagree votes;
* per actor type — the notes and votes its members gave to each element, and
  the agreement ratio of its own votes there; withheld when fewer than
  ``MIN_GROUP_SIZE`` (3, core's floor, the same as the assessment's) distinct
  members of that type contributed, so that no member's votes can be singled out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from core.api import MIN_GROUP_SIZE

CONTESTED_LIMIT = 3


@dataclass(frozen=True)
class NoteFact:
    id: int
    element: str
    author_id: int | None
    author_org_type: str
    text: str = ""
    #: Made by merging other notes: the originals count as their authors' notes, this one for no one.
    is_merge: bool = False


@dataclass(frozen=True)
class VoteFact:
    note_id: int
    user_id: int
    voter_org_type: str
    value: str  # "agree" | "disagree"


@dataclass(frozen=True)
class ContestedNote:
    note_id: int
    text: str
    agree: int
    disagree: int

    @property
    def votes(self) -> int:
        return self.agree + self.disagree

    @property
    def contest_score(self) -> float:
        return contest_score(self.agree, self.disagree)


@dataclass(frozen=True)
class ElementAlignment:
    element: str
    notes: int
    contributors: int
    agree: int
    disagree: int
    most_contested: tuple[ContestedNote, ...] = ()

    @property
    def votes(self) -> int:
        return self.agree + self.disagree

    @property
    def agreement_ratio(self) -> float | None:
        return ratio(self.agree, self.disagree)


@dataclass(frozen=True)
class ActorCell:
    notes: int = 0
    votes: int = 0
    agree: int = 0

    @property
    def contributions(self) -> int:
        return self.notes + self.votes

    @property
    def agreement_ratio(self) -> float | None:
        return ratio(self.agree, self.votes - self.agree)


@dataclass(frozen=True)
class ActorTypeAlignment:
    """One actor type's contributions; ``withheld`` (with empty cells) when 1 or 2 of its members contributed."""

    actor_type: str
    cells: dict[str, ActorCell] = field(default_factory=dict)
    withheld: bool = False

    @property
    def elements_contributed(self) -> tuple[str, ...]:
        return tuple(key for key, cell in self.cells.items() if cell.contributions)

    @property
    def contributions(self) -> int:
        return sum(cell.contributions for cell in self.cells.values())


@dataclass(frozen=True)
class Alignment:
    elements: tuple[ElementAlignment, ...]
    actor_types: tuple[ActorTypeAlignment, ...]
    min_group_size: int = MIN_GROUP_SIZE

    @property
    def agree(self) -> int:
        return sum(e.agree for e in self.elements)

    @property
    def votes(self) -> int:
        return sum(e.votes for e in self.elements)

    @property
    def agreement_ratio(self) -> float | None:
        return ratio(self.agree, self.votes - self.agree)

    def element(self, key: str) -> ElementAlignment:
        return next(e for e in self.elements if e.element == key)

    def silent_actor_types(self) -> tuple[str, ...]:
        return tuple(a.actor_type for a in self.actor_types if a.contributions == 0 and not a.withheld)

    @property
    def shown_actor_types(self) -> tuple[ActorTypeAlignment, ...]:
        return tuple(a for a in self.actor_types if not a.withheld)

    @property
    def withheld_actor_types(self) -> tuple[str, ...]:
        return tuple(a.actor_type for a in self.actor_types if a.withheld)


def ratio(agree: int, disagree: int) -> float | None:
    total = agree + disagree
    return agree / total if total else None


def contest_score(agree: int, disagree: int) -> float:
    total = agree + disagree
    return 1 - abs(agree - disagree) / total if total else 0.0


def compute_alignment(
    element_keys: Sequence[str],
    notes: Iterable[NoteFact],
    votes: Iterable[VoteFact],
    actor_types: Sequence[str] = (),
) -> Alignment:
    """Alignment per element and per actor type.

    ``actor_types`` lists the types present in the cluster, so that a type whose
    members said nothing still appears (with zero contributions); types seen
    only in the notes and votes are appended after them.
    """
    notes = list(notes)
    note_by_id = {n.id: n for n in notes}
    contributors: dict[str, set[int]] = defaultdict(set)
    tallies: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    actor_notes: dict[tuple[str, str], int] = defaultdict(int)
    actor_votes: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    actor_members: dict[str, set[int]] = defaultdict(set)
    seen_types: list[str] = list(dict.fromkeys(actor_types))

    for note in notes:
        if note.is_merge:
            continue
        if note.author_id is not None:
            contributors[note.element].add(note.author_id)
            actor_members[note.author_org_type].add(note.author_id)
        actor_notes[(note.author_org_type, note.element)] += 1
        _remember(seen_types, note.author_org_type)
    for vote in votes:
        note = note_by_id.get(vote.note_id)
        if note is None:
            continue
        agreed = vote.value == "agree"
        contributors[note.element].add(vote.user_id)
        actor_members[vote.voter_org_type].add(vote.user_id)
        tallies[note.id][0 if agreed else 1] += 1
        cell = actor_votes[(vote.voter_org_type, note.element)]
        cell[0] += 1
        cell[1] += int(agreed)
        _remember(seen_types, vote.voter_org_type)

    elements = tuple(
        _element_alignment(key, [n for n in notes if n.element == key], tallies, contributors[key])
        for key in element_keys
    )
    by_type = tuple(
        ActorTypeAlignment(actor_type=actor_type, withheld=True)
        if 0 < len(actor_members[actor_type]) < MIN_GROUP_SIZE
        else ActorTypeAlignment(
            actor_type=actor_type,
            cells={
                key: ActorCell(
                    notes=actor_notes[(actor_type, key)],
                    votes=actor_votes[(actor_type, key)][0],
                    agree=actor_votes[(actor_type, key)][1],
                )
                for key in element_keys
            },
        )
        for actor_type in seen_types
    )
    return Alignment(elements=elements, actor_types=by_type)


def _remember(seen: list[str], actor_type: str) -> None:
    if actor_type not in seen:
        seen.append(actor_type)


def _element_alignment(
    key: str, notes: list[NoteFact], tallies: dict[int, list[int]], contributors: set[int]
) -> ElementAlignment:
    agree = sum(tallies[n.id][0] for n in notes if n.id in tallies)
    disagree = sum(tallies[n.id][1] for n in notes if n.id in tallies)
    contested = [
        ContestedNote(note_id=n.id, text=n.text, agree=tallies[n.id][0], disagree=tallies[n.id][1])
        for n in notes
        if n.id in tallies and tallies[n.id][0] and tallies[n.id][1]
    ]
    contested.sort(key=lambda c: (-c.contest_score, -c.votes, c.note_id))
    return ElementAlignment(
        element=key,
        notes=len(notes),
        contributors=len(contributors),
        agree=agree,
        disagree=disagree,
        most_contested=tuple(contested[:CONTESTED_LIMIT]),
    )
