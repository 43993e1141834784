"""Every enabled tool's contributions to a recommendation report, through the hooks.

Core knows nothing of the tools: it calls ``designing_clusters_report_sections``,
``designing_clusters_recommendations`` and ``designing_clusters_report_methodology``
on each enabled plugin. A tool whose hook raises (or returns something that is not
the documented type) is contained: its error is logged, its part of the report is
marked unavailable, and the report is still produced.

Call it with nothing uncommitted on the session: a failing plugin's call is
followed by a rollback (as on pages), so that its half-done reads leave no trace.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from core.plugins.calls import host
from core.plugins.manager import HookFailure
from core.plugins.state import is_enabled
from core.plugins.types import ClusterContext, Methodology, Recommendation, ReportRequest, ReportSection
from core.templating import background_request_context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContributedSection:
    """A tool's section; ``section`` is None when the tool failed (``unavailable``)."""

    plugin: str
    tool_title: str
    section: ReportSection | None

    @property
    def unavailable(self) -> bool:
        return self.section is None


@dataclass(frozen=True)
class ContributedRecommendation:
    plugin: str
    recommendation: Recommendation


@dataclass(frozen=True)
class ContributedMethod:
    plugin: str
    tool_title: str
    methodology: Methodology


@dataclass(frozen=True)
class ReportContributions:
    """Sections (sorted by ``order``, unavailable tools included), recommendations (in the
    tools' order, unsorted: the report orders them), methodology, and the failures."""

    sections: tuple[ContributedSection, ...]
    recommendations: tuple[ContributedRecommendation, ...]
    methods: tuple[ContributedMethod, ...]
    failures: tuple[HookFailure, ...]


def collect_report_contributions(cluster: ClusterContext, request: ReportRequest) -> ReportContributions:
    """Ask every enabled plugin for its report sections, recommendations and methodology.

    Runs inside an app context; a request context is built from ``BASE_URL`` when none
    is active (workers), so tools can render templates and build URLs.
    """
    with background_request_context():
        titles = {slug: info.title for slug, info in host().tools.items()}
        failures: list[HookFailure] = []
        sections: list[tuple[int, ContributedSection]] = []
        for slug, items in _each("designing_clusters_report_sections", ReportSection, failures,
                                 cluster=cluster, request=request):
            title = titles.get(slug, slug)
            if items is None:
                sections.append((10_000, ContributedSection(slug, title, None)))
            else:
                sections += [(item.order, ContributedSection(slug, title, item)) for item in items]
        recommendations = [
            ContributedRecommendation(slug, item)
            for slug, items in _each("designing_clusters_recommendations", Recommendation, failures,
                                     cluster=cluster, request=request)
            for item in items or ()
        ]
        methods = [
            ContributedMethod(slug, titles.get(slug, slug), item)
            for slug, items in _each("designing_clusters_report_methodology", Methodology, failures)
            for item in sorted(items or (), key=lambda m: m.order)
        ]
    sections.sort(key=lambda pair: pair[0])
    return ReportContributions(
        sections=tuple(section for _, section in sections),
        recommendations=tuple(recommendations),
        methods=tuple(methods),
        failures=tuple(failures),
    )


def _each(hook: str, kind: type, failures: list[HookFailure], **kwargs: Any):  # type: ignore[no-untyped-def]
    """(slug, items or None) per enabled plugin; wrong result types count as a failure."""
    for slug, items in host().call_each(hook, is_enabled, **kwargs):
        if items is not None and not all(isinstance(item, kind) for item in items):
            log.error("plugin %s returned something other than %s from %s", slug, kind.__name__, hook)
            items = None
        if items is None:
            failures.append(HookFailure(plugin=slug, hook=hook))
        yield slug, items
