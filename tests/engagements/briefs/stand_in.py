"""The drafting rule for brief tests: the real one once merged
(``engagements.briefs.drafting`` / ``agenda``); until then a minimal stand-in, installed only
here, drafts one item per divergence (or one canvas item when no tool reports any) and lays
the items end to end. Assertions rely only on what both do (goals, length, 1+ item,
a timetable that covers every item)."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator

import pytest


def _stand_in_modules() -> tuple[types.ModuleType, types.ModuleType]:
    from core.api import collect_divergences
    from engagements.briefs.draft import AgendaItem, BriefDraft, TimetableSlot

    def timetable_for(items, length_minutes):  # type: ignore[no-untyped-def]
        slots, minute = [TimetableSlot(0, 15, "Welcome and goals")], 15
        for item in items:
            slots.append(TimetableSlot(minute, item.minutes, item.title, item.key))
            minute += item.minutes
        slots.append(TimetableSlot(minute, max(0, length_minutes - minute), "Decisions and next steps"))
        return tuple(slots)

    def draft_brief(cluster, request, length_minutes):  # type: ignore[no-untyped-def]
        found = collect_divergences(cluster, request).divergences
        items = tuple(
            AgendaItem(f"{c.plugin}:{c.divergence.key}", c.divergence.topic, c.divergence.question,
                       str(c.divergence.evidence), "", "Small groups, then a vote", 45, "Agree on it",
                       source=c.plugin, about=c.divergence.about, people=c.divergence.people)
            for c in found[:6]
        ) or (AgendaItem("canvas:value_propositions", "Value propositions", "Which offer comes first?",
                         "<p>agreement 40 %</p>", "Universities stand apart", "Dot voting", 45,
                         "One value proposition for next year", source="canvas",
                         about="canvas:element:value_propositions", people=9),)
        return BriefDraft(request.goals, items, (), timetable_for(items, length_minutes), length_minutes,
                          considered=len(found))

    drafting = types.ModuleType("engagements.briefs.drafting")
    drafting.draft_brief = draft_brief  # type: ignore[attr-defined]
    agenda = types.ModuleType("engagements.briefs.agenda")
    agenda.timetable_for = timetable_for  # type: ignore[attr-defined]
    return drafting, agenda


@pytest.fixture(autouse=True)
def drafting_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    try:
        importlib.import_module("engagements.briefs.drafting")
        importlib.import_module("engagements.briefs.agenda")
    except ModuleNotFoundError:
        drafting, agenda = _stand_in_modules()
        monkeypatch.setitem(sys.modules, "engagements.briefs.drafting", drafting)
        monkeypatch.setitem(sys.modules, "engagements.briefs.agenda", agenda)
    yield
