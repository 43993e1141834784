"""A deep dive from payment to PDF in the browser.

Paid by card (Checkout stand-in) and by invoice marked paid, each report engagement gets its
draft job; a real Celery worker (in-process, in-memory broker) runs the jobs, so the progress
is seen changing in place. The consultant edits a recommendation and delivers; the manager
reads the HTML version (axe) and downloads the PDF, in which pypdf finds the edited text.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.api import db
from engagements.models import Engagement
from engagements.reports.models import ReportVersion
from tests.e2e.helpers import log_in, serious_accessibility_violations
from tests.e2e.test_engagements_card import card_payments  # noqa: F401 - the Checkout stand-in fixture
from tests.engagements.reports.factories import report_service
from tests.factories import create_cluster, create_user
from tests.support.patience import patient_ms

pytestmark = pytest.mark.e2e

EDITED_TITLE = "Hire a funding officer before the summer"


@pytest.fixture()
def worker_control(live_app) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The live app sends tasks to an in-memory broker; ``start()`` runs a real worker on it."""
    from celery.contrib.testing.worker import start_worker

    from workers.celery_app import celery_init_app

    keys = ("CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    saved_config = {k: live_app.config.get(k) for k in keys}
    saved_celery = live_app.extensions.get("celery")
    live_app.config.update(
        CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="memory://", CELERY_RESULT_BACKEND="cache+memory://"
    )
    celery = celery_init_app(live_app)

    class Control:
        running = None

        def start(self) -> None:
            self.running = start_worker(celery, pool="solo", perform_ping_check=False, shutdown_timeout=30)
            self.running.__enter__()

    control = Control()
    yield control
    if control.running is not None:
        control.running.__exit__(None, None, None)
    live_app.config.update(saved_config)
    if saved_celery is not None:
        live_app.extensions["celery"] = saved_celery
    else:
        live_app.extensions.pop("celery", None)


def _engagement(title_goal: str) -> Engagement:
    db.session.expire_all()
    return db.session.execute(select(Engagement).where(Engagement.goals == title_goal)).scalar_one()


def test_deep_dive_paid_drafted_edited_delivered_and_downloaded(  # type: ignore[no-untyped-def]
    page, new_page, card_payments, worker_control, mail  # noqa: F811
):
    report_service()
    manager = create_user(email="maria@cluster.example", display_name="Maria Manager")
    cluster = create_cluster(manager=manager, name="Blue Economy Cluster")
    admin = create_user(email="admin@platform.example", is_admin=True)
    consultant = create_user(email="carla@consult.example", display_name="Carla Consultant", is_consultant=True)

    # 1. By card, through the Checkout stand-in.
    log_in(page, manager.email)
    page.goto(f"/clusters/{cluster.id}/engagements/book")
    page.get_by_label("Goals").fill("Card: where should we go next?")
    page.get_by_label("Card (Stripe Checkout)").check()
    page.get_by_role("button", name="Send the request").click()
    page.get_by_role("heading", name="Stand-in Checkout").wait_for()
    page.get_by_role("button", name="Pay now").click()
    page.get_by_text("Payment received").wait_for(timeout=patient_ms(20_000))
    page.get_by_role("link", name="Go to the engagement").click()
    page.get_by_role("link", name="Follow the report's progress").click()
    # The job is queued: nobody runs it until the worker starts, and the page polls in place.
    page.get_by_text("Queued").wait_for()
    assert serious_accessibility_violations(page) == []
    worker_control.start()
    page.get_by_text("The draft is ready for a consultant").wait_for(timeout=patient_ms(30_000))  # nobody has taken it yet
    # htmx polled the progress in place, then reloaded the finished page (latest version, history).
    assert page.url.endswith("/report/")
    card = _engagement("Card: where should we go next?")
    assert card.state == "paid"

    # 2. By invoice, marked paid by an admin: its draft appears too.
    page.goto(f"/clusters/{cluster.id}/engagements/book")
    page.get_by_label("Goals").fill("Invoice: a second opinion")
    page.get_by_label("Invoice (bank transfer)").check()
    page.get_by_label("Invoice to (organisation)").fill("Blue Economy Cluster e.V.")
    page.get_by_label("Billing address").fill("Hafenstrasse 1\n20457 Hamburg")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Waiting for the bank transfer").wait_for()
    admin_page = new_page()
    log_in(admin_page, admin.email)
    invoice = _engagement("Invoice: a second opinion")
    admin_page.goto(f"/admin/engagements/{invoice.id}")
    admin_page.get_by_label("Bank reference").fill("SEPA 2026-11-30")
    admin_page.get_by_role("button", name="Mark invoice").click()
    admin_page.get_by_text("marked paid").wait_for()
    admin_page.goto(f"/console/engagements/{invoice.id}/report/")
    admin_page.locator("#report-progress").get_by_text("Ready").wait_for(timeout=patient_ms(30_000))
    assert db.session.execute(
        select(ReportVersion).where(ReportVersion.engagement_id == invoice.id)
    ).scalar_one().number == 1

    # 3. The consultant takes the card engagement, edits a recommendation and delivers.
    consultant_page = new_page()
    log_in(consultant_page, consultant.email)
    consultant_page.goto(f"/console/engagements/{card.id}")
    consultant_page.get_by_role("button", name="Assign myself").click()
    consultant_page.get_by_text("The engagement is yours.").wait_for()
    consultant_page.get_by_role("link", name="Report: draft, edit, deliver").click()
    consultant_page.get_by_role("link", name="Edit", exact=True).click()
    first = consultant_page.locator("fieldset.report-rec").first
    first.get_by_label("Title").fill(EDITED_TITLE)
    first.get_by_label("Actions").fill("Write the job description\nAsk the region for co-funding")
    assert serious_accessibility_violations(consultant_page) == []
    consultant_page.get_by_role("button", name="Save as a new version").click()
    consultant_page.get_by_text("Saved as version 2").wait_for()
    consultant_page.locator("#report-progress").get_by_text("Ready").wait_for(timeout=patient_ms(30_000))
    consultant_page.reload()
    consultant_page.get_by_role("link", name="Deliver version 2…").click()
    consultant_page.get_by_text("This cannot be undone.").wait_for()
    consultant_page.get_by_label("I have read this version").check()
    consultant_page.get_by_role("button", name="Deliver version 2").click()
    consultant_page.get_by_text("Version 2 was delivered").wait_for()
    # Mail leaves through the worker now: wait for this one, whatever came before it.
    deadline = time.monotonic() + 30
    while not any("Your report is ready" in m["Subject"] for m in mail.to(manager.email)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any("Your report is ready" in m["Subject"] for m in mail.to(manager.email))

    # 4. The manager reads the HTML version and downloads the PDF with the edited text.
    page.goto(f"/clusters/{cluster.id}/engagements/{card.id}/report/")
    page.locator("#report-progress").get_by_text("Ready").wait_for(timeout=patient_ms(30_000))
    page.reload()
    page.get_by_role("link", name="Read the report").click()
    page.get_by_text(EDITED_TITLE).first.wait_for()
    assert serious_accessibility_violations(page) == []
    assert page.csp_violations == []
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert EDITED_TITLE in " ".join(text.split())
    assert "Blue Economy Cluster" in text
