"""In the browser: workshop decisions back in the tools (assessment results, a to-be canvas).

The service that records outcomes is stood in for by a test-only plugin on the live app,
so this journey depends only on the hooks; the brief's own pages are tested with it.
"""

from __future__ import annotations

from datetime import date

from core.api import AgreedOutcome
from tests.e2e.helpers import log_in, serious_accessibility_violations
from tests.factories import create_cluster, manager_of
from tests.plugins.innovativeness.helpers import BANK, seed_round
from tests.support.outcomes import recorded_outcomes

# What the brief's outcomes page does when the manager presses the tool's button.
POST_FORM = """([action, token]) => {
    const form = document.createElement('form');
    form.method = 'post'; form.action = action;
    const field = document.createElement('input');
    field.type = 'hidden'; field.name = 'csrf_token'; field.value = token;
    form.appendChild(field); document.body.appendChild(form); form.submit();
}"""


def test_the_manager_sees_decisions_beside_drivers_and_starts_a_to_be_canvas(page, live_app):  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Journey Valley")
    rnd = seed_round(cluster, [("sme", 2), ("sme", 4), ("sme", 5)], title="Autumn round", close=True)
    driver = BANK.drivers[0]
    decided = date(2026, 11, 20)
    outcomes = [
        AgreedOutcome(77, driver.title, "Open the lab to start-ups one day a week",
                      about=f"innovativeness:driver:{driver.key}", source="innovativeness", owner="Lab manager",
                      due=date(2027, 3, 1), decided_on=decided),
        AgreedOutcome(77, "Governance", "The board decides by a two-thirds majority",
                      about="canvas:element:governance", source="canvas", decided_on=decided),
    ]
    with recorded_outcomes(live_app, {cluster.id: outcomes}):
        log_in(page, manager_of(cluster).email)
        page.goto(f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}/results")
        section = page.get_by_role("region", name="Agreed at workshops")
        assert "Open the lab to start-ups one day a week" in section.inner_text()
        assert f"{driver.key} {driver.title}" in section.inner_text()
        assert serious_accessibility_violations(page) == []

        # The brief's outcomes page posts this form (with the CSRF token) to the canvas's action.
        token = page.locator("input[name=csrf_token]").first.get_attribute("value")
        with page.expect_navigation():
            page.evaluate(POST_FORM, [f"/clusters/{cluster.id}/canvas/to-be/77", token])
        assert "Start a to-be canvas from 1 workshop decision?" in page.content()
        assert serious_accessibility_violations(page) == []
        with page.expect_navigation():
            page.get_by_role("button", name="Start the to-be canvas").click()
        assert "To-be canvas from the workshop of 20 Nov 2026" in page.content()
        assert "The board decides by a two-thirds majority" in page.content()
