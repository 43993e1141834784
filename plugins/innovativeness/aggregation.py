"""Round results from many respondents: per-driver statistics, actor-type
breakdown, divergence flags, strengths, weaknesses and deltas.

Pure functions over plain data, so the same code serves the page, the exports,
the reports and the benchmark. Anything computed from fewer than
``MIN_GROUP_SIZE`` respondents is withheld, so no individual can be singled out.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from core.api import MIN_GROUP_SIZE  # noqa: F401 (re-exported: the one floor shared with every tool)
from plugins.innovativeness.bank import QuestionBank
from plugins.innovativeness.scoring import clamp, driver_scores, driver_scores_from_codes, overall_index

WIDE_SPREAD_IQR = 25.0  # one step of the 1-5 scale, in points
ACTOR_GAP = 20.0


@dataclass(frozen=True)
class Respondent:
    """One submitted questionnaire: who answered (as an actor type) and what."""

    organisation_type: str
    answers: Mapping[str, int]
    #: The same answers encoded by ``scoring.encode_answers`` (faster), or "".
    codes: str = ""


@dataclass(frozen=True)
class DriverStats:
    driver_key: str
    n: int
    dont_know: int
    mean: float | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None

    @property
    def hidden(self) -> bool:
        return self.mean is None

    @property
    def iqr(self) -> float | None:
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1


@dataclass(frozen=True)
class GroupStats:
    """Mean driver scores of one actor type (only groups of MIN_GROUP_SIZE or more)."""

    organisation_type: str
    n: int
    driver_means: dict[str, float | None]
    overall: float | None


@dataclass(frozen=True)
class Divergence:
    driver_key: str
    iqr: float | None
    wide_spread: bool
    gap: float | None
    high_type: str | None
    low_type: str | None

    @property
    def actor_gap(self) -> bool:
        return self.gap is not None and self.gap >= ACTOR_GAP


@dataclass(frozen=True)
class RoundResults:
    respondents: int
    drivers: dict[str, DriverStats]
    overall: float | None
    groups: list[GroupStats] = field(default_factory=list)
    hidden_group_respondents: int = 0
    divergences: list[Divergence] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        return self.respondents >= MIN_GROUP_SIZE

    def means(self) -> dict[str, float | None]:
        return {k: d.mean for k, d in self.drivers.items()}


def describe(values: Sequence[float]) -> tuple[float, float, float, float]:
    """(mean, median, first quartile, third quartile); quartiles interpolate
    linearly between the sorted values (the "inclusive" method)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        v = ordered[0]
        return v, v, v, v
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return clamp(statistics.fmean(ordered)), clamp(median), clamp(q1), clamp(q3)


def rank_drivers(bank: QuestionBank, scores: Mapping[str, float | None], count: int = 3) -> tuple[list[str], list[str]]:
    """Top and bottom drivers by score; on a tie the heavier driver comes first.

    A driver is never listed as both a strength and a weakness.
    """
    scored = [d for d in bank.drivers if scores.get(d.key) is not None]
    order = {d.key: i for i, d in enumerate(bank.drivers)}
    best = sorted(scored, key=lambda d: (-scores[d.key], -d.weight, order[d.key]))  # type: ignore[operator]
    strengths = [d.key for d in best[:count]]
    worst = sorted(scored, key=lambda d: (scores[d.key], -d.weight, order[d.key]))  # type: ignore[operator]
    weaknesses = [d.key for d in worst if d.key not in strengths][:count]
    return strengths, weaknesses


def aggregate_round(bank: QuestionBank, respondents: Iterable[Respondent]) -> RoundResults:
    """Everything the results page shows, from the submitted questionnaires."""
    per_driver: dict[str, list[float]] = {d.key: [] for d in bank.drivers}
    dont_know: dict[str, int] = {d.key: 0 for d in bank.drivers}
    by_type: dict[str, list[dict[str, float | None]]] = {}
    count = 0
    for respondent in respondents:
        count += 1
        flat = {}
        if respondent.codes and len(respondent.codes) == len(bank.statements):
            scores = driver_scores_from_codes(bank, respondent.codes)
        else:
            scores = driver_scores(bank, respondent.answers)
        for key, score, _answered, unknown in scores:
            dont_know[key] += unknown
            flat[key] = score
            if score is not None:
                per_driver[key].append(score)
        by_type.setdefault(respondent.organisation_type, []).append(flat)
    if count < MIN_GROUP_SIZE:
        return RoundResults(count, {k: DriverStats(k, len(v), dont_know[k]) for k, v in per_driver.items()}, None)

    drivers = {key: _driver_stats(key, values, dont_know[key]) for key, values in per_driver.items()}
    means = {k: d.mean for k, d in drivers.items()}
    groups, hidden = _group_stats(bank, by_type)
    strengths, weaknesses = rank_drivers(bank, means)
    return RoundResults(
        respondents=count,
        drivers=drivers,
        overall=overall_index(bank, means),
        groups=groups,
        hidden_group_respondents=hidden,
        divergences=_divergences(bank, drivers, groups),
        strengths=strengths,
        weaknesses=weaknesses,
    )


def _driver_stats(key: str, values: list[float], dont_know: int) -> DriverStats:
    if len(values) < MIN_GROUP_SIZE:
        return DriverStats(key, len(values), dont_know)
    mean, median, q1, q3 = describe(values)
    return DriverStats(key, len(values), dont_know, mean, median, q1, q3)


def _group_stats(
    bank: QuestionBank, by_type: dict[str, list[dict[str, float | None]]]
) -> tuple[list[GroupStats], int]:
    groups: list[GroupStats] = []
    hidden = 0
    for org_type in sorted(by_type):
        rows = by_type[org_type]
        if len(rows) < MIN_GROUP_SIZE:
            hidden += len(rows)
            continue
        means: dict[str, float | None] = {}
        for driver in bank.drivers:
            values = [r[driver.key] for r in rows if r[driver.key] is not None]
            means[driver.key] = clamp(statistics.fmean(values)) if len(values) >= MIN_GROUP_SIZE else None
        groups.append(GroupStats(org_type, len(rows), means, overall_index(bank, means)))
    return groups, hidden


def _divergences(bank: QuestionBank, drivers: dict[str, DriverStats], groups: list[GroupStats]) -> list[Divergence]:
    """Flag drivers where members disagree: a wide spread, or actor types far apart."""
    found: list[Divergence] = []
    for driver in bank.drivers:
        stats = drivers[driver.key]
        iqr = stats.iqr
        wide = iqr is not None and iqr >= WIDE_SPREAD_IQR
        scored = [(g.driver_means[driver.key], g.organisation_type) for g in groups if g.driver_means[driver.key] is not None]
        gap = high = low = None
        if len(scored) >= 2:
            top, bottom = max(scored), min(scored)
            gap, high, low = top[0] - bottom[0], top[1], bottom[1]  # type: ignore[operator]
        divergence = Divergence(driver.key, iqr, wide, gap, high, low)
        if divergence.wide_spread or divergence.actor_gap:
            found.append(divergence)
    found.sort(key=lambda d: -max(d.iqr or 0.0, d.gap or 0.0))
    return found


def driver_deltas(current: Mapping[str, float | None], previous: Mapping[str, float | None]) -> dict[str, float | None]:
    """Change of each driver's score since the previous round (None where either is missing)."""
    return {
        key: (value - previous[key]) if value is not None and previous.get(key) is not None else None  # type: ignore[operator]
        for key, value in current.items()
    }
