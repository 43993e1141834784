"""Stripe connection errors reach users as a reference id; the detail (hosts, ports) only reaches the log."""

from __future__ import annotations

import logging

from tests.engagements.conftest import book
from tests.engagements.support import free_port
from tests.factories import login, manager_of


def test_unreachable_stripe_shows_a_reference_not_hosts_or_ports(app, client, cluster, workshop, caplog):  # type: ignore[no-untyped-def]
    port = free_port()  # nothing listens there
    saved = {k: app.config.get(k) for k in ("STRIPE_SECRET_KEY", "STRIPE_API_BASE")}
    app.config.update(STRIPE_SECRET_KEY="sk_test_unreachable", STRIPE_API_BASE=f"http://127.0.0.1:{port}")
    try:
        engagement = book(cluster, workshop, method="card", card_enabled=True)
        login(client, manager_of(cluster))
        caplog.set_level(logging.WARNING)
        response = client.post(
            f"/clusters/{cluster.id}/engagements/{engagement.id}/pay",
            headers={"X-Request-ID": "ref-abc12345"},
            follow_redirects=True,
        )
    finally:
        app.config.update(saved)
    html = response.get_data(as_text=True)
    assert "Card payment could not start" in html
    assert "ref-abc12345" in html
    assert str(port) not in html and "127.0.0.1" not in html
    assert any("ref-abc12345" in r.getMessage() and str(port) in r.getMessage() for r in caplog.records)
