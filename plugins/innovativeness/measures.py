"""Uncertainty and data-quality measures of round results: a bootstrap
interval for a median, and Cronbach's alpha for a driver's statements.

Pure functions over plain numbers, seeded where random, so the same answers
always give the same figures (on the page, in the PDF and in reports).
"""

from __future__ import annotations

import math
import random
from functools import lru_cache
from typing import Sequence

from plugins.innovativeness.thresholds import INTERVAL_LEVEL


#: Bootstrap resamples per interval; the cost of one does not depend on n.
RESAMPLES = 1000


def bootstrap_median_interval(
    values: Sequence[float], level: float = INTERVAL_LEVEL, resamples: int | None = None, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap interval for the median of ``values``.

    Each of ``resamples`` bootstrap samples draws n values with replacement
    and takes their median (``statistics.median``: the mean of the two middle
    values for an even count); the interval is the (1 - level) / 2 and
    (1 + level) / 2 quantiles of those medians, read as order statistics.
    Source: Efron, B. & Tibshirani, R. J. (1993). An Introduction to the
    Bootstrap, ch. 13 (the percentile interval). Chapman & Hall.

    Only the middle draws of a sample decide its median, so they are drawn
    directly rather than all n: the k-th smallest of n uniform draws follows
    a Beta(k, n - k + 1) law, and the next one is the smallest of the n - k
    draws above it. This gives the same bootstrap distribution as drawing n
    values, at a cost that does not grow with n (Devroye, L. (1986).
    Non-Uniform Random Variate Generation, ch. 1.4, order statistics). The
    draws come from a seeded ``random.Random``, so the result is
    deterministic, and the values are sorted first, so their order does not
    matter.

    Units are those of ``values`` (here points 0-100). Raises ``ValueError``
    for an empty sequence or a level outside (0, 1).

    Worked example: for the two values (20, 80), a resample's median is 20
    with probability 1/4, 50 with 1/2 and 80 with 1/4, so the 90 % interval
    is (20, 80).
    """
    if not values:
        raise ValueError("no values to resample")
    if not 0 < level < 1:
        raise ValueError(f"level must lie between 0 and 1, got {level!r}")
    data = sorted(values)
    count = resamples or RESAMPLES
    medians = sorted((data[a] + data[b]) / 2 for a, b in _middle_ranks(len(data), count, seed))
    low_index = math.floor((1 - level) / 2 * count)
    high_index = max(low_index, math.ceil((1 + level) / 2 * count) - 1)
    return medians[low_index], medians[min(high_index, count - 1)]


@lru_cache(maxsize=64)
def _middle_ranks(n: int, count: int, seed: int) -> tuple[tuple[int, int], ...]:
    """For each resample, the 0-based ranks (in the sorted data) of the two
    values whose mean is its median (the same rank twice when n is odd).
    Depends only on n, so drivers answered by as many people share it."""
    rng = random.Random(seed)  # noqa: S311 - a seeded, reproducible resample, not a secret
    k = (n + 1) // 2  # 1-based rank of the (lower) middle draw
    ranks = []
    for _ in range(count):
        u = rng.betavariate(k, n - k + 1)
        lower = min(int(u * n), n - 1)
        if n % 2:
            ranks.append((lower, lower))
            continue
        above = u + (1 - u) * (1 - rng.random() ** (1 / (n - k)))
        ranks.append((lower, min(int(above * n), n - 1)))
    return tuple(ranks)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of k items answered by n respondents (one row each).

        alpha = k / (k - 1) * (1 - sum of the item variances / variance of the row totals)

    with sample variances (n - 1 in the denominator; the choice cancels out).
    Source: Cronbach, L. J. (1951). Coefficient alpha and the internal
    structure of tests. Psychometrika 16(3), 297-334. doi:10.1007/BF02310555.

    Rows must be complete (every item answered, reverse items already
    reversed). Returns None when alpha is undefined: fewer than 2 items or 2
    rows, or totals that do not vary. Raises ``ValueError`` for rows of
    unequal length. Alpha is at most 1 and can be negative when items
    contradict each other.

    Worked example: the rows (1, 2, 2), (2, 3, 3), (3, 3, 4), (4, 4, 5) have
    item variances 5/3, 2/3 and 5/3 (sum 4) and total variance 34/3, so
    alpha = 3/2 * (1 - 12/34) = 33/34, about 0.97.
    """
    if len(rows) < 2:
        return None
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise ValueError("every row must hold the same number of items")
    if k < 2:
        return None
    item_variance = math.fsum(_variance([row[i] for row in rows]) for i in range(k))
    total_variance = _variance([math.fsum(row) for row in rows])
    if total_variance <= 1e-12 * max(1.0, item_variance):
        return None
    return k / (k - 1) * (1 - item_variance / total_variance)


def _variance(values: Sequence[float]) -> float:
    """Sample variance in floating point, two-pass (``statistics.variance``
    is exact but far slower for a thousand respondents)."""
    mean = math.fsum(values) / len(values)
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)
