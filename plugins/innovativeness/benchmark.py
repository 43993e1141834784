"""Opt-in benchmark: a cluster's percentile per driver among sharing clusters.

Only clusters that opted in contribute, each with the frozen summary of its
latest closed round that had enough respondents. Nothing about another
cluster is ever returned — only this cluster's percentile, and only once at
least ``MIN_CLUSTERS`` clusters (this one included) have a score to compare.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from core.api import db
from plugins.innovativeness.models import AssessmentRound, BenchmarkShare

MIN_CLUSTERS = 5


@dataclass(frozen=True)
class BenchmarkPosition:
    sharing_clusters: int
    percentiles: dict[str, float | None]  # empty until MIN_CLUSTERS share

    @property
    def available(self) -> bool:
        return self.sharing_clusters >= MIN_CLUSTERS


def is_sharing(cluster_id: int) -> bool:
    return db.session.execute(select(BenchmarkShare.id).where(BenchmarkShare.cluster_id == cluster_id)).first() is not None


def set_sharing(cluster_id: int, user_id: int, share: bool) -> None:
    existing = db.session.execute(select(BenchmarkShare).where(BenchmarkShare.cluster_id == cluster_id)).scalar_one_or_none()
    if share and existing is None:
        db.session.add(BenchmarkShare(cluster_id=cluster_id, opted_in_by_id=user_id))
    elif not share and existing is not None:
        db.session.delete(existing)
    db.session.commit()


def benchmark_state() -> tuple:
    """A value that changes whenever a benchmark position could: a cluster opting in
    or out, or a sharing cluster closing a round. Two small queries; part of cache keys,
    so a cached page is never older than the last such write, in any worker process."""
    shares = db.session.execute(
        select(func.count(BenchmarkShare.id), func.max(BenchmarkShare.id), func.max(BenchmarkShare.opted_in_at))
    ).one()
    closed = db.session.scalar(
        select(func.max(AssessmentRound.closed_at)).join(
            BenchmarkShare, BenchmarkShare.cluster_id == AssessmentRound.cluster_id
        )
    )
    return (*shares, closed)


def _latest_summaries() -> dict[int, dict[str, float | None]]:
    """Driver means of each sharing cluster's latest usable closed round (one query)."""
    rows = db.session.execute(
        select(AssessmentRound.cluster_id, AssessmentRound.summary)
        .join(BenchmarkShare, BenchmarkShare.cluster_id == AssessmentRound.cluster_id)
        .where(AssessmentRound.closed_at.is_not(None))
        .order_by(AssessmentRound.cluster_id, AssessmentRound.closed_at)
    ).all()
    latest: dict[int, dict[str, float | None]] = {}
    for cluster_id, summary in rows:
        if summary and summary.get("drivers"):
            latest[cluster_id] = summary["drivers"]
    return latest


def percentile_rank(own: float, others: list[float]) -> float:
    """Share of the other clusters scoring below, counting ties as half (0-100)."""
    if not others:
        return 50.0
    below = sum(1 for v in others if v < own)
    ties = sum(1 for v in others if v == own)
    return 100.0 * (below + 0.5 * ties) / len(others)


def benchmark_position(cluster_id: int) -> BenchmarkPosition | None:
    """None unless this cluster shares and has a usable closed round itself."""
    if not is_sharing(cluster_id):
        return None
    summaries = _latest_summaries()
    own = summaries.get(cluster_id)
    if own is None:
        return BenchmarkPosition(len(summaries), {})
    if len(summaries) < MIN_CLUSTERS:
        return BenchmarkPosition(len(summaries), {})
    percentiles: dict[str, float | None] = {}
    for key, value in own.items():
        others = [s[key] for cid, s in summaries.items() if cid != cluster_id and s.get(key) is not None]
        enough = len(others) + 1 >= MIN_CLUSTERS
        percentiles[key] = percentile_rank(value, others) if value is not None and enough else None
    return BenchmarkPosition(len(summaries), percentiles)
