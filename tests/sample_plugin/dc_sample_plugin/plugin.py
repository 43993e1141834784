"""Hook implementations only; it imports nothing from core but core.api."""

from flask import Blueprint, current_app, render_template, url_for
from markupsafe import Markup

from core.api import (
    ClusterContext,
    Divergence,
    DivergingGroup,
    KeyFigure,
    Methodology,
    NavItem,
    PeriodicJob,
    PublicPage,
    Recommendation,
    ReportRequest,
    ReportSection,
    ToolInfo,
    Widget,
    current_cluster,
    hookimpl,
)

bp = Blueprint("sample", __name__, template_folder="templates")


@bp.get("/tools/sample")
def public_page():  # type: ignore[no-untyped-def]
    return render_template("sample/public.html")


@bp.get("/clusters/<int:cluster_id>/sample")
def cluster_page(cluster_id: int):  # type: ignore[no-untyped-def]
    return render_template("sample/cluster.html", cluster=current_cluster())


@hookimpl
def designing_clusters_tool_info() -> ToolInfo:
    return ToolInfo(slug="sample", title="Sample outside tool", summary="Shows that outside plugins load.", version="1.0.0", order=50)


@hookimpl
def designing_clusters_blueprints() -> list[Blueprint]:
    return [bp]


@hookimpl
def designing_clusters_nav_items(cluster: ClusterContext) -> list[NavItem]:
    return [NavItem("Sample tool", url_for("sample.cluster_page", cluster_id=cluster.id), order=50)]


@hookimpl
def designing_clusters_dashboard_widgets(cluster: ClusterContext) -> list[Widget]:
    return [Widget("Sample widget", Markup("<p>Sample widget for {}</p>").format(cluster.name), order=50)]


@hookimpl
def designing_clusters_public_pages() -> list[PublicPage]:
    return [PublicPage("Sample public page", url_for("sample.public_page"), "An outside tool's page.")]


def say_hello() -> str:
    return f"sample job ran for {current_app.config['BASE_URL']}"


@hookimpl
def designing_clusters_periodic_jobs() -> list[PeriodicJob]:
    return [PeriodicJob("hello", say_hello, every_seconds=600)]


# Reports: a section written as a version-1 plugin would (it names only ``cluster``), and a
# recommendation that uses the newer ``request`` argument. Neither needs a change to core.
@hookimpl
def designing_clusters_report_sections(cluster: ClusterContext) -> list[ReportSection]:
    return [
        ReportSection(
            key="sample-section",
            title="Sample outside tool",
            html=Markup("<p>The sample tool found three shared projects in {}.</p>").format(cluster.name),
            order=50,
            summary="The sample tool counted three shared projects.",
            key_figures=(KeyFigure("Shared projects", "3"),),
            as_of="sample data, fixed",
        )
    ]


@hookimpl
def designing_clusters_recommendations(cluster: ClusterContext, request: ReportRequest) -> list[Recommendation]:
    return [
        Recommendation(
            key="sample-recommendation",
            title="Start a fourth shared project",
            rationale=f"Suggested by the sample tool for engagement {request.engagement_id}.",
            actions=("Pick a partner", "Write a one-page plan"),
            priority=2,
            source="sample",
            owner_role="Project lead",
            horizon="3–6 months",
            indicator="Shared projects running",
            score=0.7,
        )
    ]


@hookimpl
def designing_clusters_report_methodology() -> list[Methodology]:
    return [Methodology("Sample outside tool", "Counts shared projects.", ("Sample reference (2026).",))]


# Workshop briefs: one divergence, with the figure, a group apart and self-contained evidence.
@hookimpl
def designing_clusters_divergences(cluster: ClusterContext) -> list[Divergence]:
    return [
        Divergence(
            key="shared-projects",
            topic="Shared projects with partners abroad",
            measure="agreement",
            value=30.0,
            unit="%",
            spread=0.7,
            people=12,
            evidence=Markup('<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 10" role="img">'
                            "<title>Agreement 30 %</title>"
                            '<rect width="30" height="10" fill="#5e3c99"/></svg>'
                            "<figcaption>12 members answered the sample tool.</figcaption></figure>"),
            question="Should the cluster's shared projects look for partners abroad?",
            about="sample:projects",
            groups=(DivergingGroup("university", "higher", 4, "agreement 60 % against 20 % for the others"),),
            keywords=("international", "partners", "projects"),
        )
    ]
