"""What the self-assessment contributes elsewhere: the dashboard widget, report
sections and drafted recommendations. All read the latest closed round that
had enough respondents, with a constant number of queries."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup
from sqlalchemy import select

from core.api import (
    ClusterContext,
    KeyFigure,
    Methodology,
    Recommendation,
    ReportSection,
    Widget,
    background_request_context,
    db,
)
from plugins.innovativeness.aggregation import MIN_GROUP_SIZE, RoundResults
from plugins.innovativeness.bank import Driver, QuestionBank, get_bank, latest_bank
from plugins.innovativeness.charts import Series, radar_svg
from plugins.innovativeness.models import AssessmentRound
from plugins.innovativeness.presenters import group_table, round_profile
from plugins.innovativeness.results import closed_rounds_history, comparison_with_previous, latest_visible_round, round_results
from plugins.innovativeness.rounds import response_rates, results_readable

WEAK_BELOW = 60.0


def dashboard_widget(cluster: ClusterContext) -> Widget:
    latest = db.session.execute(
        select(AssessmentRound)
        .where(AssessmentRound.cluster_id == cluster.id)
        .order_by(AssessmentRound.created_at.desc(), AssessmentRound.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    thumbnail = None
    rate = None
    readable = False
    if latest is not None:
        rate = response_rates([latest.id])[latest.id]
        readable = results_readable(latest, cluster.is_manager)
        results = round_results(latest) if readable else None
        if results is not None and results.visible:
            bank = get_bank(latest.bank_version)
            thumbnail = radar_svg(
                [d.key for d in bank.drivers], [Series(latest.title, [results.drivers[d.key].mean for d in bank.drivers])],
                f"Profile of {latest.title}", "Mean score per driver; open the results for the table.",
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
    sections = [
        ReportSection(
            "innovativeness_profile", "Innovativeness profile",
            Markup(render_template("innovativeness/report/profile.html", **context)), 30,
            f"Overall index {results.overall:.0f}/100 from {results.respondents} respondents in “{rnd.title}”.",
            key_figures=(KeyFigure("Innovativeness index", f"{results.overall:.0f}/100"),
                         KeyFigure("Respondents", str(results.respondents))),
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
            f"{len(results.divergences)} driver(s) where members disagree markedly.",
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
    for priority, threshold in enumerate((60.0, 45.0, 30.0, 15.0), 1):
        if need >= threshold:
            return priority
    return 5


def recommendations(cluster: ClusterContext) -> list[Recommendation]:
    """Weak drivers of the latest round, most urgent first: (100 - score) x weight."""
    found = _latest(cluster)
    if found is None:
        return []
    rnd, bank, results = found
    weak: list[tuple[float, Driver, float]] = []
    for driver in bank.drivers:
        mean = results.drivers[driver.key].mean
        if mean is not None and (mean < WEAK_BELOW or driver.key in results.weaknesses):
            weak.append(((100 - mean) * driver.weight, driver, mean))
    weak.sort(key=lambda item: -item[0])
    return [
        Recommendation(
            key=f"innovativeness-{driver.key}",
            title=f"Strengthen: {driver.title}",
            rationale=(
                f"{results.drivers[driver.key].n} respondents in “{rnd.title}” scored this driver {mean:.0f}/100 "
                f"(driver weight {driver.weight:g}). {driver.explanation}"
            ),
            actions=tuple(f"{r.title}: {r.text}" for r in driver.recommendations),
            priority=_priority(need),
            source="; ".join(_short_source(ref) for ref in bank.citations(driver)),
            driver=driver.key,
            owner_role="Cluster manager",
            horizon=_HORIZONS[_priority(need)],
            indicator=f"Mean score of “{driver.title}” in the next assessment round (now {mean:.0f}/100)",
            score=round(need, 2),
        )
        for need, driver, mean in weak
    ]


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
                "score is the weighted mean of its answered statements mapped onto 0–100 ((answer − 1) / 4 × 100); "
                "the overall index is the weighted mean of the drivers. The report shows each driver's mean over "
                "the respondents. Results are shown only for rounds with at least "
                f"{MIN_GROUP_SIZE} respondents, and groups of members below that size are not shown separately. "
                f"A driver scoring under {WEAK_BELOW:.0f} (or among the weakest) is recommended for action, most "
                "urgent first by (100 − score) × driver weight."
            ),
            references=tuple(bank.references.values()),
            order=31,
        )
    ]

