"""The consultant's changes to a brief: each save is a new immutable version.

Edit, move (up/down), drop or add an agenda item. Every save starts from the version the
consultant had open (``base_number``): if a newer one exists, or a redraft is running, the
save is refused as ``StaleEdit`` (HTTP 409) and nothing is lost (the form keeps its text).
After any change the timetable is recomputed for the workshop's current length
(``length.length_minutes``: the length fixed when the date was scheduled) by the drafting
rule's ``engagements.briefs.agenda.timetable_for``; items take their slot's minutes and
"who to invite" is recomputed from the items left. Two saves at once: the engagement row
is locked (PostgreSQL); on SQLite the unique ``(engagement_id, number)`` and a second look
after the insert refuse the later one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.api import db, quoted
from engagements import effects
from engagements.billing.payments import lock
from engagements.briefs import content as brief_content
from engagements.briefs.draft import AgendaItem, BriefDraft, Participant
from engagements.briefs.jobs import running_job
from engagements.briefs.length import length_minutes
from engagements.briefs.models import BriefVersion
from engagements.briefs.versions import draft_of, latest_version, next_number
from engagements.lifecycle import Actor

#: Limits on what an editor may type (characters; minutes), so a brief stays printable.
FIELD_MAX = {"title": 200, "question": 1000, "exercise": 2000, "decision_sought": 1000}
MINUTES_MIN, MINUTES_MAX = 5, 480
ITEMS_MAX = 12


class EditRefused(ValueError):
    """The change cannot be saved as sent; the message says why (HTTP 400)."""

    status_code = 400


class StaleEdit(EditRefused):
    """A newer version exists (or a redraft runs) since the editor opened the brief (HTTP 409)."""

    status_code = 409


@dataclass(frozen=True)
class ItemChange:
    """The editable fields of an agenda item, as typed (``minutes`` is the exercise's time box)."""

    title: str
    question: str = ""
    exercise: str = ""
    minutes: int = 30
    decision_sought: str = ""


def validate(change: ItemChange) -> ItemChange:
    """The change with surrounding spaces removed; ``EditRefused`` for a missing title, text
    over ``FIELD_MAX`` or minutes outside ``MINUTES_MIN``…``MINUTES_MAX``."""
    cleaned = ItemChange(change.title.strip(), change.question.strip(), change.exercise.strip(),
                         change.minutes, change.decision_sought.strip())
    if not cleaned.title:
        raise EditRefused("An agenda item needs a title.")
    for name, limit in FIELD_MAX.items():
        if len(getattr(cleaned, name)) > limit:
            raise EditRefused(f"The {name.replace('_', ' ')} is longer than {limit} characters.")
    if not MINUTES_MIN <= cleaned.minutes <= MINUTES_MAX:
        raise EditRefused(f"The time box is {MINUTES_MIN} to {MINUTES_MAX} minutes.")
    return cleaned


def with_timetable(draft: BriefDraft, items: tuple[AgendaItem, ...], length: int | None = None) -> BriefDraft:
    """``draft`` with ``items``, a timetable recomputed for ``length`` minutes (the workshop's
    current length; the draft's own when None) and "who to invite" recomputed from the items.

    Each item's ``minutes`` is set to its timetable slot (one truth: what the heading shows is
    what the timetable gives). Raises ``EditRefused`` when the length cannot hold the items.
    """
    from engagements.briefs.agenda import participants_from_items, timetable_for  # the drafting rule's

    minutes = length or draft.length_minutes
    try:
        timetable = tuple(timetable_for(items, minutes))
    except ValueError as exc:
        raise EditRefused(str(exc)) from None
    fitted = {slot.agenda_key: slot.minutes for slot in timetable if slot.agenda_key}
    items = tuple(replace(item, minutes=fitted.get(item.key, item.minutes)) for item in items)
    if any(item.actor_types for item in draft.items) or not draft.participants:
        participants = participants_from_items(items, draft.cluster_types)
    else:  # stored before items carried their actor types: keep those still on the agenda
        participants = _still_invited(draft, items)
    return replace(draft, items=items, timetable=timetable, length_minutes=minutes, participants=participants)


def _still_invited(draft: BriefDraft, items: tuple[AgendaItem, ...]) -> tuple[Participant, ...]:
    titles = {quoted(item.title) for item in items}
    kept = []
    for person in draft.participants:
        if not person.required:
            kept.append(person)
            continue
        topics = [t for t in person.reason.removeprefix("Stands apart on ").split(", ") if t in titles]
        if topics:
            kept.append(replace(person, reason="Stands apart on " + ", ".join(topics)))
    return tuple(kept)


def _index(draft: BriefDraft, key: str) -> int:
    for position, item in enumerate(draft.items):
        if item.key == key:
            return position
    raise EditRefused("That agenda item is not in this version (it may have been dropped).")


def edit_item(engagement_id: int, base_number: int, key: str, change: ItemChange, actor: Actor) -> BriefVersion:
    """Save ``change`` to item ``key`` as a new version; commits. Raises ``EditRefused``/``StaleEdit``."""
    cleaned = validate(change)

    def apply(draft: BriefDraft) -> tuple[BriefDraft, str]:
        position = _index(draft, key)
        old = draft.items[position]
        new = replace(old, title=cleaned.title, question=cleaned.question, exercise=cleaned.exercise,
                      minutes=cleaned.minutes, decision_sought=cleaned.decision_sought)
        if new == old:
            raise EditRefused("Nothing changed; no new version was made.")
        items = (*draft.items[:position], new, *draft.items[position + 1:])
        return replace(draft, items=items), f"Edited {quoted(new.title)}"

    return _save(engagement_id, base_number, apply, actor)


def move_item(engagement_id: int, base_number: int, key: str, step: int, actor: Actor) -> BriefVersion:
    """Move item ``key`` one place up (``step`` −1) or down (+1); commits."""
    if step not in (-1, 1):
        raise EditRefused("An item moves one place up or down.")

    def apply(draft: BriefDraft) -> tuple[BriefDraft, str]:
        position = _index(draft, key)
        target = position + step
        if not 0 <= target < len(draft.items):
            raise EditRefused("That item is already " + ("first." if step < 0 else "last."))
        items = list(draft.items)
        items[position], items[target] = items[target], items[position]
        return replace(draft, items=tuple(items)), f"Moved {quoted(draft.items[position].title)} {'up' if step < 0 else 'down'}"

    return _save(engagement_id, base_number, apply, actor)


def drop_item(engagement_id: int, base_number: int, key: str, actor: Actor) -> BriefVersion:
    """Drop item ``key`` (earlier versions keep it); commits."""

    def apply(draft: BriefDraft) -> tuple[BriefDraft, str]:
        position = _index(draft, key)
        items = draft.items[:position] + draft.items[position + 1:]
        return replace(draft, items=items), f"Dropped {quoted(draft.items[position].title)}"

    return _save(engagement_id, base_number, apply, actor)


def add_item(engagement_id: int, base_number: int, change: ItemChange, actor: Actor) -> BriefVersion:
    """Add an item of the consultant's own at the end (key ``added-<n>``); commits."""
    cleaned = validate(change)

    def apply(draft: BriefDraft) -> tuple[BriefDraft, str]:
        if len(draft.items) >= ITEMS_MAX:
            raise EditRefused(f"A brief holds at most {ITEMS_MAX} agenda items.")
        used = [int(i.key.split("-", 1)[1]) for i in draft.items if i.key.startswith("added-") and i.key[6:].isdigit()]
        item = AgendaItem(key=f"added-{max(used, default=0) + 1}", title=cleaned.title, question=cleaned.question,
                          evidence_html="", who_diverges="", exercise=cleaned.exercise, minutes=cleaned.minutes,
                          decision_sought=cleaned.decision_sought)
        return replace(draft, items=(*draft.items, item)), f"Added {quoted(item.title)}"

    return _save(engagement_id, base_number, apply, actor)


def _stale(latest: BriefVersion | None) -> StaleEdit:
    who = f" by {latest.created_by_label}" if latest and latest.created_by_label else ""
    return StaleEdit(
        f"Version {latest.number if latest else '?'} was saved{who} after you opened this brief. "
        "Your text is still in the form: look at the newer version and save again."
    )


def _save(engagement_id: int, base_number: int, apply: Callable[[BriefDraft], tuple[BriefDraft, str]],
          actor: Actor) -> BriefVersion:
    engagement = lock(engagement_id)
    latest = latest_version(engagement_id)
    if engagement is None or latest is None:
        effects.rollback()
        raise EditRefused("There is no brief to edit yet.")
    if not 1 <= base_number <= latest.number:  # no page ever showed such a version: no save to blame
        effects.rollback()
        raise StaleEdit(f"This brief has no version {base_number}; the latest is version {latest.number}. "
                        "Your text is still in the form: save again to change the latest version.")
    if latest.number != base_number:
        effects.rollback()
        raise _stale(latest)
    if running_job(engagement_id) is not None:
        effects.rollback()
        raise StaleEdit("A new draft is being prepared from the tools; edit it once it is ready.")
    try:
        draft, summary = apply(draft_of(latest))
        draft = with_timetable(draft, draft.items, length_minutes(engagement))  # the length fixed now
    except EditRefused:
        effects.rollback()
        raise
    version = BriefVersion(
        cluster_id=engagement.cluster_id, engagement_id=engagement_id, number=next_number(engagement_id),
        based_on=latest.number, content=brief_content.to_json(draft), change_summary=summary, state="draft",
        created_by_id=actor.user_id, created_by_label=actor.label[:120],
    )
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError:
        effects.rollback()
        raise _stale(latest_version(engagement_id)) from None
    overtaken = db.session.execute(
        select(func.count(BriefVersion.id)).where(
            BriefVersion.engagement_id == engagement_id, BriefVersion.number > base_number,
            BriefVersion.id != version.id,
        )
    ).scalar()
    if overtaken:
        effects.rollback()
        raise _stale(latest_version(engagement_id))
    effects.commit()
    return version
