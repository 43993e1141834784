"""A visitor takes the quick innovativeness test from start to result."""

from __future__ import annotations

import pytest

from plugins.innovativeness.bank import latest_bank
from tests.e2e.helpers import serious_accessibility_violations

pytestmark = pytest.mark.e2e


def answer_page(page, value: str) -> None:  # type: ignore[no-untyped-def]
    radios = page.locator(f'main input[type="radio"][value="{value}"]')
    for index in range(radios.count()):
        radios.nth(index).check()


def test_visitor_takes_the_quick_test_goes_back_and_reads_the_result(page):  # type: ignore[no-untyped-def]
    pages = len(latest_bank().pages())
    page.goto("/tools/innovativeness/")
    page.get_by_role("button", name="Start the quick test").click()
    page.get_by_text(f"Page 1 of {pages}").wait_for()
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Next").click()
    page.get_by_text("Please answer the statements marked below.").wait_for()

    answer_page(page, "4")
    page.get_by_role("button", name="Next").click()
    page.get_by_text(f"Page 2 of {pages}").wait_for()
    page.get_by_role("button", name="Back").click()
    page.get_by_text(f"Page 1 of {pages}").wait_for()
    assert page.locator('main input[type="radio"][value="4"]:checked').count() > 0

    page.get_by_role("button", name="Next").click()
    for number in range(2, pages + 1):
        page.get_by_text(f"Page {number} of {pages}").wait_for()
        answer_page(page, "dk" if number == 2 else ("2" if number % 2 else "5"))
        page.get_by_role("button", name="See my result" if number == pages else "Next").click()

    page.get_by_role("heading", name="Your quick test result").wait_for()
    assert page.get_by_text("How well does your cluster support innovation? — your view").is_visible()
    assert page.locator("svg.radar").count() == 1
    assert page.get_by_role("table").count() >= 1
    assert page.get_by_role("heading", name="Top strengths").is_visible()
    assert page.get_by_role("heading", name="Top weaknesses and what to do").is_visible()
    assert serious_accessibility_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("button", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert page.csp_violations == []
