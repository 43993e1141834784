"""Booking by invoice and by card through the pages; permissions; cancel with refunds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.api import db, utcnow
from engagements.models import Engagement, LedgerEntry, Transition
from tests.engagements.conftest import book
from tests.factories import add_member, create_cluster, create_user, login, manager_of

FORM = {
    "goals": "Agree on a sharper member offer",
    "context": "New board",
    "preferred_dates": "Any Tuesday",
    "payment_method": "invoice",
    "buyer_name": "Cluster office",
    "buyer_address": "1 Main Street\nLyon",
}


def test_manager_books_by_invoice_and_gets_an_invoice(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    login(client, manager_of(cluster))
    response = client.post(
        f"/clusters/{cluster.id}/engagements/book", data={**FORM, "service_id": workshop.id}
    )
    assert response.status_code == 303
    engagement = db.session.execute(select(Engagement)).scalar_one()
    assert engagement.state == "awaiting_payment"
    assert engagement.total_minor == 120000 and engagement.invoice_number.startswith("INV-")
    page = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}")
    assert page.status_code == 200 and engagement.invoice_number in page.get_data(as_text=True)
    pdf = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/invoice.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    mail.wait_for(manager_of(cluster).email, 1)


def test_price_comes_from_the_catalogue_not_the_form(client, cluster, workshop):  # type: ignore[no-untyped-def]
    login(client, manager_of(cluster))
    client.post(
        f"/clusters/{cluster.id}/engagements/book",
        data={**FORM, "service_id": workshop.id, "total_minor": "1", "price_minor": "1"},
    )
    assert db.session.execute(select(Engagement.total_minor)).scalar_one() == 120000


def test_invalid_booking_is_shown_again_with_messages(client, cluster, workshop):  # type: ignore[no-untyped-def]
    login(client, manager_of(cluster))
    response = client.post(
        f"/clusters/{cluster.id}/engagements/book",
        data={**FORM, "service_id": workshop.id, "goals": "", "buyer_address": ""},
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Say what the cluster wants to achieve." in text and "New board" in text
    assert db.session.execute(select(func.count(Engagement.id))).scalar_one() == 0


def test_without_stripe_keys_card_payment_is_hidden_and_refused(client, cluster, workshop):  # type: ignore[no-untyped-def]
    login(client, manager_of(cluster))
    page = client.get(f"/clusters/{cluster.id}/engagements/book").get_data(as_text=True)
    assert 'value="card"' not in page
    response = client.post(
        f"/clusters/{cluster.id}/engagements/book",
        data={**FORM, "service_id": workshop.id, "payment_method": "card"},
    )
    assert response.status_code == 400
    assert db.session.execute(select(func.count(Engagement.id))).scalar_one() == 0


def test_plain_member_cannot_book_or_cancel(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop)
    member = add_member(cluster).user
    login(client, member)
    assert client.get(f"/clusters/{cluster.id}/engagements/book").status_code == 403
    assert (
        client.post(
            f"/clusters/{cluster.id}/engagements/book", data={**FORM, "service_id": workshop.id}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"}
        ).status_code
        == 403
    )
    assert client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}").status_code == 200


def test_another_clusters_engagements_answer_404(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop)
    other = create_cluster()
    login(client, manager_of(other))
    for path in ("", "/invoice.pdf", "/cancel", "/status", "/checkout/success", "/calendar.ics"):
        assert client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}{path}").status_code == 404
        assert client.get(f"/clusters/{other.id}/engagements/{engagement.id}{path}").status_code == 404


def test_only_consultants_and_admins_reach_the_console(client, cluster, workshop):  # type: ignore[no-untyped-def]
    login(client, manager_of(cluster))
    assert client.get("/console/engagements/").status_code == 403
    assert client.get("/admin/engagements/ledger").status_code == 403
    client.post("/logout")
    login(client, create_user(is_consultant=True))
    assert client.get("/console/engagements/").status_code == 200
    assert client.get("/admin/engagements/ledger").status_code == 403


def test_cancelling_an_unpaid_invoice_refunds_nothing(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop)
    login(client, manager_of(cluster))
    response = client.post(
        f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "cancelled"
    assert db.session.execute(select(func.count(LedgerEntry.id))).scalar_one() == 0


def test_cancelling_a_paid_invoice_close_to_the_date_makes_half_a_refund_due(client, cluster, workshop):  # type: ignore[no-untyped-def]
    from engagements import effects
    from engagements.billing.payments import mark_paid
    from engagements.lifecycle import Actor
    from engagements.models import RefundDue

    engagement = book(cluster, workshop)
    mark_paid(
        engagement.id,
        method="invoice",
        amount_minor=120000,
        currency="EUR",
        external_ref=f"invoice:{engagement.invoice_number}",
        actor=Actor.system("test"),
    )
    effects.commit()
    db.session.get(Engagement, engagement.id).scheduled_for = utcnow() + timedelta(days=5)
    db.session.commit()
    login(client, manager_of(cluster))
    page = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel").get_data(as_text=True)
    assert "€600.00" in page
    client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"})
    db.session.expire_all()
    # money by transfer is not back until an admin sends it: due, not yet in the ledger
    assert db.session.execute(select(LedgerEntry).where(LedgerEntry.kind == "refund")).first() is None
    assert [d.amount_minor for d in db.session.execute(select(RefundDue)).scalars()] == [60000]
    assert db.session.get(Engagement, engagement.id).state == "cancelled"
    states = db.session.execute(select(Transition.to_state).order_by(Transition.id)).scalars().all()
    assert states == ["requested", "awaiting_payment", "paid", "cancelled"]


def test_public_services_page_shows_price_vat_and_terms(client, workshop):  # type: ignore[no-untyped-def]
    listing = client.get("/services/").get_data(as_text=True)
    assert "Business model workshop" in listing and "€1,000.00" in listing and "€1,200.00" in listing
    detail = client.get(f"/services/{workshop.slug}").get_data(as_text=True)
    assert "100 % refund until 14 days before the workshop." in detail and "Log in" in detail


def test_dashboard_widget_lists_open_engagements(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop)
    login(client, manager_of(cluster))
    page = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert f"/clusters/{cluster.id}/engagements/{engagement.id}" in page and "Awaiting payment" in page


def test_consultants_get_a_console_link_and_members_do_not(client, cluster):  # type: ignore[no-untyped-def]
    login(client, manager_of(cluster))
    assert "Consultant console" not in client.get("/clusters").get_data(as_text=True)
    client.post("/logout")
    login(client, create_user(is_consultant=True))
    assert "Consultant console" in client.get("/clusters").get_data(as_text=True)


def test_cancel_page_and_refund_due_round_odd_cents_half_up(client, cluster):  # type: ignore[no-untyped-def]
    """€999.99 net + 20 % VAT = €1,199.99 paid; the 50 % tier gives €600.00 back (not €599.99)."""
    from engagements import effects
    from engagements.billing.payments import mark_paid
    from engagements.lifecycle import Actor
    from engagements.models import RefundDue
    from tests.engagements.factories import create_service

    service = create_service(slug="odd", price_minor=99999, cancellation_policy="14:100,3:50")
    engagement = book(cluster, service)
    assert engagement.total_minor == 119999
    mark_paid(
        engagement.id,
        method="invoice",
        amount_minor=119999,
        currency="EUR",
        external_ref=f"invoice:{engagement.invoice_number}",
        actor=Actor.system("test"),
    )
    effects.commit()
    db.session.get(Engagement, engagement.id).scheduled_for = utcnow() + timedelta(days=5)
    db.session.commit()
    login(client, manager_of(cluster))
    page = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel").get_data(as_text=True)
    assert "€600.00" in page and "rounded half up to the cent" in page
    client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"})
    db.session.expire_all()
    assert db.session.execute(select(RefundDue.amount_minor)).scalar_one() == 60000
