"""The bootstrap interval and Cronbach's alpha, against textbook results and
as properties that must hold for any data (hypothesis)."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.innovativeness.measures import bootstrap_median_interval, cronbach_alpha

points = st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0, 12.5, 37.5, 62.5, 87.5])
samples = st.lists(points, min_size=1, max_size=40)


def _alpha_from_covariances(rows: list[list[float]]) -> float:
    """The same coefficient written with the covariance matrix C of the items:
    alpha = k/(k-1) * (1 - trace(C) / sum(C)) (Cronbach 1951, eq. 2 form)."""
    k, n = len(rows[0]), len(rows)
    means = [statistics.fmean(r[i] for r in rows) for i in range(k)]
    cov = [[sum((r[i] - means[i]) * (r[j] - means[j]) for r in rows) / (n - 1) for j in range(k)] for i in range(k)]
    return k / (k - 1) * (1 - sum(cov[i][i] for i in range(k)) / sum(map(sum, cov)))


# -- Cronbach's alpha -------------------------------------------------------

def test_alpha_of_the_worked_example_is_33_over_34() -> None:
    assert cronbach_alpha([(1, 2, 2), (2, 3, 3), (3, 3, 4), (4, 4, 5)]) == pytest.approx(33 / 34)


def test_alpha_of_parallel_items_follows_the_spearman_brown_formula() -> None:
    """Textbook identity: k items with equal variances and equal pairwise
    correlation r have alpha = k r / (1 + (k - 1) r). Items a+b, a+c, b+c of
    three uncorrelated balanced variables have r = 1/2, so alpha = 3/4 (k = 3)."""
    signs = [(a, b, c) for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)]  # uncorrelated, equal variance
    rows = [(a + b, a + c, b + c) for a, b, c in signs]
    assert cronbach_alpha(rows) == pytest.approx(3 * 0.5 / (1 + 2 * 0.5))


def test_alpha_is_one_for_identical_items_and_undefined_without_variance() -> None:
    assert cronbach_alpha([(1, 1), (3, 3), (5, 5)]) == pytest.approx(1.0)
    assert cronbach_alpha([(2, 2, 2), (2, 2, 2)]) is None
    assert cronbach_alpha([(1, 2)]) is None
    assert cronbach_alpha([(1,), (2,), (3,)]) is None
    with pytest.raises(ValueError):
        cronbach_alpha([(1, 2), (1, 2, 3)])


matrices = st.integers(min_value=2, max_value=5).flatmap(
    lambda k: st.lists(st.lists(st.integers(min_value=1, max_value=5), min_size=k, max_size=k), min_size=2, max_size=25)
)


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_alpha_matches_the_covariance_form_and_never_exceeds_one(rows: list[list[int]]) -> None:
    alpha = cronbach_alpha(rows)
    if alpha is None:
        assert statistics.variance([sum(r) for r in rows]) == 0
        return
    assert alpha <= 1 + 1e-9
    assert alpha == pytest.approx(_alpha_from_covariances([[float(v) for v in r] for r in rows]), abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(matrices, st.integers(min_value=-3, max_value=3), st.randoms(use_true_random=False))
def test_alpha_ignores_item_shifts_and_the_order_of_items_and_respondents(rows, shift, rnd) -> None:  # type: ignore[no-untyped-def]
    alpha = cronbach_alpha(rows)
    shifted = [[v + shift * (i + 1) for i, v in enumerate(r)] for r in rows]
    permuted = [list(r) for r in rows]
    rnd.shuffle(permuted)
    order = list(range(len(rows[0])))
    rnd.shuffle(order)
    permuted = [[r[i] for i in order] for r in permuted]
    for other in (cronbach_alpha(shifted), cronbach_alpha(permuted)):
        assert (alpha is None and other is None) or other == pytest.approx(alpha, abs=1e-9)


# -- bootstrap interval of the median ---------------------------------------

def test_interval_of_two_values_spans_both() -> None:
    """Resample medians of (20, 80) are 20, 50 or 80 with probabilities 1/4,
    1/2, 1/4: the 5th and 95th percentiles are 20 and 80."""
    assert bootstrap_median_interval([20.0, 80.0]) == (20.0, 80.0)


def test_interval_agrees_with_the_large_sample_formula() -> None:
    """For 101 evenly spread values the median's standard error is about
    1 / (2 f sqrt(n)) with density f = 1/101, i.e. 5.0; a 90 % interval is
    then 50 +/- 1.645 x 5.0 = (41.7, 58.3)."""
    se = 101 / (2 * math.sqrt(101))
    low, high = bootstrap_median_interval([float(v) for v in range(101)], seed=11)
    assert low == pytest.approx(50 - 1.645 * se, abs=2.5)
    assert high == pytest.approx(50 + 1.645 * se, abs=2.5)


def test_interval_is_deterministic_for_a_seed_and_refuses_bad_input() -> None:
    values = [0.0, 25.0, 50.0, 50.0, 75.0, 100.0, 75.0]
    assert bootstrap_median_interval(values, seed=7) == bootstrap_median_interval(values, seed=7)
    with pytest.raises(ValueError):
        bootstrap_median_interval([])
    with pytest.raises(ValueError):
        bootstrap_median_interval(values, level=1.5)


@settings(max_examples=60, deadline=None)
@given(samples, st.integers(min_value=0, max_value=2**31))
def test_interval_is_ordered_and_inside_the_data(values: list[float], seed: int) -> None:
    low, high = bootstrap_median_interval(values, resamples=200, seed=seed)
    assert min(values) <= low <= high <= max(values)
    if len(set(values)) == 1:
        assert low == high == values[0]


@settings(max_examples=60, deadline=None)
@given(samples, st.sampled_from([-40.0, -5.0, 3.0, 20.0]), st.integers(min_value=0, max_value=2**31))
def test_interval_moves_with_a_shift_of_the_data(values: list[float], shift: float, seed: int) -> None:
    low, high = bootstrap_median_interval(values, resamples=200, seed=seed)
    moved = bootstrap_median_interval([v + shift for v in values], resamples=200, seed=seed)
    assert moved == pytest.approx((low + shift, high + shift))


def test_the_shortcut_gives_the_same_interval_as_resampling_every_value() -> None:
    """Drawing only the middle ranks (Beta order statistics) must match the
    plain bootstrap that draws all n values, up to Monte Carlo error."""
    import random

    rng = random.Random(5)
    data = sorted(rng.choice([0.0, 25.0, 50.0, 62.5, 75.0, 100.0]) for _ in range(40))
    plain = sorted(statistics.median(rng.choices(data, k=len(data))) for _ in range(20_000))
    assert bootstrap_median_interval(data, resamples=20_000) == (plain[1000], plain[18_999])
