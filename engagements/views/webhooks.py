"""POST /webhooks/stripe: exempt from CSRF because the Stripe signature authenticates it."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from core.api import csrf, raw_input
from engagements.billing import webhooks

bp = Blueprint("engagements_webhooks", __name__)


@bp.post("/webhooks/stripe")
@csrf.exempt
@raw_input  # the signature covers the raw body; its shape is checked after verification
def stripe_webhook():  # type: ignore[no-untyped-def]
    payload = request.get_data(cache=False, as_text=False, parse_form_data=False)
    received = webhooks.receive(payload, request.headers.get("Stripe-Signature"))
    return jsonify(received=received.result), received.status
