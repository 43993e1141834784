"""Invoices that can be paid as issued: seller details kept by admins, EU VAT contents (issue 10, case 4)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from core.api import DemoCluster, DemoMember, db
from engagements import demo
from engagements.billing import invoices
from engagements.billing import seller as seller_details
from engagements.models import Engagement, SellerDetails
from engagements.vat import reverse_charge, vat_id_problem
from tests.engagements.factories import complete_seller
from tests.engagements.conftest import book
from tests.factories import create_user, login, manager_of

FORM = {
    "goals": "Sharper member offer",
    "payment_method": "invoice",
    "buyer_name": "Cluster office",
    "buyer_address": "1 Main Street\nLyon",
}
SELLER = {
    "name": "Test Consulting SAS",
    "address": "1 Rue de Test\n31000 Toulouse",
    "vat_id": "fr 40 303265045",
    "email": "billing@test.example",
    "iban": "fr76 3000 6000 0112 3456 7890 189",
    "bic": "agrifrpp",
    "payment_terms_days": "45",
}


def _no_seller() -> None:
    db.session.execute(delete(SellerDetails))
    db.session.commit()


def test_invoice_payment_waits_for_complete_seller_details(client, cluster, workshop):  # type: ignore[no-untyped-def]
    _no_seller()
    assert seller_details.current().missing == ["address", "VAT ID", "IBAN"]  # no env defaults here
    login(client, manager_of(cluster))
    page = client.get(f"/clusters/{cluster.id}/engagements/book").get_data(as_text=True)
    assert "Invoice (bank transfer)" not in page and "Booking opens soon" in page
    refused = client.post(f"/clusters/{cluster.id}/engagements/book", data={**FORM, "service_id": workshop.id})
    assert refused.status_code == 400
    assert db.session.execute(select(func.count(Engagement.id))).scalar_one() == 0

    client.post("/logout")
    login(client, create_user(is_admin=True))
    overview = client.get("/admin/engagements/").get_data(as_text=True)
    assert "Invoice payment is not offered" in overview and "address, VAT ID, IBAN" in overview
    bad = client.post("/admin/engagements/seller", data={**SELLER, "iban": "12345"})
    assert bad.status_code == 400 and "Enter an IBAN" in bad.get_data(as_text=True)
    assert client.post("/admin/engagements/seller", data=SELLER).status_code == 303
    saved = seller_details.current()
    assert saved.complete and saved.vat_id == "FR40303265045" and saved.payment_terms_days == 45
    assert saved.iban == "FR76 3000 6000 0112 3456 7890 189"

    client.post("/logout")
    login(client, manager_of(cluster))
    assert "Invoice (bank transfer)" in client.get(f"/clusters/{cluster.id}/engagements/book").get_data(as_text=True)
    booked = client.post(f"/clusters/{cluster.id}/engagements/book", data={**FORM, "service_id": workshop.id})
    assert booked.status_code == 303


def test_environment_values_are_only_defaults(app, client):  # type: ignore[no-untyped-def]
    _no_seller()
    keys = {
        "ENGAGEMENTS_SELLER_NAME": "Env Consulting",
        "ENGAGEMENTS_SELLER_ADDRESS": "Env street",
        "ENGAGEMENTS_SELLER_VAT_ID": "FR11111111111",
        "ENGAGEMENTS_SELLER_IBAN": "FR76 1111 1111 1111 1111 1111 111",
    }
    app.config.update(keys)
    try:
        assert seller_details.current().name == "Env Consulting" and seller_details.current().complete
        login(client, create_user(is_admin=True))
        form = client.get("/admin/engagements/seller").get_data(as_text=True)
        assert 'value="Env Consulting"' in form and "nothing saved here yet" in form
        client.post("/admin/engagements/seller", data={**SELLER, "name": "Saved Consulting"})
        assert seller_details.current().name == "Saved Consulting"  # the saved row wins over the environment
    finally:
        for key in keys:
            app.config.pop(key)


def test_invoice_carries_what_an_eu_vat_invoice_must(cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop)
    html = invoices.invoice_html(engagement, cluster.name)
    issued = engagement.invoice_issued_at
    assert f"Invoice date</td><td>{issued:%d %B %Y}" in html
    assert "Date of supply</td><td>On the date of the workshop agreed with the consultant" in html
    assert f"Due date</td><td>{issued + timedelta(days=30):%d %B %Y} (30 days)" in html
    assert "Test Consulting SAS" in html and "VAT FR40303265045" in html
    assert "1 Rue de Test" in html and "IBAN FR76 3000 6000 0112 3456 7890 189" in html
    # the rate and the amount per rate
    assert "<td>20 %</td><td class=\"num\">€1,000.00</td><td class=\"num\">€200.00</td>" in html
    assert "Reverse charge" not in html


def test_buyer_vat_id_from_another_eu_country_means_reverse_charge(cluster, workshop):  # type: ignore[no-untyped-def]
    from engagements import bookings
    from engagements.lifecycle import Actor

    assert reverse_charge("FR00123456789", "de 123 456 789") and not reverse_charge("FR001", "FR00999999999")
    assert not reverse_charge("FR00123456789", "GB123456789") and not reverse_charge("FR00123456789", "")
    manager = manager_of(cluster)

    def booked(vat_id: str) -> Engagement:
        return bookings.book(
            cluster.id,
            Actor(manager.id, manager.email),
            bookings.BookingRequest(workshop.id, "invoice", "Goals", "", "", "Verein", "Hamburg", vat_id),
            card_enabled=False,
        )

    german = booked("DE123456789")
    assert (german.reverse_charge, german.vat_minor, german.total_minor) == (True, 0, 100000)
    html = invoices.invoice_html(german, cluster.name)
    assert "Reverse charge: VAT is to be accounted for by the recipient" in html and "VAT DE123456789" in html
    assert "Please transfer €1,000.00" in html
    french = booked("FR99999999999")
    assert (french.reverse_charge, french.total_minor) == (False, 120000)
    assert "Reverse charge" not in invoices.invoice_html(french, cluster.name)


def test_demo_seller_details_are_clearly_fake(cluster):  # type: ignore[no-untyped-def]
    _no_seller()
    manager = manager_of(cluster)
    member = DemoMember(manager.id, 1, manager.email, "Office", "intermediary", "manager")
    demo.load(DemoCluster(id=cluster.id, name=cluster.name, members=(member,)))
    db.session.commit()
    seller = seller_details.current()
    assert "not a real company" in seller.name and "DEMO" in seller.iban
    engagement = db.session.execute(select(Engagement)).scalar_one()
    html = invoices.invoice_html(engagement, cluster.name)
    assert "DEMO Fictitious Consulting (not a real company)" in html and "IBAN XX00 0000 DEMO DEMO DEMO" in html


def test_vat_numbers_are_checked_as_their_tax_authorities_publish_them():
    assert vat_id_problem("") is None and vat_id_problem("fr 40 303 265 045") is None
    assert vat_id_problem("DE136695976") is None and vat_id_problem("GB980780684") is None
    assert "check digits" in vat_id_problem("DE123456789")
    assert "format of a FR VAT number" in vat_id_problem("FR001")
    assert "country prefix" in vat_id_problem("12345678")


def test_a_mistyped_buyer_vat_number_is_refused_next_to_the_field(client, cluster, workshop):  # type: ignore[no-untyped-def]
    login(client, manager_of(cluster))
    page = client.post(f"/clusters/{cluster.id}/engagements/book",
                       data={**FORM, "service_id": workshop.id, "buyer_vat_id": "DE123456780"})
    assert page.status_code == 400
    assert "check digits are wrong" in page.get_data(as_text=True)
    assert db.session.execute(select(func.count(Engagement.id))).scalar_one() == 0


def test_the_reverse_charge_hint_appears_only_for_an_eu_seller(client, cluster, workshop):  # type: ignore[no-untyped-def]
    login(client, manager_of(cluster))
    assert "reverse charge" in client.get(f"/clusters/{cluster.id}/engagements/book").get_data(as_text=True)
    complete_seller(vat_id="CHE-116.281.710 MWST")
    assert "reverse charge" not in client.get(f"/clusters/{cluster.id}/engagements/book").get_data(as_text=True)
    assert "reverse charge" not in client.get(f"/services/{workshop.slug}").get_data(as_text=True).lower()
