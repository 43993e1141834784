"""Properties that must hold for any answers (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.innovativeness.aggregation import Respondent, aggregate_round
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.scoring import score_respondent

BANK = get_bank("1")
KEYS = [s.key for s in BANK.statements]

answer_sets = st.dictionaries(st.sampled_from(KEYS), st.integers(min_value=0, max_value=5))
respondents = st.builds(Respondent, st.sampled_from(["sme", "university", "startup", "investor"]), answer_sets)


@given(answer_sets)
def test_every_score_stays_within_0_and_100(answers: dict[str, int]) -> None:
    result = score_respondent(BANK, answers)
    for driver in result.drivers.values():
        assert driver.score is None or 0 <= driver.score <= 100
    assert result.overall is None or 0 <= result.overall <= 100


@settings(max_examples=40, deadline=None)
@given(st.lists(respondents, min_size=0, max_size=12), st.randoms(use_true_random=False))
def test_aggregation_does_not_depend_on_answer_order(people: list[Respondent], rnd) -> None:
    shuffled = list(people)
    rnd.shuffle(shuffled)
    assert aggregate_round(BANK, people) == aggregate_round(BANK, shuffled)


@settings(max_examples=40, deadline=None)
@given(st.lists(respondents, min_size=3, max_size=12))
def test_round_statistics_stay_within_0_and_100(people: list[Respondent]) -> None:
    results = aggregate_round(BANK, people)
    for stats in results.drivers.values():
        for value in (stats.mean, stats.median, stats.q1, stats.q3):
            assert value is None or 0 <= value <= 100
    assert results.overall is None or 0 <= results.overall <= 100


@settings(max_examples=60, deadline=None)
@given(st.lists(respondents, min_size=0, max_size=10))
def test_compact_codes_give_the_same_results_as_the_json_answers(people: list[Respondent]) -> None:
    from plugins.innovativeness.scoring import encode_answers

    encoded = [Respondent(p.organisation_type, {}, encode_answers(BANK, p.answers)) for p in people]
    assert aggregate_round(BANK, encoded) == aggregate_round(BANK, people)
