"""Core collects every enabled tool's report contributions; a failing tool never fails the report."""

from __future__ import annotations

import logging
import types

import pytest

from core.api import (
    ClusterContext,
    Methodology,
    Recommendation,
    ReportRequest,
    ReportSection,
    ToolInfo,
    collect_report_contributions,
    db,
    hookimpl,
    utcnow,
)
from core.plugins.state import set_enabled
from engagements.lifecycle import Actor
from engagements.reports import jobs
from engagements.reports.content import ReportContent
from engagements.reports.models import ReportJob, ReportVersion
from tests.engagements.reports.factories import paid_report_engagement
from tests.factories import create_cluster


def _context(cluster) -> ClusterContext:  # type: ignore[no-untyped-def]
    return ClusterContext(id=cluster.id, name=cluster.name, user_id=0, role="manager", organisation_type="")


def _request() -> ReportRequest:
    return ReportRequest(engagement_id=1, as_of=utcnow(), goals="Grow")


def _broken_tool(slug: str, sections=None, recommendations=None):  # type: ignore[no-untyped-def]
    module = types.ModuleType(f"broken_{slug}")

    def tool_info() -> ToolInfo:
        return ToolInfo(slug=slug, title=f"Broken tool {slug}", summary="Fails on purpose.", version="1.0.0")

    def report_sections(cluster: ClusterContext) -> list[ReportSection]:
        if sections is None:
            raise RuntimeError("database of the broken tool is down")
        return sections

    def recs(cluster: ClusterContext) -> list[Recommendation]:
        if recommendations is None:
            raise RuntimeError("no recommendations today")
        return recommendations

    module.designing_clusters_tool_info = hookimpl(tool_info)
    module.designing_clusters_report_sections = hookimpl(report_sections)
    module.designing_clusters_recommendations = hookimpl(recs)
    module.designing_clusters_report_methodology = hookimpl(
        lambda: [Methodology("Broken method", "It breaks.", order=99)]
    )
    return module


@pytest.fixture()
def plugin_host(app):
    host = app.extensions["plugin_host"]
    added: list[str] = []

    def add(module, name: str) -> None:  # type: ignore[no-untyped-def]
        host.register(module, name)
        added.append(name)

    yield add
    for name in added:
        slug = host.slug_by_plugin_name.pop(name)
        host.tools.pop(slug, None)
        host.pm.unregister(name=name)


def test_the_sample_outside_plugin_contributes_with_no_change_to_core():
    found = collect_report_contributions(_context(create_cluster()), _request())
    assert [(s.plugin, s.section.key) for s in found.sections] == [("sample", "sample-section")]
    [rec] = found.recommendations
    assert rec.plugin == "sample" and rec.recommendation.rationale.endswith("engagement 1.")
    assert {m.plugin for m in found.methods} >= {"sample", "canvas", "innovativeness"}
    assert found.failures == ()


def test_a_tool_whose_hooks_raise_gives_an_unavailable_section_and_a_logged_error(plugin_host, caplog):
    plugin_host(_broken_tool("broken"), "broken-plugin")
    caplog.set_level(logging.ERROR)
    found = collect_report_contributions(_context(create_cluster()), _request())
    broken = [s for s in found.sections if s.plugin == "broken"]
    assert len(broken) == 1 and broken[0].unavailable and broken[0].tool_title == "Broken tool broken"
    assert any(s.plugin == "sample" and not s.unavailable for s in found.sections)
    assert {(f.plugin, f.hook) for f in found.failures} == {
        ("broken", "designing_clusters_report_sections"),
        ("broken", "designing_clusters_recommendations"),
    }
    assert "database of the broken tool is down" in caplog.text


def test_a_tool_returning_the_wrong_type_counts_as_failed(plugin_host):
    plugin_host(_broken_tool("wrongtype", sections=[{"title": "a dict"}], recommendations=[]), "wrongtype-plugin")
    found = collect_report_contributions(_context(create_cluster()), _request())
    assert [s.unavailable for s in found.sections if s.plugin == "wrongtype"] == [True]


def test_a_disabled_tool_is_left_out():
    set_enabled("sample", False)
    try:
        found = collect_report_contributions(_context(create_cluster()), _request())
        assert [s for s in found.sections if s.plugin == "sample"] == []
        assert found.recommendations == ()
    finally:
        set_enabled("sample", True)


def test_a_draft_with_a_failing_tool_is_still_made_with_that_section_marked_unavailable(plugin_host):
    plugin_host(_broken_tool("broken"), "broken-plugin")
    engagement = paid_report_engagement()
    job = jobs.create_draft_job(engagement.id, Actor.system("test"))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ReportJob, job.id).state == "ready"
    version = db.session.query(ReportVersion).filter_by(engagement_id=engagement.id).one()
    content = ReportContent.from_json(version.content)
    unavailable = [s for s in content.sections if s.unavailable]
    assert [(s.plugin, s.title) for s in unavailable] == [("broken", "Broken tool broken")]
    assert [r.key for r in content.recommendations] == ["sample-recommendation"]
    assert version.pdf_name and version.pdf_pages
