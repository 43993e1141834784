"""draft_brief: the tools' divergences (the sample outside plugin's included) become an agenda."""

from __future__ import annotations

import types

import pytest

from core.api import ClusterContext, Divergence, ReportRequest, ToolInfo, hookimpl, utcnow
from core.plugins.state import set_enabled
from engagements.briefs.drafting import draft_brief, max_items_for
from tests.factories import add_member, create_cluster
from tests.plugins.canvas.helpers import manager_membership, new_canvas, note_by, vote_by


def _context(cluster) -> ClusterContext:  # type: ignore[no-untyped-def]
    return ClusterContext(id=cluster.id, name=cluster.name, user_id=0, role="manager", organisation_type="")


def _request(goals: str = "") -> ReportRequest:
    return ReportRequest(engagement_id=7, as_of=utcnow(), goals=goals, title="Workshop")


def _split_canvas_cluster():  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Draft Valley")
    smes = [add_member(cluster, organisation_type="sme") for _ in range(4)]
    unis = [add_member(cluster, organisation_type="university") for _ in range(4)]
    add_member(cluster, organisation_type="investor")
    canvas = new_canvas(cluster)
    note = note_by(canvas, manager_membership(cluster), "The board decides by majority", "governance")
    for m in smes:
        vote_by(note, m, "agree")
    for m in unis:
        vote_by(note, m, "disagree")
    bench = note_by(canvas, manager_membership(cluster), "A shared test bench", "resources")
    for m, value in zip(smes[:3] + unis[:2], ["agree"] * 3 + ["disagree"] * 2, strict=True):
        vote_by(bench, m, value)
    return cluster


def test_the_sample_outside_plugins_divergence_appears_in_a_brief_with_no_change_to_core():
    cluster = create_cluster(name="Sample Valley")
    draft = draft_brief(_context(cluster), _request("International partners for our projects"), 90)
    assert [i.key for i in draft.items] == ["sample:shared-projects"]  # the only divergence: fewer than 3 exist
    item = draft.items[0]
    assert item.source == "sample" and item.about == "sample:projects" and item.measure == "agreement 30 %"
    assert item.question == "Should the cluster's shared projects look for partners abroad?"
    assert "<svg" in item.evidence_html and item.exercise.startswith("Fishbowl")
    assert item.who_diverges.startswith("University members (4) rate it higher")
    assert [p.actor_type for p in draft.participants if p.required] == ["University"]
    assert sum(s.minutes for s in draft.timetable) == 90 and draft.considered == 1


def test_a_brief_from_the_canvas_and_the_sample_tool_fits_the_day_and_invites_every_type_apart():
    cluster = _split_canvas_cluster()
    draft = draft_brief(_context(cluster), _request("Agree our governance"), 180)
    keys = [i.key for i in draft.items]
    assert keys[0] == "canvas:element-governance"  # the widest gap and on the goals
    assert "canvas:note-1" not in keys and not any(k.startswith("canvas:note-") for k in keys)  # same element
    assert "sample:shared-projects" in keys and "canvas:element-resources" in keys
    assert 3 <= len(keys) <= max_items_for(180)
    assert len({i.about for i in draft.items}) == len(keys)
    required = {p.actor_type for p in draft.participants if p.required}
    assert required >= {"SME", "University"}
    assert "Investor" in {p.actor_type for p in draft.participants if not p.required}
    assert sum(s.minutes for s in draft.timetable) == 180 and any(s.label == "Break" for s in draft.timetable)
    slots = {s.agenda_key: s.minutes for s in draft.timetable if s.agenda_key}
    assert {i.key: i.minutes for i in draft.items} == slots
    assert draft.goals == "Agree our governance" and draft.length_minutes == 180 and draft.unavailable == ()


def test_a_disabled_tool_is_left_out_and_a_failing_one_is_named_unavailable(app):
    host = app.extensions["plugin_host"]
    module = types.ModuleType("broken_briefs")
    module.designing_clusters_tool_info = hookimpl(  # type: ignore[attr-defined]
        lambda: ToolInfo(slug="broken_briefs", title="Broken", summary="Fails.", version="1.0.0"))

    def divergences(cluster: ClusterContext) -> list[Divergence]:
        raise RuntimeError("down")

    module.designing_clusters_divergences = hookimpl(divergences)  # type: ignore[attr-defined]
    host.register(module, "broken-briefs")
    set_enabled("sample", False)
    try:
        draft = draft_brief(_context(create_cluster()), _request(), 60)
    finally:
        set_enabled("sample", True)
        host.tools.pop(host.slug_by_plugin_name.pop("broken-briefs"), None)
        host.pm.unregister(name="broken-briefs")
    assert draft.items == () and draft.unavailable == ("broken_briefs",)
    assert [s.label for s in draft.timetable][1] == "Open discussion of the cluster's goals"
    assert sum(s.minutes for s in draft.timetable) == 60


def test_the_demo_data_drafts_a_full_agenda_from_both_tools():
    """The demo's members and tool data (as ``make run`` loads them) give the demo brief its items."""
    from core.api import DemoCluster, DemoMember, db
    from core.demo import DEMO_ORGANISATIONS
    from plugins.canvas import plugin as canvas_plugin
    from plugins.innovativeness import plugin as assessment_plugin

    cluster = create_cluster(name="Demo Valley")
    members = [manager_membership(cluster)] + [
        add_member(cluster, organisation_type=kind) for role, _, kind in DEMO_ORGANISATIONS if role == "member"]
    demo = DemoCluster(id=cluster.id, name=cluster.name, members=tuple(
        DemoMember(m.user_id, m.id, m.user.email, m.organisation_name, m.organisation_type, m.role) for m in members))
    canvas_plugin.designing_clusters_demo_data(demo)
    assessment_plugin.designing_clusters_demo_data(demo)
    db.session.commit()
    draft = draft_brief(_context(cluster), _request("Agree how the cluster is governed and how members innovate"), 180)
    assert 3 <= len(draft.items) <= 6
    assert {"canvas", "innovativeness"} <= {i.source for i in draft.items}, [i.key for i in draft.items]
    assert any(p.required for p in draft.participants)


def test_a_session_too_short_for_three_items_gets_the_items_it_holds_not_a_failed_draft():
    from engagements.briefs.agenda import items_that_fit, timetable_for

    cluster = _split_canvas_cluster()
    draft = draft_brief(_context(cluster), _request("Agree our governance"), 15)  # the scheduling form's floor
    assert items_that_fit(15) == 1 and len(draft.items) == 1
    assert draft.items[0].key == "canvas:element-governance"  # the best one is kept
    assert sum(s.minutes for s in draft.timetable) == 15
    longer = draft_brief(_context(cluster), _request("Agree our governance"), 25)
    assert len(longer.items) == items_that_fit(25) == 3
    with pytest.raises(ValueError, match="keep at most 1 item on the agenda"):  # an edit says what would fit
        timetable_for(longer.items, 15)
