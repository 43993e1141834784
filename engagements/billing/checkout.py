"""Sending a cluster to Stripe Checkout, and reading the session back on return."""

from __future__ import annotations

from core.api import db
from engagements import effects
from engagements.billing import stripe_client
from engagements.billing.payments import Outcome, lock, mark_paid
from engagements.billing.webhooks import replay_waiting
from engagements.lifecycle import Actor, transition
from engagements.links import absolute
from engagements.models import Engagement


class CheckoutError(RuntimeError):
    """Checkout could not start; the message is shown to the user."""


def start(engagement_id: int, actor: Actor, customer_email: str) -> str:
    """Return the Checkout URL for this engagement, creating its session once.

    The idempotency key names the engagement and the attempt, so a double
    click or a retry gets the same session; a new attempt (after an expired
    or failed one) gets a new key.
    """
    engagement = lock(engagement_id)
    if engagement is None or engagement.payment_method != "card":
        effects.rollback()
        raise CheckoutError("This engagement is not paid by card.")
    if engagement.state not in ("requested", "awaiting_payment"):
        effects.rollback()
        raise CheckoutError("This engagement does not need a payment.")
    if engagement.checkout_session_id:
        try:
            existing = stripe_client.retrieve_checkout_session(engagement.checkout_session_id)
        except stripe_client.PaymentProviderError as exc:
            effects.rollback()
            raise CheckoutError(str(exc)) from exc
        if existing.status == "open" and existing.url:
            effects.rollback()
            return existing.url
        if existing.status == "complete":
            effects.rollback()
            raise CheckoutError("This payment has already been submitted; it is being processed.")
    attempt = engagement.checkout_attempts + 1
    key_prefix = stripe_client.idempotency_prefix(engagement.id, engagement.created_at)
    try:
        session = stripe_client.create_checkout_session(
            engagement_id=engagement.id,
            title=engagement.title,
            amount_minor=engagement.total_minor,
            currency=engagement.currency,
            customer_email=customer_email,
            success_url=absolute(
                "engagements.checkout_success", cluster_id=engagement.cluster_id, engagement_id=engagement.id
            )
            + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=absolute(
                "engagements.checkout_cancel", cluster_id=engagement.cluster_id, engagement_id=engagement.id
            ),
            idempotency_key=f"{key_prefix}-checkout-{attempt}",
        )
    except stripe_client.PaymentProviderError as exc:
        effects.rollback()
        raise CheckoutError(str(exc)) from exc
    engagement.checkout_session_id = session.id
    engagement.checkout_url = session.url
    engagement.checkout_attempts = attempt
    if engagement.state == "requested":
        transition(engagement.id, "requested", "awaiting_payment", actor, "Sent to card payment")
    effects.commit()
    return session.url


def confirm_from_stripe(engagement_id: int) -> Outcome:
    """On the success page: ask Stripe (not the redirect) whether our session is paid.

    The session id comes from our own record, never from the URL. When Stripe
    says it is paid, the same compare-and-set fulfilment as the webhook runs,
    so whichever arrives first wins and the other changes nothing.
    """
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or not engagement.checkout_session_id or engagement.state != "awaiting_payment":
        return Outcome("nothing_to_do")
    try:
        session = stripe_client.retrieve_checkout_session(engagement.checkout_session_id)
    except stripe_client.PaymentProviderError:
        return Outcome("provider_unreachable")
    if session.payment_status != "paid" or not session.payment_intent_id:
        return Outcome("processing")
    if session.metadata.get("engagement_id") != str(engagement_id):
        return Outcome("metadata_mismatch")
    from engagements.billing.refunds import RefundError

    try:
        outcome = mark_paid(
            engagement_id,
            method="card",
            amount_minor=session.amount_total or 0,
            currency=session.currency,
            external_ref=session.payment_intent_id,
            payment_intent_id=session.payment_intent_id,
            actor=Actor.system("Stripe (checkout return)"),
            reason="Card payment confirmed by Stripe on return",
        )
    except RefundError:  # paid after cancelling and Stripe unreachable: the webhook retries the refund
        effects.rollback()
        return Outcome("provider_unreachable")
    replay_waiting(session.payment_intent_id)
    effects.commit()
    return outcome
