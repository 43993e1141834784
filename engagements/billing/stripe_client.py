"""The only module that talks to Stripe.

A ``StripeClient`` is built for each call from the app's configuration
(``STRIPE_SECRET_KEY``, ``STRIPE_API_BASE``); there is no global API key, so
tests and several apps in one process can point at different servers. Results
come back as small frozen dataclasses so the rest of the package never handles
Stripe objects.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

import stripe
from flask import current_app, g, has_request_context

from engagements.billing.event_shape import MalformedEvent, check_event_shape

SIGNATURE_TOLERANCE_SECONDS = 300
log = logging.getLogger(__name__)


class PaymentProviderError(RuntimeError):
    """Stripe refused or could not be reached; the message is safe to show."""


class SignatureError(ValueError):
    """A webhook's signature is missing, wrong, too old or dated in the future."""


class MalformedEventError(SignatureError):
    """A correctly signed body that is not a well-formed Stripe event."""


@dataclass(frozen=True)
class CheckoutSessionInfo:
    id: str
    url: str
    status: str
    payment_status: str
    payment_intent_id: str | None
    amount_total: int | None
    currency: str
    metadata: dict[str, str]


@dataclass(frozen=True)
class RefundInfo:
    id: str
    amount: int
    currency: str
    status: str
    payment_intent_id: str | None


@dataclass(frozen=True)
class ChargeInfo:
    id: str
    payment_intent_id: str | None
    amount: int
    amount_refunded: int
    currency: str
    status: str
    created: int
    metadata: dict[str, str]
    refunds: tuple[RefundInfo, ...]


def idempotency_prefix(engagement_id: int, created_at: datetime) -> str:
    """Names one engagement in Stripe idempotency keys; unique even if ids are reused (a reset database)."""
    return f"engagement-{engagement_id}-{int(created_at.timestamp() * 1000)}"


def card_payments_enabled() -> bool:
    """Card payment is offered only when both the API key and the webhook secret are set."""
    cfg = current_app.config
    return bool(cfg.get("STRIPE_SECRET_KEY") and cfg.get("STRIPE_WEBHOOK_SECRET"))


@contextmanager
def _provider_errors() -> Iterator[None]:
    """Stripe's exceptions become PaymentProviderError with a message for people."""
    try:
        yield
    except stripe.StripeError as exc:
        raise PaymentProviderError(_message(exc)) from exc


def _client() -> stripe.StripeClient:
    cfg = current_app.config
    key = cfg.get("STRIPE_SECRET_KEY")
    if not key:
        raise PaymentProviderError("Card payments are not configured.")
    base = cfg.get("STRIPE_API_BASE") or None
    kwargs: dict[str, Any] = {"max_network_retries": 2}
    if base:
        kwargs["base_addresses"] = {"api": base}
    return stripe.StripeClient(key, **kwargs)


def _plain(obj: Any) -> dict[str, Any]:
    """Stripe objects are not dicts in this SDK; webhook payloads already are."""
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


def _checkout_info(session: Any) -> CheckoutSessionInfo:
    session = _plain(session)
    pi = session.get("payment_intent")
    if isinstance(pi, dict):
        pi = pi.get("id")
    return CheckoutSessionInfo(
        id=session["id"],
        url=session.get("url") or "",
        status=session.get("status") or "",
        payment_status=session.get("payment_status") or "",
        payment_intent_id=pi,
        amount_total=session.get("amount_total"),
        currency=(session.get("currency") or "").upper(),
        metadata=dict(session.get("metadata") or {}),
    )


def create_checkout_session(
    *,
    engagement_id: int,
    title: str,
    amount_minor: int,
    currency: str,
    customer_email: str,
    success_url: str,
    cancel_url: str,
    idempotency_key: str,
) -> CheckoutSessionInfo:
    """One hosted payment page for one engagement; the amount comes from our records."""
    metadata = {"engagement_id": str(engagement_id)}
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency.lower(),
                    "unit_amount": amount_minor,
                    "product_data": {"name": title},
                },
            }
        ],
        "customer_email": customer_email,
        "client_reference_id": str(engagement_id),
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    with _provider_errors():
        session = _client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    return _checkout_info(session)


def retrieve_checkout_session(session_id: str) -> CheckoutSessionInfo:
    with _provider_errors():
        session = _client().v1.checkout.sessions.retrieve(session_id)
    return _checkout_info(session)


def expire_checkout_session(session_id: str) -> CheckoutSessionInfo:
    """Close an open payment page so nobody can pay for a cancelled engagement."""
    with _provider_errors():
        session = _client().v1.checkout.sessions.expire(session_id)
    return _checkout_info(session)


