"""Invoices, receipts and credit notes: numbering, seller details, and the documents as HTML/PDF."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import render_template

from core.api import render_pdf, utcnow
from engagements.models import Engagement, LedgerEntry
from engagements.money import PriceBreakdown, format_money, format_rate
from engagements.billing import seller as seller_details
from engagements.billing.seller import Seller
from engagements.numbering import next_number
from engagements.vat import REVERSE_CHARGE_NOTE

def seller() -> Seller:
    """The invoicing company's details (admin-managed; environment variables as defaults)."""
    return seller_details.current()


def issue(engagement: Engagement) -> None:
    """Give the engagement its invoice number (once)."""
    if engagement.invoice_number is None:
        engagement.invoice_number = next_number("invoice")
        engagement.invoice_issued_at = utcnow()


def due_date(engagement: Engagement, details: Seller) -> datetime | None:
    """Issue date plus the seller's payment terms (days)."""
    if engagement.invoice_issued_at is None:
        return None
    return engagement.invoice_issued_at + timedelta(days=details.payment_terms_days)


def supply_text(engagement: Engagement) -> str:
    """The date of supply (Art. 226(7)): the fixed date, else when it will be, for an advance invoice."""
    from engagements import console

    if engagement.scheduled_for is not None and engagement.needs_date:
        return console.when_text(engagement)
    if engagement.needs_date:
        return f"On the date of the {engagement.kind_info.noun} agreed with the consultant (invoice issued in advance)"
    return f"On delivery of the {engagement.kind_info.noun} (invoice issued in advance)"


def invoice_html(engagement: Engagement, cluster_name: str) -> str:
    details = seller()
    return render_template(
        "engagements/documents/invoice.html",
        e=engagement,
        due=due_date(engagement, details),
        supply=supply_text(engagement),
        reverse_charge_note=REVERSE_CHARGE_NOTE,
        seller=details,
        cluster_name=cluster_name,
        money=format_money,
        rate=format_rate,
    )


def invoice_pdf(engagement: Engagement, cluster_name: str) -> bytes:
    return render_pdf(invoice_html(engagement, cluster_name))


def receipt_html(engagement: Engagement, entry: LedgerEntry, cluster_name: str) -> str:
    return render_template(
        "engagements/documents/receipt.html",
        e=engagement,
        entry=entry,
        seller=seller(),
        cluster_name=cluster_name,
        money=format_money,
        rate=format_rate,
    )


def receipt_pdf(engagement: Engagement, entry: LedgerEntry, cluster_name: str) -> bytes:
    return render_pdf(receipt_html(engagement, entry, cluster_name))


def credit_breakdown(engagement: Engagement, refunded_minor: int) -> PriceBreakdown:
    """Split a refunded gross amount into net and VAT in the invoice's proportion.

    The net part is rounded half up to the minor unit; VAT is the rest, so net +
    VAT always equals what went back.
    """
    total = engagement.total_minor or 1
    net = (2 * refunded_minor * engagement.net_minor + total) // (2 * total)
    return PriceBreakdown(net, refunded_minor - net, refunded_minor, engagement.currency, engagement.vat_rate_bp)


def credit_note_html(engagement: Engagement, entry: LedgerEntry, cluster_name: str) -> str:
    return render_template(
        "engagements/documents/credit_note.html",
        e=engagement,
        entry=entry,
        credit=credit_breakdown(engagement, entry.amount_minor),
        seller=seller(),
        cluster_name=cluster_name,
        money=format_money,
        rate=format_rate,
    )


def credit_note_pdf(engagement: Engagement, entry: LedgerEntry, cluster_name: str) -> bytes:
    return render_pdf(credit_note_html(engagement, entry, cluster_name))
