"""Tables of the engagements service: catalogue, engagements, money, messages, webhooks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import ClusterOwned, UTCDateTime, db, utcnow
from engagements.kinds import ServiceKind, get_kind


class Service(db.Model):
    """A bookable service. Retired services stay for the engagements that used them."""

    __tablename__ = "engagements_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    deliverables: Mapped[str] = mapped_column(Text, default="")
    duration: Mapped[str] = mapped_column(String(80), default="")
    kind: Mapped[str] = mapped_column(String(20), default="workshop")
    price_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    vat_rate_bp: Mapped[int] = mapped_column(Integer, default=2000)
    cancellation_policy: Mapped[str] = mapped_column(String(120), default="14:100,3:50")
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def kind_info(self) -> ServiceKind:
        return get_kind(self.kind)


class Engagement(ClusterOwned, db.Model):
    """One booked service for one cluster; prices are copied from the catalogue at booking."""

    __tablename__ = "engagements_engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_services.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[str] = mapped_column(String(20), default="requested", index=True)
    payment_method: Mapped[str] = mapped_column(String(10), default="invoice")
    title: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20), default="workshop")
    net_minor: Mapped[int] = mapped_column(Integer)
    vat_minor: Mapped[int] = mapped_column(Integer)
    total_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    cancellation_policy: Mapped[str] = mapped_column(String(120))
    goals: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    preferred_dates: Mapped[str] = mapped_column(Text, default="")
    buyer_name: Mapped[str] = mapped_column(String(200), default="")
    buyer_address: Mapped[str] = mapped_column(Text, default="")
    buyer_vat_id: Mapped[str] = mapped_column(String(40), default="")
    #: No VAT charged: the buyer's EU VAT ID is from another country than the seller's (see ``vat``).
    reverse_charge: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    scheduled_minutes: Mapped[int] = mapped_column(Integer, default=0)
    scheduled_location: Mapped[str] = mapped_column(String(300), default="")
    schedule_sequence: Mapped[int] = mapped_column(Integer, default=0)
    #: The cluster's IANA zone when the date was fixed; the date is shown and sent in it.
    scheduled_time_zone: Mapped[str] = mapped_column(String(64), default="")
    checkout_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    checkout_url: Mapped[str] = mapped_column(Text, default="")
    checkout_attempts: Mapped[int] = mapped_column(Integer, default=0)
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    invoice_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    invoice_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Set when the engagement is cancelled before its invoice was paid: the PDF then says VOID.
    invoice_voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disputed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    service: Mapped[Service] = relationship(lazy="select")

    @property
    def kind_info(self) -> ServiceKind:
        return get_kind(self.kind)

    @property
    def needs_date(self) -> bool:
        """Workshops and sessions get a date; reports do not."""
        return self.kind_info.has_date


class Transition(db.Model):
    """One recorded state change: who, when, from, to and why."""

    __tablename__ = "engagements_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LedgerEntry(db.Model):
    """Money in (charge) or out (refund). ``external_ref`` makes each movement unique."""

    __tablename__ = "engagements_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(10))
    amount_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    external_ref: Mapped[str] = mapped_column(String(255), unique=True)
    receipt_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    #: Refunds of an invoiced amount get a credit note from their own gap-free series.
    credit_note_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    engagement: Mapped[Engagement] = relationship()


class RefundDue(db.Model):
    """Money owed back by bank transfer: due until an admin confirms the transfer with its reference.

    The ledger records the refund only at that confirmation. ``key`` names the
    decision that created it (a cancellation, an admin refund, a payment that
    arrived after cancelling), so repeating the decision adds nothing.
    """

    __tablename__ = "engagements_refunds_due"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(255), unique=True)
    amount_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    transfer_reference: Mapped[str] = mapped_column(String(120), default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    ledger_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagements_ledger.id", ondelete="SET NULL")
    )

    engagement: Mapped[Engagement] = relationship()

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None


class SellerDetails(db.Model):
    """The invoicing company's details as an admin saved them (one row, id 1)."""

    __tablename__ = "engagements_seller"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    vat_id: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    iban: Mapped[str] = mapped_column(String(40), default="")
    bic: Mapped[str] = mapped_column(String(20), default="")
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DocumentCounter(db.Model):
    """Gapless numbering of invoices and receipts, one counter per kind and year."""

    __tablename__ = "engagements_counters"
    __table_args__ = (UniqueConstraint("kind", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class WebhookEvent(db.Model):
    """Every verified Stripe event, stored once by its id, with what we did about it."""

    __tablename__ = "engagements_webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    result: Mapped[str] = mapped_column(String(30), default="received", index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="SET NULL"), index=True
    )
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Failed fulfilment attempts so far (``engagements.billing.fulfilment``).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: While unfulfilled ("received"/"retrying"): when the sweep may send the task again (UTC).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class Message(db.Model):
    """A message in an engagement's thread between the cluster and the consultant."""

    __tablename__ = "engagements_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    from_consultant: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    attachments: Mapped[list["MessageAttachment"]] = relationship(
        order_by="MessageAttachment.id", lazy="selectin"
    )


class MessageAttachment(db.Model):
    """A file attached to a message; the bytes live under STORAGE_DIR."""

    __tablename__ = "engagements_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_messages.id", ondelete="CASCADE"), index=True
    )
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AvailabilitySlot(db.Model):
    """A time a consultant offers for workshops; clusters pick from these when booking."""

    __tablename__ = "engagements_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    minutes: Mapped[int] = mapped_column(Integer, default=360)
    note: Mapped[str] = mapped_column(String(200), default="")
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagements_engagements.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# Report tables live with their feature; imported here so every engagements table is known
# wherever the engagements models are (migrations check, tests).
from engagements.reports import models as _report_models  # noqa: E402,F401
from engagements.briefs import models as _brief_models  # noqa: E402,F401