def create_refund(
    *, payment_intent_id: str, amount_minor: int, engagement_id: int, idempotency_key: str
) -> RefundInfo:
    """Refund part or all of a payment; the idempotency key makes retries safe."""
    params: dict[str, Any] = {
        "payment_intent": payment_intent_id,
        "amount": amount_minor,
        "metadata": {"engagement_id": str(engagement_id)},
    }
    with _provider_errors():
        refund = _client().v1.refunds.create(params=params, options={"idempotency_key": idempotency_key})
    return _refund_info(refund)


def retrieve_payment_intent_metadata(payment_intent_id: str) -> dict[str, str]:
    with _provider_errors():
        intent = _client().v1.payment_intents.retrieve(payment_intent_id)
    return dict(_plain(intent).get("metadata") or {})


def list_refunds(charge_id: str) -> list[RefundInfo]:
    """Refunds of one charge (newer API versions leave them out of charge payloads)."""
    with _provider_errors():
        page = _client().v1.refunds.list(params={"charge": charge_id, "limit": 100})
        return [_refund_info(r) for r in page.auto_paging_iter()]


def list_charges_since(since: datetime) -> Iterator[ChargeInfo]:
    """Every charge created after ``since`` (auto-paginated), for reconciliation."""
    params: dict[str, Any] = {"limit": 100, "created": {"gt": int(since.timestamp())}}
    with _provider_errors():
        page = _client().v1.charges.list(params=params)
        for charge in page.auto_paging_iter():
            yield charge_info(charge)


def charge_info(charge: Any) -> ChargeInfo:
    """Read a charge from an API object or from a webhook payload's plain dict."""
    charge = _plain(charge)
    refunds_obj = charge.get("refunds") or {}
    refunds = refunds_obj.get("data") if isinstance(refunds_obj, dict) else None
    pi = charge.get("payment_intent")
    if isinstance(pi, dict):
        pi = pi.get("id")
    return ChargeInfo(
        id=charge["id"],
        payment_intent_id=pi,
        amount=int(charge.get("amount") or 0),
        amount_refunded=int(charge.get("amount_refunded") or 0),
        currency=(charge.get("currency") or "").upper(),
        status=charge.get("status") or "",
        created=int(charge.get("created") or 0),
        metadata=dict(charge.get("metadata") or {}),
        refunds=tuple(_refund_info(r) for r in (refunds or [])),
    )


def _refund_info(refund: Any) -> RefundInfo:
    refund = _plain(refund)
    pi = refund.get("payment_intent")
    if isinstance(pi, dict):
        pi = pi.get("id")
    return RefundInfo(
        id=refund["id"],
        amount=int(refund.get("amount") or 0),
        currency=(refund.get("currency") or "").upper(),
        status=refund.get("status") or "",
        payment_intent_id=pi,
    )


def verify_webhook(payload: bytes, signature_header: str | None) -> dict[str, Any]:
    """Check Stripe's signature over the raw body and return the event as a dict.

    Raises ``SignatureError`` when the header is missing, does not match the
    body byte for byte, or is older than the tolerance.
    """
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET") or ""
    if not secret:
        raise SignatureError("webhooks are not configured")
    if not signature_header:
        raise SignatureError("missing Stripe-Signature header")
    _refuse_future_timestamp(signature_header)
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature_header, secret, tolerance=SIGNATURE_TOLERANCE_SECONDS
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as exc:
        raise SignatureError(str(exc)) from exc
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise SignatureError("body is not JSON") from exc
    try:
        return check_event_shape(event)
    except MalformedEvent as exc:
        raise MalformedEventError(str(exc)) from exc


def _refuse_future_timestamp(signature_header: str) -> None:
    """The SDK refuses signatures older than the tolerance; refuse those dated too far ahead too.

    A timestamp in the future would keep a captured delivery replayable for
    as long as the attacker chose (Stripe signs with its own clock, in seconds).
    """
    stamps = [p[2:] for p in signature_header.split(",") if p.strip().startswith("t=")]
    try:
        signed_at = int(stamps[0].strip()) if stamps else None
    except ValueError:
        raise SignatureError("signature timestamp is not a number") from None
    if signed_at is not None and signed_at > time.time() + SIGNATURE_TOLERANCE_SECONDS:
        raise SignatureError("signature timestamp is in the future")


def _message(exc: stripe.StripeError) -> str:
    """What people see: a card decline's own wording, otherwise a reference id, never the detail.

    Connection errors name hosts and ports, API errors our account's setup; the
    detail goes to the log under the same reference (the request id when there
    is one, so it also matches the access log and the X-Request-ID header).
    """
    if isinstance(exc, stripe.CardError) and getattr(exc, "user_message", None):
        return exc.user_message
    reference = g.get("request_id") if has_request_context() else None
    reference = reference or secrets.token_hex(6)
    log.warning("payment provider error [ref %s]: %s: %s", reference, type(exc).__name__, exc)
    return (
        "The payment provider could not complete the request. Try again in a few minutes; "
        f"if it keeps failing, tell us the reference {reference}."
    )
