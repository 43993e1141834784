"""What the console and cluster brief pages share: the document, its PDF, progress."""

from __future__ import annotations

from typing import Any

from flask import Response, abort

from core.api import file_storage
from engagements.briefs import jobs
from engagements.briefs.models import BriefVersion
from engagements.briefs.versions import latest_version
from engagements.models import Engagement
from engagements.views.report_common import DOCUMENT_CSP, PRIVATE


def require_workshop(engagement: Engagement) -> Engagement:
    """404 for engagements that have no brief (reports, facilitated sessions)."""
    if not jobs.has_brief(engagement):
        abort(404)
    return engagement


def document_response(version: BriefVersion, back_url: str | None = None) -> Response:
    """The brief of ``version`` as a page of its own (the HTML version of the PDF), with a
    link back to ``back_url``."""
    from engagements.briefs.render import document_html

    response = Response(document_html(version, back_url), mimetype="text/html")
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    response.headers["Cache-Control"] = PRIVATE
    return response


def pdf_response(version: BriefVersion) -> Response:
    """The version's PDF as a download, rendered (once, then stored) if it was not yet."""
    from engagements.briefs.render import pdf_filename, render_brief_pdf

    if not version.pdf_name:
        version = render_brief_pdf(version.id)
    storage = file_storage()
    if not version.pdf_name or not storage.exists(version.pdf_name):
        abort(404)
    response = Response(storage.read(version.pdf_name), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf_filename(version)}"'
    response.headers["Cache-Control"] = PRIVATE
    return response


def progress_context(engagement: Engagement) -> dict[str, Any]:
    """The latest brief job's progress (None before any), whether any version exists and the latest's number."""
    latest = latest_version(engagement.id)
    return {"job_progress": jobs.progress(engagement.id), "has_versions": latest is not None,
            "latest_number": latest.number if latest else None}
