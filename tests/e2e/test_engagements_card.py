"""Card payment in the browser: Checkout (a local stand-in), back on the success page the
engagement shows "payment processing" and turns to paid without a reload; then the manager
cancels and the refund goes back to the card through Stripe."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.api import db
from engagements.models import Engagement
from tests.e2e.helpers import log_in
from tests.engagements.support import SECRET_KEY, WEBHOOK_SECRET, CheckoutStandIn
from tests.engagements.factories import create_service
from tests.factories import create_cluster, create_user
from tests.support.patience import patient_ms

pytestmark = pytest.mark.e2e


@pytest.fixture()
def card_payments(live_app, live_server, monkeypatch):  # type: ignore[no-untyped-def]
    """Stripe keys on the live app, Checkout served by the stand-in.

    The layout's CSP lets forms lead to https://checkout.stripe.com only; the
    stand-in plays that origin, so the test adds its address the same way.
    """
    import core.security

    stand_in = CheckoutStandIn()
    monkeypatch.setattr(
        core.security,
        "CONTENT_SECURITY_POLICY",
        core.security.CONTENT_SECURITY_POLICY.replace(
            "https://checkout.stripe.com", f"https://checkout.stripe.com {stand_in.url}"
        ),
    )
    stand_in.webhook_url = f"{live_server}/webhooks/stripe"
    saved = {
        k: live_app.config.get(k) for k in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE")
    }
    live_app.config.update(
        STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=stand_in.url
    )
    yield stand_in
    live_app.config.update(saved)
    stand_in.stop()


def test_card_payment_shows_processing_then_paid_without_reload_then_cancel_refunds(page, card_payments):  # type: ignore[no-untyped-def]
    create_service(
        slug="review",
        title="Deep-dive review",
        summary="Written recommendations.",
        deliverables="Report",
        duration="3 weeks",
        kind="report",
        price_minor=250000,
        cancellation_policy="0:100",
    )
    manager = create_user(email="maria@cluster.example")
    cluster = create_cluster(manager=manager, name="Blue Economy Cluster")

    log_in(page, manager.email)
    page.goto(f"/clusters/{cluster.id}/engagements/book")
    page.get_by_label("Goals").fill("A second opinion on our strategy")
    page.get_by_label("Card (Stripe Checkout)").check()
    page.get_by_role("button", name="Send the request").click()
    page.get_by_role("heading", name="Stand-in Checkout").wait_for()
    assert "3000.00 EUR" in page.content()  # 2,500 + 20 % VAT, from the catalogue
    page.get_by_role("button", name="Pay now").click()

    page.get_by_text("Payment processing").wait_for()
    page.evaluate("window.__sameDocument = true")
    page.get_by_text("Payment received").wait_for(timeout=patient_ms(20_000))
    assert page.evaluate("window.__sameDocument === true")  # htmx swapped the status in place
    assert page.csp_violations == []
    db.session.expire_all()
    engagement = db.session.execute(select(Engagement)).scalar_one()
    assert engagement.state == "paid" and engagement.payment_method == "card"

    # The cluster changes its mind: the cancel page shows the refund, and it goes back to the card.
    page.goto(f"/clusters/{cluster.id}/engagements/{engagement.id}")
    page.get_by_role("button", name="Cancel this engagement").click()
    assert "€3,000.00" in page.content() and "to the card used" in page.content()
    page.get_by_label("I understand the refund shown above").check()
    page.get_by_role("button", name="Cancel the engagement").click()
    page.get_by_text("€3,000.00 is refunded to the card used.").wait_for()
    assert "-€3,000.00" in page.content()
    assert page.csp_violations == []
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "refunded"
    charge = card_payments.charge_of(engagement.payment_intent_id)
    assert charge["amount_refunded"] == 300000
