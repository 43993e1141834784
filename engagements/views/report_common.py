"""What the console and cluster report pages share: serving a version's HTML and PDF, progress."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, make_response, render_template, request

from core.api import cluster_names, file_storage
from engagements.models import Engagement
from engagements.reports import jobs
from engagements.reports.models import ReportVersion
from engagements.reports.versions import latest_version

#: Report files are confidential to the cluster: never kept by shared caches or the browser.
PRIVATE = "private, no-store"

#: The report document carries its own stylesheet (the same HTML is printed to PDF), so its
#: page allows inline styles; it allows no script at all, and loads nothing from elsewhere.
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def require_report(engagement: Engagement) -> Engagement:
    """404 for engagements whose service does not produce a report (workshops, sessions)."""
    if not engagement.kind_info.produces_report:
        abort(404)
    return engagement


def document_response(engagement: Engagement, version: ReportVersion) -> Response:
    """The report document of ``version`` as a page of its own (the HTML version of the PDF)."""
    from engagements.reports.render import document_html  # WeasyPrint loads only when needed

    cluster_name = cluster_names([engagement.cluster_id]).get(engagement.cluster_id, "")
    response = Response(document_html(version, cluster_name), mimetype="text/html")
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    response.headers["Cache-Control"] = PRIVATE
    return response


def pdf_file_response(engagement: Engagement, version: ReportVersion) -> Response:
    """The stored PDF of ``version`` as a download; 404 while it is not rendered."""
    storage = file_storage()
    if not version.pdf_name or not storage.exists(version.pdf_name):
        abort(404)
    suffix = "-revised" if version.is_revision else ""
    response = Response(storage.read(version.pdf_name), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="report-{engagement.id}-v{version.number}{suffix}.pdf"'
    )
    response.headers["Cache-Control"] = PRIVATE
    return response


def progress_context(engagement: Engagement) -> dict[str, Any]:
    """The latest job's progress (None before any job) for the progress fragment, and whether
    any version exists (so "not started" is never said of a report that has versions)."""
    return {
        "job_progress": jobs.progress(engagement.id),
        "has_versions": latest_version(engagement.id) is not None,
    }


def progress_fragment(engagement: Engagement, **context: Any) -> Response:
    """The progress fragment htmx polls. When a polled job has just finished, the answer asks
    htmx to reload the page, so the latest version, its PDF link and the history appear too."""
    progress = progress_context(engagement)
    response = make_response(render_template("engagements/reports/_progress.html", e=engagement,
                                             **context, **progress))
    finished = progress["job_progress"] is None or progress["job_progress"].is_terminal
    if finished and request.headers.get("HX-Request") == "true":
        response.headers["HX-Refresh"] = "true"
    return response
