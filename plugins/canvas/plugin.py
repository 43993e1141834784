"""Cluster business model canvas: hook implementations only (logic lives in the modules they call)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template, url_for
from markupsafe import Markup
from sqlalchemy import delete, update

from core.api import (
    AgreedOutcome,
    ClusterContext,
    DemoCluster,
    Divergence,
    Download,
    ExportLink,
    Methodology,
    NavItem,
    OutcomeAction,
    PublicPage,
    Recommendation,
    ReportSection,
    ToolInfo,
    Widget,
    db,
    hookimpl,
)

SLUG = "canvas"


@hookimpl
def designing_clusters_tool_info() -> ToolInfo:
    return ToolInfo(
        slug=SLUG,
        title="Cluster business model canvas",
        summary="Members describe how the cluster creates value, vote on each other's notes and agree on one canvas.",
        version="1.0.0",
        kind="tool",
        order=10,
        migrations_dir=str(Path(__file__).parent / "migrations" / "versions"),
    )


@hookimpl
def designing_clusters_blueprints() -> list[Blueprint]:
    from plugins.canvas.views import blueprints

    return blueprints()


@hookimpl
def designing_clusters_nav_items(cluster: ClusterContext) -> list[NavItem]:
    return [NavItem("Canvas", url_for("canvas.index", cluster_id=cluster.id), 10)]


@hookimpl
def designing_clusters_dashboard_widgets(cluster: ClusterContext) -> list[Widget]:
    from plugins.canvas.queries import canvas_summaries

    summaries = canvas_summaries(cluster.id, statuses=("open", "consolidation"))
    html = render_template("canvas/widget.html", summaries=summaries, cluster_id=cluster.id, is_manager=cluster.is_manager)
    return [Widget("Business model canvas", Markup(html), 10)]


@hookimpl
def designing_clusters_public_pages() -> list[PublicPage]:
    return [
        PublicPage(
            "Cluster business model canvas",
            url_for("canvas_public.page"),
            "Describe with your members how the cluster creates value; free A3 canvas and guide.",
            10,
        )
    ]


@hookimpl
def designing_clusters_downloads() -> list[Download]:
    from plugins.canvas.elements import framework

    fw = framework()
    # Our adaptation's licence, and the source paper's own, kept apart.
    licence = f"{fw.licence.name} for our adaptation; source paper {fw.citation.licence}"
    return [
        Download("Blank cluster business model canvas (A3 PDF)", url_for("canvas_public.blank_canvas"),
                 licence=licence, order=10),
        Download("Canvas application guide (PDF)", url_for("canvas_public.guide"), licence=licence, order=11),
    ]


@hookimpl
def designing_clusters_demo_data(cluster: DemoCluster) -> None:
    from plugins.canvas.demo import fill_demo_cluster

    fill_demo_cluster(cluster)


@hookimpl
def designing_clusters_report_sections(cluster: ClusterContext) -> list[ReportSection]:
    from plugins.canvas.reporting import report_sections

    return report_sections(cluster)


@hookimpl
def designing_clusters_recommendations(cluster: ClusterContext) -> list[Recommendation]:
    from plugins.canvas.reporting import recommendations

    return recommendations(cluster)


@hookimpl
def designing_clusters_report_methodology() -> list[Methodology]:
    from plugins.canvas.reporting import methodology

    return methodology()


@hookimpl
def designing_clusters_exports(cluster: ClusterContext) -> list[ExportLink]:
    from plugins.canvas.queries import canvas_summaries

    links: list[ExportLink] = []
    # The dashboard's widget already read these this request: no statement of its own.
    for rank, summary in enumerate(canvas_summaries(cluster.id)[:3]):
        args = {"cluster_id": cluster.id, "canvas_id": summary.id}
        base = 10 + rank * 4
        links += [
            ExportLink(f"Canvas “{summary.title}” (A3 PDF)", url_for("canvas.export_pdf", **args), "application/pdf", base),
            ExportLink(f"Canvas “{summary.title}”: notes (CSV)", url_for("canvas.export_notes_csv", **args), "text/csv", base + 1),
        ]
        if cluster.is_consultant:  # aggregates only: tallies per note, no row per vote
            links.append(ExportLink(f"Canvas “{summary.title}”: notes with tallies (JSON)",
                                    url_for("canvas.export_json", **args), "application/json", base + 3))
            continue
        links += [
            ExportLink(f"Canvas “{summary.title}”: votes (CSV)", url_for("canvas.export_votes_csv", **args), "text/csv", base + 2),
            ExportLink(f"Canvas “{summary.title}”: notes and votes (JSON)", url_for("canvas.export_json", **args),
                       "application/json", base + 3),
        ]
    return links


@hookimpl
def designing_clusters_delete_user_data(user_id: int) -> None:
    """Votes and role marks go; notes stay, detached from the person (organisation type only)."""
    from plugins.canvas.models import Canvas, Event, Note, RoleMark, Snapshot, Vote

    db.session.execute(delete(Vote).where(Vote.user_id == user_id))
    db.session.execute(delete(RoleMark).where(RoleMark.user_id == user_id))
    db.session.execute(
        update(Note).where(Note.author_id == user_id).values(author_id=None, version=Note.version + 1)
    )
    db.session.execute(update(Event).where(Event.actor_id == user_id).values(actor_id=None))
    db.session.execute(update(Canvas).where(Canvas.created_by_id == user_id).values(created_by_id=None))
    db.session.execute(update(Snapshot).where(Snapshot.created_by_id == user_id).values(created_by_id=None))


@hookimpl
def designing_clusters_divergences(cluster: ClusterContext) -> list[Divergence]:
    from plugins.canvas.divergences import divergences

    return divergences(cluster)


@hookimpl
def designing_clusters_outcome_actions(cluster: ClusterContext, outcomes: tuple[AgreedOutcome, ...]) -> list[OutcomeAction]:
    from plugins.canvas.outcomes import outcome_actions

    return outcome_actions(cluster, outcomes)
