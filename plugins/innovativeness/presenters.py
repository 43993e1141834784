"""Turn scores and results into plain rows for templates, PDFs and reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from core.api import ORGANISATION_TYPES
from plugins.innovativeness.aggregation import RoundResults, rank_drivers
from plugins.innovativeness.bank import Driver, QuestionBank
from plugins.innovativeness.benchmark import BenchmarkPosition
from plugins.innovativeness.charts import Series, legend, radar_svg
from plugins.innovativeness.results import Comparison
from plugins.innovativeness.scoring import RespondentScores


def fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.0f}" if signed else f"{value:.0f}"


def org_label(key: str) -> str:
    return ORGANISATION_TYPES.get(key, key)


@dataclass(frozen=True)
class DriverRow:
    """One driver's line. In a round, ``score`` is the headline median and
    ``mean`` the mean beside it; in a quick test both are the person's score."""

    driver: Driver
    element: str
    score: float | None
    n: int | None = None
    dont_know: int = 0
    median: float | None = None
    iqr: float | None = None
    delta: float | None = None
    percentile: float | None = None
    flags: tuple[str, ...] = ()
    mean: float | None = None
    #: Bootstrap interval of the median (points), rounds only.
    low: float | None = None
    high: float | None = None
    #: Benchmark quartile band, e.g. "top quarter", once enough clusters share.
    band: str | None = None
    #: Cronbach's alpha and the respondents it rests on (closed rounds).
    alpha: float | None = None
    alpha_n: int = 0
    #: Median of cluster-office staff, shown apart (None below the privacy floor).
    office: float | None = None


@dataclass(frozen=True)
class Profile:
    """What a results page shows: index, chart, table, strengths and weaknesses."""

    overall: float | None
    rows: list[DriverRow]
    chart: Markup
    legend: Markup
    strengths: list[DriverRow]
    weaknesses: list[DriverRow]
    extra: dict = field(default_factory=dict)
    #: The mean figure shown beside the headline ``overall`` (rounds).
    overall_mean: float | None = None
    #: Fewer than ``thresholds.INDICATIVE_BELOW`` responses: read as indicative.
    indicative: bool = False
    #: What the scores measure (the bank's ``scope``).
    scope: str = ""


def _axes(bank: QuestionBank) -> list[str]:
    return [d.key for d in bank.drivers]


def quick_profile(bank: QuestionBank, scores: RespondentScores) -> Profile:
    values = {k: d.score for k, d in scores.drivers.items()}
    rows = [
        DriverRow(d, bank.element_title(d.element_key), values[d.key], dont_know=scores.drivers[d.key].dont_know,
                  mean=values[d.key])
        for d in bank.drivers
    ]
    strengths, weaknesses = rank_drivers(bank, values)
    series = [Series("Your answers", [values[k] for k in _axes(bank)])]
    chart = radar_svg(
        _axes(bank), series, "Your view of the conditions for innovation",
        f"Radar chart of your score from 0 to 100 on each of the {len(bank.drivers)} drivers; "
        "the table beside it lists the same values.",
    )
    by_key = {r.driver.key: r for r in rows}
    return Profile(
        scores.overall, rows, chart, legend(series), [by_key[k] for k in strengths], [by_key[k] for k in weaknesses],
        overall_mean=scores.overall, scope=bank.scope,
    )


def round_profile(
    bank: QuestionBank,
    results: RoundResults,
    comparison: Comparison | None = None,
    benchmark: BenchmarkPosition | None = None,
    chart_size: int = 420,
) -> Profile:
    divergences = {d.driver_key: d for d in results.divergences}
    bands = benchmark.bands if benchmark and benchmark.available else {}
    office = results.office.driver_medians if results.office and results.office.visible else {}
    rows = []
    for d in bank.drivers:
        stats = results.drivers[d.key]
        flags = []
        div = divergences.get(d.key)
        if div and div.wide_spread:
            flags.append(f"Wide spread (IQR {fmt(div.iqr)} points)")
        if div and div.actor_gap:
            flags.append(f"{org_label(div.high_type or '')} {fmt(div.gap)} points above {org_label(div.low_type or '')}")
        rows.append(
            DriverRow(
                d, bank.element_title(d.element_key), stats.median, stats.n, stats.dont_know, stats.median, stats.iqr,
                comparison.deltas.get(d.key) if comparison else None,
                None,
                tuple(flags),
                mean=stats.mean, low=stats.low, high=stats.high, band=bands.get(d.key),
                alpha=stats.alpha, alpha_n=stats.alpha_n, office=office.get(d.key),
            )
        )
    series = [Series("This round (median)", [r.score for r in rows])]
    if comparison:
        series.append(Series(f"Previous round: {comparison.title}", [
            (r.score - r.delta) if r.score is not None and r.delta is not None else None for r in rows
        ]))
    chart = radar_svg(
        _axes(bank), series, "Respondents' view of the conditions for innovation",
        "Radar chart of the median score from 0 to 100 on each driver; the table below lists the same values"
        + (" and the change since the previous round." if comparison else "."),
        size=chart_size,
    )
    by_key = {r.driver.key: r for r in rows}
    return Profile(
        results.overall_median, rows, chart, legend(series),
        [by_key[k] for k in results.strengths], [by_key[k] for k in results.weaknesses],
        overall_mean=results.overall, indicative=results.indicative, scope=bank.scope,
    )


@dataclass(frozen=True)
class GroupTable:
    types: list[tuple[str, int]]  # (label, n)
    rows: list[tuple[Driver, list[float | None]]]
    hidden_respondents: int


def group_table(bank: QuestionBank, results: RoundResults) -> GroupTable:
    return GroupTable(
        [(org_label(g.organisation_type), g.n) for g in results.groups],
        [(d, [g.driver_means[d.key] for g in results.groups]) for d in bank.drivers],
        results.hidden_group_respondents,
    )
