"""The payments ledger as CSV for the accountant: UTF-8 with a BOM, safe in spreadsheets.

Excel needs the byte-order mark to read UTF-8 (cluster names with accents);
cells that a spreadsheet would run as a formula (starting with = + - @, tab or
carriage return, per OWASP's "CSV injection" advice) get a leading apostrophe.
Amounts are written in major units with a dot, refunds negative.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator

from engagements.models import LedgerEntry

BOM = "\ufeff"
COLUMNS = (
    "date_utc",
    "engagement",
    "title",
    "cluster",
    "movement",
    "method",
    "amount",
    "currency",
    "reference",
    "receipt",
    "credit_note",
    "note",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Text a spreadsheet shows as text, never runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _amount(entry: LedgerEntry) -> str:
    value = entry.amount_minor if entry.kind == "charge" else -entry.amount_minor
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


def rows(entries: Iterable[LedgerEntry], clusters: dict[int, str]) -> Iterator[str]:
    """The CSV text in chunks: the BOM and header first, then one line per entry."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield BOM + flush()
    for entry in entries:
        engagement = entry.engagement
        writer.writerow(
            [
                entry.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                entry.engagement_id,
                safe_cell(engagement.title),
                safe_cell(clusters.get(engagement.cluster_id, "")),
                "payment" if entry.kind == "charge" else "refund",
                entry.method,
                _amount(entry),  # a negative number is data, not a formula: left as is
                entry.currency,
                safe_cell(entry.external_ref),
                safe_cell(entry.receipt_number or ""),
                safe_cell(entry.credit_note_number or ""),
                safe_cell(entry.note),
            ]
        )
        yield flush()
