"""What every report of a payment shares: the row lock and the outcome it records.

Kept apart from ``payments`` so the console, refunds and returns can lock an
engagement without importing the payment flow that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.api import db
from engagements.models import Engagement


@dataclass(frozen=True)
class Outcome:
    """What a payment report did: ``code`` is stored with webhook events and shown to admins."""

    code: str
    detail: str = ""


def lock(engagement_id: int) -> Engagement | None:
    """Load the engagement with a row lock (PostgreSQL), fresh from the database."""
    return db.session.execute(
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .with_for_update(of=Engagement)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
