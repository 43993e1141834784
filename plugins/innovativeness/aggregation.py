"""Round results from many respondents: per-driver statistics, actor-type
breakdown, divergence flags, strengths, weaknesses and deltas.

Pure functions over plain data, so the same code serves the page, the exports,
the reports and the benchmark. Anything computed from fewer than
``MIN_GROUP_SIZE`` respondents is withheld, so no individual can be singled out.

The scale is ordinal, so the median is the headline figure and the mean is
shown beside it; each driver's median carries a bootstrap interval. Answers of
cluster-office staff are kept apart from the members' (they describe their own
work), and a round may count one response per member organisation. Every
threshold is in ``thresholds``.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from plugins.innovativeness.bank import QuestionBank
from plugins.innovativeness.measures import bootstrap_median_interval, cronbach_alpha
from plugins.innovativeness.scoring import (
    UNANSWERED_CODE,
    clamp,
    driver_scores,
    driver_scores_from_codes,
    encode_answers,
    overall_index,
)
from plugins.innovativeness.thresholds import (
    ACTOR_GAP,
    INDICATIVE_BELOW,
    MIN_CONSISTENCY_RESPONDENTS,
    MIN_GROUP_SIZE,
    WIDE_SPREAD_IQR,
)

__all__ = [
    "ACTOR_GAP",
    "MIN_GROUP_SIZE",
    "WIDE_SPREAD_IQR",
    "Divergence",
    "DriverStats",
    "GroupStats",
    "OfficeStats",
    "Respondent",
    "RoundResults",
    "aggregate_round",
    "counted_units",
    "describe",
    "driver_deltas",
    "rank_drivers",
]


@dataclass(frozen=True)
class Respondent:
    """One submitted questionnaire: who answered (as an actor type) and what."""

    organisation_type: str
    answers: Mapping[str, int]
    #: The same answers encoded by ``scoring.encode_answers`` (faster), or "".
    codes: str = ""
    #: Opaque key of the member organisation ("" when unknown: counted alone).
    organisation_key: str = ""
    #: Staff of the cluster organisation, whose answers are shown separately.
    cluster_office: bool = False


@dataclass(frozen=True)
class DriverStats:
    driver_key: str
    n: int
    dont_know: int
    mean: float | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    #: Bootstrap interval of the median (``thresholds.INTERVAL_LEVEL``), points.
    low: float | None = None
    high: float | None = None
    #: Cronbach's alpha over respondents who answered every statement (closed rounds only).
    alpha: float | None = None
    alpha_n: int = 0

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
class OfficeStats:
    """Cluster-office staff's own view: driver medians once MIN_GROUP_SIZE answered."""

    n: int
    driver_medians: dict[str, float | None]

    @property
    def visible(self) -> bool:
        return self.n >= MIN_GROUP_SIZE


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
    #: Responses counted: people, or member organisations when ``one_per_organisation``.
    respondents: int
    drivers: dict[str, DriverStats]
    #: Index of the driver means (the mean figure shown beside the median).
    overall: float | None
    groups: list[GroupStats] = field(default_factory=list)
    hidden_group_respondents: int = 0
    divergences: list[Divergence] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)
    #: Median of the respondents' overall indices: the headline figure.
    overall_median: float | None = None
    #: Median points per statement (reverse items reversed); None under MIN_GROUP_SIZE answers.
    statement_medians: dict[str, float | None] = field(default_factory=dict)
    office: OfficeStats | None = None
    one_per_organisation: bool = False
    #: People whose questionnaires were counted (members only, office staff excluded).
    people: int = 0
    #: Whether internal consistency was computed (closed rounds).
    consistency: bool = False

    @property
    def visible(self) -> bool:
        return self.respondents >= MIN_GROUP_SIZE

    @property
    def indicative(self) -> bool:
        """Shown but to be read as indicative: fewer than INDICATIVE_BELOW responses."""
        return self.visible and self.respondents < INDICATIVE_BELOW

    def means(self) -> dict[str, float | None]:
        return {k: d.mean for k, d in self.drivers.items()}

    def medians(self) -> dict[str, float | None]:
        return {k: d.median for k, d in self.drivers.items()}


