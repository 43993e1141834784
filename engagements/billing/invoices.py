"""Invoices, receipts and credit notes: numbering, seller details, and the documents as HTML/PDF."""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import current_app, render_template

from core.api import render_pdf, utcnow
from engagements.models import Engagement, LedgerEntry
from engagements.money import PriceBreakdown, format_money, format_rate
from engagements.numbering import next_number

SELLER_DEFAULTS = {
    "ENGAGEMENTS_SELLER_NAME": "Designing Clusters",
    "ENGAGEMENTS_SELLER_ADDRESS": "",
    "ENGAGEMENTS_SELLER_VAT_ID": "",
    "ENGAGEMENTS_SELLER_EMAIL": "",
    "ENGAGEMENTS_SELLER_IBAN": "",
    "ENGAGEMENTS_SELLER_BIC": "",
    "ENGAGEMENTS_PAYMENT_TERMS_DAYS": "30",
}


@dataclass(frozen=True)
class Seller:
    name: str
    address: str
    vat_id: str
    email: str
    iban: str
    bic: str
    payment_terms_days: int


def seller() -> Seller:
    """Seller details from the app config, else the environment, else neutral defaults."""

    def get(key: str) -> str:
        value = current_app.config.get(key)
        if value is None:
            value = os.environ.get(key, SELLER_DEFAULTS[key])
        return str(value)

    return Seller(
        name=get("ENGAGEMENTS_SELLER_NAME"),
        address=get("ENGAGEMENTS_SELLER_ADDRESS"),
        vat_id=get("ENGAGEMENTS_SELLER_VAT_ID"),
        email=get("ENGAGEMENTS_SELLER_EMAIL"),
        iban=get("ENGAGEMENTS_SELLER_IBAN"),
        bic=get("ENGAGEMENTS_SELLER_BIC"),
        payment_terms_days=int(get("ENGAGEMENTS_PAYMENT_TERMS_DAYS") or 30),
    )


def issue(engagement: Engagement) -> None:
    """Give the engagement its invoice number (once)."""
    if engagement.invoice_number is None:
        engagement.invoice_number = next_number("invoice")
        engagement.invoice_issued_at = utcnow()


def invoice_html(engagement: Engagement, cluster_name: str) -> str:
    return render_template(
        "engagements/documents/invoice.html",
        e=engagement,
        seller=seller(),
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
