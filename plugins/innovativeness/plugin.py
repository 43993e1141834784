"""Cluster innovativeness self-assessment: hook implementations only.

Each hook delegates to the module that owns the behaviour. The question banks
are validated when this module is imported, so a bad bank entry stops the
platform at start-up with a message naming the file and the entry.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint, url_for

from core.api import (
    ClusterContext,
    DemoCluster,
    Divergence,
    ExportLink,
    Methodology,
    NavItem,
    PeriodicJob,
    PublicPage,
    Recommendation,
    ReportSection,
    ToolInfo,
    Widget,
    hookimpl,
)
from plugins.innovativeness import bank

bank.load_registry()

SLUG = "innovativeness"


@hookimpl
def designing_clusters_tool_info() -> ToolInfo:
    return ToolInfo(
        slug=SLUG,
        title="Cluster innovativeness self-assessment",
        summary=(
            "Give your view of how well the cluster supports innovation, driver by driver, alone in a quick test "
            "or with all members in assessment rounds that show where the community agrees and diverges."
        ),
        version="1.0.0",
        order=20,
        migrations_dir=str(Path(__file__).parent / "migrations" / "versions"),
    )


@hookimpl
def designing_clusters_blueprints() -> list[Blueprint]:
    from plugins.innovativeness.views import blueprints

    return blueprints()


@hookimpl
def designing_clusters_nav_items(cluster: ClusterContext) -> list[NavItem]:
    return [NavItem("Innovativeness", url_for("innovativeness.index", cluster_id=cluster.id), 20)]


@hookimpl
def designing_clusters_public_pages() -> list[PublicPage]:
    return [
        PublicPage(
            "Quick innovativeness test",
            url_for("innovativeness_quick.intro"),
            "How well does your cluster support innovation? Your view in about fifteen minutes, no account needed, "
            "with ideas for the weakest conditions.",
            20,
        )
    ]


@hookimpl
def designing_clusters_dashboard_widgets(cluster: ClusterContext) -> list[Widget]:
    from plugins.innovativeness.reporting import dashboard_widget

    return [dashboard_widget(cluster)]


@hookimpl
def designing_clusters_cli_commands() -> list[click.Command]:
    from plugins.innovativeness.cli import commands

    return commands()


@hookimpl
def designing_clusters_demo_data(cluster: DemoCluster) -> None:
    from plugins.innovativeness.demo import add_demo_rounds

    add_demo_rounds(cluster)


@hookimpl
def designing_clusters_report_sections(cluster: ClusterContext) -> list[ReportSection]:
    from plugins.innovativeness.reporting import report_sections

    return report_sections(cluster)


@hookimpl
def designing_clusters_recommendations(cluster: ClusterContext) -> list[Recommendation]:
    from plugins.innovativeness.reporting import recommendations

    return recommendations(cluster)


@hookimpl
def designing_clusters_report_methodology() -> list[Methodology]:
    from plugins.innovativeness.reporting import methodology

    return methodology()


@hookimpl
def designing_clusters_exports(cluster: ClusterContext) -> list[ExportLink]:
    from plugins.innovativeness.exports_links import export_links

    return export_links(cluster)


@hookimpl
def designing_clusters_delete_user_data(user_id: int) -> None:
    from plugins.innovativeness.privacy import delete_user_data

    delete_user_data(user_id)


@hookimpl
def designing_clusters_periodic_jobs() -> list[PeriodicJob]:
    from plugins.innovativeness.jobs import periodic_jobs

    return periodic_jobs()


@hookimpl
def designing_clusters_divergences(cluster: ClusterContext) -> list[Divergence]:
    from plugins.innovativeness.divergences import divergences

    return divergences(cluster)
