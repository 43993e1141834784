"""Paged questionnaire logic shared by the quick test and by rounds.

A page holds a few drivers. Posted radio values are "1"-"5" or "dk". Moving
forward or submitting requires every statement on the page to be answered;
going back keeps whatever valid answers were given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from plugins.innovativeness.bank import Driver, QuestionBank
from plugins.innovativeness.scoring import DONT_KNOW

DONT_KNOW_FORM_VALUE = "dk"
MISSING = "Please choose an answer, or \"don't know\"."
OUT_OF_RANGE = "Choose a point from 1 to 5, or \"don't know\"."


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    total: int
    drivers: tuple[Driver, ...]

    @property
    def statement_keys(self) -> list[str]:
        return [s.key for d in self.drivers for s in d.statements]

    @property
    def is_last(self) -> bool:
        return self.number == self.total

    @property
    def progress_percent(self) -> int:
        return round(100 * (self.number - 1) / self.total)


def page_of(bank: QuestionBank, number: int) -> Page | None:
    pages = bank.pages()
    if not 1 <= number <= len(pages):
        return None
    return Page(number, len(pages), pages[number - 1])


def field_name(statement_key: str) -> str:
    return "a_" + statement_key.replace(".", "_")


def form_value(answer: int | None) -> str:
    if answer is None:
        return ""
    return DONT_KNOW_FORM_VALUE if answer == DONT_KNOW else str(answer)


def parse_page(page: Page, posted: Mapping[str, str], require_all: bool) -> tuple[dict[str, int], dict[str, str]]:
    """(answers for this page, error message by statement key)."""
    answers: dict[str, int] = {}
    errors: dict[str, str] = {}
    for key in page.statement_keys:
        raw = (posted.get(field_name(key)) or "").strip()
        if not raw:
            if require_all:
                errors[key] = MISSING
        elif raw == DONT_KNOW_FORM_VALUE:
            answers[key] = DONT_KNOW
        elif raw in {"1", "2", "3", "4", "5"}:
            answers[key] = int(raw)
        else:
            errors[key] = OUT_OF_RANGE
    return answers, errors


def first_incomplete_page(bank: QuestionBank, answers: Mapping[str, int]) -> int | None:
    """The first page with an unanswered statement (None when all are answered)."""
    for number, drivers in enumerate(bank.pages(), 1):
        if any(s.key not in answers for d in drivers for s in d.statements):
            return number
    return None


def answered_share(bank: QuestionBank, answers: Mapping[str, int]) -> int:
    """Percentage of the bank's statements answered (don't know included)."""
    keys = bank.statement_keys
    return round(100 * len(keys & answers.keys()) / len(keys))
