"""Workshop decisions returning to the assessment: shown beside the drivers they concern.

A workshop's agreed outcome whose ``about`` is "innovativeness:driver:<code>" concerns
that driver; a round's results list them under the driver (codes this round's question
bank does not have are left out), newest workshop first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from core.api import AgreedOutcome
from plugins.innovativeness.bank import Driver, QuestionBank

ABOUT_PREFIX = "innovativeness:driver:"


@dataclass(frozen=True)
class DriverDecisions:
    driver: Driver
    decisions: tuple[AgreedOutcome, ...]


def decisions_by_driver(bank: QuestionBank, outcomes: Iterable[AgreedOutcome]) -> list[DriverDecisions]:
    """The bank's drivers (in bank order) that have agreed workshop items, each with its items."""
    found: dict[str, list[AgreedOutcome]] = {}
    for outcome in outcomes:
        if outcome.about.startswith(ABOUT_PREFIX) and outcome.decision.strip():
            found.setdefault(outcome.about.removeprefix(ABOUT_PREFIX), []).append(outcome)
    return [DriverDecisions(d, tuple(found[d.key])) for d in bank.drivers if d.key in found]
