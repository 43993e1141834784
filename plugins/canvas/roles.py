"""Roles matrix: which actor type leads, contributes to or benefits from an activity.

Each member marks at most one role per (activity, actor type) cell. A cell
shows *consensus* when at least two members marked it and one role has at
least two thirds of the marks (and no tie); *disputed* when two or more
members marked it without such a majority; *single* when only one member
marked it; *empty* otherwise.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from plugins.canvas.models import ROLE_VALUES

CONSENSUS_SHARE = 2 / 3


@dataclass(frozen=True)
class MarkFact:
    activity_id: int
    actor_type: str
    user_id: int
    role: str


@dataclass(frozen=True)
class RoleCell:
    activity_id: int
    actor_type: str
    counts: tuple[tuple[str, int], ...]
    mine: str | None = None

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def leading_role(self) -> str | None:
        ranked = sorted((n, role) for role, n in self.counts if n)
        if not ranked:
            return None
        if len(ranked) > 1 and ranked[-1][0] == ranked[-2][0]:
            return None
        return ranked[-1][1]

    @property
    def state(self) -> str:
        if self.total == 0:
            return "empty"
        if self.total == 1:
            return "single"
        top = self.leading_role
        if top is not None and dict(self.counts)[top] / self.total >= CONSENSUS_SHARE:
            return "consensus"
        return "disputed"


@dataclass(frozen=True)
class RoleRow:
    activity_id: int
    activity: str
    cells: tuple[RoleCell, ...]


@dataclass(frozen=True)
class RoleMatrix:
    actor_types: tuple[str, ...]
    rows: tuple[RoleRow, ...]

    def disputed(self) -> list[RoleCell]:
        return [cell for row in self.rows for cell in row.cells if cell.state == "disputed"]


def build_matrix(
    activities: Sequence[tuple[int, str]],
    actor_types: Sequence[str],
    marks: Iterable[MarkFact],
    viewer_id: int | None = None,
) -> RoleMatrix:
    counts: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    mine: dict[tuple[int, str], str] = {}
    for mark in marks:
        if mark.role not in ROLE_VALUES:
            continue
        counts[(mark.activity_id, mark.actor_type)][mark.role] += 1
        if mark.user_id == viewer_id:
            mine[(mark.activity_id, mark.actor_type)] = mark.role
    rows = tuple(
        RoleRow(
            activity_id=activity_id,
            activity=text,
            cells=tuple(
                RoleCell(
                    activity_id=activity_id,
                    actor_type=actor_type,
                    counts=tuple((role, counts[(activity_id, actor_type)][role]) for role in ROLE_VALUES),
                    mine=mine.get((activity_id, actor_type)),
                )
                for actor_type in actor_types
            ),
        )
        for activity_id, text in activities
    )
    return RoleMatrix(actor_types=tuple(actor_types), rows=rows)
