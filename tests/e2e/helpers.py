"""Steps users take in the browser, shared by the journeys."""

from __future__ import annotations

import re
from pathlib import Path

from tests.factories import DEFAULT_PASSWORD

AXE_SOURCE = Path(__file__).resolve().parents[2] / "core" / "static" / "vendor" / "axe" / "axe.min.js"


def log_in(page, email: str, password: str = DEFAULT_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, "login did not succeed"


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def first_link_in(text: str) -> str:
    match = re.search(r"https?://\S+", text)
    assert match, f"no link in: {text!r}"
    return match.group(0)


def serious_accessibility_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run axe-core in the page (evaluated by the driver, so the CSP allows it)."""
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
