"""The manager's fact sheet: what only the cluster office knows (members,
staff, funding, strategy documents, partnerships), filled in for one round and
shown beside its results. Facts are never scored; they let readers set the
members' view against the record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from sqlalchemy import select

from core.api import db, utcnow
from plugins.innovativeness.bank import Fact, QuestionBank
from plugins.innovativeness.models import AssessmentRound, FactSheet

MAX_NUMBER = 1_000_000
MAX_TEXT = 200


class FactError(ValueError):
    """Posted facts that cannot be stored; ``errors`` maps fact key -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class FactLine:
    fact: Fact
    value: object  # None when not filled in

    @property
    def display(self) -> str:
        if self.value is None:
            return "not filled in"
        if self.fact.kind == "yes_no":
            return "yes" if self.value else "no"
        if self.fact.kind == "percent":
            return f"{self.value:g} %"
        if self.fact.kind == "number":
            return f"{self.value:g}"
        return str(self.value)


def fact_sheet_of(rnd: AssessmentRound) -> FactSheet | None:
    return db.session.execute(select(FactSheet).where(FactSheet.round_id == rnd.id)).scalar_one_or_none()


def fact_lines(bank: QuestionBank, sheet: FactSheet | None) -> list[FactLine]:
    """Every fact of the bank in order, with its stored value (or None)."""
    values = sheet.facts if sheet else {}
    return [FactLine(f, values.get(f.key)) for f in bank.facts]


def parse_facts(bank: QuestionBank, posted: Mapping[str, str]) -> dict[str, object]:
    """Validate posted form values (field ``fact_<key>``); blanks are left out.

    Numbers are non-negative and at most ``MAX_NUMBER``; percentages 0-100;
    yes/no is "yes" or "no"; text at most ``MAX_TEXT`` characters. Raises
    ``FactError`` naming every bad field."""
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for fact in bank.facts:
        raw = (posted.get(f"fact_{fact.key}") or "").strip()
        if not raw:
            continue
        if fact.kind in ("number", "percent"):
            try:
                number = float(raw.replace(",", "."))
            except ValueError:
                errors[fact.key] = "Enter a number."
                continue
            limit = 100 if fact.kind == "percent" else MAX_NUMBER
            if not 0 <= number <= limit or number != number:
                errors[fact.key] = f"Enter a number from 0 to {limit:,}."
                continue
            values[fact.key] = int(number) if number.is_integer() else round(number, 2)
        elif fact.kind == "yes_no":
            if raw not in ("yes", "no"):
                errors[fact.key] = "Choose yes or no."
                continue
            values[fact.key] = raw == "yes"
        else:
            if len(raw) > MAX_TEXT:
                errors[fact.key] = f"Keep it under {MAX_TEXT} characters."
                continue
            values[fact.key] = raw
    if errors:
        raise FactError(errors)
    return values


def save_facts(rnd: AssessmentRound, user_id: int, values: dict[str, object]) -> FactSheet:
    """Replace the round's fact sheet with ``values`` (one row per round)."""
    sheet = fact_sheet_of(rnd)
    if sheet is None:
        sheet = FactSheet(cluster_id=rnd.cluster_id, round_id=rnd.id, facts={})
        db.session.add(sheet)
    sheet.facts = values
    sheet.updated_by_id = user_id
    sheet.updated_at = utcnow()
    db.session.commit()
    return sheet
