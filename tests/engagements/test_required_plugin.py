"""The engagements plugin is required: it cannot be disabled, so Stripe's webhook keeps answering."""

from __future__ import annotations

import json

import pytest

from core.extensions import db
from core.plugins.state import PluginRequired, PluginState, set_enabled
from tests.engagements.support import sign
from tests.factories import create_user, login


def _webhook(client):  # type: ignore[no-untyped-def]
    payload = json.dumps({"id": "evt_req", "type": "customer.created", "data": {"object": {}}}).encode()
    return client.post("/webhooks/stripe", data=payload, headers={"Stripe-Signature": sign(payload), "Content-Type": "application/json"})


def test_an_admin_cannot_disable_the_engagements_plugin(client, stripe_stand_in):  # type: ignore[no-untyped-def]
    login(client, create_user(is_admin=True))
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert "Disable Services" not in page and "Required by the platform" in page
    response = client.post("/admin/plugins/engagements/toggle", data={"enable": "0", "confirm": "yes"}, follow_redirects=True)
    assert "is required by the platform" in response.get_data(as_text=True)
    assert db.session.get(PluginState, "engagements") is None or db.session.get(PluginState, "engagements").enabled
    assert _webhook(client).status_code == 200


def test_the_service_layer_refuses_too(app):  # type: ignore[no-untyped-def]
    with app.test_request_context(), pytest.raises(PluginRequired):
        set_enabled("engagements", False)


def test_a_required_plugin_switched_off_earlier_still_answers(client, stripe_stand_in):  # type: ignore[no-untyped-def]
    db.session.add(PluginState(slug="engagements", enabled=False))  # a row from before it was required
    db.session.commit()
    assert _webhook(client).status_code == 200


def test_optional_tools_can_still_be_disabled(client):  # type: ignore[no-untyped-def]
    login(client, create_user(is_admin=True))
    client.post("/admin/plugins/canvas/toggle", data={"enable": "0", "confirm": "yes"})
    assert db.session.get(PluginState, "canvas").enabled is False
