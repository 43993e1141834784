"""A ``BriefDraft`` as the JSON stored in a brief version, and back.

The JSON is ``dataclasses.asdict`` of the draft (tuples as lists); reading ignores keys a
newer version of the shape added and fills defaults for keys an older one lacked.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any, TypeVar

from engagements.briefs.draft import AgendaItem, BriefDraft, Participant, TimetableSlot

T = TypeVar("T")


def to_json(draft: BriefDraft) -> str:
    """The stored form of ``draft`` (UTF-8 text, keys sorted so equal drafts give equal JSON)."""
    return json.dumps(asdict(draft), ensure_ascii=False, sort_keys=True)


def _build(cls: type[T], data: dict[str, Any]) -> T:
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in known})


def from_json(text: str) -> BriefDraft:
    """The draft stored as ``text``; raises ``ValueError`` for text that is not a stored draft."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a stored brief is a JSON object")
    return BriefDraft(
        goals=data.get("goals", ""),
        items=tuple(_build(AgendaItem, {**item, "actor_types": tuple(item.get("actor_types", ()))})
                    for item in data.get("items", ())),
        participants=tuple(_build(Participant, p) for p in data.get("participants", ())),
        timetable=tuple(_build(TimetableSlot, s) for s in data.get("timetable", ())),
        length_minutes=int(data.get("length_minutes", 0)),
        considered=int(data.get("considered", 0)),
        unavailable=tuple(data.get("unavailable", ())),
        cluster_types=tuple(data.get("cluster_types", ())),
    )
