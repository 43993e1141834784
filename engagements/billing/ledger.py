"""The payments ledger: every charge and refund once, keyed by its external reference.

Charges get a receipt number; refunds of an invoiced amount get a credit note
number (its own gap-free series) that references the invoice. Totals are computed from the ledger, so the
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
        credit_note_number=next_number("credit_note")
        if kind == "refund" and engagement.invoice_number
        else None,
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


@dataclass(frozen=True)
class LedgerPage:
    """One page of the ledger, newest first; sums are per currency over the whole filtered range."""

    entries: list[LedgerEntry]
    total_count: int
    page: int
    pages: int
    charged_by_currency: dict[str, int]
    refunded_by_currency: dict[str, int]


def _filtered(start: datetime | None, end: datetime | None):  # type: ignore[no-untyped-def]
    conditions = []
    if start is not None:
        conditions.append(LedgerEntry.created_at >= start)
    if end is not None:
        conditions.append(LedgerEntry.created_at < end)
    return conditions


def page_of(start: datetime | None, end: datetime | None, page: int, per_page: int = 50) -> LedgerPage:
    """Entries created in ``[start, end)`` (UTC), page ``page`` (1-based) of ``per_page``.

    A page past the end is clamped to the last page.
    """
    from sqlalchemy.orm import joinedload

    conditions = _filtered(start, end)
    total = db.session.execute(select(func.count(LedgerEntry.id)).where(*conditions)).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    entries = list(
        db.session.execute(
            select(LedgerEntry)
            .options(joinedload(LedgerEntry.engagement))
            .where(*conditions)
            .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).scalars()
    )
    sums = db.session.execute(
        select(LedgerEntry.currency, LedgerEntry.kind, func.sum(LedgerEntry.amount_minor))
        .where(*conditions)
        .group_by(LedgerEntry.currency, LedgerEntry.kind)
    ).all()
    charged = {cur: int(amount) for cur, kind, amount in sums if kind == "charge"}
    refunded = {cur: int(amount) for cur, kind, amount in sums if kind == "refund"}
    return LedgerPage(entries, total, page, pages, charged, refunded)


def iter_entries(start: datetime | None, end: datetime | None, batch: int = 500):  # type: ignore[no-untyped-def]
    """Every entry in ``[start, end)``, oldest first, fetched in batches (for the CSV export)."""
    from sqlalchemy.orm import joinedload

    last_id = 0
    while True:
        rows = list(
            db.session.execute(
                select(LedgerEntry)
                .options(joinedload(LedgerEntry.engagement))
                .where(*_filtered(start, end), LedgerEntry.id > last_id)
                .order_by(LedgerEntry.id)
                .limit(batch)
            ).scalars()
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


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
