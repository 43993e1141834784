"""Signed but malformed Stripe events answer 400 and store nothing; future-dated signatures are refused."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from core.api import db
from engagements.models import WebhookEvent
from tests.engagements.support import sign

URL = "/webhooks/stripe"


def _post(client, payload: bytes, header: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(URL, data=payload, headers={"Stripe-Signature": header or sign(payload), "Content-Type": "application/json"})


def _stored() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(WebhookEvent)).scalar_one()


@pytest.mark.parametrize(
    "evt",
    [
        {"id": "evt_1", "type": "payment_intent.succeeded", "data": "a string"},
        {"id": "evt_2", "type": "payment_intent.succeeded", "data": ["a", "list"]},
        {"id": "evt_3", "type": "payment_intent.succeeded", "data": {"object": "a string"}},
        {"id": "evt_4", "type": "payment_intent.succeeded", "data": {"object": [1, 2]}},
        {"id": "evt_" + "x" * 300, "type": "payment_intent.succeeded", "data": {"object": {}}},
        {"id": "evt_\u0000nul", "type": "payment_intent.succeeded", "data": {"object": {}}},
        {"id": "", "type": "payment_intent.succeeded", "data": {"object": {}}},
        ["not", "an", "object"],
    ],
    ids=["data-string", "data-list", "object-string", "object-list", "long-id", "nul-id", "empty-id", "list-body"],
)
def test_malformed_signed_event_is_refused_with_400_and_not_stored(client, stripe_stand_in, evt):  # type: ignore[no-untyped-def]
    response = _post(client, json.dumps(evt).encode())
    assert response.status_code == 400
    assert response.json == {"received": "malformed_event"}
    assert _stored() == 0


def test_well_formed_event_is_still_stored(client, stripe_stand_in):  # type: ignore[no-untyped-def]
    payload = json.dumps({"id": "evt_ok", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}).encode()
    assert _post(client, payload).status_code == 200
    assert _stored() == 1


def test_signature_dated_in_the_future_beyond_the_tolerance_is_refused(client, stripe_stand_in):  # type: ignore[no-untyped-def]
    payload = json.dumps({"id": "evt_future", "type": "customer.created", "data": {"object": {}}}).encode()
    response = _post(client, payload, sign(payload, timestamp=int(time.time()) + 3600))
    assert response.status_code == 400 and response.json == {"received": "invalid_signature"}
    assert _stored() == 0
    # A small clock difference within the tolerance is still accepted.
    assert _post(client, payload, sign(payload, timestamp=int(time.time()) + 60)).status_code == 200
