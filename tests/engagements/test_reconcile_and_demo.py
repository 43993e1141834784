"""``designing-clusters engagements reconcile [--fix]`` and the demo data hook."""

from __future__ import annotations

from sqlalchemy import select

from core.api import DemoCluster, DemoMember, db
from engagements import demo
from engagements.billing import checkout
from engagements.lifecycle import Actor
from engagements.models import Engagement, LedgerEntry, Service
from tests.engagements.conftest import book
from tests.factories import manager_of


def _paid_in_stripe_only(cluster, service, stand_in) -> tuple[Engagement, str]:  # type: ignore[no-untyped-def]
    engagement = book(cluster, service, method="card", card_enabled=True)
    manager = manager_of(cluster)
    checkout.start(engagement.id, Actor(manager.id, manager.email), manager.email)
    db.session.expire_all()
    evt = stand_in.pay(db.session.get(Engagement, engagement.id).checkout_session_id)
    return engagement, evt["data"]["object"]["payment_intent"]


def test_reconcile_reports_a_payment_whose_webhook_was_lost_and_fix_repairs_it(
    app, cluster, workshop, stripe_stand_in
):  # type: ignore[no-untyped-def]
    stripe_stand_in.charges.clear()
    engagement, pi = _paid_in_stripe_only(cluster, workshop, stripe_stand_in)
    runner = app.test_cli_runner()
    report = runner.invoke(args=["engagements", "reconcile"])
    assert report.exit_code == 1 and "payment_not_recorded" in report.output
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "awaiting_payment"

    fixed = runner.invoke(args=["engagements", "reconcile", "--fix"])
    assert fixed.exit_code == 0, fixed.output
    assert "[fixed]" in fixed.output
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "paid"

    stripe_stand_in.handle("POST", "/v1/refunds", {"payment_intent": pi, "amount": "20000"}, None)
    assert "refund_not_recorded" in runner.invoke(args=["engagements", "reconcile"]).output
    runner.invoke(args=["engagements", "reconcile", "--fix"])
    clean = runner.invoke(args=["engagements", "reconcile"])
    assert clean.exit_code == 0 and "agree" in clean.output
    refunds = (
        db.session.execute(select(LedgerEntry.amount_minor).where(LedgerEntry.kind == "refund"))
        .scalars()
        .all()
    )
    assert refunds == [20000]


def test_reconcile_reports_a_card_payment_stripe_does_not_know(app, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    from engagements import effects
    from engagements.billing.payments import mark_paid

    stripe_stand_in.charges.clear()
    engagement = book(cluster, workshop, method="card", card_enabled=True)
    mark_paid(
        engagement.id,
        method="card",
        amount_minor=120000,
        currency="EUR",
        external_ref="pi_ghost",
        payment_intent_id="pi_ghost",
        actor=Actor.system("test"),
    )
    effects.commit()
    result = app.test_cli_runner().invoke(args=["engagements", "reconcile"])
    assert "charge_not_in_stripe" in result.output and "pi_ghost" in result.output


def test_reconcile_without_stripe_keys_says_so(app):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["engagements", "reconcile"])
    assert result.exit_code != 0 and "STRIPE_SECRET_KEY" in result.output


def test_demo_data_adds_a_catalogue_and_an_invoice_paid_engagement(cluster):  # type: ignore[no-untyped-def]
    manager = manager_of(cluster)
    demo_cluster = DemoCluster(
        id=cluster.id,
        name=cluster.name,
        members=(
            DemoMember(
                user_id=manager.id,
                membership_id=1,
                email=manager.email,
                organisation_name="Office",
                organisation_type="intermediary",
                role="manager",
            ),
        ),
    )
    demo.load(demo_cluster)
    db.session.commit()
    assert len(db.session.execute(select(Service)).scalars().all()) == 3
    engagement = db.session.execute(select(Engagement)).scalar_one()
    assert engagement.state == "paid" and engagement.payment_method == "invoice"
    assert db.session.execute(select(LedgerEntry.method)).scalar_one() == "invoice"
