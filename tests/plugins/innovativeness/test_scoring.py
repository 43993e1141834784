"""Scores of one respondent, checked against values computed by hand.

Bank version 1, driver D1: statements D1.1 (weight 1.5), D1.2, D1.3 (weight 1)
and D1.4 (weight 1, reverse-scored). Points: (answer - 1) * 25, reversed as
(6 - answer - 1) * 25.
"""

from __future__ import annotations

import pytest

from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.scoring import DONT_KNOW, overall_index, score_respondent, statement_points

BANK = get_bank("1")


def test_points_map_the_scale_onto_0_to_100() -> None:
    assert [statement_points(v, False) for v in range(1, 6)] == [0, 25, 50, 75, 100]


def test_reverse_scored_statement_flips_the_scale() -> None:
    assert [statement_points(v, True) for v in range(1, 6)] == [100, 75, 50, 25, 0]


def test_dont_know_has_no_points() -> None:
    with pytest.raises(ValueError):
        statement_points(DONT_KNOW, False)


def test_driver_score_weights_statements_reverses_and_skips_dont_know() -> None:
    answers = {"D1.1": 5, "D1.2": 3, "D1.3": DONT_KNOW, "D1.4": 2}
    d1 = score_respondent(BANK, answers).drivers["D1"]
    # (1.5*100 + 1*50 + 1*75) / (1.5 + 1 + 1) = 275 / 3.5
    assert d1.score == pytest.approx(78.5714, abs=1e-3)
    assert d1.answered == 3
    assert d1.dont_know == 1


def test_driver_with_only_dont_know_has_no_score() -> None:
    answers = {k: DONT_KNOW for k in ("D2.1", "D2.2", "D2.3", "D2.4")}
    d2 = score_respondent(BANK, answers).drivers["D2"]
    assert d2.score is None
    assert d2.dont_know == 4


def test_overall_index_weights_drivers_and_ignores_unscored_ones() -> None:
    # D1 weight 1.2 at 100, D4 weight 0.9 at 0, everything else unscored.
    scores = {d.key: None for d in BANK.drivers} | {"D1": 100.0, "D4": 0.0}
    assert overall_index(BANK, scores) == pytest.approx(120 / 2.1)


def test_overall_index_of_nothing_is_none() -> None:
    assert score_respondent(BANK, {}).overall is None


def test_agreeing_with_everything_is_not_a_perfect_score() -> None:
    """Reverse-scored statements punish acquiescence: all 5s cannot reach 100."""
    result = score_respondent(BANK, {s.key: 5 for s in BANK.statements})
    assert result.drivers["D1"].score == pytest.approx(350 / 4.5)
    assert result.drivers["D7"].score == 100  # D7 has no reverse-scored statement
    assert result.overall < 100



def test_precomputed_scoring_plan_follows_the_points_formula() -> None:
    """The bank's fast lookup tables must agree with statement_points everywhere."""
    by_key = {s.key: s for s in BANK.statements}
    for _driver, statements in BANK.scoring_plan:
        for key, weight, points in statements:
            assert weight == by_key[key].weight
            assert list(points[1:]) == [statement_points(v, by_key[key].reverse) for v in range(1, 6)]
