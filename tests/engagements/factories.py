"""A catalogue service in one line, for the engagement specs and browser journeys."""

from __future__ import annotations

from typing import Any

from core.api import db
from engagements.models import SellerDetails, Service


def create_service(**overrides: Any) -> Service:
    values: dict[str, Any] = {
        "slug": "workshop",
        "title": "Business model workshop",
        "summary": "A facilitated day.",
        "description": "",
        "deliverables": "Workshop\nCanvas",
        "duration": "1 day",
        "kind": "workshop",
        "price_minor": 100000,
        "currency": "EUR",
        "vat_rate_bp": 2000,
        "cancellation_policy": "14:100,3:50",
    }
    service = Service(**{**values, **overrides})
    db.session.add(service)
    db.session.commit()
    return service


def complete_seller(**overrides: Any) -> SellerDetails:
    """Seller details an admin saved, complete enough for invoices (fictitious company)."""
    values: dict[str, Any] = {
        "id": 1,
        "name": "Test Consulting SAS",
        "address": "1 Rue de Test\n31000 Toulouse\nFrance",
        "vat_id": "FR40303265045",
        "email": "billing@test-consulting.example",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "AGRIFRPP",
        "payment_terms_days": 30,
    }
    row = db.session.merge(SellerDetails(**{**values, **overrides}))  # callable twice (fixture + test)
    db.session.commit()
    return row