def describe(values: Sequence[float]) -> tuple[float, float, float, float]:
    """(mean, median, first quartile, third quartile); quartiles interpolate
    linearly between the sorted values (the "inclusive" method)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        v = ordered[0]
        return v, v, v, v
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return clamp(statistics.fmean(ordered)), clamp(median), clamp(q1), clamp(q3)


def rank_drivers(
    bank: QuestionBank,
    scores: Mapping[str, float | None],
    count: int = 3,
    tiebreak: Mapping[str, float | None] | None = None,
) -> tuple[list[str], list[str]]:
    """Top and bottom drivers by score; on a tie the ``tiebreak`` score (for
    example the mean beside a median) decides, then the heavier driver.

    A driver is never listed as both a strength and a weakness.
    """
    scored = [d for d in bank.drivers if scores.get(d.key) is not None]
    order = {d.key: i for i, d in enumerate(bank.drivers)}
    second = {k: (v if v is not None else 0.0) for k, v in (tiebreak or {}).items()}
    best = sorted(scored, key=lambda d: (-scores[d.key], -second.get(d.key, 0.0), -d.weight, order[d.key]))  # type: ignore[operator]
    strengths = [d.key for d in best[:count]]
    worst = sorted(scored, key=lambda d: (scores[d.key], second.get(d.key, 0.0), -d.weight, order[d.key]))  # type: ignore[operator]
    weaknesses = [d.key for d in worst if d.key not in strengths][:count]
    return strengths, weaknesses


@dataclass
class _Unit:
    """One counted response: a person, or a member organisation's people merged."""

    organisation_type: str
    drivers: dict[str, float | None]
    statements: list[float | None]


def _statement_points(bank: QuestionBank, respondent: Respondent) -> list[float | None]:
    """Points per statement in bank order (None for "don't know" or blank)."""
    tables = bank.points_by_position
    codes = _codes_of(bank, respondent)
    return [None if code in (UNANSWERED_CODE, "0") else table[ord(code) - 48] for code, table in zip(codes, tables, strict=True)]


def _codes_of(bank: QuestionBank, respondent: Respondent) -> str:
    if respondent.codes and len(respondent.codes) == len(bank.statements):
        return respondent.codes
    return encode_answers(bank, respondent.answers)


def _statement_medians_from_codes(bank: QuestionBank, people: list[Respondent]) -> dict[str, float | None]:
    """Median points per statement, counted per answer code (the code strings
    are transposed in C, so a thousand respondents cost a few milliseconds)."""
    out: dict[str, float | None] = {}
    columns = zip(*(_codes_of(bank, p) for p in people), strict=True) if people else iter(())
    for statement, table, column in zip(bank.statements, bank.points_by_position, columns, strict=False):
        counts = Counter(column)
        scored = sorted((table[int(code)], counts[code]) for code in "12345" if counts[code])
        out[statement.key] = _median_of_counts(scored)
    for statement in bank.statements:
        out.setdefault(statement.key, None)
    return out


