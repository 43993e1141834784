"""Booking and cancelling engagements on behalf of a cluster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.api import db, utcnow
from engagements import effects, notifications
from engagements.billing import invoices, refunds
from engagements.lifecycle import CANCELLABLE, PAID_STATES, Actor, record_creation, transition
from engagements.models import Engagement, Message, Service, Transition
from engagements.money import breakdown


class BookingError(ValueError):
    """The booking cannot be made; the message is shown to the user."""


@dataclass(frozen=True)
class BookingRequest:
    service_id: int
    payment_method: str
    goals: str
    context: str
    preferred_dates: str
    buyer_name: str
    buyer_address: str
    buyer_vat_id: str


def book(cluster_id: int, actor: Actor, request: BookingRequest, card_enabled: bool) -> Engagement:
    """Create the engagement with the catalogue's current price (never a price from the form).

    Invoice bookings get their invoice number at once and wait for the transfer
    (only once the seller details are complete); card bookings wait in
    ``requested`` until the cluster is sent to Checkout. A buyer VAT ID from
    another EU country than the seller's means reverse charge: no VAT.
    """
    from engagements import vat
    from engagements.billing import seller as seller_details

    service = db.session.get(Service, request.service_id)
    if service is None or service.is_retired:
        raise BookingError("This service is no longer offered.")
    if request.payment_method not in ("invoice", "card"):
        raise BookingError("Choose a payment method.")
    if request.payment_method == "card" and not card_enabled:
        raise BookingError("Card payment is not available; please choose invoice.")
    seller = seller_details.current()
    if request.payment_method == "invoice" and not seller.complete:
        raise BookingError("Payment by invoice is not available yet; please pay by card.")
    reverse = vat.reverse_charge(seller.vat_id, request.buyer_vat_id)
    price = breakdown(service.price_minor, service.currency, 0 if reverse else service.vat_rate_bp)
    engagement = Engagement(
        cluster_id=cluster_id,
        service_id=service.id,
        state="requested",
        payment_method=request.payment_method,
        title=service.title,
        kind=service.kind,
        net_minor=price.net_minor,
        vat_minor=price.vat_minor,
        total_minor=price.total_minor,
        currency=price.currency,
        vat_rate_bp=price.vat_rate_bp,
        cancellation_policy=service.cancellation_policy,
        goals=request.goals,
        context=request.context,
        preferred_dates=request.preferred_dates,
        buyer_name=request.buyer_name,
        buyer_address=request.buyer_address,
        buyer_vat_id=request.buyer_vat_id,
        reverse_charge=reverse,
        requested_by_id=actor.user_id,
    )
    db.session.add(engagement)
    db.session.flush()
    record_creation(engagement, actor)
    if request.payment_method == "invoice":
        invoices.issue(engagement)
        transition(
            engagement.id,
            "requested",
            "awaiting_payment",
            actor,
            f"Invoice {engagement.invoice_number} issued",
        )
    notifications.requested(engagement)
    effects.commit()
    return engagement


def cancel(engagement_id: int, actor: Actor, reason: str, now: datetime | None = None) -> int:
    """Cancel under the service's policy and refund what it allows; returns the refund in minor units.

    A card payment is refunded through Stripe at once; money received by
    transfer becomes a refund due that an admin sends. An unpaid invoice is
    voided. A fixed date is withdrawn from every invited calendar and the
    consultant's availability slot is offered again. Raises ``BookingError`` if
    the engagement can no longer be cancelled or the refund could not be made
    (then nothing changed).
    """
    from engagements import availability, console
    from engagements.billing.rows import lock

    engagement = lock(engagement_id)
    if engagement is None or engagement.state not in CANCELLABLE:
        effects.rollback()
        raise BookingError("This engagement can no longer be cancelled.")
    was_paid = engagement.state in PAID_STATES
    was_scheduled = engagement.state == "scheduled"
    if engagement.state == "awaiting_payment" and engagement.checkout_session_id:
        _close_payment_page(engagement.checkout_session_id)
    if not transition(
        engagement.id, engagement.state, "cancelled", actor, reason or "Cancelled by the cluster"
    ):
        effects.rollback()
        raise BookingError("The engagement changed meanwhile; please reload and try again.")
    refund_minor = 0
    method = refunds.method_of(engagement).key
    if was_paid:
        amount = refunds.policy_amount(engagement, now or utcnow())
        if amount > 0:
            try:
                refund_minor = refunds.refund(
                    engagement,
                    amount,
                    actor,
                    reason="Refund under the cancellation policy",
                    key="cancellation",
                    tell_managers=False,
                )
            except refunds.RefundError as exc:
                effects.rollback()
                raise BookingError(str(exc)) from exc
    void = not was_paid and engagement.invoice_number is not None
    if void:
        engagement.invoice_voided_at = utcnow()
    availability.release(engagement.id)
    if was_scheduled:
        console.withdraw_invitation(engagement)
    notifications.cancelled(engagement, refund_minor, method if refund_minor else "", invoice_void=void)
    effects.commit()
    return refund_minor


def _close_payment_page(session_id: str) -> None:
    """Expire the open Checkout page first; if it was already paid, the cancellation waits."""
    from engagements.billing import stripe_client

    try:
        session = stripe_client.retrieve_checkout_session(session_id)
        if session.status == "open":
            session = stripe_client.expire_checkout_session(session_id)
    except stripe_client.PaymentProviderError as exc:
        effects.rollback()
        raise BookingError(
            "The card payment page could not be closed; please try again in a minute."
        ) from exc
    if session.status == "complete":
        effects.rollback()
        raise BookingError(
            "A card payment was just made and is being confirmed; cancel once it shows as paid "
            "(the refund then follows the cancellation terms)."
        )


def for_cluster(cluster_id: int) -> list[Engagement]:
    return list(
        db.session.execute(
            select(Engagement)
            .where(Engagement.cluster_id == cluster_id)
            .order_by(Engagement.created_at.desc())
        ).scalars()
    )


def timeline(engagement_id: int) -> list[Transition]:
    return list(
        db.session.execute(
            select(Transition).where(Transition.engagement_id == engagement_id).order_by(Transition.id)
        ).scalars()
    )


def messages(engagement_id: int) -> list[Message]:
    return list(
        db.session.execute(
            select(Message).where(Message.engagement_id == engagement_id).order_by(Message.id)
        ).scalars()
    )


def dashboard_widget(cluster_id: int) -> Markup:
    """The cluster's three most recent open engagements, in one query."""
    from flask import render_template

    from engagements.lifecycle import STATE_LABELS
    from engagements.console import local_day

    rows = (
        db.session.execute(
            select(Engagement)
            .where(
                Engagement.cluster_id == cluster_id,
                Engagement.state.not_in(("closed", "cancelled", "refunded")),
            )
            .order_by(Engagement.created_at.desc())
            .limit(3)
        )
        .scalars()
        .all()
    )
    return Markup(
        render_template(
            "engagements/cluster/_widget.html",
            rows=rows,
            cluster_id=cluster_id,
            labels=STATE_LABELS,
            local_day=local_day,
        )
    )


def count_open(cluster_id: int) -> int:
    return db.session.execute(
        select(func.count(Engagement.id)).where(
            Engagement.cluster_id == cluster_id, Engagement.state.not_in(("closed", "cancelled", "refunded"))
        )
    ).scalar_one()


def load(engagement_id: int) -> Engagement | None:
    return db.session.execute(
        select(Engagement).options(joinedload(Engagement.service)).where(Engagement.id == engagement_id)
    ).scalar_one_or_none()
