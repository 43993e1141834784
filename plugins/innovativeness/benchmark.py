"""Opt-in benchmark: in which quarter of the sharing clusters this cluster's
median falls, driver by driver.

Only clusters that opted in contribute, each with the frozen summary of its
latest closed round of the *same bank version* that had enough respondents
(scores of different versions come from different statements and are never
mixed). Nothing about another cluster is ever returned — only this cluster's
quartile band, and only once at least ``MIN_CLUSTERS`` clusters (this one
included) have a score to compare. Optionally only clusters at the same
development stage are compared. Like the ESCA benchmarking, it gives a
position among peers, not a ranking.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from sqlalchemy import func, select

from core.api import cluster_stages, db
from plugins.innovativeness.models import AssessmentRound, BenchmarkShare
from plugins.innovativeness.thresholds import MIN_BENCHMARK_CLUSTERS

MIN_CLUSTERS = MIN_BENCHMARK_CLUSTERS
BANDS = ("lowest quarter", "second quarter", "third quarter", "top quarter")


@dataclass(frozen=True)
class BenchmarkPosition:
    #: Clusters with a usable closed round of this bank version (this one included).
    sharing_clusters: int
    #: Driver key -> one of ``BANDS`` (None where too few clusters have a score); empty until available.
    bands: dict[str, str | None] = field(default_factory=dict)
    bank_version: str = ""
    #: The stage compared within, or None for all stages.
    stage: str | None = None

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


def _latest_summaries(bank_version: str) -> dict[int, dict[str, float | None]]:
    """Driver medians of each sharing cluster's latest usable closed round of
    this bank version (one query). Rounds frozen before medians were kept
    contribute their means."""
    rows = db.session.execute(
        select(AssessmentRound.cluster_id, AssessmentRound.summary)
        .join(BenchmarkShare, BenchmarkShare.cluster_id == AssessmentRound.cluster_id)
        .where(AssessmentRound.closed_at.is_not(None), AssessmentRound.bank_version == bank_version)
        .order_by(AssessmentRound.cluster_id, AssessmentRound.closed_at)
    ).all()
    latest: dict[int, dict[str, float | None]] = {}
    for cluster_id, summary in rows:
        if summary and summary.get("drivers"):
            latest[cluster_id] = summary.get("medians") or summary["drivers"]
    return latest


def quartile_band(own: float, values: list[float]) -> str:
    """The quarter of ``values`` (this cluster's own included) in which ``own``
    falls, cut at the quartiles ("inclusive" method of ``statistics.quantiles``);
    a value on a cut point goes to the upper quarter."""
    q1, q2, q3 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    if own < q1:
        return BANDS[0]
    if own < q2:
        return BANDS[1]
    if own < q3:
        return BANDS[2]
    return BANDS[3]


def benchmark_position(cluster_id: int, bank_version: str, same_stage: bool = False) -> BenchmarkPosition | None:
    """None unless this cluster shares; bands once MIN_CLUSTERS clusters
    (this one included) have a closed round of ``bank_version``."""
    if not is_sharing(cluster_id):
        return None
    summaries = _latest_summaries(bank_version)
    stage = None
    if same_stage:
        stages = cluster_stages([*summaries, cluster_id])
        stage = stages.get(cluster_id)
        summaries = {cid: s for cid, s in summaries.items() if stages.get(cid) == stage}
    own = summaries.get(cluster_id)
    if own is None or len(summaries) < MIN_CLUSTERS:
        return BenchmarkPosition(len(summaries), {}, bank_version, stage)
    bands: dict[str, str | None] = {}
    for key, value in own.items():
        values = [s[key] for s in summaries.values() if s.get(key) is not None]
        bands[key] = quartile_band(value, values) if value is not None and len(values) >= MIN_CLUSTERS else None  # type: ignore[arg-type]
    return BenchmarkPosition(len(summaries), bands, bank_version, stage)
