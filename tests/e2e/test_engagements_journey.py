"""A manager books a workshop by invoice; an admin confirms the transfer; a consultant fixes the
date; the manager sees it and downloads the calendar invitation and the receipt."""

from __future__ import annotations

import io

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from engagements.models import Service
from tests.e2e.helpers import log_in, log_out, serious_accessibility_violations
from tests.engagements.factories import complete_seller, create_service
from tests.factories import create_cluster, create_user

pytestmark = pytest.mark.e2e


def _catalogue() -> Service:
    return create_service(
        slug="business-model-workshop",
        summary="A facilitated day on the cluster's business model.",
        description="Preparation, the day, a summary.",
        deliverables="Preparation call\nOne-day workshop\nWritten summary",
        price_minor=450000,
    )


def test_workshop_booked_by_invoice_paid_scheduled_and_documents_downloaded(page, new_page, mail):  # type: ignore[no-untyped-def]
    _catalogue()
    complete_seller()
    manager = create_user(email="maria@cluster.example", display_name="Maria Manager")
    create_cluster(manager=manager, name="Blue Economy Cluster")
    admin = create_user(email="admin@platform.example", is_admin=True)
    consultant = create_user(
        email="carla@consult.example", display_name="Carla Consultant", is_consultant=True
    )

    # The manager finds the service on the public page and books it for her cluster.
    log_in(page, manager.email)
    page.goto("/services/")
    page.get_by_role("link", name="Business model workshop").first.click()
    assert "€4,500.00" in page.content() and "€5,400.00" in page.content()
    page.get_by_role("button", name="Book for Blue Economy Cluster").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Goals").fill("Agree on a sharper offer for members")
    page.get_by_label("Preferred dates").fill("Any Tuesday in March")
    assert page.get_by_label("Card (Stripe Checkout)").count() == 0  # no Stripe keys: invoice only
    page.get_by_label("Invoice to (organisation)").fill("Blue Economy Cluster e.V.")
    page.get_by_label("Billing address").fill("Hafenstrasse 1\n20457 Hamburg")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Waiting for the bank transfer").wait_for()
    engagement_url = page.url
    with page.expect_download() as invoice:
        page.get_by_role("link", name="Download invoice").click()
    invoice_text = PdfReader(io.BytesIO(open(invoice.value.path(), "rb").read())).pages[0].extract_text()
    assert "Blue Economy Cluster e.V." in invoice_text and "5,400.00" in invoice_text

    # The admin sees the transfer arrive and marks the invoice paid.
    admin_page = new_page()
    log_in(admin_page, admin.email)
    admin_page.goto("/admin/engagements/")
    admin_page.get_by_role("link", name="Business model workshop").click()
    admin_page.get_by_label("Bank reference").fill("SEPA 2026-11-30")
    admin_page.get_by_role("button", name="Mark invoice").click()
    admin_page.get_by_text("marked paid").wait_for()

    # The consultant takes it on and fixes the date.
    consultant_page = new_page()
    log_in(consultant_page, consultant.email)
    consultant_page.get_by_role("link", name="Consultant console").click()
    consultant_page.get_by_role("button", name="Take it").click()
    consultant_page.get_by_text("The engagement is yours.").wait_for()
    consultant_page.get_by_label("Date").fill("2027-03-09")
    consultant_page.get_by_label("Start time (Europe/Paris)").fill("09:30")
    consultant_page.get_by_label("Place or video link").fill("Cluster office, Hamburg")
    consultant_page.get_by_role("button", name="Save the date and send the invitation").click()
    consultant_page.get_by_text("Date fixed").first.wait_for()
    invitation = mail.wait_for(manager.email, 3)
    assert any("Date fixed" in m["Subject"] for m in invitation)

    # The manager sees the date, downloads the invitation and the receipt.
    page.goto(engagement_url)
    assert "Tuesday 09 March 2027, 09:30 (Europe/Paris, CET)" in page.content()
    with page.expect_download() as ics:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    event = Calendar.from_ical(open(ics.value.path(), "rb").read()).walk("VEVENT")[0]
    assert event["dtstart"].dt.isoformat() == "2027-03-09T09:30:00+01:00"
    assert str(event["location"]) == "Cluster office, Hamburg"
    page.get_by_role("link", name="Receipt").click()
    with page.expect_download() as receipt:
        page.get_by_role("button", name="Download the receipt (PDF)").click()
    receipt_text = PdfReader(io.BytesIO(open(receipt.value.path(), "rb").read())).pages[0].extract_text()
    assert "Received with thanks" in receipt_text and "5,400.00" in receipt_text
    assert page.csp_violations == []
    log_out(page)
