"""The report document (one HTML for the browser and the PDF) and its stored PDF.

``document_html`` gives a complete, self-contained HTML document (styles inline, the
tools' charts as inline SVG): the UI serves it as the HTML version, and
``render_version_pdf`` turns the same markup into the A4 PDF through ``core.api``
(``render_pdf`` with its restrictive URL fetcher), stores it through ``file_storage``
and records name, size, SHA-256 and page count on the version, once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import update

from core.api import cluster_names, db, file_storage, get_person, render_pdf_with_pages, utcnow
from engagements.models import Engagement
from engagements.reports.content import RecommendationEntry, ReportContent
from engagements.reports.models import ReportVersion

REPORT_TITLE = "Recommendation report"


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    anchor: str
    sub: bool = False


@dataclass(frozen=True)
class DocumentData:
    """Everything the document template reads (plain values; the template escapes text)."""

    title: str
    cluster_name: str
    engagement_title: str
    consultant_name: str
    number: int
    is_revision: bool
    delivered: bool
    date_label: str
    year: int
    content: ReportContent
    contents: tuple[ContentsEntry, ...]
    top_recommendations: tuple[RecommendationEntry, ...]
    as_of: tuple[tuple[str, str], ...]


def _date_label(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def _contents(content: ReportContent) -> tuple[ContentsEntry, ...]:
    entries = [ContentsEntry("Executive summary", "summary"), ContentsEntry("Findings by tool", "findings")]
    entries += [ContentsEntry(s.title, f"section-{i}", sub=True) for i, s in enumerate(content.sections, 1)]
    entries += [
        ContentsEntry("Recommendations", "recommendations"),
        ContentsEntry("Action plan", "action-plan"),
        ContentsEntry("Methodology and sources", "methods"),
        ContentsEntry("Attribution and licence", "licence"),
    ]
    return tuple(entries)


def document_data(
    version: ReportVersion,
    cluster_name: str | None = None,
    *,
    engagement_title: str | None = None,
    consultant_name: str | None = None,
) -> DocumentData:
    """Gather the document's values; names not given are looked up (engagement, consultant)."""
    content = ReportContent.from_json(version.content)
    if engagement_title is None or consultant_name is None:
        engagement = db.session.get(Engagement, version.engagement_id)
        if engagement_title is None:
            engagement_title = engagement.title if engagement else ""
        if consultant_name is None:
            person = get_person(engagement.consultant_id) if engagement else None
            consultant_name = (person.name or person.email) if person else ""
    if cluster_name is None:
        cluster_name = cluster_names([version.cluster_id]).get(version.cluster_id, "")
    moment = version.delivered_at or version.created_at or utcnow()
    # Tools first, then when the draft was composed; each tool's sources once (older drafts repeated them).
    as_of = tuple(
        (key.capitalize(), "; ".join(dict.fromkeys(value.split("; "))))
        for key, value in sorted(content.as_of.items())
        if key != "composed"
    ) + tuple(("Composed", _readable_utc(value)) for key, value in content.as_of.items() if key == "composed")
    return DocumentData(
        title=REPORT_TITLE,
        cluster_name=cluster_name,
        engagement_title=engagement_title,
        consultant_name=consultant_name,
        number=version.number,
        is_revision=bool(version.is_revision),
        delivered=version.delivered_at is not None,
        date_label=_date_label(moment),
        year=moment.year,
        content=content,
        contents=_contents(content),
        # The most urgent by priority; among equals, the consultant's order.
        top_recommendations=tuple(sorted(content.recommendations, key=lambda rec: rec.priority)[:3]),
        as_of=as_of,
    )


def document_html(
    version: ReportVersion,
    cluster_name: str | None = None,
    *,
    engagement_title: str | None = None,
    consultant_name: str | None = None,
) -> str:
    """The complete HTML document of ``version`` (works without a request: workers call it).

    ``cluster_name``, ``engagement_title`` and ``consultant_name`` are looked up when not given.
    """
    data = document_data(version, cluster_name, engagement_title=engagement_title, consultant_name=consultant_name)
    return current_app.jinja_env.get_template("engagements/reports/document.html").render(doc=data)


def pdf_storage_name(version: ReportVersion, sha256: str) -> str:
    """``reports/engagement-<id>/report-v<number>-<sha prefix>.pdf``: by engagement and version;
    the checksum prefix keeps a file and its recorded checksum matching even if rendered twice."""
    return f"reports/engagement-{version.engagement_id}/report-v{version.number}-{sha256[:12]}.pdf"


def pdf_filename(version: ReportVersion) -> str:
    """The name offered on download, e.g. ``recommendation-report-v2.pdf``."""
    return f"recommendation-report-v{version.number}.pdf"


def render_version_pdf(version_id: int) -> ReportVersion:
    """Render and store the version's PDF and fill its ``pdf_*`` fields; commits.

    Idempotent: a version already rendered is returned as is. If two renders race, the
    first to record its file wins and the other's file is deleted. Raises ``LookupError``
    for an unknown version.
    """
    version = db.session.get(ReportVersion, version_id, populate_existing=True)
    if version is None:
        raise LookupError(f"no report version {version_id}")
    if version.pdf_name:
        return version
    html = document_html(version)
    pdf, pages = render_pdf_with_pages(html, base_url=current_app.config["BASE_URL"])
    storage = file_storage()
    name = pdf_storage_name(version, hashlib.sha256(pdf).hexdigest())
    stored = storage.put(name, pdf)
    result = db.session.execute(
        update(ReportVersion)
        .where(ReportVersion.id == version_id, ReportVersion.pdf_name.is_(None))
        .values(pdf_name=stored.name, pdf_sha256=stored.sha256, pdf_size=stored.size, pdf_pages=pages,
                rendered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        current = db.session.get(ReportVersion, version_id, populate_existing=True)
        if current is not None and current.pdf_name != stored.name:
            storage.delete(stored.name)
    refreshed = db.session.get(ReportVersion, version_id, populate_existing=True)
    assert refreshed is not None
    return refreshed


def _readable_utc(value: str) -> str:
    """``2026-11-29T15:00:30+00:00`` as "29 November 2026, 15:00 UTC"; other text unchanged."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{moment:%d %B %Y, %H:%M} UTC"
