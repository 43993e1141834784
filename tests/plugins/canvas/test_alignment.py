"""Alignment metrics against figures worked out by hand."""

import pytest

from plugins.canvas.alignment import NoteFact, VoteFact, compute_alignment, contest_score

KEYS = ("actors", "governance", "vision")


def scenario():
    # Users 1 (sme), 2 (university), 3 (sme), 4 (public_authority), 5 (sme).
    notes = [
        NoteFact(10, "actors", 1, "sme", "Large firms lead"),
        NoteFact(11, "actors", 2, "university", "Labs bridge to research"),
        NoteFact(20, "governance", 3, "sme", "Board is closed"),
    ]
    votes = [
        VoteFact(10, 2, "university", "agree"),
        VoteFact(10, 3, "sme", "disagree"),
        VoteFact(10, 4, "public_authority", "agree"),
        VoteFact(11, 1, "sme", "agree"),
        VoteFact(11, 3, "sme", "agree"),
        VoteFact(11, 5, "sme", "agree"),
        VoteFact(20, 1, "sme", "disagree"),
        VoteFact(20, 2, "university", "agree"),
    ]
    return compute_alignment(KEYS, notes, votes, actor_types=("sme", "university", "public_authority", "investor"))


def test_contributors_are_distinct_authors_and_voters_of_the_element():
    result = scenario()
    # actors: authors 1, 2; voters 2, 3, 4, 1, 3, 5 -> {1, 2, 3, 4, 5}
    assert result.element("actors").contributors == 5
    # governance: author 3, voters 1, 2 -> {1, 2, 3}
    assert result.element("governance").contributors == 3
    assert result.element("vision").contributors == 0


def test_agreement_ratio_is_agree_votes_over_all_votes():
    result = scenario()
    assert result.element("actors").agreement_ratio == pytest.approx(5 / 6)
    assert result.element("governance").agreement_ratio == pytest.approx(1 / 2)
    assert result.element("vision").agreement_ratio is None
    assert result.agreement_ratio == pytest.approx(6 / 8)


def test_most_contested_notes_are_those_with_the_most_even_split():
    actors = scenario().element("actors")
    # note 10: 2 agree / 1 disagree -> score 1 - 1/3; note 11 is unanimous, so not contested.
    assert [c.note_id for c in actors.most_contested] == [10]
    assert actors.most_contested[0].contest_score == pytest.approx(2 / 3)
    assert scenario().element("governance").most_contested[0].contest_score == pytest.approx(1.0)


def test_contest_score_is_one_for_an_even_split_and_zero_for_unanimity():
    assert contest_score(3, 3) == 1.0
    assert contest_score(4, 0) == 0.0
    assert contest_score(0, 0) == 0.0


def test_per_actor_type_counts_notes_votes_and_own_agreement():
    result = scenario()
    sme = next(a for a in result.actor_types if a.actor_type == "sme")
    # sme notes: 10 (actors), 20 (governance); sme votes: 3 on 10 (disagree), 1, 3 and 5 on 11 (agree),
    # 1 on 20 (disagree).
    assert sme.cells["actors"].notes == 1
    assert sme.cells["actors"].votes == 4
    assert sme.cells["actors"].agreement_ratio == pytest.approx(3 / 4)
    assert sme.cells["governance"].notes == 1
    assert sme.cells["governance"].agreement_ratio == 0.0
    assert sme.elements_contributed == ("actors", "governance")


def test_an_actor_type_present_but_silent_is_listed_with_no_contributions():
    result = scenario()
    assert [a.actor_type for a in result.actor_types] == ["sme", "university", "public_authority", "investor"]
    assert result.silent_actor_types() == ("investor",)


def test_actor_types_with_fewer_than_three_contributors_are_withheld():
    result = scenario()
    # university: only user 2; public_authority: only user 4 -> one voter each, who would be identified.
    assert result.withheld_actor_types == ("university", "public_authority")
    assert [a.actor_type for a in result.shown_actor_types] == ["sme", "investor"]
    university = next(a for a in result.actor_types if a.actor_type == "university")
    assert university.cells == {} and university.withheld
    # Their votes still count for all members.
    assert result.element("governance").agree == 1


def test_the_canvas_floor_is_the_assessment_floor():
    from core.api import MIN_GROUP_SIZE
    from plugins.canvas.alignment import Alignment
    from plugins.innovativeness import aggregation

    assert MIN_GROUP_SIZE == aggregation.MIN_GROUP_SIZE == Alignment((), ()).min_group_size == 3


def test_votes_on_unknown_notes_are_ignored():
    result = compute_alignment(KEYS, [], [VoteFact(99, 1, "sme", "agree")])
    assert result.votes == 0


def test_the_alignment_page_shows_no_figures_for_a_lone_voter(client):
    from tests.factories import add_member, create_cluster, login
    from tests.plugins.canvas.helpers import new_canvas, note_by, url, vote_by

    cluster = create_cluster()
    authors = [add_member(cluster, organisation_type="sme") for _ in range(3)]
    lone = add_member(cluster, organisation_type="university")
    canvas = new_canvas(cluster)
    for author in authors:
        vote_by(note_by(canvas, author, "Labs bridge to research"), lone, "disagree")
    login(client, authors[0].user)
    html = client.get(url(canvas, "/alignment")).get_data(as_text=True)
    assert '<th scope="row">SME</th>' in html
    assert '<th scope="row">University</th>' not in html and ">University</text>" not in html
    assert "Not shown separately" in html and "University." in html
