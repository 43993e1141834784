"""The cluster's report pages: progress, the delivered versions (HTML and PDF), sharing.

Cluster-scoped routes (core checks membership before the view runs; the engagement is
loaded with ``get_in_cluster_or_404``). Managers always read the report; plain members
only once a manager has shared it (403 until then). Only delivered versions are shown:
drafts stay with the consultant.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for

from core.api import current_cluster, get_in_cluster_or_404, manager_required
from engagements.lifecycle import Actor
from engagements.models import Engagement
from engagements.reports import delivery
from engagements.reports.forms import SharingForm
from engagements.reports.models import ReportVersion
from engagements.reports.versions import delivered_versions, get_version, members_can_read
from engagements.views.common import template_globals
from engagements.views.report_common import (
    document_response,
    pdf_file_response,
    progress_context,
    progress_fragment,
    require_report,
)

bp = Blueprint(
    "engagements_reports",
    __name__,
    url_prefix="/clusters/<int:cluster_id>/engagements/<int:engagement_id>/report",
    template_folder="../templates",
)
bp.context_processor(template_globals)


def _load(engagement_id: int) -> Engagement:
    """The cluster's report engagement; 403 for members until a manager shares the report."""
    engagement = require_report(get_in_cluster_or_404(Engagement, engagement_id))
    if not current_cluster().is_manager and not members_can_read(engagement.id):
        abort(403)
    return engagement


@bp.app_context_processor
def _report_helpers() -> dict[str, object]:
    return {"report_readable": _readable}


def _readable(engagement: Engagement) -> bool:
    """Whether the current cluster user may open the report pages (for links elsewhere)."""
    return current_cluster().is_manager or members_can_read(engagement.id)


def _delivered(engagement: Engagement, number: int) -> ReportVersion:
    version = get_version(engagement.id, number)
    if version is None or version.delivered_at is None:
        abort(404)
    return version


@bp.get("/")
def show(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    cluster = current_cluster()
    sharing = SharingForm(formdata=None, members_can_read=members_can_read(engagement.id))
    return render_template(
        "engagements/reports/cluster.html",
        e=engagement,
        cluster=cluster,
        versions=delivered_versions(engagement.id),
        sharing_form=sharing,
        **progress_context(engagement),
    )


@bp.get("/progress")
def progress(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    return progress_fragment(_load(engagement_id), staff=False)


@bp.get("/v<int:number>")
def document(cluster_id: int, engagement_id: int, number: int) -> Response:
    engagement = _load(engagement_id)
    return document_response(engagement, _delivered(engagement, number))


@bp.get("/v<int:number>.pdf")
def pdf(cluster_id: int, engagement_id: int, number: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    version = _delivered(engagement, number)
    if not version.pdf_name:  # delivered a moment ago: its final PDF is still being rendered
        flash("The PDF is being prepared; it will be ready in a moment.", "info")
        return redirect(url_for(".show", cluster_id=cluster_id, engagement_id=engagement.id), 303)
    return pdf_file_response(engagement, version)


@bp.post("/sharing")
@manager_required
def sharing(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    form = SharingForm()
    if not form.validate_on_submit():
        abort(400)
    shared = bool(form.members_can_read.data)
    delivery.set_sharing(engagement.id, shared, Actor(current_cluster().user_id, ""))
    flash("Members can now read the report." if shared else "Only managers can read the report now.",
          "success")
    return redirect(url_for(".show", cluster_id=cluster_id, engagement_id=engagement.id), 303)
