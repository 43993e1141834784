"""Properties of the workshop timetable, and the agenda's words, exercises and participants."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from core.api import Divergence, DivergingGroup
from engagements.briefs.agenda import (
    DOT_VOTING,
    FISHBOWL,
    MIN_ITEM_MINUTES,
    ONE_TWO_FOUR_ALL,
    PAIRWISE,
    exercise_for,
    participants_for,
    timetable_for,
    who_diverges,
)
from engagements.briefs.draft import AgendaItem


def item(n: int, minutes: int = 20) -> AgendaItem:
    return AgendaItem(f"canvas:{n}", f"Item {n}", "Q?", "<p>e</p>", "", "Fishbowl", minutes, "A decision")


agendas = st.lists(st.integers(min_value=0, max_value=240), max_size=6).map(
    lambda minutes: [item(i, m) for i, m in enumerate(minutes)]
)


def _feasible(items: list[AgendaItem], length: int) -> bool:
    try:
        timetable_for(items, length)
    except ValueError:
        return False
    return True


@given(agendas, st.integers(min_value=1, max_value=600))
def test_the_timetable_fills_the_length_in_order_without_overlap_and_holds_every_item(
    items: list[AgendaItem], length: int
) -> None:
    try:
        slots = timetable_for(items, length)
    except ValueError as exc:
        assert "cannot hold" in str(exc) or "at least one minute" in str(exc)
        assert length < 65 + MIN_ITEM_MINUTES * max(len(items), 1)  # only short days are refused
        return
    assert sum(s.minutes for s in slots) == length
    assert slots[0].start_minute == 0
    for before, after in pairwise(slots):
        assert after.start_minute == before.start_minute + before.minutes
    assert all(s.minutes > 0 for s in slots)
    assert [s.agenda_key for s in slots if s.agenda_key] == [i.key for i in items]
    assert all(s.minutes >= MIN_ITEM_MINUTES for s in slots if s.agenda_key)
    assert slots[0].label.startswith("Opening") and slots[-1].label.startswith("Closing")
    assert any(s.label == "Break" for s in slots) == (length > 120)


@given(agendas, st.integers(min_value=1, max_value=600))
def test_re_timing_a_fitted_agenda_changes_nothing(items: list[AgendaItem], length: int) -> None:
    if not _feasible(items, length):
        return
    slots = timetable_for(items, length)
    minutes = {s.agenda_key: s.minutes for s in slots if s.agenda_key}
    fitted = [replace(i, minutes=minutes[i.key]) for i in items]
    assert timetable_for(fitted, length) == slots


def test_sixty_minutes_hold_six_items_and_thirty_minutes_are_refused_clearly() -> None:
    slots = timetable_for([item(i) for i in range(6)], 60)
    assert sum(s.minutes for s in slots) == 60 and len([s for s in slots if s.agenda_key]) == 6
    with pytest.raises(ValueError, match="30 minutes cannot hold 6 agenda items"):
        timetable_for([item(i) for i in range(6)], 30)
    with pytest.raises(ValueError):
        timetable_for([item(1)], 0)


def test_a_half_day_gets_a_break_in_the_middle_and_longer_items_keep_their_proportion() -> None:
    slots = timetable_for([item(1, 30), item(2, 20), item(3, 20), item(4, 30)], 210)
    labels = [s.label for s in slots]
    assert labels.index("Break") == 3  # opening, two items, break, two items, closing
    by_key = {s.agenda_key: s.minutes for s in slots if s.agenda_key}
    assert by_key["canvas:1"] > by_key["canvas:2"]


def _divergence(*groups: DivergingGroup, measure: str = "agreement") -> Divergence:
    return Divergence("k", "Governance", measure, 40.0, "%", 0.6, 12, Markup(""), groups=groups)


def test_the_exercise_follows_the_kind_of_divergence() -> None:
    assert exercise_for(_divergence(DivergingGroup("sme", "lower", 4))) is FISHBOWL
    assert exercise_for(_divergence(DivergingGroup("sme", "apart", 4))) is PAIRWISE
    assert exercise_for(_divergence()) is DOT_VOTING
    assert exercise_for(_divergence(measure="interquartile range")) is ONE_TWO_FOUR_ALL


def test_who_diverges_is_said_in_words_with_the_groups_and_their_direction() -> None:
    text = who_diverges(_divergence(DivergingGroup("university", "higher", 5, "median 75 against 50"),
                                    DivergingGroup("sme", "lower", 4)))
    assert text == "University members (5) rate it higher (median 75 against 50); SME members (4) rate it lower."
    assert "no single actor type stands apart" in who_diverges(_divergence())


def test_every_diverging_actor_type_is_a_required_participant() -> None:
    a = _divergence(DivergingGroup("university", "higher", 5), DivergingGroup("sme", "lower", 4))
    b = _divergence(DivergingGroup("sme", "apart", 3))
    people = participants_for([(item(1), a), (item(2), b)], ["sme", "university", "investor"])
    required = {p.actor_type: p.reason for p in people if p.required}
    assert required == {"SME": "Stands apart on “Item 1”, “Item 2”", "University": "Stands apart on “Item 1”"}
    optional = [p.actor_type for p in people if not p.required]
    assert optional == ["Cluster manager", "Investor"]
