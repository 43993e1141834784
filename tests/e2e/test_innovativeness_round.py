"""A manager opens a round, three members answer it, the manager reads the results."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from plugins.innovativeness.bank import latest_bank
from tests.e2e.helpers import first_link_in, log_in, serious_accessibility_violations
from tests.factories import add_member, create_cluster, manager_of

pytestmark = pytest.mark.e2e


def answer_all_pages(page, value: str) -> None:  # type: ignore[no-untyped-def]
    pages = len(latest_bank().pages())
    for number in range(1, pages + 1):
        page.get_by_text(f"Page {number} of {pages}").wait_for()
        radios = page.locator(f'main input[type="radio"][value="{value}"]')
        for index in range(radios.count()):
            radios.nth(index).check()
        if number == 3:
            page.get_by_role("button", name="Save and continue later").click()
            page.get_by_text("Your answers are saved").wait_for()
            page.get_by_role("button", name="Continue").click()
            continue
        page.get_by_role("button", name="Submit my answers" if number == pages else "Next").click()
    page.get_by_text("your answers are submitted").wait_for()


def test_three_members_answer_and_the_manager_reads_the_results(page, new_page, mail):  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Photonics Valley")
    members = [add_member(cluster, organisation_type=t) for t in ("sme", "sme", "university")]
    log_in(page, manager_of(cluster).email)
    page.goto(f"/clusters/{cluster.id}/innovativeness/")
    page.get_by_role("button", name="Open a round").first.click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Title").fill("Spring check-up")
    page.get_by_label("Closing date").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Open the round and send invitations").click()
    page.get_by_text("The round is open").wait_for()

    for membership, value in zip(members, ("4", "3", "2")):
        link = first_link_in(mail.text_of(mail.wait_for(membership.user.email)[0]))
        member_page = new_page()
        log_in(member_page, membership.user.email)
        member_page.goto(link)
        if value == "4":
            assert serious_accessibility_violations(member_page) == []
        answer_all_pages(member_page, value)
        assert member_page.csp_violations == []

    page.reload()
    assert "3</strong> of 4 invited members have submitted (75%)" in page.content()
    assert "Results of an anonymous round appear when it closes" in page.content()
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Close the round now").click()
    page.get_by_text("The round is closed.").wait_for()
    assert asked and asked[0].startswith("Close “Spring check-up” now?")
    page.get_by_role("button", name="See the results").click()
    page.get_by_role("heading", name="Results: Spring check-up").wait_for()
    assert page.get_by_text("How well does the cluster support innovation? — respondents' view (median)").is_visible()
    assert page.locator("svg.radar").count() == 1
    assert page.get_by_role("heading", name="By actor type").is_visible()
    assert "SME <small>(n=2)</small>" not in page.content()
    assert serious_accessibility_violations(page) == []
    assert page.csp_violations == []
