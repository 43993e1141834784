"""Properties of the rule that picks a workshop's agenda from the tools' divergences."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from core.api import ContributedDivergence, Divergence, DivergingGroup
from engagements.briefs.ranking import (
    MAX_ITEMS,
    MIN_ITEMS,
    rank,
    relevance,
    score,
    select_items,
    words,
)

TOPICS = ["Value propositions", "Governance", "Funding of shared labs", "Talent and skills", "Internationalisation",
          "Shared test bench", "Who leads open innovation", "Digitalisation"]
PLUGINS = ["canvas", "innovativeness", "sample"]

spreads = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
people = st.integers(min_value=0, max_value=500)
sizes = st.integers(min_value=0, max_value=500)


@st.composite
def divergences(draw) -> ContributedDivergence:  # type: ignore[no-untyped-def]
    plugin = draw(st.sampled_from(PLUGINS))
    topic = draw(st.sampled_from(TOPICS))
    key = draw(st.text("abcdefgh", min_size=1, max_size=3))
    about = draw(st.sampled_from(["", f"{plugin}:x:{key}", f"{plugin}:x:{topic[:3]}"]))
    d = Divergence(key, topic, "agreement", 40.0, "%", draw(spreads), draw(people), Markup("<p>e</p>"),
                   about=about, keywords=tuple(draw(st.lists(st.sampled_from(["labs", "funding", "skills", "roles"]),
                                                             max_size=2))))
    return ContributedDivergence(plugin, plugin.title(), d)


lists = st.lists(divergences(), max_size=14)
goals = st.sampled_from(["", "Grow funding for shared labs", "Skills and talent", "Governance – gouvernance, rôles"])


@given(spreads, spreads, people, sizes, st.floats(0, 1))
def test_more_spread_never_lowers_the_score(a: float, b: float, n: int, size: int, share: float) -> None:
    low, high = sorted((a, b))
    assert score(high, n, size, share) >= score(low, n, size, share)


@given(spreads, people, people, sizes, st.floats(0, 1))
def test_more_people_never_lower_the_score(spread: float, a: int, b: int, size: int, share: float) -> None:
    low, high = sorted((a, b))
    assert score(spread, high, size, share) >= score(spread, low, size, share)


@given(spreads, people, sizes, st.floats(0, 1), st.floats(0, 1))
def test_more_relevance_to_the_goals_never_lowers_the_score(spread: float, n: int, size: int, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert score(spread, n, size, high) >= score(spread, n, size, low)


@given(divergences(), goals, st.sampled_from(["labs", "funding", "governance", "skills", "value", "roles"]))
def test_adding_the_topic_to_the_goals_never_lowers_a_divergences_rank_score(
    item: ContributedDivergence, goal: str, extra: str
) -> None:
    before = rank([item], goal, 50)[0].score
    after = rank([item], f"{goal} {extra} {item.divergence.topic}", 50)[0].score
    assert after >= before


def test_goal_matching_ignores_case_accents_and_plurals() -> None:
    d = Divergence("g", "Governance of the rôles", "agreement", 40.0, "%", 0.5, 10, Markup(""))
    assert relevance(d, words("GOVERNANCE and ROLE")) == 1.0
    assert relevance(d, words("nothing related")) == 0.0
    assert words("Universities, the labs!") == {"universiti", "lab"}
    assert words("governed") == words("Governance") and words("innovate") == words("innovation")


@settings(max_examples=150)
@given(lists, goals, sizes, st.randoms(use_true_random=False))
def test_the_ranking_does_not_depend_on_the_order_of_the_input(
    found: list[ContributedDivergence], goal: str, size: int, rnd
) -> None:
    shuffled = list(found)
    rnd.shuffle(shuffled)
    assert rank(found, goal, size) == rank(shuffled, goal, size)
    assert select_items(rank(found, goal, size)) == select_items(rank(shuffled, goal, size))


@settings(max_examples=150)
@given(lists, goals, sizes, st.integers(min_value=-2, max_value=10))
def test_three_to_six_items_fewer_only_when_fewer_exist_and_never_two_on_one_thing(
    found: list[ContributedDivergence], goal: str, size: int, max_items: int
) -> None:
    ranked = rank(found, goal, size)
    chosen = select_items(ranked, max_items)
    distinct = len({r.divergence.about or r.key for r in ranked})
    assert len(chosen) <= MAX_ITEMS and len(chosen) <= max(MIN_ITEMS, max_items)
    assert len(chosen) >= min(MIN_ITEMS, distinct)
    assert len({r.key for r in chosen}) == len(chosen)
    abouts = [r.divergence.about for r in chosen if r.divergence.about]
    assert len(abouts) == len(set(abouts))
    assert [r.score for r in chosen] == sorted((r.score for r in chosen), reverse=True)


@given(lists, goals, sizes)
def test_the_same_input_gives_the_same_agenda(found: list[ContributedDivergence], goal: str, size: int) -> None:
    assert select_items(rank(found, goal, size)) == select_items(rank(list(found), goal, size))
    assert all(0.0 <= r.score <= 1.0 for r in rank(found, goal, size))


@settings(max_examples=150)
@given(lists, goals, sizes, st.data())
def test_a_chosen_item_stays_chosen_when_its_spread_or_people_grow(
    found: list[ContributedDivergence], goal: str, size: int, data
) -> None:
    chosen = select_items(rank(found, goal, size))
    if not chosen:
        return
    pick = data.draw(st.sampled_from(chosen))
    original = next(c for c in found if c.plugin == pick.plugin and c.divergence is pick.divergence)
    d = original.divergence
    bigger = replace(original, divergence=replace(d, spread=min(1.0, d.spread + 0.3), people=d.people + 20))
    others = [c for c in found if c is not original]
    again = select_items(rank([*others, bigger], goal, size))
    assert pick.key in {r.key for r in again}


def test_a_divergence_on_the_goals_beats_an_equal_one_off_them() -> None:
    def item(key: str, topic: str) -> ContributedDivergence:
        return ContributedDivergence("canvas", "Canvas", Divergence(key, topic, "agreement", 40.0, "%", 0.6, 12,
                                                                    Markup(""), about=f"canvas:{key}"))

    ranked = rank([item("a", "Internationalisation"), item("b", "Funding of shared labs")],
                  "We want to agree on the funding of our labs", 40)
    assert [r.divergence.key for r in ranked] == ["b", "a"]


def test_groups_and_other_fields_do_not_change_the_score() -> None:
    base = Divergence("k", "Governance", "agreement", 40.0, "%", 0.6, 12, Markup(""))
    grouped = replace(base, groups=(DivergingGroup("sme", "lower", 4),))
    one = rank([ContributedDivergence("canvas", "Canvas", base)], "", 40)[0].score
    two = rank([ContributedDivergence("canvas", "Canvas", grouped)], "", 40)[0].score
    assert one == two
