"""The canvas's divergences for workshop briefs: least-agreed elements, contested notes, disputed roles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from core.api import (
    MIN_GROUP_SIZE,
    ORGANISATION_TYPES,
    ClusterContext,
    Divergence,
    ReportRequest,
    collect_divergences,
    utcnow,
)
from plugins.canvas import contributions
from plugins.canvas.alignment import VoteFact
from plugins.canvas.divergences import breakdown, divergences
from tests.factories import add_member, create_cluster
from tests.plugins.canvas.helpers import context_of, manager_membership, new_canvas, note_by, vote_by


def _context(cluster) -> ClusterContext:  # type: ignore[no-untyped-def]
    return ClusterContext(id=cluster.id, name=cluster.name, user_id=0, role="manager", organisation_type="")


def _split_cluster(investor_votes: bool = False):  # type: ignore[no-untyped-def]
    """Four SMEs agree with a governance note, four universities disagree."""
    cluster = create_cluster(name="Split Valley")
    smes = [add_member(cluster, organisation_type="sme") for _ in range(4)]
    unis = [add_member(cluster, organisation_type="university") for _ in range(4)]
    investor = add_member(cluster, organisation_type="investor")
    canvas = new_canvas(cluster)
    note = note_by(canvas, manager_membership(cluster), "The board decides by majority", "governance")
    for m in smes:
        vote_by(note, m, "agree")
    for m in unis:
        vote_by(note, m, "disagree")
    if investor_votes:
        vote_by(note, investor, "agree")
    return cluster, canvas, note, smes, unis


def _by_key(found: list[Divergence]) -> dict[str, Divergence]:
    return {d.key: d for d in found}


def test_a_split_element_and_its_contested_note_name_the_actor_types_that_stand_apart():
    cluster, _canvas, note, *_ = _split_cluster()
    found = _by_key(divergences(_context(cluster)))
    element = found["element-governance"]
    assert (element.measure, element.value, element.unit, element.spread, element.people) == (
        "agreement", 50.0, "%", 1.0, 8)
    assert element.about == "canvas:element:governance"
    assert [(g.actor_type, g.direction, g.people) for g in element.groups] == [("sme", "higher", 4),
                                                                              ("university", "lower", 4)]
    assert element.groups[0].detail == "100 % agreement against 0 % for the others"
    assert isinstance(element.evidence, Markup) and "<svg" in element.evidence and "<script" not in element.evidence
    assert "SME" in element.evidence and "University" in element.evidence
    assert element.question and "governance" in element.keywords
    contested = found[f"note-{note.id}"]
    assert contested.spread == 1.0 and contested.about == "canvas:element:governance"
    assert "The board decides by majority" in contested.topic


def test_a_lone_voter_of_another_type_removes_the_breakdown_so_their_vote_cannot_be_read_by_subtraction():
    cluster, *_ = _split_cluster(investor_votes=True)
    element = _by_key(divergences(_context(cluster)))["element-governance"]
    assert element.people == 9 and element.groups == ()
    assert "Investor" not in element.evidence and "SME" not in element.evidence


def test_three_voters_of_other_types_are_shown_pooled_never_by_type():
    cluster, _canvas, note, *_ = _split_cluster()
    for kind in ("investor", "startup", "large_firm"):
        vote_by(note, add_member(cluster, organisation_type=kind), "agree")
    element = _by_key(divergences(_context(cluster)))["element-governance"]
    assert {g.actor_type for g in element.groups} == {"sme", "university"}
    assert element.people == 11
    assert "Other actor types" in element.evidence
    assert "Investor" not in element.evidence and "Start-up" not in element.evidence


def test_a_disputed_role_is_reported_with_the_actor_type_concerned():
    cluster = create_cluster(name="Role Valley")
    members = [add_member(cluster, organisation_type="university") for _ in range(3)]
    members += [add_member(cluster, organisation_type="sme") for _ in range(3)]
    canvas = new_canvas(cluster)
    activity = note_by(canvas, members[0], "Joint pilot lines", "activities")
    for member, role in zip(members, ["lead", "contribute", "benefit", "lead", "contribute", "benefit"], strict=True):
        contributions.mark_role(canvas, context_of(member), activity, "university", role)
    role = _by_key(divergences(_context(cluster)))[f"role-{activity.id}"]
    assert role.spread == 1.0 and role.people == 6 and role.value == 33.3
    assert [(g.actor_type, g.direction, g.people) for g in role.groups] == [("university", "apart", 3)]
    assert role.about == f"canvas:role:{activity.id}" and "Joint pilot lines" in role.topic
    assert role.groups[0].detail == "members disagree on its role: 2 say leads, 2 say contributes, 2 say benefits"


def test_no_votes_no_divergences_and_too_few_votes_are_left_out():
    cluster = create_cluster(name="Quiet Valley")
    assert divergences(_context(cluster)) == []
    a, b = add_member(cluster), add_member(cluster, organisation_type="university")
    canvas = new_canvas(cluster)
    note = note_by(canvas, a, "Shared bench", "resources")
    vote_by(note, b, "disagree")
    assert divergences(_context(cluster)) == []


def test_the_hook_reaches_the_brief_through_core():
    cluster, *_ = _split_cluster()
    found = collect_divergences(_context(cluster), ReportRequest(engagement_id=1, as_of=utcnow(), goals="Governance"))
    assert any(c.plugin == "canvas" and c.divergence.key == "element-governance" for c in found.divergences)


# -- the privacy floor holds for any votes (hypothesis) ----------------------------------------

_voters = st.lists(st.tuples(st.sampled_from(["sme", "university", "investor", "startup"]), st.booleans()),
                   max_size=14)


@given(_voters)
def test_no_actor_type_under_the_floor_is_named_or_readable_by_subtraction(people) -> None:  # type: ignore[no-untyped-def]
    votes = [VoteFact(1, user, kind, "agree" if agrees else "disagree") for user, (kind, agrees) in enumerate(people)]
    result = breakdown(votes)
    sizes = {kind: sum(1 for k, _ in people if k == kind) for kind, _ in people}
    small = sum(n for n in sizes.values() if n < MIN_GROUP_SIZE)
    assert all(g.people >= MIN_GROUP_SIZE and sizes[g.actor_type] >= MIN_GROUP_SIZE for g in result.groups)
    shown = {b.label for b in result.bars}
    for kind, n in sizes.items():
        if n < MIN_GROUP_SIZE:
            assert ORGANISATION_TYPES[kind] not in shown
    if 0 < small < MIN_GROUP_SIZE:
        assert shown == {"All voters"} and result.groups == ()
    assert all(b.people >= MIN_GROUP_SIZE for b in result.bars if b.label != "All voters")
