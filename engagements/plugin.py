"""Paid engagements: catalogue, bookings, payments, refunds, consultant console (hookimpls only)."""

from __future__ import annotations

from pathlib import Path

from flask import url_for

from core.api import (
    AgreedOutcome,
    ClusterContext,
    DemoCluster,
    JobSource,
    NavItem,
    PublicPage,
    ToolInfo,
    UserContext,
    Widget,
    hookimpl,
)


@hookimpl
def designing_clusters_tool_info() -> ToolInfo:
    return ToolInfo(
        slug="engagements",
        title="Services",
        summary="Book facilitated workshops and consultant reviews, pay by card or invoice, follow delivery.",
        version="1.0.0",
        kind="service",
        order=90,
        required=True,  # Stripe's webhook and paid engagements must keep working
        migrations_dir=str(Path(__file__).parent / "migrations" / "versions"),
    )


@hookimpl
def designing_clusters_blueprints():  # type: ignore[no-untyped-def]
    from engagements.views import admin, cluster, console, public, report_cluster, report_console, webhooks
    from engagements.views import admin_money  # noqa: F401 - its routes (refunds due, ledger, seller) join admin.bp
    from engagements.views import brief_cluster, brief_console

    return [cluster.bp, public.bp, console.bp, admin.bp, webhooks.bp, report_cluster.bp, report_console.bp,
            brief_cluster.bp, brief_console.bp]


@hookimpl
def designing_clusters_nav_items(cluster: ClusterContext) -> list[NavItem]:
    return [NavItem("Services", url_for("engagements.index", cluster_id=cluster.id), 90)]


@hookimpl
def designing_clusters_dashboard_widgets(cluster: ClusterContext) -> list[Widget]:
    from engagements import bookings

    if cluster.is_consultant:  # the cluster's purchases are its members' business
        return []
    return [Widget("Services", bookings.dashboard_widget(cluster.id), 90)]


@hookimpl
def designing_clusters_user_nav(user: UserContext) -> list[NavItem]:
    if user.is_consultant or user.is_admin:
        return [NavItem("Consultant console", url_for("engagements_console.index"), 50)]
    return []


@hookimpl
def designing_clusters_admin_nav() -> list[NavItem]:
    return [
        NavItem("Engagements", url_for("engagements_admin.index"), 60),
        NavItem("Service catalogue", url_for("engagements_admin.services"), 61),
        NavItem("Payments ledger", url_for("engagements_admin.ledger_page"), 62),
        NavItem("Stripe events", url_for("engagements_admin.webhook_log"), 63),
    ]


@hookimpl
def designing_clusters_job_sources() -> list[JobSource]:
    from engagements.billing import webhook_jobs
    from engagements.reports import job_source

    return [job_source.SOURCE, webhook_jobs.SOURCE]


@hookimpl
def designing_clusters_public_pages() -> list[PublicPage]:
    return [
        PublicPage(
            "Services",
            url_for("engagements_public.index"),
            "Workshops and consultant reviews, booked and paid online.",
            90,
        )
    ]


@hookimpl
def designing_clusters_cli_commands():  # type: ignore[no-untyped-def]
    from engagements.cli import reconcile_command

    return [reconcile_command]


@hookimpl(trylast=True)  # the demo report is composed from the other tools' demo data
def designing_clusters_demo_data(cluster: DemoCluster) -> None:
    from engagements import demo

    demo.load(cluster)


@hookimpl
def designing_clusters_delete_user_data(user_id: int) -> None:
    from engagements import services_privacy

    services_privacy.forget_user(user_id)


@hookimpl
def designing_clusters_agreed_outcomes(cluster: ClusterContext) -> list[AgreedOutcome]:
    """The decisions recorded at this cluster's workshops, per agenda item (see ``briefs.outcomes``)."""
    from engagements.briefs import outcomes

    return outcomes.agreed_outcomes(cluster.id)
