"""The payments ledger: every charge and refund once, keyed by its external reference.

Charges get a receipt number. Totals are computed from the ledger, so the
state of an engagement can always be checked against the money that moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from core.api import db
from engagements.models import Engagement, LedgerEntry
from engagements.numbering import next_number


@dataclass(frozen=True)
class Totals:
    charged_minor: int
    refunded_minor: int

    @property
    def net_minor(self) -> int:
        return self.charged_minor - self.refunded_minor


def entry_exists(external_ref: str) -> bool:
    return (
        db.session.execute(select(LedgerEntry.id).where(LedgerEntry.external_ref == external_ref)).first()
        is not None
    )


def record(
    engagement: Engagement,
    *,
    kind: str,
    method: str,
    amount_minor: int,
    external_ref: str,
    recorded_by_id: int | None = None,
    note: str = "",
    created_at: datetime | None = None,
    known_new: bool = False,
) -> LedgerEntry | None:
    """Add an entry unless one with the same reference exists; returns the new entry or None.

    ``known_new`` skips the lookup when the caller holds proof that no entry can
    exist (it just won the transition that records this payment); the unique
    constraint still backs it.
    """
    if not known_new and entry_exists(external_ref):
        return None
    entry = LedgerEntry(
        engagement_id=engagement.id,
        kind=kind,
        method=method,
        amount_minor=amount_minor,
        currency=engagement.currency,
        external_ref=external_ref,
        receipt_number=next_number("receipt") if kind == "charge" else None,
        recorded_by_id=recorded_by_id,
        note=note,
    )
    if created_at is not None:
        entry.created_at = created_at
    db.session.add(entry)
    db.session.flush()
    return entry


def totals(engagement_id: int) -> Totals:
    row = db.session.execute(
        select(
            func.coalesce(
                func.sum(case((LedgerEntry.kind == "charge", LedgerEntry.amount_minor), else_=0)), 0
            ),
            func.coalesce(
                func.sum(case((LedgerEntry.kind == "refund", LedgerEntry.amount_minor), else_=0)), 0
            ),
        ).where(LedgerEntry.engagement_id == engagement_id)
    ).one()
    return Totals(int(row[0]), int(row[1]))


def entries_for(engagement_id: int) -> list[LedgerEntry]:
    return list(
        db.session.execute(
            select(LedgerEntry).where(LedgerEntry.engagement_id == engagement_id).order_by(LedgerEntry.id)
        ).scalars()
    )


def recent_entries(limit: int = 200) -> list[LedgerEntry]:
    """Newest first, with their engagement loaded in the same query."""
    from sqlalchemy.orm import joinedload

    return list(
        db.session.execute(
            select(LedgerEntry)
            .options(joinedload(LedgerEntry.engagement))
            .order_by(LedgerEntry.id.desc())
            .limit(limit)
        ).scalars()
    )
