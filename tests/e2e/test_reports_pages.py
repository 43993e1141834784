"""The report pages on a phone, with a keyboard, and without JavaScript."""

from __future__ import annotations

import pytest

from core.api import db
from engagements.reports.versions import content_of, latest_version
from tests.e2e.helpers import log_in, log_out, serious_accessibility_violations
from tests.engagements.reports.factories import add_version, paid_report_engagement
from tests.factories import add_member, create_cluster, manager_of

pytestmark = pytest.mark.e2e
PHONE = {"width": 375, "height": 740}


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_consultant_edits_on_a_phone_with_the_keyboard_only(page):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    add_version(engagement)
    from core.accounts.models import User

    consultant = db.session.get(User, engagement.consultant_id)
    page.set_viewport_size(PHONE)
    log_in(page, consultant.email)
    page.goto(f"/console/engagements/{engagement.id}/report/")  # goto waits for "load"
    assert _fits(page)
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("heading", name="Edit the report").wait_for()
    page.wait_for_load_state("load")  # measure with the stylesheets applied
    assert _fits(page)

    title = page.get_by_label("Title").first
    title.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("Typed with the keyboard")
    page.keyboard.press("Enter")  # Enter in a text field submits the editor
    page.get_by_text("Saved as version 2").wait_for()
    db.session.expire_all()
    assert content_of(latest_version(engagement.id)).recommendations[0].title == "Typed with the keyboard"


def test_without_javascript_the_cluster_page_shows_the_state_and_sharing_works(browser, live_server):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster).user
    engagement = paid_report_engagement(cluster)
    add_version(engagement, delivered=True)
    context = browser.new_context(base_url=live_server, java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        log_in(page, manager_of(cluster).email)
        page.goto(f"/clusters/{cluster.id}/engagements/{engagement.id}/report/")
        assert _fits(page)
        assert page.get_by_role("link", name="Refresh to see the latest state").count() == 1
        assert page.get_by_role("link", name="Read the report").count() == 1
        page.get_by_label("Members of the cluster may read the delivered report").check()
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Members can now read the report.").wait_for()
        log_out(page)
        log_in(page, member.email)
        page.goto(f"/clusters/{cluster.id}/engagements/{engagement.id}/report/")
        page.get_by_role("link", name="Read the report").click()
        page.get_by_text("Broaden the funding mix").first.wait_for()
        page.wait_for_load_state("load")
        assert _fits(page), "the HTML version must read on a phone"
    finally:
        context.close()
