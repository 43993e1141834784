"""Where the assessment's respondents disagree, for workshop briefs.

From the latest closed round with results (``results.latest_visible_round``), on the
0-100 driver scores counted as the results page counts them (office staff apart, one
response per organisation when the round says so):

* **widest spread** — a driver whose interquartile range (quartiles by the results
  page's "inclusive" method) is ``WIDE_SPREAD_IQR`` (25 points, one step of the answer
  scale) or more; ``spread`` = min(1, IQR / ``FULL_SPLIT_POINTS``);
* **largest actor-type gap** — a driver on which an actor type's median differs from
  the median of everyone else by ``ACTOR_GAP`` (20 points) or more; ``value`` is the
  largest such gap and ``spread`` = min(1, gap / ``FULL_SPLIT_POINTS``).

``FULL_SPLIT_POINTS`` (50) calibrates the spread against the other tools: half the
respondents answering "disagree" (25 points) and half "agree" (75 points) gives an IQR
(and a gap) of 50 points, the same even split that a canvas vote measures as 1.

Both name the actor types that stand apart (higher or lower than the others' median).
An actor type is compared only with at least ``MIN_GROUP_SIZE`` scores, against at
least as many others; types with fewer respondents are never named, and when their
respondents, pooled, would be 1 or 2 people, no breakdown by type is given at all
(it could be read by subtraction). Both kinds carry ``about``
"innovativeness:driver:<code>", so a brief discusses each driver at most once.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Sequence

from markupsafe import Markup, escape

from core.api import MIN_GROUP_SIZE, ORGANISATION_TYPES, ClusterContext, Divergence, DivergingGroup
from plugins.innovativeness.aggregation import counted_units, describe
from plugins.innovativeness.bank import Driver, QuestionBank, get_bank
from plugins.innovativeness.charts import SpreadRow, spread_svg
from plugins.innovativeness.results import latest_visible_round, load_respondents
from plugins.innovativeness.thresholds import ACTOR_GAP, WIDE_SPREAD_IQR

LIMIT_PER_KIND = 4
FULL_SPLIT_POINTS = 50.0
Unit = tuple[str, dict[str, float | None]]


def _label(actor_type: str) -> str:
    return ORGANISATION_TYPES.get(actor_type, actor_type)


def _type_order(actor_type: str) -> tuple[int, str]:
    keys = list(ORGANISATION_TYPES)
    return (keys.index(actor_type) if actor_type in keys else len(keys), actor_type)


def _row(label: str, values: Sequence[float]) -> SpreadRow:
    _mean, median, q1, q3 = describe(values)
    return SpreadRow(label, q1, median, q3, len(values))


def driver_divergences(bank: QuestionBank, units: Sequence[Unit], round_title: str) -> list[Divergence]:
    """Widest-spread drivers and largest actor-type gaps (module docstring), best first per kind."""
    spreads: list[Divergence] = []
    gaps: list[Divergence] = []
    for driver in bank.drivers:
        scored = [(t, v) for t, s in units if (v := s.get(driver.key)) is not None]
        values = [v for _, v in scored]
        if len(values) < MIN_GROUP_SIZE:
            continue
        by_type: dict[str, list[float]] = defaultdict(list)
        for t, v in scored:
            by_type[t].append(v)
        shown = sorted((t for t in by_type if len(by_type[t]) >= MIN_GROUP_SIZE), key=_type_order)
        pooled = [v for t, v in scored if t not in shown]
        rows = [_row("All respondents", values)]
        groups: list[DivergingGroup] = []
        largest = 0.0
        if shown and not (0 < len(pooled) < MIN_GROUP_SIZE):
            for t in shown:
                own = by_type[t]
                others = [v for u, v in scored if u != t]
                rows.append(_row(_label(t), own))
                if len(others) < MIN_GROUP_SIZE:
                    continue
                mine, theirs = statistics.median(own), statistics.median(others)
                if abs(mine - theirs) >= ACTOR_GAP:
                    largest = max(largest, abs(mine - theirs))
                    groups.append(DivergingGroup(t, "higher" if mine > theirs else "lower", len(own),
                                                 f"median {mine:.0f} against {theirs:.0f} for the others"))
            if pooled:
                rows.append(_row("Other actor types", pooled))
        _mean, _median, q1, q3 = describe(values)
        iqr = q3 - q1
        evidence = spread_svg(
            rows,
            f"Scores on {driver.key} {driver.title}",
            "For all respondents and each actor type with at least "
            f"{MIN_GROUP_SIZE} respondents: the bar spans the middle half of the 0-100 scores (first to third "
            "quartile), the tick marks the median; median and n are printed beside it.",
        )
        caption = f"{len(values)} respondents of “{round_title}”; interquartile range {iqr:.0f} points."
        evidence_html = _figure(evidence, caption)
        if iqr >= WIDE_SPREAD_IQR:
            spreads.append(_divergence(
                driver, "spread", evidence_html, len(values), tuple(groups), "interquartile range", iqr,
                f"Members rate “{driver.title}” very differently: what does each of them see, "
                "and what should the cluster do about it?",
            ))
        if groups:
            names = " and ".join(_label(g.actor_type) for g in groups)
            gaps.append(_divergence(
                driver, "gap", evidence_html, len(values), tuple(groups), "gap between actor-type medians", largest,
                f"Why do {names} members see “{driver.title}” differently from the others, "
                "and what would close the gap?",
            ))
    return sorted(spreads, key=_order)[:LIMIT_PER_KIND] + sorted(gaps, key=_order)[:LIMIT_PER_KIND]


def _order(d: Divergence) -> tuple[float, int, str]:
    return (-d.spread, -d.people, d.key)


def _divergence(driver: Driver, kind: str, evidence: Markup, people: int, groups: tuple[DivergingGroup, ...],
                measure: str, value: float, question: str) -> Divergence:
    """A divergence on a driver, ``value`` in points on the 0-100 scale (``spread`` = value / 50, at most 1)."""
    return Divergence(
        key=f"{kind}-{driver.key}", topic=driver.title, measure=measure, value=round(value, 1), unit="points",
        spread=round(min(1.0, value / FULL_SPLIT_POINTS), 4), people=people, evidence=evidence, question=question,
        about=f"innovativeness:driver:{driver.key}", groups=groups, keywords=_keywords(driver),
    )


def _figure(svg: Markup, caption: str) -> Markup:
    return Markup('<figure class="divergence-evidence">{}<figcaption>{}</figcaption></figure>').format(
        svg, escape(caption))


def _keywords(driver: Driver) -> tuple[str, ...]:
    return (driver.element_key.replace("_", " "),)


def divergences(cluster: ClusterContext) -> list[Divergence]:
    """The hook's answer: divergences of the latest closed round with results; [] without one."""
    rnd = latest_visible_round(cluster.id)
    if rnd is None:
        return []
    bank = get_bank(rnd.bank_version)
    units = counted_units(bank, load_respondents(rnd.id), one_per_organisation=bool(rnd.one_per_organisation))
    return driver_divergences(bank, units, rnd.title)
