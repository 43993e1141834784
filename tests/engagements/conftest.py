"""Fixtures for the engagements tests: catalogue, Stripe servers, a live server for webhooks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import requests

from engagements import bookings
from engagements.lifecycle import Actor
from engagements.models import Engagement, Service
from tests.engagements.support import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    CheckoutStandIn,
    LiveServer,
    free_port,
    wait_for_port,
)
from tests.engagements.factories import complete_seller, create_service
from tests.factories import create_cluster, manager_of

LAUNCHER = Path(__file__).with_name("localstripe_launcher.py")
LOCALSTRIPE_EVENTS = ("payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded")


@pytest.fixture(autouse=True)
def seller():  # type: ignore[no-untyped-def]
    """Complete seller details, so invoice payment is offered (tests of the missing case delete them)."""
    return complete_seller()


@pytest.fixture()
def workshop() -> Service:
    return create_service()


@pytest.fixture()
def review() -> Service:
    return create_service(
        slug="review",
        title="Deep-dive review",
        summary="Written recommendations.",
        deliverables="Report",
        duration="3 weeks",
        kind="report",
        price_minor=50000,
        cancellation_policy="0:100",
    )


@pytest.fixture(scope="session")
def stand_in() -> Iterator[CheckoutStandIn]:
    server = CheckoutStandIn()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """localstripe on a free loopback port, from scratch, with its own data file."""
    port = free_port()
    data_file = tmp_path_factory.mktemp("localstripe") / "store.pickle"
    proc = subprocess.Popen(
        [sys.executable, str(LAUNCHER), str(port), str(data_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def live(app) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    server = LiveServer(app).start()
    yield server
    server.stop()


def _configure(app, base: str, value):  # type: ignore[no-untyped-def]
    keys = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE")
    saved = {k: app.config.get(k) for k in keys}
    app.config.update(
        STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=base
    )
    try:
        yield value
    finally:
        app.config.update(saved)


@pytest.fixture()
def stripe_stand_in(app, stand_in: CheckoutStandIn) -> Iterator[CheckoutStandIn]:  # type: ignore[no-untyped-def]
    """Card payments on, Stripe calls going to the Checkout stand-in."""
    stand_in.idempotency.clear()
    yield from _configure(app, stand_in.url, stand_in)


@pytest.fixture()
def stripe_local(app, localstripe: str, live: LiveServer) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Card payments on, Stripe calls going to localstripe, which posts webhooks to the live server.

    localstripe delivers each event a second after it happens; when the test
    ends, deliveries are pointed at a closed port so late events cannot land
    in the next test's database.
    """
    _point_webhooks(localstripe, f"{live.url}/webhooks/stripe")
    try:
        yield from _configure(app, localstripe, localstripe)
    finally:
        _point_webhooks(localstripe, f"http://127.0.0.1:{free_port()}/closed")


def _point_webhooks(localstripe: str, url: str) -> None:
    requests.post(
        f"{localstripe}/_config/webhooks/engagements",
        json={"url": url, "secret": WEBHOOK_SECRET, "events": list(LOCALSTRIPE_EVENTS)},
        timeout=5,
    ).raise_for_status()


@pytest.fixture()
def cluster():  # type: ignore[no-untyped-def]
    return create_cluster()


def book(cluster, service: Service, method: str = "invoice", card_enabled: bool = False) -> Engagement:  # type: ignore[no-untyped-def]
    """Book through the service layer, as the cluster's manager."""
    manager = manager_of(cluster)
    return bookings.book(
        cluster.id,
        Actor(manager.id, manager.email),
        bookings.BookingRequest(
            service_id=service.id,
            payment_method=method,
            goals="Sharper member offer",
            context="",
            preferred_dates="",
            buyer_name="Cluster office",
            buyer_address="1 Main Street\nLyon",
            buyer_vat_id="",
        ),
        card_enabled=card_enabled,
    )


def paid_by_invoice(cluster, service: Service) -> Engagement:  # type: ignore[no-untyped-def]
    """Book by invoice and record the transfer, as an admin marking it paid would."""
    from engagements import effects
    from engagements.billing.payments import mark_paid

    engagement = book(cluster, service)
    mark_paid(
        engagement.id,
        method="invoice",
        amount_minor=engagement.total_minor,
        currency="EUR",
        external_ref=f"invoice:{engagement.invoice_number}",
        actor=Actor.system("test"),
    )
    effects.commit()
    return engagement
