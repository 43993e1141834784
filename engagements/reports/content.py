"""The content of one report version, as typed values and as the JSON stored with it.

Shapes (all strings are plain text unless named ``html``; ``html`` is self-contained
markup a tool rendered — inline SVG, no scripts — and is trusted as the tool's output):

- ``SectionEntry`` — one tool section: ``plugin`` is the tool's slug, ``unavailable``
  marks a tool whose hook failed (its ``html`` is then empty), ``comment`` is the
  consultant's note printed under the section.
- ``RecommendationEntry`` — one recommendation the consultant may edit: ``priority`` 1
  (most urgent) to 5, ``horizon`` e.g. "0–3 months", ``owner_role`` e.g. "Cluster
  manager", ``indicator`` what to measure to see progress, ``score`` the tool's urgency
  score (higher = more urgent; ``None`` for ones a consultant added).
- ``MethodEntry`` — how a tool produced its results and the references it rests on.
- ``ReportContent`` — the whole version: introduction, sections, recommendations (in the
  printed order), closing notes, the executive summary lines and key figures computed
  when the draft was composed, methods, and the "as of" description of the data used.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

CONTENT_SCHEMA = 1


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    plugin: str = ""


@dataclass(frozen=True)
class SectionEntry:
    key: str
    title: str
    plugin: str
    html: str = ""
    summary: str = ""
    order: int = 100
    unavailable: bool = False
    comment: str = ""


@dataclass(frozen=True)
class RecommendationEntry:
    key: str
    title: str
    rationale: str = ""
    actions: tuple[str, ...] = ()
    priority: int = 3
    owner_role: str = ""
    horizon: str = ""
    indicator: str = ""
    source: str = ""
    driver: str | None = None
    plugin: str = ""
    score: float | None = None


@dataclass(frozen=True)
class MethodEntry:
    plugin: str
    title: str
    method: str = ""
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportContent:
    introduction: str = ""
    closing_notes: str = ""
    executive_summary: tuple[str, ...] = ()
    key_figures: tuple[KeyFigure, ...] = ()
    sections: tuple[SectionEntry, ...] = ()
    recommendations: tuple[RecommendationEntry, ...] = ()
    methods: tuple[MethodEntry, ...] = ()
    #: tool slug -> which data it used ("canvas “As-is 2026”, agreed 2 Nov 2026").
    as_of: dict[str, str] = field(default_factory=dict)
    schema: int = CONTENT_SCHEMA

    def with_changes(self, **changes: Any) -> "ReportContent":
        return replace(self, **changes)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "ReportContent":
        """Parse stored content; unknown keys (from a newer schema) are ignored."""
        data = json.loads(text or "{}")
        return cls(
            introduction=data.get("introduction", ""),
            closing_notes=data.get("closing_notes", ""),
            executive_summary=tuple(data.get("executive_summary", ())),
            key_figures=tuple(_build(KeyFigure, item) for item in data.get("key_figures", ())),
            sections=tuple(_build(SectionEntry, item) for item in data.get("sections", ())),
            recommendations=tuple(
                _build(RecommendationEntry, {**item, "actions": tuple(item.get("actions", ()))})
                for item in data.get("recommendations", ())
            ),
            methods=tuple(
                _build(MethodEntry, {**item, "references": tuple(item.get("references", ()))})
                for item in data.get("methods", ())
            ),
            as_of=dict(data.get("as_of", {})),
            schema=int(data.get("schema", CONTENT_SCHEMA)),
        )


def _build(kind: type, item: dict[str, Any]) -> Any:
    known = {name for name in kind.__dataclass_fields__}
    return kind(**{k: v for k, v in item.items() if k in known})
