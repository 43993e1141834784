"""After the workshop: what it decided on each agenda item, and those decisions for the tools.

The consultant records a decision (with an owner and a due date) per agenda item of the
latest shared version (else the latest version). ``agreed_outcomes`` hands them to the
tools as ``core.api.AgreedOutcome`` (see ``engagements.plugin``), carrying the item's
``source`` (tool slug) and ``about`` so a tool recognises what it measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from core.api import AgreedOutcome, db, quoted, utcnow
from engagements import effects, zones
from engagements.billing.payments import lock
from engagements.briefs.draft import AgendaItem
from engagements.briefs.models import BriefOutcome, BriefVersion
from engagements.briefs.versions import draft_of, latest_version, shared_versions
from engagements.lifecycle import Actor
from engagements.models import Engagement

DECISION_MAX = 2000
OWNER_MAX = 120
#: States in which the workshop has taken place (a scheduled one once its start has passed).
AFTER_WORKSHOP = ("in_delivery", "delivered", "closed")


class OutcomeRefused(ValueError):
    """The outcomes cannot be recorded as sent; the message says why (HTTP 400)."""


@dataclass(frozen=True)
class OutcomeEntry:
    """What the consultant typed for one agenda item; an empty ``decision`` records nothing."""

    agenda_key: str
    decision: str
    owner: str = ""
    due: date | None = None


class StaleOutcomes(OutcomeRefused):
    """The form was built from another agenda version than the one outcomes now record
    against (HTTP 409): nothing is saved, so no decision lands on the wrong item."""


def agenda_version(engagement_id: int) -> BriefVersion | None:
    """The version outcomes are recorded against: the latest shared one, else the latest."""
    shared = shared_versions(engagement_id)
    return shared[0] if shared else latest_version(engagement_id)


def agenda_items(engagement_id: int) -> tuple[AgendaItem, ...]:
    """The items outcomes are recorded against (those of ``agenda_version``)."""
    version = agenda_version(engagement_id)
    return draft_of(version).items if version is not None else ()


def workshop_date(engagement: Engagement) -> date | None:
    """The workshop's local date (its cluster's time zone), None while it has no date."""
    return _decided_on(engagement)


def decided_on(engagement: Engagement, recorded_at: datetime) -> date:
    """When a decision was taken: the workshop's date if it has passed, else the day it
    was recorded (``recorded_at`` UTC) — never a date in the future."""
    recorded = recorded_at.date()
    held = _decided_on(engagement)
    return held if held is not None and held <= recorded else recorded


def workshop_held(engagement: Engagement) -> bool:
    """Whether the workshop has taken place: delivery started, or its start time has passed."""
    if engagement.state in AFTER_WORKSHOP:
        return True
    return engagement.state == "scheduled" and engagement.scheduled_for is not None and engagement.scheduled_for <= utcnow()


def record(engagement_id: int, entries: list[OutcomeEntry], actor: Actor, version_number: int | None = None) -> int:
    """Record (or overwrite) the decisions in ``entries``; commits; returns how many were saved.

    ``version_number`` is the agenda version the form was built from: if outcomes now record
    against another one, ``StaleOutcomes`` (nothing saved). Raises ``OutcomeRefused`` before
    the workshop, for an agenda item the brief does not have, for text over
    ``DECISION_MAX``/``OWNER_MAX``, a due date before the workshop, or when no decision was given.
    """
    engagement = lock(engagement_id)
    if engagement is None:
        effects.rollback()
        raise OutcomeRefused("No such engagement.")
    if not workshop_held(engagement):
        effects.rollback()
        raise OutcomeRefused("Outcomes are recorded after the workshop: start its delivery first.")
    current = agenda_version(engagement_id)
    if version_number is not None and (current is None or current.number != version_number):
        effects.rollback()
        raise StaleOutcomes(
            f"The agenda changed since this page was opened: decisions are now recorded against version "
            f"{current.number if current else '?'}. Nothing was saved; your text is kept below — check each "
            "decision sits on the right item and record again."
        )
    earliest = _decided_on(engagement)
    items = {item.key: item for item in agenda_items(engagement_id)}
    existing = {o.agenda_key: o for o in outcomes(engagement_id)}
    saved = 0
    for entry in entries:
        decision, owner = entry.decision.strip(), entry.owner.strip()
        item = items.get(entry.agenda_key)
        if item is None:
            effects.rollback()
            raise OutcomeRefused("That agenda item is not in the brief (reload the page).")
        if len(decision) > DECISION_MAX or len(owner) > OWNER_MAX:
            effects.rollback()
            raise OutcomeRefused(f"{quoted(item.title)}: a decision is at most {DECISION_MAX} characters "
                                 f"and an owner at most {OWNER_MAX}.")
        if not decision:
            continue
        if entry.due is not None and earliest is not None and entry.due < earliest:
            effects.rollback()
            raise OutcomeRefused(f"{quoted(item.title)}: the due date {entry.due.isoformat()} is before the workshop "
                                 f"({earliest.isoformat()}); give a date on or after it.")
        row = existing.get(entry.agenda_key)
        if row is None:
            row = BriefOutcome(cluster_id=engagement.cluster_id, engagement_id=engagement_id,
                               agenda_key=entry.agenda_key)
            db.session.add(row)
        row.topic, row.source, row.about = item.title[:200], item.source[:60], item.about[:200]
        row.decision, row.owner, row.due = decision, owner, entry.due
        row.recorded_by_id, row.recorded_by_label, row.recorded_at = actor.user_id, actor.label[:120], utcnow()
        saved += 1
    if not saved:
        effects.rollback()
        raise OutcomeRefused("Write at least one decision.")
    effects.commit()
    return saved


def outcomes(engagement_id: int) -> list[BriefOutcome]:
    """The decisions recorded for this workshop, in the order they were first recorded."""
    return list(db.session.execute(
        select(BriefOutcome).where(BriefOutcome.engagement_id == engagement_id).order_by(BriefOutcome.id)
    ).scalars())


def _decided_on(engagement: Engagement) -> date | None:
    if engagement.scheduled_for is None:
        return None
    zone = engagement.scheduled_time_zone or zones.cluster_zone(engagement.cluster_id)
    return zones.local(engagement.scheduled_for, zone).date()


def agreed_outcomes(cluster_id: int, engagement_id: int | None = None) -> list[AgreedOutcome]:
    """The cluster's recorded decisions as ``AgreedOutcome`` (one workshop's if ``engagement_id``)."""
    query = (
        select(BriefOutcome, Engagement)
        .join(Engagement, Engagement.id == BriefOutcome.engagement_id)
        .where(BriefOutcome.cluster_id == cluster_id, Engagement.cluster_id == cluster_id)
        .order_by(BriefOutcome.engagement_id.desc(), BriefOutcome.id)
    )
    if engagement_id is not None:
        query = query.where(BriefOutcome.engagement_id == engagement_id)
    return [
        AgreedOutcome(engagement_id=row.engagement_id, topic=row.topic, decision=row.decision, about=row.about,
                      source=row.source, owner=row.owner, due=row.due,
                      decided_on=decided_on(engagement, row.recorded_at))
        for row, engagement in db.session.execute(query).all()
    ]
