"""Divergences from every enabled tool, and workshop outcomes handed back to the tools.

Core knows nothing of the tools or of workshops: it calls
``designing_clusters_divergences`` on each enabled plugin (for a workshop brief),
``designing_clusters_agreed_outcomes`` on the service that records workshops, and
``designing_clusters_outcome_actions`` on the tools. A failing plugin is contained
as in ``core.reports``: its error is logged and the others still count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.plugins.calls import host
from core.plugins.manager import HookFailure
from core.plugins.types import AgreedOutcome, ClusterContext, Divergence, OutcomeAction, ReportRequest
from core.reports import _each
from core.templating import background_request_context


@dataclass(frozen=True)
class ContributedDivergence:
    plugin: str
    tool_title: str
    divergence: Divergence


@dataclass(frozen=True)
class DivergenceContributions:
    """Every tool's divergences (in the tools' order, unranked) and the tools that failed."""

    divergences: tuple[ContributedDivergence, ...]
    failures: tuple[HookFailure, ...]


def collect_divergences(cluster: ClusterContext, request: ReportRequest) -> DivergenceContributions:
    """Ask every enabled plugin where its members disagree. Runs inside an app context."""
    with background_request_context():
        titles = {slug: info.title for slug, info in host().tools.items()}
        failures: list[HookFailure] = []
        found = [
            ContributedDivergence(slug, titles.get(slug, slug), item)
            for slug, items in _each("designing_clusters_divergences", Divergence, failures,
                                     cluster=cluster, request=request)
            for item in items or ()
        ]
    return DivergenceContributions(tuple(found), tuple(failures))


def agreed_outcomes(cluster: ClusterContext) -> list[AgreedOutcome]:
    """Workshop decisions recorded for the cluster, newest workshop first; [] when none."""
    failures: list[HookFailure] = []
    outcomes = [item for _, items in _each("designing_clusters_agreed_outcomes", AgreedOutcome, failures,
                                           cluster=cluster) for item in items or ()]
    return sorted(outcomes, key=lambda o: o.decided_on or date.min, reverse=True)


def outcome_actions(cluster: ClusterContext, outcomes: tuple[AgreedOutcome, ...]) -> list[tuple[str, OutcomeAction]]:
    """(plugin slug, action) the tools offer on these outcomes, sorted by ``order``."""
    failures: list[HookFailure] = []
    actions = [(slug, item) for slug, items in _each("designing_clusters_outcome_actions", OutcomeAction, failures,
                                                      cluster=cluster, outcomes=outcomes) for item in items or ()]
    return sorted(actions, key=lambda pair: pair[1].order)
