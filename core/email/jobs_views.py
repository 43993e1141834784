"""Progress of a cluster's bulk mail job, polled by htmx while it runs (managers only)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from core.clusters.access import manager_required
from core.email.bulk import progress

bp = Blueprint("mail_jobs", __name__)


@bp.get("/clusters/<int:cluster_id>/mail-jobs/<int:job_id>")
@manager_required
def show(cluster_id: int, job_id: int):  # type: ignore[no-untyped-def]
    job = progress(job_id, cluster_id) or abort(404)  # another cluster's job is not found
    return render_template("mail/_bulk_progress.html", bulk=job)
