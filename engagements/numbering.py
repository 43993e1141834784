"""Gapless document numbers (invoices, receipts, credit notes): one counter row per kind and year.

The increment is a single ``UPDATE ... RETURNING`` so two payments committed at
the same moment never share a number.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from core.api import db, utcnow
from engagements.models import DocumentCounter

PREFIXES = {"invoice": "INV", "receipt": "RCT", "credit_note": "CN"}


def next_number(kind: str) -> str:
    """``INV-2026-0001`` style numbers, restarting each calendar year."""
    year = utcnow().year
    value = _increment(kind, year)
    if value is None:  # first number of the year
        _ensure_counter(kind, year)
        value = _increment(kind, year)
    return f"{PREFIXES[kind]}-{year}-{value:04d}"


def _increment(kind: str, year: int) -> int | None:
    return db.session.execute(
        update(DocumentCounter)
        .where(DocumentCounter.kind == kind, DocumentCounter.year == year)
        .values(last_value=DocumentCounter.last_value + 1)
        .returning(DocumentCounter.last_value)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()


def _ensure_counter(kind: str, year: int) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(DocumentCounter)
        .values(kind=kind, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["kind", "year"])
    )
