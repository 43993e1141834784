"""Kinds of service: what was bought decides dates, wording and what is delivered.

A workshop and a facilitated session happen on a date the consultant fixes (an
.ics invitation, cancellation tiers counted in days before that date); a report
has no date: it is written by the consultant with the report worker's draft and
delivered as a document.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceKind:
    """``noun`` is used in sentences ("the workshop"); ``has_date`` means a date is fixed."""

    key: str
    label: str
    noun: str
    has_date: bool
    produces_report: bool


KINDS: dict[str, ServiceKind] = {
    "workshop": ServiceKind("workshop", "Workshop", "workshop", has_date=True, produces_report=False),
    "session": ServiceKind("session", "Facilitated session", "session", has_date=True, produces_report=False),
    "report": ServiceKind("report", "Recommendation report", "report", has_date=False, produces_report=True),
}
DEFAULT_KIND = "workshop"


def get_kind(key: str | None) -> ServiceKind:
    """The kind for ``key``; unknown keys (old rows, typos) fall back to a workshop."""
    return KINDS.get(key or DEFAULT_KIND, KINDS[DEFAULT_KIND])


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in KINDS.values()]
