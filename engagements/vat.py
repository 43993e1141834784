"""EU VAT rules the invoices need: which buyer VAT IDs put a sale under reverse charge.

Source: Council Directive 2006/112/EC, Art. 44 (place of supply of B2B
services is the buyer's country) and Art. 196 (the buyer accounts for the VAT).
A buyer VAT ID from another EU country than the seller's means no VAT is
charged and the invoice says so (Art. 226(11a)). Greece uses the prefix EL.
"""

from __future__ import annotations

EU_PREFIXES = frozenset(
    ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
)
REVERSE_CHARGE_NOTE = (
    "Reverse charge: VAT is to be accounted for by the recipient "
    "(Article 196, Council Directive 2006/112/EC)."
)


def normalise(vat_id: str) -> str:
    """``fr 12 345`` -> ``FR12345``."""
    return "".join(ch for ch in (vat_id or "").upper() if ch.isalnum())


def eu_country(vat_id: str) -> str | None:
    """The EU country prefix of a VAT ID, or None when it is not an EU VAT ID."""
    prefix = normalise(vat_id)[:2]
    return prefix if prefix in EU_PREFIXES and len(normalise(vat_id)) > 4 else None


def reverse_charge(seller_vat_id: str, buyer_vat_id: str) -> bool:
    """True when both are EU VAT IDs of different countries."""
    seller, buyer = eu_country(seller_vat_id), eu_country(buyer_vat_id)
    return seller is not None and buyer is not None and seller != buyer
