"""The brief document (one HTML for the browser and the PDF) and its stored PDF.

``document_html`` is a complete, self-contained HTML document (styles inline, the tools'
evidence as inline SVG); ``render_brief_pdf`` prints the same markup to an A4 PDF through
``core.api.render_pdf_with_pages`` (Noto fonts: any script), stores it with
``file_storage`` and records name, size, SHA-256 and pages on the version, once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import CursorResult, update

from core.api import cluster_names, db, file_storage, get_person, render_pdf_with_pages, utcnow
from engagements.briefs.draft import BriefDraft
from engagements.briefs.models import BriefVersion
from engagements.briefs.versions import draft_of
from engagements.models import Engagement
from engagements import zones

BRIEF_TITLE = "Workshop brief"


@dataclass(frozen=True)
class BriefDocument:
    """What the document template reads (plain values; the template escapes text)."""

    title: str
    cluster_name: str
    engagement_title: str
    consultant_name: str
    number: int
    shared: bool
    when: str
    location: str
    draft: BriefDraft


def clock(minute: int) -> str:
    """Minutes from the start as "h:mm" (e.g. 95 → "1:35")."""
    return f"{minute // 60}:{minute % 60:02d}"


def document_data(version: BriefVersion) -> BriefDocument:
    engagement = db.session.get(Engagement, version.engagement_id)
    person = get_person(engagement.consultant_id) if engagement and engagement.consultant_id else None
    when = ""
    if engagement is not None and engagement.scheduled_for is not None:
        zone = engagement.scheduled_time_zone or zones.cluster_zone(engagement.cluster_id)
        when = zones.label(engagement.scheduled_for, zone)
    return BriefDocument(
        title=BRIEF_TITLE,
        cluster_name=cluster_names([version.cluster_id]).get(version.cluster_id, ""),
        engagement_title=engagement.title if engagement else "",
        consultant_name=(person.name or person.email) if person else "",
        number=version.number,
        shared=version.state == "shared",
        when=when,
        location=engagement.scheduled_location if engagement else "",
        draft=draft_of(version),
    )


def document_html(version: BriefVersion, back_url: str | None = None) -> str:
    """The complete HTML document of ``version`` (works without a request: workers call it);
    ``back_url`` adds a link back to the brief page (screen only, hidden in print)."""
    return current_app.jinja_env.get_template("engagements/briefs/document.html").render(
        doc=document_data(version), clock=clock, back_url=back_url
    )


def pdf_filename(version: BriefVersion) -> str:
    """The name offered on download, e.g. ``workshop-brief-12-v2.pdf``."""
    return f"workshop-brief-{version.engagement_id}-v{version.number}.pdf"


def render_brief_pdf(version_id: int) -> BriefVersion:
    """Render and store the version's PDF and fill its ``pdf_*`` fields; commits.

    Idempotent: a version already rendered is returned as is; if two renders race the first
    recorded file wins and the other is deleted. Raises ``LookupError`` for an unknown version.
    """
    version = db.session.get(BriefVersion, version_id, populate_existing=True)
    if version is None:
        raise LookupError(f"no brief version {version_id}")
    if version.pdf_name:
        return version
    pdf, pages = render_pdf_with_pages(document_html(version), base_url=current_app.config["BASE_URL"])
    sha = hashlib.sha256(pdf).hexdigest()
    storage = file_storage()
    stored = storage.put(f"briefs/engagement-{version.engagement_id}/brief-v{version.number}-{sha[:12]}.pdf", pdf)
    result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(BriefVersion)
        .where(BriefVersion.id == version_id, BriefVersion.pdf_name.is_(None))
        .values(pdf_name=stored.name, pdf_sha256=stored.sha256, pdf_size=stored.size, pdf_pages=pages,
                rendered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        current = db.session.get(BriefVersion, version_id, populate_existing=True)
        if current is not None and current.pdf_name != stored.name:
            storage.delete(stored.name)
    refreshed = db.session.get(BriefVersion, version_id, populate_existing=True)
    if refreshed is None:
        raise LookupError(f"brief version {version_id} was deleted while rendering")
    return refreshed
