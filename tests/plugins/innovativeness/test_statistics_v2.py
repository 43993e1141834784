"""The statistics of issue 13 on hand-computed cases: the half-answered rule,
median headline, indicative results, intervals, cluster-office staff, one
response per organisation, statement medians and internal consistency.

Driver D7 of bank 2 has five statements; D7.4 is reverse-scored. Answering
D7.1-D7.3 and D7.5 with v and D7.4 with 6 - v gives exactly (v - 1) * 25 points.
"""

from __future__ import annotations

import pytest

from plugins.innovativeness.aggregation import Respondent, aggregate_round
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.scoring import DONT_KNOW, encode_answers, score_respondent

BANK = get_bank("2")
D7 = list(BANK.driver("D7").statements)


def d7(value: int, org: str = "sme", key: str = "", office: bool = False) -> Respondent:
    answers = {s.key: (6 - value if s.reverse else value) for s in D7}
    return Respondent(org, answers, encode_answers(BANK, answers), key, office)


def test_a_driver_is_scored_only_when_half_its_statements_are_answered() -> None:
    two_of_five = {D7[0].key: 5, D7[1].key: 5, D7[2].key: DONT_KNOW}
    three_of_five = {D7[0].key: 5, D7[1].key: 5, D7[2].key: 5}
    assert score_respondent(BANK, two_of_five).drivers["D7"].score is None
    assert score_respondent(BANK, three_of_five).drivers["D7"].score == 100
    # D8 has three statements: two answered is enough, one is not
    d8 = [s.key for s in BANK.driver("D8").statements]
    assert score_respondent(BANK, {d8[0]: 4, d8[1]: 4}).drivers["D8"].score is not None
    assert score_respondent(BANK, {d8[0]: 4, d8[1]: DONT_KNOW, d8[2]: DONT_KNOW}).drivers["D8"].score is None


def test_median_is_the_headline_and_the_mean_sits_beside_it() -> None:
    results = aggregate_round(BANK, [d7(v) for v in (1, 1, 5, 5, 5)])  # 0, 0, 100, 100, 100 points
    stats = results.drivers["D7"]
    assert stats.median == 100 and stats.mean == pytest.approx(60)
    assert results.medians()["D7"] == 100 and results.means()["D7"] == pytest.approx(60)
    assert stats.low is not None and stats.low <= stats.median <= stats.high
    assert (stats.low, stats.high) == (0, 100)  # resamples of so few answers swing from end to end


def test_results_under_eight_responses_are_indicative() -> None:
    assert aggregate_round(BANK, [d7(4)] * 7).indicative
    assert not aggregate_round(BANK, [d7(4)] * 8).indicative
    assert not aggregate_round(BANK, [d7(4)] * 2).indicative  # hidden, not indicative
    assert not aggregate_round(BANK, [d7(4)] * 2).visible


def test_the_interval_is_the_same_on_every_run() -> None:
    people = [d7(v) for v in (1, 2, 3, 3, 4, 4, 4, 5, 5, 2, 3)]
    first, second = aggregate_round(BANK, people), aggregate_round(BANK, list(reversed(people)))
    assert (first.drivers["D7"].low, first.drivers["D7"].high) == (second.drivers["D7"].low, second.drivers["D7"].high)
    assert first.drivers["D7"].low <= first.drivers["D7"].median <= first.drivers["D7"].high
    assert first.drivers["D7"].low < first.drivers["D7"].high


def test_cluster_office_staff_are_counted_apart_and_shown_from_three() -> None:
    members = [d7(2)] * 4
    office = [d7(5, office=True)] * 2
    results = aggregate_round(BANK, members + office)
    assert results.respondents == 4 and results.drivers["D7"].median == 25
    assert results.office is not None and results.office.n == 2 and not results.office.visible
    assert results.office.driver_medians == {}
    three = aggregate_round(BANK, members + [d7(5, office=True)] * 3)
    assert three.office.visible and three.office.driver_medians["D7"] == 100
    assert three.drivers["D7"].median == 25


def test_one_response_per_organisation_averages_its_people() -> None:
    people = [d7(5, key="acme")] * 4 + [d7(1, key="beta"), d7(1, key="gamma"), d7(1)]
    per_person = aggregate_round(BANK, people)
    per_org = aggregate_round(BANK, people, one_per_organisation=True)
    assert per_person.respondents == 7 and per_person.drivers["D7"].median == 100
    assert per_org.respondents == 4 and per_org.people == 7
    assert per_org.drivers["D7"].median == 0  # acme 100, beta 0, gamma 0, an unnamed one 0
    mixed = aggregate_round(BANK, [d7(5, key="acme"), d7(1, key="acme"), d7(2, key="b"), d7(2, key="c")],
                            one_per_organisation=True)
    assert mixed.drivers["D7"].mean == pytest.approx((50 + 25 + 25) / 3)  # acme's two people average to 50


def test_statement_medians_reverse_the_reverse_items() -> None:
    results = aggregate_round(BANK, [d7(2)] * 3)
    assert results.statement_medians["D7.4"] == 25  # answered 4 on a reverse item: a weakness
    assert results.statement_medians["D7.1"] == 25
    assert results.statement_medians["D1.1"] is None


def test_consistency_needs_closed_rounds_and_ten_complete_answers() -> None:
    people = [d7(v) for v in (1, 2, 3, 4, 5, 1, 2, 3, 4, 5)]
    assert aggregate_round(BANK, people).drivers["D7"].alpha is None
    closed = aggregate_round(BANK, people, consistency=True).drivers["D7"]
    assert closed.alpha == pytest.approx(1.0) and closed.alpha_n == 10  # identical answers on every statement
    assert aggregate_round(BANK, people[:9], consistency=True).drivers["D7"].alpha is None
