"""Hook implementations only; it imports nothing from core but core.api."""

from flask import Blueprint, current_app, render_template, url_for
from markupsafe import Markup

from core.api import (
    ClusterContext,
    NavItem,
    PeriodicJob,
    PublicPage,
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
