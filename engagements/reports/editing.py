"""A consultant's save: a new immutable version made from the latest one.

``save_edit`` never changes a stored version. It checks that the editor's base is
still the latest version (otherwise ``StaleEdit``, HTTP 409, carrying the latest
version so the page can show both texts, as the canvas does for notes), builds the
new content, writes who/when/what changed, and asks the worker to render its PDF
(``jobs.create_render_job``, sent after the commit).

Two saves at once: the engagement row is locked (PostgreSQL) so the second waits and
then sees a newer latest; on SQLite, or should both pass the check, the unique
``(engagement_id, number)`` constraint refuses the second insert, which also
becomes ``StaleEdit``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from core.api import db
from engagements import effects
from engagements.billing.payments import lock
from engagements.lifecycle import Actor, transition
from engagements.reports import jobs
from engagements.reports.content import RecommendationEntry, ReportContent
from engagements.reports.models import ReportJob, ReportVersion
from engagements.reports.versions import content_of, latest_version

#: Limits on what an editor may type (characters), so a report stays printable.
TEXT_MAX = 10_000
FIELD_MAX = {
    "title": 200, "rationale": 4000, "owner_role": 120, "horizon": 60, "indicator": 300, "action": 500,
}
ACTIONS_MAX = 20
RECOMMENDATIONS_MAX = 40
PRIORITIES = range(1, 6)


class EditRefused(ValueError):
    """The edit cannot be saved as sent; the message says why (HTTP 400)."""

    status_code = 400


class NothingChanged(EditRefused):
    """The edit is identical to its base: no version is made."""


class StaleEdit(EditRefused):
    """Someone saved (or a draft was generated) after the editor opened the form (HTTP 409).

    ``latest`` is the newest version, whose texts the page shows next to the editor's.
    """

    status_code = 409

    def __init__(self, message: str, latest: ReportVersion | None) -> None:
        super().__init__(message)
        self.latest = latest


@dataclass(frozen=True)
class RecommendationChange:
    """One recommendation as the editor left it. ``key`` is empty for a new one."""

    title: str
    rationale: str = ""
    actions: tuple[str, ...] = ()
    priority: int = 3
    owner_role: str = ""
    horizon: str = ""
    indicator: str = ""
    key: str = ""


@dataclass(frozen=True)
class ReportEdit:
    """Everything the editor can change; ``recommendations`` are in the printed order
    (one left out is removed); ``comments`` maps a section key to its comment."""

    introduction: str
    closing_notes: str
    comments: dict[str, str] = field(default_factory=dict)
    recommendations: tuple[RecommendationChange, ...] = ()


def save_edit(engagement_id: int, base_number: int, changes: ReportEdit, actor: Actor) -> ReportVersion:
    """Save ``changes`` made to version ``base_number`` as the next version; commit; return it.

    Raises ``EditRefused`` (bad input, or no draft yet), ``NothingChanged`` and ``StaleEdit``.
    Moves a paid engagement to "in delivery" (writing the report has started).
    """
    engagement = lock(engagement_id)
    latest = latest_version(engagement_id)
    if engagement is None or latest is None:
        effects.rollback()
        raise EditRefused("There is no draft to edit yet.")
    if not 1 <= base_number <= latest.number:  # no page ever showed such a version: no save to blame
        effects.rollback()
        raise StaleEdit(f"This report has no version {base_number}; the latest is version {latest.number}. "
                        "Your text is still in the form: save again to change the latest version.", latest)
    if latest.number != base_number:
        effects.rollback()
        raise StaleEdit(_stale_message(latest), latest)
    if _draft_running(engagement_id):
        effects.rollback()
        raise StaleEdit("A new draft is being generated from the tools; edit it once it is ready.", latest)
    base = content_of(latest)
    content = apply_edit(base, changes)
    summary = describe_changes(base, content)
    if not summary:
        effects.rollback()
        raise NothingChanged(f"Nothing changed since version {latest.number}; no new version was made.")
    version = ReportVersion(
        cluster_id=engagement.cluster_id,
        engagement_id=engagement_id,
        number=jobs.next_version_number(engagement_id),
        based_on=latest.number,
        content=content.to_json(),
        as_of=latest.as_of,
        change_summary="Edited: " + "; ".join(summary),
        created_by_id=actor.user_id,
        created_by_label=actor.label,
        is_revision=_has_delivered(engagement_id),
    )
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError:
        effects.rollback()
        newest = latest_version(engagement_id)
        raise StaleEdit(_stale_message(newest), newest) from None
    # SQLite has no row lock: another save may have committed between our check and our insert.
    # Our insert now holds the write lock, so a second look sees every version saved before it.
    overtaken = db.session.execute(
        select(func.count(ReportVersion.id)).where(
            ReportVersion.engagement_id == engagement_id,
            ReportVersion.number > base_number,
            ReportVersion.id != version.id,
        )
    ).scalar()
    if overtaken:
        effects.rollback()
        newest = latest_version(engagement_id)
        raise StaleEdit(_stale_message(newest), newest)
    if engagement.state == "paid":
        transition(engagement_id, "paid", "in_delivery", actor, "Report writing started")
    jobs.create_render_job(version, actor)
    effects.commit()
    return version


def apply_edit(base: ReportContent, changes: ReportEdit) -> ReportContent:
    """The content ``base`` becomes with ``changes``; raises ``EditRefused`` for bad input.

    Fields the editor does not see (a recommendation's source tool, score, driver) are
    kept from the base by key; a key the base does not know is treated as a new one.
    """
    by_key = {rec.key: rec for rec in base.recommendations}
    if len(changes.recommendations) > RECOMMENDATIONS_MAX:
        raise EditRefused(f"A report holds at most {RECOMMENDATIONS_MAX} recommendations.")
    recommendations = []
    used: set[str] = set()
    for position, change in enumerate(changes.recommendations, start=1):
        _validate(change, position)
        original = by_key.get(change.key) if change.key not in used else None
        values = {
            "title": change.title.strip(),
            "rationale": change.rationale.strip(),
            "actions": tuple(a.strip() for a in change.actions if a.strip()),
            "priority": change.priority,
            "owner_role": change.owner_role.strip(),
            "horizon": change.horizon.strip(),
            "indicator": change.indicator.strip(),
        }
        if original is not None:
            entry = replace(original, **values)
        else:
            entry = RecommendationEntry(key=f"c-{secrets.token_hex(4)}", source="consultant", **values)
        used.add(entry.key)
        recommendations.append(entry)
    for comment in changes.comments.values():
        if len(comment) > TEXT_MAX:
            raise EditRefused(f"The comment on a section is longer than {TEXT_MAX} characters.")
    sections = tuple(
        replace(section, comment=changes.comments.get(section.key, section.comment).strip())
        for section in base.sections
    )
    for label, text in (("introduction", changes.introduction), ("closing notes", changes.closing_notes)):
        if len(text) > TEXT_MAX:
            raise EditRefused(f"The {label} are longer than {TEXT_MAX} characters.")
    return base.with_changes(
        introduction=changes.introduction.strip(),
        closing_notes=changes.closing_notes.strip(),
        sections=sections,
        recommendations=tuple(recommendations),
    )


def describe_changes(before: ReportContent, after: ReportContent) -> list[str]:
    """Short phrases for the history ("introduction", "recommendation “X” edited (priority)")."""
    changes = []
    if before.introduction != after.introduction:
        changes.append("introduction")
    for old, new in zip(before.sections, after.sections):
        if old.comment != new.comment:
            changes.append(f"comment on “{new.title}”")
    old_recs = {r.key: r for r in before.recommendations}
    new_recs = {r.key: r for r in after.recommendations}
    for rec in after.recommendations:
        if rec.key not in old_recs:
            changes.append(f"recommendation “{rec.title}” added")
            continue
        fields = [name for name in _EDITABLE if getattr(old_recs[rec.key], name) != getattr(rec, name)]
        if fields:
            changes.append(f"recommendation “{rec.title}” edited ({', '.join(_LABELS[f] for f in fields)})")
    changes += [
        f"recommendation “{r.title}” removed" for r in before.recommendations if r.key not in new_recs
    ]
    kept_before = [r.key for r in before.recommendations if r.key in new_recs]
    kept_after = [r.key for r in after.recommendations if r.key in old_recs]
    if kept_before != kept_after:
        changes.append("recommendations reordered")
    if before.closing_notes != after.closing_notes:
        changes.append("closing notes")
    return changes


_EDITABLE = ("title", "rationale", "actions", "priority", "owner_role", "horizon", "indicator")
_LABELS = {
    "title": "title",
    "rationale": "rationale",
    "actions": "actions",
    "priority": "priority",
    "owner_role": "owner role",
    "horizon": "horizon",
    "indicator": "indicator",
}


def _validate(change: RecommendationChange, position: int) -> None:
    if not change.title.strip():
        raise EditRefused(f"Recommendation {position} needs a title (or tick “remove”).")
    if change.priority not in PRIORITIES:
        raise EditRefused(f"Recommendation {position}: the priority is 1 (most urgent) to 5.")
    for name in ("title", "rationale", "owner_role", "horizon", "indicator"):
        if len(getattr(change, name)) > FIELD_MAX[name]:
            raise EditRefused(
                f"Recommendation {position}: the {_LABELS[name]} is longer than {FIELD_MAX[name]} characters."
            )
    actions = [a for a in change.actions if a.strip()]
    if len(actions) > ACTIONS_MAX or any(len(a) > FIELD_MAX["action"] for a in actions):
        raise EditRefused(
            f"Recommendation {position}: at most {ACTIONS_MAX} actions "
            f"of {FIELD_MAX['action']} characters each."
        )


def _stale_message(latest: ReportVersion | None) -> str:
    who = f" by {latest.created_by_label}" if latest and latest.created_by_label else ""
    number = latest.number if latest else "?"
    return (
        f"Version {number} was saved{who} after you opened the editor. Its texts are shown next to yours; "
        "your changes are kept in the form so you can merge the two and save again."
    )


def _draft_running(engagement_id: int) -> bool:
    return bool(
        db.session.execute(
            select(
                exists().where(
                    ReportJob.engagement_id == engagement_id,
                    ReportJob.kind == "draft",
                    ReportJob.state.in_(("queued", "collecting", "rendering")),
                )
            )
        ).scalar()
    )


def _has_delivered(engagement_id: int) -> bool:
    return bool(
        db.session.execute(
            select(
                exists().where(
                    ReportVersion.engagement_id == engagement_id, ReportVersion.delivered_at.is_not(None)
                )
            )
        ).scalar()
    )
