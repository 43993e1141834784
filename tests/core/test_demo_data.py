"""Demo data: once per plugin, so a plugin installed later gets its own; ``--reset`` rebuilds."""

from __future__ import annotations

import types

from sqlalchemy import func, select

from core.api import DemoCluster, ToolInfo, hookimpl
from core.clusters.models import Cluster, Membership
from core.extensions import db

seen: list[DemoCluster] = []


def late_plugin() -> types.ModuleType:
    module = types.ModuleType("late")

    @hookimpl
    def designing_clusters_tool_info():
        return ToolInfo(slug="late", title="Late tool", summary="", version="1")

    @hookimpl
    def designing_clusters_demo_data(cluster: DemoCluster) -> None:
        seen.append(cluster)

    module.designing_clusters_tool_info = designing_clusters_tool_info
    module.designing_clusters_demo_data = designing_clusters_demo_data
    return module


def test_a_plugin_installed_after_the_demo_gets_its_own_demo_content(app, make_app):
    seen.clear()
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    later = make_app(EXTRA_PLUGINS=[(late_plugin(), "late")])
    with later.app_context():
        result = later.test_cli_runner().invoke(args=["demo"])
        again = later.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "demo content added by: late" in result.output
    assert len(seen) == 1 and len(seen[0].members) == 23  # the existing members, handed over
    assert seen[0].members[0].email == "manager@aero-valley.example.org"
    assert "already loaded" in again.output and len(seen) == 1
    assert db.session.scalar(select(func.count()).select_from(Cluster)) == 1


def test_demo_reset_rebuilds_the_demo_cluster_with_every_tool_content(app):
    from plugins.canvas.models import Canvas

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    cluster = db.session.scalars(select(Cluster)).one()
    canvases_before = db.session.scalar(select(func.count()).select_from(Canvas))
    members_before = db.session.scalar(select(func.count()).select_from(Membership))
    assert canvases_before > 0
    cluster.description = "Edited by hand while trying things out"
    db.session.add(Canvas(cluster_id=cluster.id, title="Scratch canvas", framework_version="1"))
    db.session.commit()
    result = runner.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    rebuilt = db.session.scalars(select(Cluster)).one()
    assert rebuilt.description.startswith("A fictional aerospace cluster")
    assert db.session.scalar(select(func.count()).select_from(Canvas)) == canvases_before
    assert db.session.scalar(select(func.count()).select_from(Canvas).where(Canvas.title == "Scratch canvas")) == 0
    assert db.session.scalar(select(func.count()).select_from(Membership)) == members_before
    assert "canvas" in result.output and "engagements" in result.output
