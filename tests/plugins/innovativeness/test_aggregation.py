"""Round aggregation against hand-computed expectations.

Driver D7 of bank 1 has four statements of weight 1 and none reverse-scored,
so answering all of them with v gives exactly (v - 1) * 25 points.
"""

from __future__ import annotations

import pytest

from plugins.innovativeness.aggregation import (
    MIN_GROUP_SIZE,
    Respondent,
    aggregate_round,
    describe,
    driver_deltas,
    rank_drivers,
)
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.scoring import DONT_KNOW

BANK = get_bank("1")
D7 = [s.key for s in BANK.driver("D7").statements]


def answering_d7(value: int, org: str = "sme") -> Respondent:
    return Respondent(org, {k: value for k in D7})


def test_median_mean_and_quartiles_of_four_respondents() -> None:
    results = aggregate_round(BANK, [answering_d7(v) for v in (1, 2, 4, 5)])  # 0, 25, 75, 100 points
    d7 = results.drivers["D7"]
    assert (d7.n, d7.mean, d7.median) == (4, 50, 50)
    assert d7.q1 == pytest.approx(18.75)  # 0 + 0.75 * 25
    assert d7.q3 == pytest.approx(81.25)  # 75 + 0.25 * 25
    assert d7.iqr == pytest.approx(62.5)


def test_wide_spread_is_flagged_and_narrow_is_not() -> None:
    spread = aggregate_round(BANK, [answering_d7(v) for v in (1, 2, 4, 5)])
    agreed = aggregate_round(BANK, [answering_d7(4) for _ in range(4)])
    assert [d.driver_key for d in spread.divergences if d.wide_spread] == ["D7"]
    assert agreed.divergences == []


def test_dont_know_is_counted_but_not_scored() -> None:
    people = [answering_d7(5), answering_d7(5), answering_d7(1), Respondent("sme", {k: DONT_KNOW for k in D7})]
    d7 = aggregate_round(BANK, people).drivers["D7"]
    assert d7.n == 3
    assert d7.dont_know == 4
    assert d7.mean == pytest.approx(200 / 3)


def test_round_with_fewer_than_three_respondents_shows_nothing() -> None:
    results = aggregate_round(BANK, [answering_d7(5), answering_d7(1)])
    assert not results.visible
    assert results.overall is None
    assert results.drivers["D7"].mean is None
    assert results.strengths == results.weaknesses == []


def test_driver_with_fewer_than_three_answers_is_hidden() -> None:
    people = [answering_d7(5), answering_d7(4), Respondent("sme", {k: DONT_KNOW for k in D7})]
    results = aggregate_round(BANK, people)
    assert results.visible
    assert results.drivers["D7"].hidden
    assert results.drivers["D7"].n == 2


def test_actor_types_far_apart_are_flagged_and_small_groups_hidden() -> None:
    people = [answering_d7(5, "sme")] * 3 + [answering_d7(3, "university")] * 3 + [answering_d7(1, "startup")] * 2
    results = aggregate_round(BANK, people)
    assert [g.organisation_type for g in results.groups] == ["sme", "university"]
    assert results.hidden_group_respondents == 2
    flag = next(d for d in results.divergences if d.driver_key == "D7")
    assert flag.actor_gap and flag.gap == 50
    assert (flag.high_type, flag.low_type) == ("sme", "university")


def test_actor_types_less_than_twenty_points_apart_are_not_flagged() -> None:
    people = [answering_d7(4, "sme")] * 3 + [answering_d7(4, "university")] * 2 + [answering_d7(3, "university")]
    results = aggregate_round(BANK, people)
    flag = [d for d in results.divergences if d.driver_key == "D7"]
    assert flag == []  # gap 8.33 and an IQR of 0 or so


def test_strengths_and_weaknesses_never_overlap() -> None:
    scores = {d.key: None for d in BANK.drivers} | {"D1": 90.0, "D2": 10.0, "D3": 50.0, "D4": 70.0}
    strengths, weaknesses = rank_drivers(BANK, scores)
    assert strengths == ["D1", "D4", "D3"]
    assert weaknesses == ["D2"]


def test_ties_put_the_heavier_driver_first() -> None:
    scores = {d.key: None for d in BANK.drivers} | {"D4": 20.0, "D3": 20.0, "D8": 20.0}  # weights 0.9, 1.3, 0.8
    strengths, _ = rank_drivers(BANK, scores, count=3)
    assert strengths == ["D3", "D4", "D8"]


def test_deltas_compare_drivers_present_in_both_rounds() -> None:
    assert driver_deltas({"D1": 60.0, "D2": 40.0, "D3": None}, {"D1": 50.0, "D3": 20.0}) == {
        "D1": 10.0,
        "D2": None,
        "D3": None,
    }


def test_describe_of_a_single_value() -> None:
    assert describe([42.0]) == (42.0, 42.0, 42.0, 42.0)


def test_minimum_group_size_is_three() -> None:
    assert MIN_GROUP_SIZE == 3
