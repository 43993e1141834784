"""A workshop prepared from the cluster's own divergences, in the browser.

Booked by invoice and marked paid, the workshop's brief is drafted by a real Celery worker
(in-process, in-memory broker), the progress changing in place. The consultant edits an
agenda item and shares the version; the manager reads it, comments and downloads the PDF
(pypdf finds the edited text). After the workshop the consultant records the outcomes; the
manager sees them with the tools' follow-ups and starts a to-be canvas from them.

The cluster's canvas has a contested note (three universities against three SMEs), so the
canvas reports a divergence and the draft has a canvas item to decide on.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.api import db
from engagements.briefs.versions import draft_of, latest_version
from engagements.models import Engagement
from tests.e2e.helpers import log_in, serious_accessibility_violations
from tests.e2e.test_reports_journey import worker_control  # noqa: F401 - the in-process worker fixture
from tests.engagements.briefs.stand_in import drafting_rule  # noqa: F401 - autouse: the drafting rule
from tests.engagements.factories import create_service
from tests.factories import add_member, create_cluster, create_user
from tests.plugins.canvas.helpers import manager_membership, new_canvas, note_by, vote_by
from tests.support.patience import patient_ms

pytestmark = pytest.mark.e2e

EDITED_TITLE = "Which members the test bench is for"
GOALS = "Settle who our shared test bench serves"


def _contested_canvas(cluster) -> None:  # type: ignore[no-untyped-def]
    canvas = new_canvas(cluster, "As-is 2026")
    universities = [add_member(cluster, organisation_type="university") for _ in range(3)]
    smes = [add_member(cluster, organisation_type="sme") for _ in range(3)]
    note = note_by(canvas, manager_membership(cluster), "Shared test bench open to every member", "propositions")
    for membership in universities:
        vote_by(note, membership, "agree")
    for membership in smes:
        vote_by(note, membership, "disagree")


def test_workshop_paid_brief_drafted_edited_shared_read_and_outcomes_recorded(  # type: ignore[no-untyped-def]
    page, new_page, worker_control, mail  # noqa: F811
):
    create_service(slug="business-model-workshop", price_minor=450000)
    manager = create_user(email="maria@cluster.example", display_name="Maria Manager")
    cluster = create_cluster(manager=manager, name="Blue Economy Cluster")
    _contested_canvas(cluster)
    admin = create_user(email="admin@platform.example", is_admin=True)
    consultant = create_user(email="carla@consult.example", display_name="Carla Consultant", is_consultant=True)

    # 1. The manager books the workshop; an admin marks the invoice paid.
    log_in(page, manager.email)
    page.goto(f"/clusters/{cluster.id}/engagements/book")
    page.get_by_label("Goals").fill(GOALS)
    page.get_by_label("Invoice to (organisation)").fill("Blue Economy Cluster e.V.")
    page.get_by_label("Billing address").fill("Hafenstrasse 1\n20457 Hamburg")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Waiting for the bank transfer").wait_for()
    db.session.expire_all()
    engagement = db.session.execute(select(Engagement).where(Engagement.goals == GOALS)).scalar_one()
    admin_page = new_page()
    log_in(admin_page, admin.email)
    admin_page.goto(f"/admin/engagements/{engagement.id}")
    admin_page.get_by_label("Bank reference").fill("SEPA 2026-11-30")
    admin_page.get_by_role("button", name="Mark invoice").click()
    admin_page.get_by_text("marked paid").wait_for()

    # 2. The consultant takes it; the brief's draft is queued and the page follows it in place.
    console = new_page()
    log_in(console, consultant.email)
    console.goto(f"/console/engagements/{engagement.id}")
    console.get_by_role("button", name="Assign myself").click()
    console.get_by_text("The engagement is yours.").wait_for()
    console.get_by_role("link", name="Workshop brief: draft, edit, share, outcomes").click()
    console.locator("#brief-progress").get_by_text("Queued").wait_for()
    assert serious_accessibility_violations(console) == []
    console.evaluate("window.__sameDocument = true")
    worker_control.start()
    console.locator("#brief-progress").get_by_text("Ready").wait_for(timeout=patient_ms(60_000))
    assert console.evaluate("window.__sameDocument === true")  # htmx swapped the progress in place
    db.session.expire_all()
    drafted = draft_of(latest_version(engagement.id))
    assert drafted.goals == GOALS and drafted.length_minutes == 360
    canvas_items = [item for item in drafted.items if item.source == "canvas"]
    assert canvas_items, [item.key for item in drafted.items]

    # 3. The consultant edits the canvas item and shares the new version.
    console.reload()
    console.locator(f"[id='item-{canvas_items[0].key}']").get_by_role("link", name=re.compile("^Edit")).click()
    console.get_by_label("Title").fill(EDITED_TITLE)
    console.get_by_label("Time box (minutes)").fill("50")
    assert serious_accessibility_violations(console) == []
    console.get_by_role("button", name="Save as a new version").click()
    console.get_by_text("Saved as version 2").wait_for()
    console.get_by_role("link", name="Share version 2 with the managers…").click()
    console.get_by_role("button", name="Share version 2").click()
    console.get_by_text("Version 2 is shared").wait_for()
    assert any(m["Subject"].startswith("Workshop brief to read") for m in mail.wait_for(manager.email, 3))

    # 4. The manager reads it, comments and downloads the PDF with the edited text.
    page.goto(f"/clusters/{cluster.id}/engagements/{engagement.id}")
    page.get_by_role("link", name="The workshop brief and its outcomes").click()
    page.get_by_text(EDITED_TITLE).first.wait_for()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Your comment").fill("Please invite the two test-bench operators too.")
    page.get_by_role("button", name="Send the comment").click()
    page.get_by_text("Your comment was sent").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
    assert EDITED_TITLE in " ".join(text.split())

    # 5. The workshop takes place; the consultant records its outcomes.
    console.goto(f"/console/engagements/{engagement.id}")
    console.get_by_label("Date").fill("2027-03-09")
    console.get_by_label(re.compile("^Start time")).fill("09:30")
    console.get_by_label("Place or video link").fill("Cluster office, Hamburg")
    console.get_by_role("button", name="Save the date and send the invitation").click()
    console.get_by_text("Date fixed").first.wait_for()
    console.get_by_role("button", name="Start delivery").click()
    console.get_by_role("link", name="Workshop brief: draft, edit, share, outcomes").click()
    console.get_by_text("Please invite the two test-bench operators too.").wait_for()
    console.get_by_role("link", name="Record the workshop's outcomes").click()
    position = [item.key for item in draft_of(latest_version(engagement.id)).items].index(canvas_items[0].key) + 1
    console.locator(f"#decision-{position}").fill("Open the bench to SMEs first, universities from 2028")
    console.locator(f"#owner-{position}").fill("Board")
    console.locator(f"#due-{position}").fill("2027-06-30")
    assert serious_accessibility_violations(console) == []
    console.get_by_role("button", name="Record the outcomes").click()
    console.get_by_text("1 decision recorded").wait_for()

    # 6. The manager sees the decisions and turns the canvas ones into a to-be canvas.
    page.goto(f"/clusters/{cluster.id}/engagements/{engagement.id}/brief/")
    page.get_by_role("link", name="See what the workshop decided").click()
    page.get_by_text("Open the bench to SMEs first").wait_for()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name=re.compile("^Start a to-be canvas")).click()
    page.get_by_text("Open the bench to SMEs first").first.wait_for()
    assert "/canvas/" in page.url
