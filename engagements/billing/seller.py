"""Who issues the invoices: details kept by admins, with environment variables only as defaults.

Until the name, address, VAT ID and IBAN are known, payment by invoice is not
offered (an invoice without them cannot be paid or deducted); admins see what
is missing on the seller page and the engagements overview.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from flask import current_app

from core.api import db, utcnow
from engagements.models import SellerDetails

ENV_DEFAULTS = {
    "name": ("ENGAGEMENTS_SELLER_NAME", "Designing Clusters"),
    "address": ("ENGAGEMENTS_SELLER_ADDRESS", ""),
    "vat_id": ("ENGAGEMENTS_SELLER_VAT_ID", ""),
    "email": ("ENGAGEMENTS_SELLER_EMAIL", ""),
    "iban": ("ENGAGEMENTS_SELLER_IBAN", ""),
    "bic": ("ENGAGEMENTS_SELLER_BIC", ""),
    "payment_terms_days": ("ENGAGEMENTS_PAYMENT_TERMS_DAYS", "30"),
}
#: What an invoice cannot do without, with the words admins see.
REQUIRED = {"name": "name", "address": "address", "vat_id": "VAT ID", "iban": "IBAN"}


@dataclass(frozen=True)
class Seller:
    name: str
    address: str
    vat_id: str
    email: str
    iban: str
    bic: str
    payment_terms_days: int

    @property
    def missing(self) -> list[str]:
        """Labels of the required details that are empty."""
        return [label for key, label in REQUIRED.items() if not str(getattr(self, key)).strip()]

    @property
    def complete(self) -> bool:
        return not self.missing


def _default(key: str) -> str:
    env_key, fallback = ENV_DEFAULTS[key]
    value = current_app.config.get(env_key)
    if value is None:
        value = os.environ.get(env_key, fallback)
    return str(value)


def defaults() -> Seller:
    """The details from the app config or environment (used until an admin saves the form)."""
    return Seller(
        name=_default("name"),
        address=_default("address"),
        vat_id=_default("vat_id"),
        email=_default("email"),
        iban=_default("iban"),
        bic=_default("bic"),
        payment_terms_days=int(_default("payment_terms_days") or 30),
    )


def current() -> Seller:
    """The saved details, else the defaults."""
    row = db.session.get(SellerDetails, 1)
    if row is None:
        return defaults()
    return Seller(
        name=row.name,
        address=row.address,
        vat_id=row.vat_id,
        email=row.email,
        iban=row.iban,
        bic=row.bic,
        payment_terms_days=row.payment_terms_days,
    )


def save(details: Seller, user_id: int | None) -> None:
    """Store the details (one row); the caller's form has validated them. Commits."""
    row = db.session.get(SellerDetails, 1)
    if row is None:
        row = SellerDetails(id=1)
        db.session.add(row)
    for item in fields(Seller):
        setattr(row, item.name, getattr(details, item.name))
    row.updated_at = utcnow()
    row.updated_by_id = user_id
    db.session.commit()


def invoice_payment_available() -> bool:
    return current().complete
