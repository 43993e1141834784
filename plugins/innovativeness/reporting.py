"""What the self-assessment contributes elsewhere: the dashboard widget, report
sections and drafted recommendations. All read the latest closed round that
had enough respondents, with a constant number of queries."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from core.api import (
    MIN_GROUP_SIZE,
    ClusterContext,
    KeyFigure,
    Methodology,
    Recommendation,
    ReportSection,
    Widget,
    background_request_context,
    counted,
)
from plugins.innovativeness.aggregation import RoundResults
from plugins.innovativeness.bank import BankRecommendation, Driver, QuestionBank, get_bank, latest_bank
from plugins.innovativeness.charts import Series, radar_svg
from plugins.innovativeness.models import AssessmentRound
from plugins.innovativeness.presenters import group_table, round_profile
from plugins.innovativeness.recent import recent_rounds
from plugins.innovativeness.results import closed_rounds_history, comparison_with_previous, latest_visible_round, round_results
from plugins.innovativeness.rounds import results_readable
from plugins.innovativeness.thresholds import INDICATIVE_BELOW, PRIORITY_NEED_STEPS, WEAK_BELOW, WEAK_STATEMENT_BELOW


def dashboard_widget(cluster: ClusterContext) -> Widget:
    recent = recent_rounds(cluster.id)
    latest, rate = recent[0] if recent else (None, None)
    thumbnail = None
    readable = False
    if latest is not None:
        readable = results_readable(latest, cluster.reads_aggregates)
        results = round_results(latest) if readable else None
        if results is not None and results.visible:
            bank = get_bank(latest.bank_version)
            thumbnail = radar_svg(
                [d.key for d in bank.drivers], [Series(latest.title, [results.drivers[d.key].median for d in bank.drivers])],
                f"Profile of {latest.title}", "Median score per driver; open the results for the table.",
                size=160, show_labels=False,
            )
    html = render_template(
        "innovativeness/widget.html", cluster=cluster, round=latest, rate=rate, thumbnail=thumbnail, readable=readable
    )
    return Widget(title="Innovativeness self-assessment", html=Markup(html), order=20)


def _latest(cluster: ClusterContext) -> tuple[AssessmentRound, QuestionBank, RoundResults] | None:
    rnd = latest_visible_round(cluster.id)
    if rnd is None:
        return None
    results = round_results(rnd)
    if not results.visible:
        return None
    return rnd, get_bank(rnd.bank_version), results


def report_sections(cluster: ClusterContext) -> list[ReportSection]:
    with background_request_context():
        return _report_sections(cluster)


def _report_sections(cluster: ClusterContext) -> list[ReportSection]:
    found = _latest(cluster)
    if found is None:
        return []
    rnd, bank, results = found
    comparison = comparison_with_previous(rnd, results)
    profile = round_profile(bank, results, comparison)
    context = {"round": rnd, "bank": bank, "results": results, "profile": profile}
    weakest = ", ".join(bank.driver(k).title for k in results.weaknesses)
    strongest = ", ".join(bank.driver(k).title for k in results.strengths)
    closed = f", closed {rnd.closed_at:%d %b %Y}" if rnd.closed_at else ""
    as_of = f"assessment round “{rnd.title}” (no. {rnd.id}, question bank {rnd.bank_version}{closed})"
    headline = results.overall_median if results.overall_median is not None else results.overall
    summary = (
        f"Members' view of the conditions for innovation: overall index {headline:.0f}/100 (median; mean "
        f"{results.overall:.0f}) from {results.respondents} respondents in “{rnd.title}”."
        if headline is not None and results.overall is not None
        else f"{results.respondents} respondents in “{rnd.title}”; too few scored answers for an overall index."
    )
    if results.indicative:
        summary += f" Indicative: fewer than {INDICATIVE_BELOW} responses."
    sections = [
        ReportSection(
            "innovativeness_profile", "Innovativeness profile",
            Markup(render_template("innovativeness/report/profile.html", **context)), 30, summary,
            key_figures=(
                KeyFigure("Innovativeness index (median)", f"{headline:.0f}/100" if headline is not None else "–"),
                KeyFigure("Respondents", str(results.respondents)),
            ),
            as_of=as_of,
        ),
        ReportSection(
            "innovativeness_strengths_weaknesses", "Innovativeness strengths and weaknesses",
            Markup(render_template("innovativeness/report/strengths.html", **context)), 31,
            f"Strongest: {strongest}. Weakest: {weakest}.",
            as_of=as_of,
        ),
        ReportSection(
            "innovativeness_divergence", "Divergence by actor type",
            Markup(render_template("innovativeness/report/divergence.html", groups=group_table(bank, results), **context)), 32,
            f"{counted(len(results.divergences), 'driver')} where members disagree markedly.",
            key_figures=(KeyFigure("Drivers with divergent views", str(len(results.divergences))),),
            as_of=as_of,
        ),
    ]
    history = [r for r in closed_rounds_history(cluster.id) if r.summary and r.summary.get("drivers")]
    if len(history) >= 2:
        sections.append(_progress_section(bank, history))
    return sections


def _progress_section(bank: QuestionBank, history: list[AssessmentRound]) -> ReportSection:
    first, last = history[0], history[-1]
    chart = radar_svg(
        [d.key for d in bank.drivers],
        [Series(last.title, [last.summary["drivers"].get(d.key) for d in bank.drivers]),
         Series(first.title, [first.summary["drivers"].get(d.key) for d in bank.drivers])],
        "Progress over time", f"Mean driver scores of “{first.title}” and “{last.title}”; the table lists every round.",
        size=360,
    )
    html = render_template("innovativeness/report/progress.html", bank=bank, history=history, chart=chart)
    change = (last.summary.get("overall") or 0) - (first.summary.get("overall") or 0)
    return ReportSection(
        "innovativeness_progress", "Innovativeness over time", Markup(html), 33,
        f"Overall index changed by {change:+.0f} points over {len(history)} rounds.",
    )


def _short_source(reference: str) -> str:
    return reference.split(").", 1)[0] + ")" if ")." in reference else reference


def _priority(need: float) -> int:
    for priority, threshold in enumerate(PRIORITY_NEED_STEPS, 1):
        if need >= threshold:
            return priority
    return 5


def _action(bank: QuestionBank, driver: Driver, rec: BankRecommendation) -> str:
    """One action line: what to do, its basis and the indicator to follow."""
    line = f"{rec.title}: {rec.text}"
    if rec.source:
        line += f" (Basis: {bank.recommendation_source_short(driver, rec)}.)"
    if rec.indicator:
        line += f" Indicator to follow: {rec.indicator}"
    return line


def _sources(bank: QuestionBank, driver: Driver, recs: tuple[BankRecommendation, ...] | list[BankRecommendation]) -> str:
    found: list[str] = []
    for rec in recs:
        for part in bank.recommendation_source_short(driver, rec).split("; "):
            if part not in found:
                found.append(part)
    return "; ".join(found)


def _weak_statements(bank: QuestionBank, results: RoundResults, rec: BankRecommendation) -> list[tuple[str, float]]:
    return [
        (key, results.statement_medians[key])  # type: ignore[misc]
        for key in rec.triggers
        if results.statement_medians.get(key) is not None and results.statement_medians[key] < WEAK_STATEMENT_BELOW  # type: ignore[operator]
    ]


def recommendations(cluster: ClusterContext) -> list[Recommendation]:
    """Drafted from the latest round: first each weak driver (median below
    ``WEAK_BELOW``, or among the weakest), most urgent first by
    (100 - median) x weight; then, for drivers that are not weak, the actions
    triggered by a weak statement (median below ``WEAK_STATEMENT_BELOW``).
    Every action carries its basis (a source or practitioner practice) and,
    from bank version 2 on, an indicator to follow."""
    found = _latest(cluster)
    if found is None:
        return []
    rnd, bank, results = found
    weak: list[tuple[float, Driver, float]] = []
    for driver in bank.drivers:
        median = results.drivers[driver.key].median
        if median is not None and (median < WEAK_BELOW or driver.key in results.weaknesses):
            weak.append(((100 - median) * driver.weight, driver, median))
    weak.sort(key=lambda item: -item[0])
    drafted = [
        Recommendation(
            key=f"innovativeness-{driver.key}",
            title=f"Strengthen: {driver.title}",
            rationale=(
                f"{results.drivers[driver.key].n} respondents in “{rnd.title}” gave this driver a median of "
                f"{median:.0f}/100 (mean {results.drivers[driver.key].mean:.0f}, driver weight {driver.weight:g}). "
                f"{driver.explanation}"
            ),
            actions=tuple(
                _action(bank, driver, r)
                for r in sorted(driver.recommendations, key=lambda r: not _weak_statements(bank, results, r))
            ),
            priority=_priority(need),
            source=_sources(bank, driver, driver.recommendations),
            driver=driver.key,
            owner_role="Cluster manager",
            horizon=_HORIZONS[_priority(need)],
            indicator=f"Median score of “{driver.title}” in the next assessment round (now {median:.0f}/100)",
            score=round(need, 2),
        )
        for need, driver, median in weak
    ]
    weak_keys = {driver.key for _, driver, _ in weak}
    for driver in bank.drivers:
        if driver.key in weak_keys:
            continue
        triggered = [(r, _weak_statements(bank, results, r)) for r in driver.recommendations]
        triggered = [(r, hits) for r, hits in triggered if hits]
        if not triggered:
            continue
        hits = sorted({hit for _, found_hits in triggered for hit in found_hits}, key=lambda h: h[1])
        lowest = hits[0][1]
        statements = "; ".join(
            f"{key} “{bank.statements_by_key[key].text}” (median {value:.0f}/100)" for key, value in hits
        )
        drafted.append(
            Recommendation(
                key=f"innovativeness-{driver.key}-statements",
                title=f"Act on a weak point: {driver.title}",
                rationale=(
                    f"The driver as a whole is not weak, but respondents in “{rnd.title}” rated these statements "
                    f"low: {statements}."
                ),
                actions=tuple(_action(bank, driver, r) for r, _ in triggered),
                priority=max(3, _priority(100 - lowest)),
                source=_sources(bank, driver, [r for r, _ in triggered]),
                driver=driver.key,
                owner_role="Cluster manager",
                horizon=_HORIZONS[max(3, _priority(100 - lowest))],
                indicator="Median of the statements named above in the next assessment round "
                f"(now as low as {lowest:.0f}/100)",
                score=round(100 - lowest, 2),
            )
        )
    return drafted


#: Time to act by priority: the most urgent within half a year, the least within two.
_HORIZONS = {1: "0–6 months", 2: "0–6 months", 3: "6–12 months", 4: "12–24 months", 5: "12–24 months"}


def methodology() -> list[Methodology]:
    bank = latest_bank()
    return [
        Methodology(
            title="Cluster innovativeness self-assessment",
            method=(
                "Members answer statements on drivers of cluster innovativeness on a 1–5 agreement scale "
                "(“don't know” is counted, never scored; reverse-worded statements count 6 − answer). A driver's "
                "score is the mean of its answered statements mapped onto 0–100 ((answer − 1) / 4 × 100), counted "
                "only when at least half of its statements were answered. The report gives each driver's median over "
                "the respondents (the scale is ordinal), with the mean beside it, and marks results from fewer than "
                f"{INDICATIVE_BELOW} respondents as indicative. Results are shown only for rounds with at least "
                f"{MIN_GROUP_SIZE} respondents, and groups of members below that size are not shown separately. "
                f"A driver with a median under {WEAK_BELOW:.0f} (or among the weakest) is recommended for action, most "
                "urgent first by (100 − median) × driver weight."
            ),
            references=tuple(bank.references.values()),
            order=31,
        )
    ]

