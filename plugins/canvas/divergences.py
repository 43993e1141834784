"""Where the canvas's members disagree, for workshop briefs.

From the most recent canvas with votes or role marks, three kinds of divergence:

* **least-agreed elements** — ``agreement`` = agree votes / all votes on the element's
  notes (as on the alignment page), with at least ``MIN_VOTES`` votes and some disagree
  votes; ``spread`` = how evenly the votes split, the alignment's contest score
  ``1 − |agree − disagree| / votes`` (0 when all vote alike, 1 for an even split): a
  disagreement *between* members, not a note everyone rejects;
* **most-contested notes** — a note still in play with both agree and disagree votes
  and at least ``MIN_VOTES`` votes; ``spread`` = the alignment's contest score
  ``1 − |agree − disagree| / votes`` (1 for an even split), kept from ``MIN_CONTEST``.
  Its ``about`` is its element's, so a brief takes up an element or one of its notes,
  not both;
* **disputed roles** — an activity with roles-matrix cells the matrix calls disputed
  (no role has two thirds of the marks), each with at least ``MIN_VOTES`` marks; one
  divergence per activity, ``spread`` = (1 − share of the leading role) / (2/3) for its
  most disputed cell, 0 for consensus and 1 for an even three-way split.

Groups: an actor type stands apart on an element or note when at least
``MIN_GROUP_SIZE`` of its members voted on it, the others did too, and its agreement
differs from the others' by ``GROUP_GAP`` (20 points, the assessment's actor gap) or
more. Types with fewer voters are never named; and when such small types' voters,
pooled, would still be 1 or 2 people (readable by subtraction from the total), no
breakdown by actor type is given at all. A disputed role names the actor types whose
role it is, when the cluster has at least ``MIN_GROUP_SIZE`` members of that type.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from markupsafe import Markup
from sqlalchemy import exists, or_, select

from core.api import MIN_GROUP_SIZE, ORGANISATION_TYPES, ClusterContext, Divergence, DivergingGroup, db, list_members
from plugins.canvas import queries
from plugins.canvas.alignment import VoteFact, contest_score
from plugins.canvas.bars import Bar, bars_svg
from plugins.canvas.elements import framework
from plugins.canvas.models import ROLE_VALUES, Canvas, Note, RoleMark, Vote
from plugins.canvas.roles import RoleCell, build_matrix

MIN_VOTES = 5
MIN_CONTEST = 0.5
GROUP_GAP = 0.2
LIMITS = {"element": 4, "note": 3, "role": 3}
EVEN_THREE_WAY = 1 / 3


@dataclass(frozen=True)
class NoteInPlay:
    id: int
    element: str
    text: str


@dataclass(frozen=True)
class Breakdown:
    """Agreement of all voters and of each actor type large enough to be shown."""

    agree: int
    votes: int
    voters: int
    groups: tuple[DivergingGroup, ...]
    bars: tuple[Bar, ...]


def _label(actor_type: str) -> str:
    return ORGANISATION_TYPES.get(actor_type, actor_type)


def _pct(share: float) -> str:
    return f"{round(share * 100)} %"


def breakdown(votes: Sequence[VoteFact]) -> Breakdown:
    """Agreement overall and by actor type, with the privacy floor applied (module docstring)."""
    agree = sum(v.value == "agree" for v in votes)
    voters: dict[str, set[int]] = defaultdict(set)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for v in votes:
        voters[v.voter_org_type].add(v.user_id)
        tally[v.voter_org_type][0] += v.value == "agree"
        tally[v.voter_org_type][1] += 1
    everyone = {v.user_id for v in votes}
    shown = sorted((t for t in voters if len(voters[t]) >= MIN_GROUP_SIZE), key=_type_order)
    pooled = everyone - set().union(*(voters[t] for t in shown)) if shown else everyone
    bars = [Bar("All voters", agree / len(votes) if votes else 0.0, len(everyone))]
    if not votes or (0 < len(pooled) < MIN_GROUP_SIZE) or not shown:
        return Breakdown(agree, len(votes), len(everyone), (), tuple(bars))
    groups = []
    for t in shown:
        own_agree, own_votes = tally[t]
        rest_votes = len(votes) - own_votes
        rest_people = everyone - voters[t]
        bars.append(Bar(_label(t), own_agree / own_votes, len(voters[t])))
        if rest_votes == 0 or len(rest_people) < MIN_GROUP_SIZE:
            continue
        mine, theirs = own_agree / own_votes, (agree - own_agree) / rest_votes
        if abs(mine - theirs) >= GROUP_GAP:
            groups.append(DivergingGroup(t, "higher" if mine > theirs else "lower", len(voters[t]),
                                         f"{_pct(mine)} agreement against {_pct(theirs)} for the others"))
    if pooled:
        pool_votes = [v for v in votes if v.user_id in pooled and v.voter_org_type not in shown]
        share = sum(v.value == "agree" for v in pool_votes) / len(pool_votes) if pool_votes else 0.0
        bars.append(Bar("Other actor types", share, len(pooled)))
    return Breakdown(agree, len(votes), len(everyone), tuple(groups), tuple(bars))


def _type_order(actor_type: str) -> tuple[int, str]:
    keys = list(ORGANISATION_TYPES)
    return (keys.index(actor_type) if actor_type in keys else len(keys), actor_type)


def _evidence(title: str, result: Breakdown, caption: str) -> Markup:
    return bars_svg(
        f"Agreement on {title} by actor type",
        "Share of agree votes among all votes, for all voters and for each actor type with at least "
        f"{MIN_GROUP_SIZE} voters; the number after the share is how many people voted.",
        result.bars,
        caption,
    )


def element_divergences(votes: Sequence[VoteFact], all_note_elements: dict[int, str], canvas_title: str) -> list[Divergence]:
    """Least-agreed elements (votes on every note of the element count, as on the alignment page)."""
    by_element: dict[str, list[VoteFact]] = defaultdict(list)
    for v in votes:
        if v.note_id in all_note_elements:
            by_element[all_note_elements[v.note_id]].append(v)
    found = []
    for element in framework().elements:
        result = breakdown(by_element.get(element.key, []))
        if result.votes < MIN_VOTES or result.voters < MIN_GROUP_SIZE or result.agree == result.votes:
            continue
        agreement = result.agree / result.votes
        found.append(Divergence(
            key=f"element-{element.key}",
            topic=element.title,
            measure="agreement",
            value=round(agreement * 100, 1),
            unit="%",
            spread=round(contest_score(result.agree, result.votes - result.agree), 4),
            people=result.voters,
            evidence=_evidence(f"“{element.title}”", result,
                               f"{result.votes} votes by {result.voters} people on the notes of “{element.title}” "
                               f"in the canvas “{canvas_title}”."),
            question=f"What does the cluster mean by “{element.title}”, and which notes should it stand behind?",
            about=f"canvas:element:{element.key}",
            groups=result.groups,
            keywords=(element.key.replace("_", " "), element.short),
        ))
    found.sort(key=lambda d: (-d.spread, -d.people, d.key))
    return found[: LIMITS["element"]]


def note_divergences(notes: Sequence[NoteInPlay], votes: Sequence[VoteFact], canvas_title: str) -> list[Divergence]:
    """Most-contested notes still in play."""
    by_note: dict[int, list[VoteFact]] = defaultdict(list)
    for v in votes:
        by_note[v.note_id].append(v)
    titles = framework().by_key()
    found = []
    for note in notes:
        result = breakdown(by_note.get(note.id, []))
        disagree = result.votes - result.agree
        if result.votes < MIN_VOTES or result.voters < MIN_GROUP_SIZE or not result.agree or not disagree:
            continue
        contest = contest_score(result.agree, disagree)
        if contest < MIN_CONTEST:
            continue
        element = titles[note.element].title if note.element in titles else note.element
        short = note.text if len(note.text) <= 90 else note.text[:89] + "…"
        found.append(Divergence(
            key=f"note-{note.id}",
            topic=f"“{short}” ({element})",
            measure="agreement",
            value=round(result.agree / result.votes * 100, 1),
            unit="%",
            spread=round(contest, 4),
            people=result.voters,
            evidence=_evidence(f"the note “{short}”", result,
                               f"{result.agree} agree and {disagree} disagree votes on this note of "
                               f"“{element}” in the canvas “{canvas_title}”."),
            question=f"Should the canvas keep “{short}” under “{element}”, as it is, reworded or not at all?",
            about=f"canvas:element:{note.element}",
            groups=result.groups,
            keywords=(element, note.element.replace("_", " ")),
        ))
    found.sort(key=lambda d: (-d.spread, -d.people, d.key))
    return found[: LIMITS["note"]]


def role_divergences(cells: Iterable[tuple[RoleCell, str]], type_sizes: dict[str, int]) -> list[Divergence]:
    """Activities with disputed roles-matrix cells (each with at least MIN_VOTES marks): one
    divergence per activity, naming every actor type whose role in it is disputed."""
    by_activity: dict[int, list[RoleCell]] = defaultdict(list)
    texts: dict[int, str] = {}
    for cell, activity in cells:
        if cell.state == "disputed" and cell.total >= MIN_VOTES:
            by_activity[cell.activity_id].append(cell)
            texts[cell.activity_id] = activity
    found = []
    for activity_id, disputed in by_activity.items():
        disputed.sort(key=lambda c: _type_order(c.actor_type))
        short = texts[activity_id] if len(texts[activity_id]) <= 90 else texts[activity_id][:89] + "…"
        tops = {c.actor_type: max(dict(c.counts).values()) / c.total for c in disputed}
        lowest = min(tops.values())
        labels = ", ".join(_label(c.actor_type) for c in disputed)
        groups = tuple(
            DivergingGroup(c.actor_type, "apart", type_sizes[c.actor_type], f"members disagree on its role: {_split(c)}")
            for c in disputed if type_sizes.get(c.actor_type, 0) >= MIN_GROUP_SIZE
        )
        evidence = bars_svg(
            f"Roles members gave in “{short}”",
            "For each actor type whose role is disputed, the share of members' marks for each role; the number "
            "after the share is how many members marked it.",
            [Bar(f"{_label(c.actor_type)}: {ROLE_VALUES[r].lower()}", dict(c.counts).get(r, 0) / c.total,
                 dict(c.counts).get(r, 0)) for c in disputed for r in ROLE_VALUES],
            "; ".join(f"{_label(c.actor_type)}: {_split(c)}" for c in disputed) + ".",
            neutral=True,
        )
        found.append(Divergence(
            key=f"role-{activity_id}",
            topic=f"Roles in “{short}”",
            measure="share of the leading role",
            value=round(lowest * 100, 1),
            unit="%",
            spread=round(min(1.0, (1 - lowest) / (1 - EVEN_THREE_WAY)), 4),
            people=max(c.total for c in disputed),
            evidence=evidence,
            question=f"Who should lead, contribute to and benefit from “{short}” ({labels})?",
            about=f"canvas:role:{activity_id}",
            groups=groups,
            keywords=("roles", "role", "activities", "governance", *(_label(c.actor_type) for c in disputed)),
        ))
    found.sort(key=lambda d: (-d.spread, -d.people, d.key))
    return found[: LIMITS["role"]]


def _split(cell: RoleCell) -> str:
    counts = dict(cell.counts)
    return ", ".join(f"{counts[r]} say {ROLE_VALUES[r].lower()}" for r in ROLE_VALUES if counts.get(r))


def divergence_canvas(cluster_id: int) -> Canvas | None:
    """The most recent canvas of the cluster with any vote or role mark."""
    has_votes = exists().where(Vote.canvas_id == Canvas.id)
    has_marks = exists().where(RoleMark.canvas_id == Canvas.id)
    return db.session.execute(
        select(Canvas).where(Canvas.cluster_id == cluster_id, or_(has_votes, has_marks))
        .order_by(Canvas.created_at.desc(), Canvas.id.desc()).limit(1)
    ).scalar_one_or_none()


def divergences(cluster: ClusterContext) -> list[Divergence]:
    """Every canvas divergence of the cluster (the hook's answer); [] with no votes or marks."""
    canvas = divergence_canvas(cluster.id)
    if canvas is None:
        return []
    note_facts, votes = queries.alignment_facts(canvas.id)
    elements = {n.id: n.element for n in note_facts}
    in_play = [
        NoteInPlay(r[0], r[1], r[2])
        for r in db.session.execute(
            select(Note.id, Note.element, Note.text)
            .where(Note.canvas_id == canvas.id, Note.status.in_(("proposed", "accepted")))
            .order_by(Note.id)
        )
    ]
    members = list_members(cluster.id)
    sizes: dict[str, int] = defaultdict(int)
    for m in members:
        sizes[m.organisation_type] += 1
    activities, marks = queries.role_facts(canvas.id)
    matrix = build_matrix(activities, queries.cluster_actor_types(cluster.id), marks)
    cells = [(cell, row.activity) for row in matrix.rows for cell in row.cells]
    return [
        *element_divergences(votes, elements, canvas.title),
        *note_divergences(in_play, votes, canvas.title),
        *role_divergences(cells, dict(sizes)),
    ]

