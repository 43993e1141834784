"""Scores of one respondent: statements -> drivers (0-100) -> overall index.

Answers are integers: 1-5 on the agreement scale, or ``DONT_KNOW`` (0). A
"don't know" is counted but never scored. A reverse-scored statement counts
``6 - answer``. A driver's score is the weighted mean of its answered
statements mapped onto 0-100 ((value - 1) / 4 * 100), given only when at least
half of its statements got a 1-5 answer (``MIN_ANSWERED_SHARE``: a score from
one statement out of five says little about the driver); the overall index is
the weighted mean of the scored drivers, using the drivers' weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from plugins.innovativeness.bank import QuestionBank
from plugins.innovativeness.thresholds import MIN_ANSWERED_SHARE

DONT_KNOW = 0
VALID_ANSWERS = frozenset({DONT_KNOW, 1, 2, 3, 4, 5})


@dataclass(frozen=True)
class DriverScore:
    driver_key: str
    score: float | None  # None when under half of the statements got a 1-5 answer
    answered: int
    dont_know: int


@dataclass(frozen=True)
class RespondentScores:
    drivers: dict[str, DriverScore]
    overall: float | None


def clamp(value: float) -> float:
    """Keep a weighted mean inside 0-100 despite floating-point rounding."""
    return 0.0 if value < 0 else 100.0 if value > 100 else value


def statement_points(value: int, reverse: bool) -> float:
    """Map one 1-5 answer onto 0-100, flipping reverse-scored statements."""
    if value not in VALID_ANSWERS or value == DONT_KNOW:
        raise ValueError(f"not a scored answer: {value!r}")
    agreement = 6 - value if reverse else value
    return (agreement - 1) * 25.0


def score_respondent(bank: QuestionBank, answers: Mapping[str, int]) -> RespondentScores:
    """All driver scores and the overall index for one set of answers."""
    drivers = {
        key: DriverScore(key, score, answered, dont_know)
        for key, score, answered, dont_know in driver_scores(bank, answers)
    }
    return RespondentScores(drivers, overall_index(bank, {k: d.score for k, d in drivers.items()}))


def enough_answered(answered: int, statements: int) -> bool:
    """At least ``MIN_ANSWERED_SHARE`` of a driver's statements answered 1-5."""
    return answered > 0 and answered >= MIN_ANSWERED_SHARE * statements


def driver_scores(bank: QuestionBank, answers: Mapping[str, int]) -> list[tuple[str, float | None, int, int]]:
    """(driver key, score, answered, don't know) per driver, in bank order.

    The hot loop of round aggregation; it walks the bank's precomputed plan.
    Answers outside 0-5 must have been refused before they were stored.
    """
    out = []
    get = answers.get
    for driver_key, statements in bank.scoring_plan:
        total = weights = 0.0
        answered = dont_know = 0
        for key, weight, points in statements:
            value = get(key)
            if value is None:
                continue
            if value == DONT_KNOW:
                dont_know += 1
                continue
            total += weight * points[value]
            weights += weight
            answered += 1
        scored = answered and answered >= MIN_ANSWERED_SHARE * len(statements)  # enough_answered, inlined
        out.append((driver_key, clamp(total / weights) if scored else None, answered, dont_know))
    return out


def overall_index(bank: QuestionBank, driver_scores: Mapping[str, float | None]) -> float | None:
    """Weighted mean of the drivers that have a score; None if none has."""
    total = weights = 0.0
    for driver in bank.drivers:
        score = driver_scores.get(driver.key)
        if score is None:
            continue
        total += driver.weight * score
        weights += driver.weight
    return clamp(total / weights) if weights else None


UNANSWERED_CODE = "-"


def encode_answers(bank: QuestionBank, answers: Mapping[str, int]) -> str:
    """Answers as one character per statement in bank order ("0"-"5", "-" if
    unanswered): what round results read, since decoding it is much cheaper
    than decoding a JSON object per respondent."""
    return "".join(str(answers[s.key]) if s.key in answers else UNANSWERED_CODE for s in bank.statements)


def driver_scores_from_codes(bank: QuestionBank, codes: str) -> list[tuple[str, float | None, int, int]]:
    """Same as ``driver_scores`` for answers encoded by ``encode_answers``."""
    out = []
    for driver_key, statements in bank.position_plan:
        total = weights = 0.0
        answered = dont_know = 0
        for index, weight, points in statements:
            code = codes[index]
            if code == UNANSWERED_CODE:
                continue
            if code == "0":
                dont_know += 1
                continue
            total += weight * points[ord(code) - 48]
            weights += weight
            answered += 1
        scored = answered and answered >= MIN_ANSWERED_SHARE * len(statements)  # enough_answered, inlined
        out.append((driver_key, clamp(total / weights) if scored else None, answered, dont_know))
    return out

