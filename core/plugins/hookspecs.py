"""The hook contract between the platform and its plugins.

Every tool — the first-party canvas and self-assessment included — is a plugin
that implements some of these hooks. Implementations live in the plugin's
``plugin.py`` and are marked with ``core.api.hookimpl``. Results of list hooks
are flattened and sorted by their ``order`` field, never by load order.

Only ``designing_clusters_tool_info`` is required.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

from core.plugins.types import (
    AgreedOutcome,
    ClusterContext,
    Divergence,
    OutcomeAction,
    DemoCluster,
    Download,
    ExportLink,
    JobSource,
    Methodology,
    NavItem,
    PeriodicJob,
    PublicPage,
    Recommendation,
    ReportRequest,
    ReportSection,
    ToolInfo,
    UserContext,
    Widget,
)

if TYPE_CHECKING:
    import click
    from flask import Blueprint

PROJECT_NAME = "designing_clusters"
ENTRY_POINT_GROUP = "designing_clusters.plugins"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)

REQUIRED_HOOKS = ("designing_clusters_tool_info",)


@hookspec
def designing_clusters_tool_info() -> ToolInfo:
    """Describe the plugin. Required; called once at start-up.

    Example::

        @hookimpl
        def designing_clusters_tool_info():
            return ToolInfo(slug="canvas", title="Cluster canvas", summary="...",
                            version="1.0.0")
    """


@hookspec
def designing_clusters_blueprints() -> list[Blueprint]:
    """Return the plugin's Flask blueprints; called once in the app factory.

    Each blueprint's name must be the plugin's slug or start with ``<slug>_``.
    Cluster-scoped routes must take ``cluster_id`` in their URL
    (``/clusters/<int:cluster_id>/<slug>/...``): core then checks membership
    before the view runs and answers 404 to anyone outside the cluster.
    """


@hookspec
def designing_clusters_nav_items(cluster: ClusterContext) -> list[NavItem]:
    """Links for the cluster navigation; called on each cluster page.

    Example: ``[NavItem("Canvas", url_for("canvas.index", cluster_id=cluster.id), 10)]``
    """


@hookspec
def designing_clusters_user_nav(user: UserContext) -> list[NavItem]:
    """Links in the site header for a signed-in user (e.g. a consultant console).

    Called on every page for signed-in users; keep it free of queries. For a
    consultant, the first link (lowest ``order``) is also where they land after login.
    """


@hookspec
def designing_clusters_admin_nav() -> list[NavItem]:
    """Links added to the admin area's navigation (e.g. payments ledger)."""


@hookspec
def designing_clusters_dashboard_widgets(cluster: ClusterContext) -> list[Widget]:
    """Panels for the cluster dashboard (``templates/clusters/dashboard.html``).

    Called per dashboard view; an exception is logged and replaced by a notice.
    Keep the number of queries independent of the cluster's size.
    """


@hookspec
def designing_clusters_public_pages() -> list[PublicPage]:
    """Public pages of the tool, linked from the home page; called per request."""


@hookspec
def designing_clusters_downloads() -> list[Download]:
    """Files anyone may download (blank templates, guides); called per request."""


@hookspec
def designing_clusters_cli_commands() -> list[click.Command]:
    """Commands added under ``designing-clusters <slug> ...``; called at start-up."""


@hookspec
def designing_clusters_demo_data(cluster: DemoCluster) -> None:
    """Fill the demo cluster with this tool's demo content.

    Called by ``designing-clusters demo`` after core created the cluster and its
    members, inside the same transaction (do not commit).
    """


@hookspec
def designing_clusters_report_sections(cluster: ClusterContext, request: ReportRequest) -> list[ReportSection]:
    """Sections this tool adds to a cluster's recommendation report.

    Called by the report worker (app context, request context from ``BASE_URL``); the
    HTML must be self-contained (inline SVG). ``request`` (optional: name it only if
    needed) tells which engagement and moment the report is for. Example::

        @hookimpl
        def designing_clusters_report_sections(cluster, request):
            return [ReportSection("sample", "Sample", Markup("<p>…</p>"), summary="…",
                                  key_figures=(KeyFigure("Answers", "12"),), as_of="round 3")]
    """


@hookspec
def designing_clusters_recommendations(cluster: ClusterContext, request: ReportRequest) -> list[Recommendation]:
    """Recommendations drafted from this tool's results for the cluster (``request`` optional)."""


@hookspec
def designing_clusters_report_methodology() -> list[Methodology]:
    """How this tool's report results are produced and the sources they rest on.

    Printed in the report's "Methodology and sources" chapter. Example::

        Methodology("Cluster canvas", "Members place notes ...", ("Osterwalder & Pigneur (2010) ...",))
    """


@hookspec
def designing_clusters_exports(cluster: ClusterContext) -> list[ExportLink]:
    """Exports of the cluster's data this tool offers (listed on the dashboard)."""


@hookspec
def designing_clusters_delete_user_data(user_id: int) -> None:
    """Remove or anonymise the user's rows before their account is deleted.

    Called inside the deleting transaction (do not commit).
    """


@hookspec
def designing_clusters_periodic_jobs() -> list[PeriodicJob]:
    """Jobs the background worker runs on a schedule (Celery beat).

    Called when the worker starts. Example::

        PeriodicJob("purge-anonymous", purge_anonymous_answers, every_seconds=3600)

    The job's full name is ``<slug>.<name>``; a disabled plugin's jobs are skipped.
    """


@hookspec
def designing_clusters_job_sources() -> list[JobSource]:
    """Kinds of background work this plugin runs, for the admin's background-jobs page.

    Called when an admin opens the page and by the worker's failed-job alert sweep
    (app context). Example::

        JobSource("reports", "Report drafts", list_report_jobs, retry=retry_report_job)

    A job the source lists as ``failed`` is mailed to the admins once.
    """


@hookspec
def designing_clusters_divergences(cluster: ClusterContext, request: ReportRequest) -> list[Divergence]:
    """Where this tool measured that members disagree, for a workshop brief.

    Called by the worker drafting a brief (app context, request context from ``BASE_URL``);
    ``request`` (optional) names the workshop engagement and its goals. Leave out groups
    below ``MIN_GROUP_SIZE``. Example::

        @hookimpl
        def designing_clusters_divergences(cluster):
            return [Divergence("priority-x", "Priority X", "agreement", 42.0, "%", 0.58, 14,
                               Markup("<p>…</p>"), question="Should X come first?")]
    """


@hookspec
def designing_clusters_agreed_outcomes(cluster: ClusterContext) -> list[AgreedOutcome]:
    """Decisions recorded at this cluster's workshops (implemented by the service that runs them).

    Tools read them through ``core.api.agreed_outcomes(cluster)``.
    """


@hookspec
def designing_clusters_outcome_actions(
    cluster: ClusterContext, outcomes: tuple[AgreedOutcome, ...]
) -> list[OutcomeAction]:
    """One-click follow-ups this tool offers on a workshop's recorded outcomes (for managers)."""
