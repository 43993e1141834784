"""From the tools' contributions to a draft: ``ReportContent`` stored as a new version.

- Sections keep the tools' order; a tool whose hook failed gives a section marked unavailable.
- The executive summary is one line per section summary (in section order), and the key
  figures are every section's key figures, labelled with their tool.
- Recommendations are prioritised by the tools' ``priority`` (1 = most urgent), then by
  their ``score`` (higher first; none last), then title — a stable, reproducible order.
- The consultant's own writing survives a regeneration: the introduction, closing notes,
  comments under sections (matched by section key) and recommendations they added
  (those with no tool) are carried over from the latest version.
- ``as_of`` records the data each tool used (its sections' ``as_of``) and the moment of
  composition (UTC), so a regenerated draft can be explained and reproduced.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.api import (
    ClusterContext,
    ReportContributions,
    ReportRequest,
    cluster_names,
    collect_report_contributions,
    db,
    utcnow,
)
from engagements.models import Engagement
from engagements.reports.content import (
    KeyFigure,
    MethodEntry,
    RecommendationEntry,
    ReportContent,
    SectionEntry,
)
from engagements.reports.models import ReportJob, ReportVersion

log = logging.getLogger(__name__)
DRAFT_SUMMARY = "Drafted by the report worker from the tools' current results"


def _priority_key(entry: RecommendationEntry) -> tuple[int, float, str]:
    score = entry.score if entry.score is not None else float("-inf")
    return (entry.priority, -score, entry.title.lower())


def prioritise(recommendations: list[RecommendationEntry]) -> tuple[RecommendationEntry, ...]:
    """Most urgent first: priority ascending, then score descending (none last), then title."""
    return tuple(sorted(recommendations, key=_priority_key))


def content_from(contributions: ReportContributions, previous: ReportContent | None, as_of_utc: str) -> ReportContent:
    """Build the draft's content from the collected contributions (pure: no database)."""
    comments = {s.key: s.comment for s in previous.sections} if previous else {}
    sections: list[SectionEntry] = []
    summary: list[str] = []
    figures: list[KeyFigure] = []
    as_of: dict[str, str] = {}
    for contributed in contributions.sections:
        section = contributed.section
        if section is None:
            key = f"{contributed.plugin}-unavailable"
            sections.append(SectionEntry(key=key, title=contributed.tool_title, plugin=contributed.plugin,
                                         unavailable=True, comment=comments.get(key, "")))
            continue
        sections.append(SectionEntry(
            key=section.key, title=section.title, plugin=contributed.plugin, html=str(section.html),
            summary=section.summary, order=section.order, comment=comments.get(section.key, ""),
        ))
        if section.summary:
            summary.append(section.summary)
        figures += [KeyFigure(f.label, f.value, contributed.plugin) for f in section.key_figures]
        known = as_of.get(contributed.plugin, "")
        if section.as_of and section.as_of not in known.split("; "):  # a tool's sections often share their data
            as_of[contributed.plugin] = "; ".join(filter(None, (known, section.as_of)))
    recommendations = [
        RecommendationEntry(
            key=r.key, title=r.title, rationale=r.rationale, actions=tuple(r.actions), priority=r.priority,
            owner_role=r.owner_role, horizon=r.horizon, indicator=r.indicator, source=r.source,
            driver=r.driver, plugin=c.plugin, score=r.score,
        )
        for c in contributions.recommendations
        for r in (c.recommendation,)
    ]
    if previous is not None:
        recommendations += [r for r in previous.recommendations if not r.plugin]
    as_of["composed"] = as_of_utc
    return ReportContent(
        introduction=previous.introduction if previous else "",
        closing_notes=previous.closing_notes if previous else "",
        executive_summary=tuple(summary),
        key_figures=tuple(figures),
        sections=tuple(sections),
        recommendations=prioritise(recommendations),
        methods=tuple(MethodEntry(m.plugin, m.methodology.title, m.methodology.method,
                                  tuple(m.methodology.references)) for m in contributions.methods),
        as_of=as_of,
    )


def _version(engagement_id: int, number: int) -> ReportVersion | None:
    return db.session.execute(
        select(ReportVersion).where(ReportVersion.engagement_id == engagement_id, ReportVersion.number == number)
    ).scalar_one_or_none()


def compose_draft(job: ReportJob) -> ReportVersion:
    """Collect, compose and insert the version the draft job reserved; commits.

    Idempotent: if that version exists already (an earlier attempt got this far, or a
    duplicate delivery won the unique constraint), it is returned unchanged.
    """
    existing = _version(job.engagement_id, job.version_number)
    if existing is not None:
        return existing
    engagement = db.session.get(Engagement, job.engagement_id)
    if engagement is None:
        raise LookupError(f"engagement {job.engagement_id} is gone")
    name = cluster_names([engagement.cluster_id]).get(engagement.cluster_id, "")
    now = utcnow()
    cluster = ClusterContext(id=engagement.cluster_id, name=name, user_id=engagement.consultant_id or 0,
                             role="manager", organisation_type="")
    request = ReportRequest(engagement_id=engagement.id, as_of=now, goals=engagement.goals or "",
                            title=engagement.title)
    previous = db.session.execute(
        select(ReportVersion).where(ReportVersion.engagement_id == job.engagement_id,
                                    ReportVersion.number < job.version_number)
        .order_by(ReportVersion.number.desc()).limit(1)
    ).scalar_one_or_none()
    previous_content = ReportContent.from_json(previous.content) if previous else None
    previous_number = previous.number if previous else None
    engagement_id, cluster_id, number = engagement.id, engagement.cluster_id, job.version_number
    by_id, by_label = job.requested_by_id, job.requested_by_label
    db.session.commit()  # nothing pending: a failing tool's rollback must not undo anything
    contributions = collect_report_contributions(cluster, request)
    for failure in contributions.failures:
        log.error("report for engagement %s: tool %s failed in %s", engagement_id, failure.plugin, failure.hook)
    content = content_from(contributions, previous_content, now.isoformat(timespec="seconds"))
    version = ReportVersion(
        engagement_id=engagement_id,
        cluster_id=cluster_id,
        number=number,
        based_on=previous_number,
        content=content.to_json(),
        as_of=json.dumps(content.as_of, ensure_ascii=False, sort_keys=True),
        change_summary=DRAFT_SUMMARY,
        created_by_id=by_id,
        created_by_label=by_label or "Report worker",
        created_at=now,
    )
    db.session.add(version)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _version(engagement_id, number)
        if existing is None:
            raise
        return existing
    return version
