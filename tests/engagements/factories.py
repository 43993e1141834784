"""A catalogue service in one line, for the engagement specs and browser journeys."""

from __future__ import annotations

from typing import Any

from core.api import db
from engagements.models import Service


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