def _median_of_counts(pairs: list[tuple[float, int]]) -> float | None:
    """Median of sorted (value, count) pairs; None under MIN_GROUP_SIZE values."""
    total = sum(c for _, c in pairs)
    if total < MIN_GROUP_SIZE:
        return None
    def nth(rank: int) -> float:  # 0-based rank in the sorted values
        seen = 0
        for value, count in pairs:
            seen += count
            if rank < seen:
                return value
        return pairs[-1][0]
    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def _merge(people: list[_Unit], bank: QuestionBank) -> _Unit:
    """An organisation's response: the mean of its people's scores per driver
    and per statement; its actor type is the most common among them."""
    def mean(values: Iterable[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return statistics.fmean(present) if present else None

    kind = Counter(p.organisation_type for p in people).most_common(1)[0][0]
    drivers = {d.key: mean(p.drivers[d.key] for p in people) for d in bank.drivers}
    statements = [mean(p.statements[i] for p in people) for i in range(len(bank.statements))]
    return _Unit(kind, drivers, statements)


def aggregate_round(
    bank: QuestionBank,
    respondents: Iterable[Respondent],
    one_per_organisation: bool = False,
    consistency: bool = False,
) -> RoundResults:
    """Everything the results page shows, from the submitted questionnaires.

    ``one_per_organisation`` counts each member organisation once (the mean
    of its people's scores); ``consistency`` adds Cronbach's alpha per driver,
    computed over individual respondents (meant for closed rounds).
    """
    members: list[tuple[Respondent, _Unit]] = []
    office: list[_Unit] = []
    dont_know: dict[str, int] = {d.key: 0 for d in bank.drivers}
    for respondent in respondents:
        if respondent.codes and len(respondent.codes) == len(bank.statements):
            scores = driver_scores_from_codes(bank, respondent.codes)
        else:
            scores = driver_scores(bank, respondent.answers)
        unit = _Unit(respondent.organisation_type, {key: score for key, score, _a, _d in scores}, [])
        if respondent.cluster_office:
            office.append(unit)
            continue
        for key, _score, _answered, unknown in scores:
            dont_know[key] += unknown
        if one_per_organisation or consistency:  # item-level points, only where needed
            unit.statements = _statement_points(bank, respondent)
        members.append((respondent, unit))

    units = [u for _, u in members]
    if one_per_organisation:
        by_org: dict[str, list[_Unit]] = {}
        alone: list[_Unit] = []
        for respondent, unit in members:
            (by_org.setdefault(respondent.organisation_key, []) if respondent.organisation_key else alone).append(unit)
        units = alone + [_merge(people, bank) for _key, people in sorted(by_org.items())]

    office_stats = _office_stats(bank, office) if office else None
    count = len(units)
    per_driver = {d.key: [u.drivers[d.key] for u in units if u.drivers[d.key] is not None] for d in bank.drivers}
    if count < MIN_GROUP_SIZE:
        return RoundResults(
            count, {k: DriverStats(k, len(v), dont_know[k]) for k, v in per_driver.items()}, None,
            office=office_stats, one_per_organisation=one_per_organisation, people=len(members),
        )

    alphas = _consistency(bank, [u for _, u in members]) if consistency else {}
    drivers = {
        key: _driver_stats(key, values, dont_know[key], alphas.get(key, (None, 0))) for key, values in per_driver.items()
    }
    means = {k: d.mean for k, d in drivers.items()}
    medians = {k: d.median for k, d in drivers.items()}
    overall_values = [v for v in (overall_index(bank, u.drivers) for u in units) if v is not None]
    groups, hidden = _group_stats(bank, units)
    strengths, weaknesses = rank_drivers(bank, medians, tiebreak=means)
    return RoundResults(
        respondents=count,
        drivers=drivers,
        overall=overall_index(bank, means),
        groups=groups,
        hidden_group_respondents=hidden,
        divergences=_divergences(bank, drivers, groups),
        strengths=strengths,
        weaknesses=weaknesses,
        overall_median=clamp(statistics.median(overall_values)) if len(overall_values) >= MIN_GROUP_SIZE else None,
        statement_medians=(
            _statement_medians(bank, units) if one_per_organisation
            else _statement_medians_from_codes(bank, [r for r, _ in members])
        ),
        office=office_stats,
        one_per_organisation=one_per_organisation,
        people=len(members),
        consistency=consistency,
    )


def _driver_stats(key: str, values: list[float], dont_know: int, alpha: tuple[float | None, int]) -> DriverStats:
    if len(values) < MIN_GROUP_SIZE:
        return DriverStats(key, len(values), dont_know)
    mean, median, q1, q3 = describe(values)
    low, high = bootstrap_median_interval(values)  # one seed: the resampling depends only on n
    return DriverStats(key, len(values), dont_know, mean, median, q1, q3, low, high, alpha[0], alpha[1])


def _statement_medians(bank: QuestionBank, units: list[_Unit]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for index, statement in enumerate(bank.statements):
        values = [u.statements[index] for u in units if u.statements[index] is not None]
        out[statement.key] = statistics.median(values) if len(values) >= MIN_GROUP_SIZE else None  # type: ignore[type-var]
    return out


def _consistency(bank: QuestionBank, people: list[_Unit]) -> dict[str, tuple[float | None, int]]:
    """Cronbach's alpha per driver over the people who answered all its statements."""
    index = {s.key: i for i, s in enumerate(bank.statements)}
    out: dict[str, tuple[float | None, int]] = {}
    for driver in bank.drivers:
        positions = [index[s.key] for s in driver.statements]
        rows = [
            [p.statements[i] for i in positions]
            for p in people
            if all(p.statements[i] is not None for i in positions)
        ]
        alpha = cronbach_alpha(rows) if len(rows) >= MIN_CONSISTENCY_RESPONDENTS else None  # type: ignore[arg-type]
        out[driver.key] = (alpha, len(rows))
    return out


def _office_stats(bank: QuestionBank, office: list[_Unit]) -> OfficeStats:
    if len(office) < MIN_GROUP_SIZE:
        return OfficeStats(len(office), {})
    medians: dict[str, float | None] = {}
    for driver in bank.drivers:
        values = [u.drivers[driver.key] for u in office if u.drivers[driver.key] is not None]
        medians[driver.key] = clamp(statistics.median(values)) if len(values) >= MIN_GROUP_SIZE else None  # type: ignore[type-var]
    return OfficeStats(len(office), medians)


def _group_stats(bank: QuestionBank, units: list[_Unit]) -> tuple[list[GroupStats], int]:
    by_type: dict[str, list[_Unit]] = {}
    for unit in units:
        by_type.setdefault(unit.organisation_type, []).append(unit)
    groups: list[GroupStats] = []
    hidden = 0
    for org_type in sorted(by_type):
        rows = by_type[org_type]
        if len(rows) < MIN_GROUP_SIZE:
            hidden += len(rows)
            continue
        means: dict[str, float | None] = {}
        for driver in bank.drivers:
            values = [r.drivers[driver.key] for r in rows if r.drivers[driver.key] is not None]
            means[driver.key] = clamp(statistics.fmean(values)) if len(values) >= MIN_GROUP_SIZE else None  # type: ignore[arg-type]
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


def counted_units(
    bank: QuestionBank, respondents: Iterable[Respondent], one_per_organisation: bool = False
) -> list[tuple[str, dict[str, float | None]]]:
    """(actor type, driver scores) per counted response, as ``aggregate_round`` counts them:
    cluster-office staff left out, and one merged response per member organisation when
    ``one_per_organisation``. Used to compare actor types' medians (workshop divergences)."""
    members: list[tuple[Respondent, _Unit]] = []
    for respondent in respondents:
        if respondent.cluster_office:
            continue
        if respondent.codes and len(respondent.codes) == len(bank.statements):
            scores = driver_scores_from_codes(bank, respondent.codes)
        else:
            scores = driver_scores(bank, respondent.answers)
        unit = _Unit(respondent.organisation_type, {key: score for key, score, _a, _d in scores}, [])
        if one_per_organisation:
            unit.statements = _statement_points(bank, respondent)
        members.append((respondent, unit))
    units = [u for _, u in members]
    if one_per_organisation:
        by_org: dict[str, list[_Unit]] = {}
        alone: list[_Unit] = []
        for respondent, unit in members:
            (by_org.setdefault(respondent.organisation_key, []) if respondent.organisation_key else alone).append(unit)
        units = alone + [_merge(people, bank) for _key, people in sorted(by_org.items())]
    return [(u.organisation_type, u.drivers) for u in units]
