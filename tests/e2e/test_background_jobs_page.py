"""The admin's background-jobs page in the browser: accessible, fits a phone, retried with the keyboard."""

from __future__ import annotations

import pytest

from core.api import db, utcnow
from core.background.models import JobRun
from tests.e2e.helpers import log_in, serious_accessibility_violations
from tests.factories import create_user

pytestmark = pytest.mark.e2e


def test_an_admin_finds_a_failed_job_and_retries_it_from_the_keyboard_on_a_phone(browser, live_server):  # type: ignore[no-untyped-def]
    admin = create_user(email="jobs-admin@dc.example", is_admin=True)
    db.session.add(JobRun(name="core.expire_sessions", state="failed", attempt=4, summary="",
                          error="OperationalError: database is locked", started_at=utcnow(), finished_at=utcnow()))
    db.session.commit()
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        log_in(page, admin.email)
        page.get_by_role("link", name="Background jobs").first.click()
        page.wait_for_load_state()
        assert page.get_by_text("OperationalError: database is locked").is_visible()
        assert serious_accessibility_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.get_by_label("State").select_option("failed")
        with page.expect_navigation():
            page.get_by_role("button", name="Show").press("Enter")
        assert "state=failed" in page.url
        retry = page.get_by_role("button", name="Retry Periodic job core.expire_sessions")
        retry.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("core.expire_sessions will run again in a moment.").is_visible()
        assert serious_accessibility_violations(page) == []
    finally:
        context.close()
